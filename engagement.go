package accord

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// EngagementState is where an engagement stands in its lifecycle.
type EngagementState string

// The engagement lifecycle: draft → brief_sent → brief_received → proposed → agreed → active → completed.
const (
	Draft         EngagementState = "draft"
	BriefSent     EngagementState = "brief_sent"
	BriefReceived EngagementState = "brief_received"
	Proposed      EngagementState = "proposed"
	Agreed        EngagementState = "agreed"
	Active        EngagementState = "active"
	Completed     EngagementState = "completed"
	Paused        EngagementState = "paused"
	Disputed      EngagementState = "disputed"
	Terminated    EngagementState = "terminated"
)

// Engagement is one piece of work for one client, from brief to last payment. Its state is
// the fold of its events; commands check the rules and record events, never set fields.
type Engagement struct {
	ID              string          `json:"id"`
	WorkspaceID     string          `json:"workspace_id"`
	ClientID        string          `json:"client_id"`
	Title           string          `json:"title"`
	Currency        string          `json:"currency"`
	State           EngagementState `json:"state"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
	Brief           Brief           `json:"brief"`
	Agreements      []Agreement     `json:"agreements"`
	Milestones      []Milestone     `json:"milestones"`
	Payments        []Payment       `json:"payments"`
	Deliveries      []Delivery      `json:"deliveries"`
	CoolingOffUntil time.Time       `json:"cooling_off_until"`
	// StateSince is when the engagement reached its state.
	StateSince time.Time `json:"state_since,omitzero"`
	// PausedFrom is the state a paused engagement goes back to.
	PausedFrom EngagementState `json:"paused_from,omitempty"`
	// InfoRequests are what the freelancer asked the client to provide, in order.
	InfoRequests []InfoRequest `json:"info_requests,omitempty"`
	// CallSummaries are the points agreed on calls, each confirmed or corrected by the client, in order.
	CallSummaries []CallSummary `json:"call_summaries,omitempty"`
	// Invoices are the invoices and credit notes issued, in order.
	Invoices []Invoice `json:"invoices,omitempty"`
	// Comments are the client's comments pinned to delivered previews, in order.
	Comments []Comment `json:"comments,omitempty"`
	// Contacts are the addresses invited to the portal, in the order first invited.
	Contacts []string `json:"contacts,omitempty"`
	// HeardAt is when the client last acted on the record; ResumedAt when the work last resumed
	// after a pause. Both end a silence.
	HeardAt   time.Time `json:"heard_at,omitzero"`
	ResumedAt time.Time `json:"resumed_at,omitzero"`
	// Nudges are the nudges taken in the current silence.
	Nudges Nudged `json:"nudges,omitzero"`
	// ReportedAt is when the client was last sent a status report; Report is one drafted on
	// the agreed cadence and not sent yet.
	ReportedAt time.Time    `json:"reported_at,omitzero"`
	Report     *ReportDraft `json:"report,omitempty"`
	// Retrospective is the lesson the freelancer drew once the engagement closed.
	Retrospective *Retrospective `json:"retrospective,omitempty"`
	// Holding are the messages held back from the client (the cooling-off), not yet gone.
	Holding []string `json:"holding,omitempty"`
	// Refunds are the money sent back to the client; Settlement is what ending early came to.
	Refunds    []Refund    `json:"refunds,omitempty"`
	Settlement *Settlement `json:"settlement,omitempty"`
	// Seq and Head are the sequence number and hash of the last event applied.
	Seq  int64  `json:"seq"`
	Head string `json:"head"`

	pending []Event
}

// Actor is who did something: the freelancer (a user), the client (a contact) or the system.
type Actor struct {
	Kind string // "freelancer", "client" or "system"
	ID   string // user id, or the contact's email
	Name string
}

// String renders the actor as it appears on the record, e.g. "client:ana@example.com".
func (a Actor) String() string { return a.Kind + ":" + a.ID }

// Cmd carries the time and the actor of one command.
type Cmd struct {
	Now time.Time
	By  Actor
	// Zone is where the one who acts lives: "today" is their calendar day (UTC when nil).
	Zone *time.Location
}

// Today is the calendar day it is where the one who acts lives.
func (c Cmd) Today() Date {
	z := c.Zone
	if z == nil {
		z = time.UTC
	}
	return Date(c.Now.In(z).Format(time.DateOnly))
}

// NewEngagement starts an engagement in draft for a client of a workspace.
func NewEngagement(c Cmd, workspaceID, clientID, title, currency string) (*Engagement, error) {
	var v Invalid
	title = v.Text("title", title, true, 200)
	if !ValidCurrency(currency) {
		v.Add("currency", "field.currency")
	}
	if clientID == "" || !PlainText(clientID) {
		v.Add("client_id", "field.required")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := &Engagement{ID: NewID("eng"), WorkspaceID: workspaceID}
	e.record(c, EngagementCreated{ClientID: clientID, Title: title, Currency: currency})
	return e, nil
}

// Uncommitted returns the events recorded since the engagement was loaded.
func (e *Engagement) Uncommitted() []Event { return e.pending }

// MarkCommitted forgets the uncommitted events once they are stored.
func (e *Engagement) MarkCommitted() { e.pending = nil }

func (e *Engagement) record(c Cmd, d EventData) {
	ev := Event{
		EngagementID: e.ID, WorkspaceID: e.WorkspaceID, Seq: e.Seq + 1,
		Type: d.EventType(), Actor: c.By.String(), At: c.Now.UTC(), Data: d,
	}
	ev.seal(e.Head)
	e.Apply(ev)
	e.pending = append(e.pending, ev)
}

// Apply folds one event into the engagement's state.
func (e *Engagement) Apply(ev Event) {
	was := e.states()
	ev.Data.apply(e, ev)
	e.Seq, e.Head, e.UpdatedAt = ev.Seq, ev.Hash, ev.At
	if e.CreatedAt.IsZero() {
		e.CreatedAt = ev.At
	}
	e.markSince(was, ev.At)
	if strings.HasPrefix(ev.Actor, "client:") && ev.Type != (PortalOpened{}).EventType() {
		e.HeardAt = ev.At
	}
}

// states is where the engagement, its milestones and its agreement versions stand, to see
// after an event which of them moved.
func (e *Engagement) states() map[string]string {
	s := map[string]string{"": string(e.State)}
	for _, m := range e.Milestones {
		s["m:"+m.ID] = string(m.State)
	}
	for _, a := range e.Agreements {
		s[fmt.Sprint("a:", a.Version)] = a.State
	}
	return s
}

// markSince notes when each part that moved reached its state: the agenda counts from there.
func (e *Engagement) markSince(was map[string]string, at time.Time) {
	if was[""] != string(e.State) {
		e.StateSince = at
	}
	for i := range e.Milestones {
		if m := &e.Milestones[i]; was["m:"+m.ID] != string(m.State) {
			m.Since = at
		}
	}
	for i := range e.Agreements {
		if a := &e.Agreements[i]; was[fmt.Sprint("a:", a.Version)] != a.State {
			a.Since = at
		}
	}
}

// FoldVersion names the rules by which events fold into an engagement. Raise it whenever an
// event's apply changes: stored snapshots of an older fold are rebuilt from their events on start,
// so a corrected rule never leaves stored state behind. 2: invited contacts, the agreement's
// language. 3: when the engagement, each milestone and each agreement version reached its state.
// 4: when the client was last heard from, the work last resumed, the nudges taken, and the
// status reports sent and drafted, refunds and the settlement of an early end, changes paid
// beyond the revisions. 5: when each refund was recorded. 6: what paid changes added to a price.
const FoldVersion = 6

// Replay rebuilds an engagement from its whole log.
func Replay(events []Event) *Engagement {
	e := &Engagement{}
	for _, ev := range events {
		if e.ID == "" {
			e.ID, e.WorkspaceID = ev.EngagementID, ev.WorkspaceID
		}
		e.Apply(ev)
	}
	return e
}

// Milestone returns the milestone with id, or nil.
func (e *Engagement) Milestone(id string) *Milestone {
	for i := range e.Milestones {
		if e.Milestones[i].ID == id {
			return &e.Milestones[i]
		}
	}
	return nil
}

// Delivery returns the delivery with id, or nil.
func (e *Engagement) Delivery(id string) *Delivery {
	for i := range e.Deliveries {
		if e.Deliveries[i].ID == id {
			return &e.Deliveries[i]
		}
	}
	return nil
}

// File returns a delivered file and the delivery holding it, or nils.
func (e *Engagement) File(id string) (*File, *Delivery) {
	for i := range e.Deliveries {
		d := &e.Deliveries[i]
		for j := range d.Files {
			if d.Files[j].ID == id {
				return &d.Files[j], d
			}
		}
	}
	return nil, nil
}

// Balance is what has been asked of the client, what it paid and what it still owes now.
type Balance struct {
	Invoiced Money `json:"invoiced"`
	Paid     Money `json:"paid"`
	Due      Money `json:"due"`
	Refunded Money `json:"refunded"`
}

// Balance sums the milestones: a started milestone asks for its prepayment, an accepted one for its
// price; what is due is counted milestone by milestone.
func (e *Engagement) Balance() Balance {
	b := Balance{Money{0, e.Currency}, Money{0, e.Currency}, Money{0, e.Currency}, e.Refunded()}
	for _, m := range e.Milestones {
		inv := m.Invoiced()
		b.Invoiced = b.Invoiced.Add(inv)
		b.Paid = b.Paid.Add(m.Paid)
		// Money paid ahead on one milestone does not settle what another one owes.
		if inv.Amount > m.Paid.Amount {
			b.Due = b.Due.Add(inv.Sub(m.Paid))
		}
	}
	return b
}

// Running reports whether work can go on: the agreement is accepted and nothing has stopped it.
func (e *Engagement) Running() bool { return e.State == Agreed || e.State == Active }

// Pausable reports whether the engagement can be paused: while it runs, or while the brief,
// the agreement or a call summary waits for the client.
func (e *Engagement) Pausable() bool {
	_, summary := e.waitingOnSummary()
	return e.Running() || e.State == BriefSent || e.State == Proposed || summary
}

func (e *Engagement) requireRunning() error {
	if e.Running() {
		return nil
	}
	return Errorf(ECONFLICT, "engagement.not_running", "state", string(e.State))
}

// Clone returns a deep copy, for trying a command without keeping its effect.
func (e *Engagement) Clone() *Engagement {
	b, _ := json.Marshal(e)
	c := &Engagement{}
	json.Unmarshal(b, c)
	return c
}
