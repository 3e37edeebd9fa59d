package accord

import (
	"slices"
	"strings"
	"time"
)

// Step is the one thing that moves an engagement forward now.
type Step string

// The steps, in the order an engagement meets them.
const (
	StepWriteBrief      Step = "write_brief"
	StepSendBrief       Step = "send_brief"
	StepInvite          Step = "invite" // the client owes a step but no contact has a portal link
	StepAnswerBrief     Step = "answer_brief"
	StepWriteAgreement  Step = "write_agreement"
	StepAcceptAgreement Step = "accept_agreement"
	StepAcceptAmendment Step = "accept_amendment" // a new version of an accepted agreement
	StepAnswerInfo      Step = "answer_info"      // information the freelancer asked for
	StepConfirmSummary  Step = "confirm_summary"  // the client confirms or corrects a call summary
	StepResume          Step = "resume"           // the engagement is paused; the freelancer resumes it
	StepPrepay          Step = "prepay"
	StepStart           Step = "start"
	StepDeliver         Step = "deliver"
	StepReview          Step = "review"
	StepRework          Step = "rework"
	StepQuoteChange     Step = "quote_change"  // a change beyond the revisions: the freelancer prices it
	StepAcceptChange    Step = "accept_change" // the client accepts or declines the priced change
	StepChooseOption    Step = "choose_option" // the client chooses a way forward after sending work back
	StepPay             Step = "pay"
	StepNone            Step = "none"
)

// Who owes a step.
const (
	OwnerFreelancer = "freelancer"
	OwnerClient     = "client"
)

// DefaultResponseDays is how long a client has to answer before an agreement sets it.
const DefaultResponseDays = 3

// Wait is what an engagement waits for: the step, who owes it, since when, and by when the
// agreement (or, before one, the workspace) asks for it. Pages, emails, jobs and reports all
// read this one answer.
type Wait struct {
	Step  Step
	Owner string    // OwnerFreelancer, OwnerClient, or "" when nothing waits
	Since time.Time // when it became owed
	Until time.Time // by when it is asked for; zero when no term sets a time
	// Milestone is the milestone the step concerns, if any.
	Milestone *Milestone
	// Amount is the money asked, for StepPrepay and StepPay.
	Amount Money
	// Info is the information request, for StepAnswerInfo.
	Info *InfoRequest
	// Summary is the call summary, for StepConfirmSummary.
	Summary *CallSummary
}

// Waiting answers what the engagement waits for now. responseDays is how long a client has to
// answer before an accepted agreement sets it (the workspace's setting).
func (e *Engagement) Waiting(responseDays int) Wait {
	w := e.waiting()
	if w.Owner == OwnerClient {
		days := responseDays
		if a := e.Accepted(); a != nil {
			days = a.ResponseDays
		}
		if w.Step == StepReview {
			days = e.Accepted().ReviewDays
		}
		if !w.Since.IsZero() {
			w.Until = w.Since.AddDate(0, 0, days)
		}
		if w.Info != nil { // information is due on its own calendar date
			w.Until, _ = w.Info.DueDate.Time()
		}
		if len(e.Contacts) == 0 {
			return Wait{Step: StepInvite, Owner: OwnerFreelancer, Since: w.Since}
		}
	}
	return w
}

func (e *Engagement) waiting() Wait {
	if w, ok := e.waitingOnSummary(); ok && !e.Running() {
		return w // before an agreement, a call's summary comes before the brief and the agreement
	}
	switch e.State {
	case Draft:
		if len(e.Brief.Questions) == 0 {
			return Wait{Step: StepWriteBrief, Owner: OwnerFreelancer, Since: e.StateSince}
		}
		return Wait{Step: StepSendBrief, Owner: OwnerFreelancer, Since: e.StateSince}
	case BriefSent:
		return Wait{Step: StepAnswerBrief, Owner: OwnerClient, Since: e.Brief.SentAt}
	case BriefReceived:
		return Wait{Step: StepWriteAgreement, Owner: OwnerFreelancer, Since: e.StateSince}
	case Proposed:
		w := Wait{Step: StepAcceptAgreement, Owner: OwnerClient, Since: e.StateSince}
		if a := e.Proposed(); a != nil {
			w.Since = a.Since
		}
		return w
	case Paused:
		return Wait{Step: StepResume, Owner: OwnerFreelancer, Since: e.StateSince}
	case Agreed, Active:
		if a := e.Proposed(); a != nil {
			return Wait{Step: StepAcceptAmendment, Owner: OwnerClient, Since: a.Since}
		}
		for _, r := range e.InfoRequests {
			if r.Open() {
				w := Wait{Step: StepAnswerInfo, Owner: OwnerClient, Since: r.AskedAt, Info: &r}
				return w
			}
		}
		if w, ok := e.waitingOnSummary(); ok {
			return w
		}
		return e.waitingOnMilestone()
	}
	return Wait{Step: StepNone}
}

