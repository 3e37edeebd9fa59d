package accord

import "slices"

// The causes of work sent back, as the freelancer classifies them.
const (
	CauseOurs       = "ours"         // the work missed what was agreed
	CauseExternal   = "external"     // outside our control: late or wrong material, a third party
	CauseOutOfScope = "out_of_scope" // the request asks for more than was agreed
)

// The options offered after work is sent back.
const (
	OptionRework        = "rework"         // rework, within the revisions or free because the fault is ours
	OptionPaidChange    = "paid_change"    // rework as paid work, priced before it starts
	OptionPartialRefund = "partial_refund" // keep the work as it is, with part of its price back
	OptionTerminate     = "terminate"      // end the engagement with its settlement
)

// Cause is the freelancer's reading of why work was sent back, with what on the record shows
// it, and the client's choice among the options once made.
type Cause struct {
	Cause  string   `json:"cause"`
	Terms  []string `json:"terms,omitempty"`  // the agreement's term ids that show it
	Events []int64  `json:"events,omitempty"` // the record's entries (sequence numbers) that show it
	Chosen string   `json:"chosen,omitempty"`
}

// Option is one way forward after work is sent back; one is recommended.
type Option struct {
	Kind        string `json:"kind"`
	Recommended bool   `json:"recommended"`
}

// Options are the ways forward for a milestone whose work was sent back, by the documented
// rules (docs/options.md): when the fault is ours, rework at no cost is recommended whatever
// the revisions left; outside our control, rework is recommended while revisions are left,
// else a partial refund; outside the scope, a paid change is recommended. Ending the engagement
// with its settlement is always an option, never the recommended one.
func (e *Engagement) Options(milestoneID string) []Option {
	m := e.Milestone(milestoneID)
	if m == nil || m.Cause == nil || m.State != MilestoneChangesRequested {
		return nil
	}
	var kinds []string
	rec := ""
	switch m.Cause.Cause {
	case CauseOurs:
		kinds, rec = []string{OptionRework, OptionPartialRefund, OptionTerminate}, OptionRework
	case CauseExternal:
		if e.RevisionsLeft(m) > 0 || m.PaidChange == nil {
			kinds, rec = []string{OptionRework, OptionPartialRefund, OptionTerminate}, OptionRework
		} else {
			kinds, rec = []string{OptionPaidChange, OptionPartialRefund, OptionTerminate}, OptionPartialRefund
		}
	case CauseOutOfScope:
		kinds, rec = []string{OptionPaidChange, OptionTerminate}, OptionPaidChange
	}
	out := make([]Option, len(kinds))
	for i, k := range kinds {
		out[i] = Option{Kind: k, Recommended: k == rec}
	}
	return out
}

// ClassifyCause records why the freelancer thinks work was sent back, pointing at the terms and
// the record's entries that show it; the client then sees the options.
func (e *Engagement) ClassifyCause(c Cmd, milestoneID, cause string, terms []string, events []int64) error {
	m := e.Milestone(milestoneID)
	if m == nil {
		return Errorf(ENOTFOUND, "milestone.not_found")
	}
	if m.State != MilestoneChangesRequested {
		return Errorf(ECONFLICT, "cause.not_sent_back", "num", m.N)
	}
	var v Invalid
	if cause != CauseOurs && cause != CauseExternal && cause != CauseOutOfScope {
		v.Add("cause", "cause.unknown")
	}
	a := e.Accepted()
	for _, t := range terms {
		if !slices.ContainsFunc(a.Terms, func(x Term) bool { return x.ID == t }) {
			v.Add("terms", "cause.unknown_term")
			break
		}
	}
	for _, s := range events {
		if s < 1 || s > e.Seq {
			v.Add("events", "cause.unknown_event")
			break
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, CauseClassified{MilestoneID: m.ID, Cause: Cause{Cause: cause, Terms: terms, Events: events}})
	return nil
}

// ChooseOption is the client's choice among the options. Rework goes on (free, or as a paid
// change to be priced); a partial refund or an end is for the freelancer to carry out with the
// refund or the termination, and the choice is on the record for it.
func (e *Engagement) ChooseOption(c Cmd, milestoneID, kind string) error {
	m := e.Milestone(milestoneID)
	if m == nil {
		return Errorf(ENOTFOUND, "milestone.not_found")
	}
	opts := e.Options(milestoneID)
	if opts == nil {
		return Errorf(ECONFLICT, "cause.no_options", "num", m.N)
	}
	if m.Cause.Chosen != "" {
		return Errorf(ECONFLICT, "cause.chosen_already", "num", m.N)
	}
	if !slices.ContainsFunc(opts, func(o Option) bool { return o.Kind == kind }) {
		var v Invalid
		v.Add("option", "cause.unknown_option")
		return v.Err()
	}
	e.record(c, OptionChosen{MilestoneID: m.ID, Option: kind})
	return nil
}

// CauseClassified is the freelancer's reading of why work was sent back.
type CauseClassified struct {
	MilestoneID string `json:"milestone_id"`
	Cause       Cause  `json:"cause"`
}

func (CauseClassified) EventType() string { return "cause.classified" }
func (d CauseClassified) apply(e *Engagement, _ Event) {
	c := d.Cause
	m := e.Milestone(d.MilestoneID)
	m.Cause = &c
	if c.Cause == CauseOurs && m.PaidChange != nil && m.PaidChange.State == ChangeRequested {
		m.PaidChange = nil // our fault: the rework is not paid, whatever the revisions left
	}
}

// OptionChosen is the client's choice of a way forward.
type OptionChosen struct {
	MilestoneID string `json:"milestone_id"`
	Option      string `json:"option"`
}

func (OptionChosen) EventType() string { return "cause.option_chosen" }
func (d OptionChosen) apply(e *Engagement, _ Event) {
	m := e.Milestone(d.MilestoneID)
	m.Cause.Chosen = d.Option
	if d.Option == OptionPaidChange && m.PaidChange == nil {
		m.PaidChange = &PaidChange{State: ChangeRequested}
	}
	if d.Option == OptionRework && m.PaidChange != nil && m.PaidChange.State == ChangeRequested {
		m.PaidChange = nil
	}
}
