package accord

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// CallSummary is what the freelancer wrote down as agreed on a call, point by point, and the
// client's answer to each point.
type CallSummary struct {
	ID         string         `json:"id"`
	Points     []SummaryPoint `json:"points"`
	At         time.Time      `json:"at"`
	AnsweredAt time.Time      `json:"answered_at,omitzero"`
}

// SummaryPoint is one point of a call summary; once answered, the client either confirmed it
// or wrote a correction to be shown beside it.
type SummaryPoint struct {
	ID         string `json:"id"`
	Text       string `json:"text"`
	Confirmed  bool   `json:"confirmed,omitempty"`
	Correction string `json:"correction,omitempty"`
}

// PointAnswer is the client's answer to one point: confirmed, or a correction.
type PointAnswer struct {
	Confirmed  bool   `json:"confirmed,omitempty"`
	Correction string `json:"correction,omitempty"`
}

// Limits of a call summary.
const (
	MaxSummaryPoints    = 50
	MaxSummaryPointText = 2000
)

// Open reports whether the summary still waits for the client's answer.
func (s CallSummary) Open() bool { return s.AnsweredAt.IsZero() }

// WriteCallSummary puts the points agreed on a call on the record, for the client to confirm or
// correct each one.
func (e *Engagement) WriteCallSummary(c Cmd, points []string) (*CallSummary, error) {
	if c.By.Kind != "freelancer" {
		return nil, Errorf(EFORBIDDEN, "call_summary.freelancer_only")
	}
	if err := e.requireOpenForSummaries(); err != nil {
		return nil, err
	}
	var v Invalid
	if len(points) == 0 || len(points) > MaxSummaryPoints {
		v.Add("points", "call_summary.points_count", "max", MaxSummaryPoints)
		return nil, v.Err()
	}
	ps := make([]SummaryPoint, len(points))
	for i, p := range points {
		ps[i] = SummaryPoint{ID: fmt.Sprintf("p%d", i+1), Text: v.Text(fmt.Sprintf("points[%d]", i), p, true, MaxSummaryPointText)}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	id := NewID("sum")
	e.record(c, CallSummaryWritten{SummaryID: id, Points: ps})
	return e.CallSummary(id), nil
}

// AnswerCallSummary is the client's answer: every point of the summary confirmed or corrected.
func (e *Engagement) AnswerCallSummary(c Cmd, summaryID string, answers map[string]PointAnswer) error {
	if c.By.Kind != "client" {
		return Errorf(EFORBIDDEN, "call_summary.client_only")
	}
	if err := e.requireOpenForSummaries(); err != nil {
		return err
	}
	s := e.CallSummary(summaryID)
	if s == nil {
		return Errorf(ENOTFOUND, "call_summary.not_found")
	}
	if !s.Open() {
		return Errorf(ECONFLICT, "call_summary.answered")
	}
	out, err := checkPointAnswers(s, answers)
	if err != nil {
		return err
	}
	e.record(c, CallSummaryAnswered{SummaryID: s.ID, Answers: out})
	return nil
}

// checkPointAnswers holds each point of s to exactly one answer, in the summary's order.
func checkPointAnswers(s *CallSummary, answers map[string]PointAnswer) ([]PointAnswered, error) {
	var v Invalid
	out := make([]PointAnswered, 0, len(s.Points))
	known := map[string]bool{}
	for _, p := range s.Points {
		known[p.ID] = true
		f, a := "points."+p.ID, answers[p.ID]
		given := strings.TrimSpace(CleanText(a.Correction)) != ""
		switch {
		case a.Confirmed && given:
			v.Add(f, "call_summary.point_both", "point", p.Text)
		case a.Confirmed:
			out = append(out, PointAnswered{PointID: p.ID, Confirmed: true})
		case !given:
			v.Add(f, "call_summary.point_unanswered", "point", p.Text)
		default:
			out = append(out, PointAnswered{PointID: p.ID, Correction: v.Text(f, a.Correction, true, MaxSummaryPointText)})
		}
	}
	var unknown []string
	for id := range answers {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	for _, id := range unknown {
		v.Add("points."+id, "call_summary.unknown_point")
	}
	return out, v.Err()
}

// requireOpenForSummaries refuses summaries once the engagement is completed or ended.
func (e *Engagement) requireOpenForSummaries() error {
	if e.State == Completed || e.State == Terminated {
		return Errorf(ECONFLICT, "call_summary.closed", "state", string(e.State))
	}
	return nil
}

// CallSummary returns the summary with id, or nil.
func (e *Engagement) CallSummary(id string) *CallSummary {
	for i := range e.CallSummaries {
		if e.CallSummaries[i].ID == id {
			return &e.CallSummaries[i]
		}
	}
	return nil
}

// PendingSummaries are the summaries the client has not answered yet, oldest first.
func (e *Engagement) PendingSummaries() []*CallSummary {
	var out []*CallSummary
	for i := range e.CallSummaries {
		if e.CallSummaries[i].Open() {
			out = append(out, &e.CallSummaries[i])
		}
	}
	return out
}

// waitingOnSummary is the client's confirmation of the oldest pending summary, while the
// engagement is under way (not paused, not closed).
func (e *Engagement) waitingOnSummary() (Wait, bool) {
	switch e.State {
	case Draft, BriefSent, BriefReceived, Proposed, Agreed, Active:
	default:
		return Wait{}, false
	}
	p := e.PendingSummaries()
	if len(p) == 0 {
		return Wait{}, false
	}
	s := *p[0]
	return Wait{Step: StepConfirmSummary, Owner: OwnerClient, Since: s.At, Summary: &s}, true
}

// CallSummaryWritten puts a call's summary on the record.
type CallSummaryWritten struct {
	SummaryID string         `json:"summary_id"`
	Points    []SummaryPoint `json:"points"`
}

func (CallSummaryWritten) EventType() string { return "call_summary.written" }
func (d CallSummaryWritten) apply(e *Engagement, ev Event) {
	ps := make([]SummaryPoint, len(d.Points))
	for i, p := range d.Points {
		ps[i] = SummaryPoint{ID: p.ID, Text: p.Text}
	}
	e.CallSummaries = append(e.CallSummaries, CallSummary{ID: d.SummaryID, Points: ps, At: ev.At})
}

// PointAnswered is the client's answer to one point, as recorded.
type PointAnswered struct {
	PointID    string `json:"point_id"`
	Confirmed  bool   `json:"confirmed"`
	Correction string `json:"correction,omitempty"`
}

// CallSummaryAnswered is the client's answer to every point of a summary.
type CallSummaryAnswered struct {
	SummaryID string          `json:"summary_id"`
	Answers   []PointAnswered `json:"answers"`
}

func (CallSummaryAnswered) EventType() string { return "call_summary.answered" }
func (d CallSummaryAnswered) apply(e *Engagement, ev Event) {
	s := e.CallSummary(d.SummaryID)
	s.AnsweredAt = ev.At
	for _, a := range d.Answers {
		for i := range s.Points {
			if p := &s.Points[i]; p.ID == a.PointID {
				p.Confirmed, p.Correction = a.Confirmed, a.Correction
			}
		}
	}
}