// waitingOnMilestone is the step of the first milestone not yet paid.
func (e *Engagement) waitingOnMilestone() Wait {
	for i := range e.Milestones {
		m := &e.Milestones[i]
		w := Wait{Milestone: m, Since: m.Since}
		switch m.State {
		case MilestonePending, MilestoneAwaitingPrepayment:
			if m.Paid.Amount < m.Prepayment.Amount {
				w.Step, w.Owner, w.Amount = StepPrepay, OwnerClient, m.Prepayment.Sub(m.Paid)
				return w
			}
			w.Step, w.Owner = StepStart, OwnerFreelancer
			return w
		case MilestoneInProgress:
			w.Step, w.Owner = StepDeliver, OwnerFreelancer
			if t, ok := m.DueDate.Time(); ok {
				w.Until = t
			}
			return w
		case MilestoneDelivered:
			w.Step, w.Owner = StepReview, OwnerClient
			return w
		case MilestoneChangesRequested:
			w.Step, w.Owner = StepRework, OwnerFreelancer
			if c := m.Cause; c != nil && c.Chosen == "" {
				w.Step, w.Owner = StepChooseOption, OwnerClient
			} else if pc := m.PaidChange; pc != nil && pc.State == ChangeRequested {
				w.Step = StepQuoteChange
			} else if pc != nil {
				w.Step, w.Owner = StepAcceptChange, OwnerClient
			}
			return w
		case MilestoneAccepted:
			w.Step, w.Owner, w.Amount = StepPay, OwnerClient, m.Price.Sub(m.Paid)
			return w
		}
	}
	return Wait{Step: StepNone}
}

// Summary is the first glance at a workspace: how many engagements wait on the client and how
// many on the freelancer, the money by currency, and the nearest unfinished due dates.
type Summary struct {
	OnClient, OnFreelancer int
	Money                  []Balance // one per currency, by currency code
	Deadlines              []Deadline
}

// Deadline is an unfinished milestone's due date.
type Deadline struct {
	Engagement *Engagement
	Milestone  Milestone
}

// Summarize sums up a workspace from its tallies, keeping the first `deadlines` due dates of
// the engagements in nearest: those with the nearest NextDue in their digests, at least
// `deadlines` of them when there are so many (no due date of any other can come sooner).
func Summarize(ts []Tally, nearest []*Engagement, deadlines int) Summary {
	var s Summary
	byCur := map[string]*Balance{}
	var order []string
	for _, t := range ts {
		switch t.Kind {
		case TallyOnClient:
			s.OnClient += int(t.N)
		case TallyOnFreelancer:
			s.OnFreelancer += int(t.N)
		case TallyInvoiced, TallyPaid, TallyDue, TallyRefunded:
			b := byCur[t.Currency]
			if b == nil {
				zero := Money{Currency: t.Currency}
				b = &Balance{Invoiced: zero, Paid: zero, Due: zero, Refunded: zero}
				byCur[t.Currency], order = b, append(order, t.Currency)
			}
			switch t.Kind {
			case TallyInvoiced:
				b.Invoiced.Amount += t.Amount
			case TallyPaid:
				b.Paid.Amount += t.Amount
			case TallyDue:
				b.Due.Amount += t.Amount
			default:
				b.Refunded.Amount += t.Amount
			}
		}
	}
	slices.Sort(order)
	for _, c := range order {
		s.Money = append(s.Money, *byCur[c])
	}
	for _, e := range nearest {
		for _, m := range e.Milestones {
			if m.State != MilestonePaid && m.State != MilestoneAccepted && m.DueDate != "" {
				s.Deadlines = append(s.Deadlines, Deadline{e, m})
			}
		}
	}
	slices.SortStableFunc(s.Deadlines, func(a, b Deadline) int {
		return strings.Compare(string(a.Milestone.DueDate), string(b.Milestone.DueDate))
	})
	if len(s.Deadlines) > deadlines {
		s.Deadlines = s.Deadlines[:deadlines]
	}
	return s
}
