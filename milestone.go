package accord

import (
	"time"
)

// MilestoneState is where a milestone stands: pending → awaiting_prepayment → in_progress →
// delivered → (changes_requested → in_progress) | accepted → paid.
type MilestoneState string

// The milestone states.
const (
	MilestonePending            MilestoneState = "pending"
	MilestoneAwaitingPrepayment MilestoneState = "awaiting_prepayment"
	MilestoneInProgress         MilestoneState = "in_progress"
	MilestoneDelivered          MilestoneState = "delivered"
	MilestoneChangesRequested   MilestoneState = "changes_requested"
	MilestoneAccepted           MilestoneState = "accepted"
	MilestonePaid               MilestoneState = "paid"
)

// Milestone is one stage of the work, paid for in two parts: a prepayment before it starts,
// the rest after it is accepted.
type Milestone struct {
	ID               string         `json:"id"`
	N                int            `json:"n"` // 1-based position
	Title            string         `json:"title"`
	DueDate          Date           `json:"due_date"`
	Price            Money          `json:"price"`
	Prepayment       Money          `json:"prepayment"`
	Paid             Money          `json:"paid"`
	State            MilestoneState `json:"state"`
	ChangesRequested int            `json:"changes_requested"`
	// PaidChange is a change asked for beyond the agreed revisions, until the client answers it.
	PaidChange *PaidChange `json:"paid_change,omitempty"`
	// ChangesPrice is what the paid changes the client accepted added to Price.
	ChangesPrice Money `json:"changes_price,omitzero"`
	// Cause is why the work was last sent back, as the freelancer reads it, and the client's choice.
	Cause *Cause `json:"cause,omitempty"`
	// Since is when the milestone reached its state.
	Since time.Time `json:"since,omitzero"`
}

// PaidInFull reports whether the client has paid the whole price.
func (m *Milestone) PaidInFull() bool { return m.Paid.Amount >= m.Price.Amount }

// Invoiced is what the milestone asks of the client now: nothing while pending, the
// prepayment while it waits or runs, the whole price once accepted.
func (m *Milestone) Invoiced() Money {
	switch m.State {
	case MilestonePending:
		return Money{0, m.Price.Currency}
	case MilestoneAccepted, MilestonePaid:
		return m.Price
	}
	return m.Prepayment
}

// Payment is money received from the client for a milestone.
type Payment struct {
	ID          string    `json:"id"`
	MilestoneID string    `json:"milestone_id"`
	Amount      Money     `json:"amount"`
	Reference   string    `json:"reference"`
	At          time.Time `json:"at"`
	// Settlement marks a payment of what ending early left the client owing; its MilestoneID
	// is empty.
	Settlement bool `json:"settlement,omitempty"`
}

// StartMilestone begins work: the previous milestone must be paid in full and this one's prepayment in.
func (e *Engagement) StartMilestone(c Cmd, id string) error {
	if err := e.CanStart(id); err != nil {
		return err
	}
	m := e.Milestone(id)
	e.record(c, MilestoneStarted{MilestoneID: id, Rework: m.State == MilestoneChangesRequested})
	return nil
}

// CanStart says why a milestone cannot start (or resume) now, or nil when it can: pages offer
// the action only then, and otherwise show this reason.
func (e *Engagement) CanStart(id string) error {
	m := e.Milestone(id)
	if m == nil {
		return Errorf(ENOTFOUND, "milestone.not_found")
	}
	if err := e.requireRunning(); err != nil {
		return err
	}
	switch m.State {
	case MilestoneChangesRequested:
		if m.PaidChange != nil { // beyond the revisions: only once the client accepts the paid change
			return Errorf(ECONFLICT, "paid_change.pending", "num", m.N)
		}
		return nil
	case MilestonePending, MilestoneAwaitingPrepayment:
	default:
		return Errorf(ECONFLICT, "milestone.cannot_start_state", "num", m.N, "state", string(m.State))
	}
	if prev := e.previous(m); prev != nil && prev.State != MilestonePaid {
		if !prev.PaidInFull() {
			return Errorf(ECONFLICT, "milestone.previous_unpaid", "num", m.N, "prev", prev.N,
				"due", prev.Price.Sub(prev.Paid))
		}
		return Errorf(ECONFLICT, "milestone.previous_open", "num", m.N, "prev", prev.N, "state", string(prev.State))
	}
	if m.Paid.Amount < m.Prepayment.Amount {
		return Errorf(ECONFLICT, "milestone.prepayment_missing", "num", m.N,
			"prepayment", m.Prepayment, "received", m.Paid)
	}
	return nil
}

func (e *Engagement) previous(m *Milestone) *Milestone {
	if m.N <= 1 {
		return nil
	}
	return &e.Milestones[m.N-2]
}

// RecordPayment records money received for a milestone; it may not exceed what remains of its price.
func (e *Engagement) RecordPayment(c Cmd, milestoneID string, amount Money, reference string) (string, error) {
	if e.Accepted() == nil {
		return "", Errorf(ECONFLICT, "payment.no_agreement", "state", string(e.State))
	}
	if e.State == Terminated && e.SettlementOwed().Amount > 0 {
		return e.recordSettlementPayment(c, amount, reference)
	}
	if e.State == Terminated || e.State == Completed {
		return "", Errorf(ECONFLICT, "payment.closed", "state", string(e.State))
	}
	var v Invalid
	m := e.Milestone(milestoneID)
	if m == nil {
		v.Add("milestone_id", "payment.unknown_milestone")
	}
	reference = v.Text("reference", reference, false, 200)
	if amount.Currency != e.Currency || amount.Amount <= 0 {
		v.Add("amount", "payment.amount", "currency", e.Currency)
	} else if m != nil && m.Paid.Amount+amount.Amount > m.Price.Amount {
		v.Add("amount", "payment.overpaid", "num", m.N, "open", m.Price.Sub(m.Paid))
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	id := NewID("pay")
	e.record(c, PaymentRecorded{PaymentID: id, MilestoneID: milestoneID, Amount: amount, Reference: reference})
	return id, nil
}

// settle moves accepted, fully paid milestones to paid, opens the next one, and completes the engagement.
func (e *Engagement) settle() {
	for i := range e.Milestones {
		m := &e.Milestones[i]
		if m.State == MilestoneAccepted && m.PaidInFull() {
			m.State = MilestonePaid
		}
		if m.State == MilestonePending && (i == 0 || e.Milestones[i-1].State == MilestonePaid) {
			m.State = MilestoneAwaitingPrepayment
		}
	}
	if len(e.Milestones) > 0 && e.Milestones[len(e.Milestones)-1].State == MilestonePaid {
		e.State = Completed
	}
}
