package accord

import (
	"slices"
	"time"
)

// InfoRequest is material or an answer the freelancer needs from the client by a calendar date,
// and the milestones that wait for it.
type InfoRequest struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	DueDate    Date      `json:"due_date"`
	Blocks     []string  `json:"blocks"` // milestone ids
	AskedAt    time.Time `json:"asked_at"`
	Answer     string    `json:"answer,omitempty"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	DaysLate   int       `json:"days_late,omitempty"`
}

// Open reports whether the request still waits for the client.
func (r InfoRequest) Open() bool { return r.AnsweredAt.IsZero() }

// MilestoneMove is a due date moved by late information, kept as such (not an amendment).
type MilestoneMove struct {
	MilestoneID string `json:"milestone_id"`
	From        Date   `json:"from"`
	To          Date   `json:"to"`
}

// RequestInfo asks the client for information by a date; it may block milestones of the agreement.
func (e *Engagement) RequestInfo(c Cmd, title string, due Date, blocks []string) (string, error) {
	if e.State == Completed || e.State == Terminated || e.State == Draft {
		return "", Errorf(ECONFLICT, "info.not_now", "state", string(e.State))
	}
	var v Invalid
	title = v.Text("title", title, true, 200)
	if _, ok := due.Time(); !ok {
		v.Add("due_date", "field.date")
	} else if due < c.Today() {
		v.Add("due_date", "agreement.date_past", "today", c.Today())
	}
	for _, id := range blocks {
		if e.Milestone(id) == nil {
			v.Add("blocks", "info.unknown_milestone")
			break
		}
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	id := NewID("inf")
	e.record(c, InfoRequested{ID: id, Title: title, DueDate: due, Blocks: slices.Clone(blocks)})
	return id, nil
}

// InfoRequest returns the request with id, or nil.
func (e *Engagement) InfoRequest(id string) *InfoRequest {
	for i := range e.InfoRequests {
		if e.InfoRequests[i].ID == id {
			return &e.InfoRequests[i]
		}
	}
	return nil
}

// AnswerInfo is the client's answer. Answered D whole days after the due date (the client's
// calendar day), each blocked milestone's due date moves D days later, and so does every later
// milestone's, each once.
func (e *Engagement) AnswerInfo(c Cmd, id, text string) error {
	r := e.InfoRequest(id)
	if r == nil {
		return Errorf(ENOTFOUND, "info.not_found")
	}
	if !r.Open() {
		return Errorf(ECONFLICT, "info.answered")
	}
	var v Invalid
	if text = v.Text("text", text, true, 20000); v.Err() != nil {
		return v.Err()
	}
	late := 0
	if due, ok := r.DueDate.Time(); ok {
		if today, ok := c.Today().Time(); ok && today.After(due) {
			late = int(today.Sub(due).Hours() / 24)
		}
	}
	first := len(e.Milestones)
	for _, b := range r.Blocks {
		if m := e.Milestone(b); m != nil && m.N-1 < first && !m.done() {
			first = m.N - 1
		}
	}
	e.record(c, InfoAnswered{ID: id, Text: text, DaysLate: late, Moves: e.moveDueDates(first, late)})
	return nil
}

// done reports whether a milestone's work is over (accepted or paid): its due date no longer moves.
func (m *Milestone) done() bool { return m.State == MilestoneAccepted || m.State == MilestonePaid }

// moveDueDates lists how the due dates of the unfinished milestones from position first on move
// by days (none when days is not positive).
func (e *Engagement) moveDueDates(first, days int) []MilestoneMove {
	var moves []MilestoneMove
	for i := first; days > 0 && i < len(e.Milestones); i++ {
		if m := e.Milestones[i]; !m.done() {
			moves = append(moves, MilestoneMove{MilestoneID: m.ID, From: m.DueDate, To: m.DueDate.AddDays(days)})
		}
	}
	return moves
}

// applyMoves sets the due dates a record of moves names.
func (e *Engagement) applyMoves(moves []MilestoneMove) {
	for _, mv := range moves {
		if m := e.Milestone(mv.MilestoneID); m != nil {
			m.DueDate = mv.To
		}
	}
}

// InfoRequested asks the client for information.
type InfoRequested struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	DueDate Date     `json:"due_date"`
	Blocks  []string `json:"blocks"`
}

func (InfoRequested) EventType() string { return "info.requested" }
func (d InfoRequested) apply(e *Engagement, ev Event) {
	e.InfoRequests = append(e.InfoRequests, InfoRequest{ID: d.ID, Title: d.Title, DueDate: d.DueDate, Blocks: d.Blocks, AskedAt: ev.At})
}

// InfoAnswered is the client's answer, with the due dates it moved.
type InfoAnswered struct {
	ID       string          `json:"id"`
	Text     string          `json:"text"`
	DaysLate int             `json:"days_late"`
	Moves    []MilestoneMove `json:"moves,omitempty"`
}

func (InfoAnswered) EventType() string { return "info.answered" }
func (d InfoAnswered) apply(e *Engagement, ev Event) {
	r := e.InfoRequest(d.ID)
	r.Answer, r.AnsweredAt, r.DaysLate = d.Text, ev.At, d.DaysLate
	e.applyMoves(d.Moves)
}
