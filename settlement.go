package accord

import "time"

// The ways to end an engagement early, as API.md names them.
const (
	// SettleKillFee: the freelancer earns the accepted milestones and the kill fee share of the
	// one under way; what was paid beyond that is refunded, what is short is owed.
	SettleKillFee = "kill_fee"
	// SettleKeepPrepayment: the client leaves what it paid; nothing is due either way.
	SettleKeepPrepayment = "keep_prepayment"
	// SettleContinue: the engagement goes on without the rest of the milestone under way, which
	// closes at what was worked on it (the kill fee share of its price); what was paid on it
	// beyond that becomes credit on the next milestone (unused = "credit"), or the freelancer
	// absorbs the unused work and the milestone closes at what was paid on it (unused = "absorb").
	SettleContinue = "continue"
)

// What becomes of the unused work of a milestone closed to go on (SettleContinue).
const (
	UnusedCredit = "credit"
	UnusedAbsorb = "absorb"
)

// Settlement is what ending an engagement early comes to, with the computation line by line.
type Settlement struct {
	Option          string           `json:"option"`
	Unused          string           `json:"unused,omitempty"` // for continue: credit or absorb
	FreelancerKeeps Money            `json:"freelancer_keeps"`
	RefundDue       Money            `json:"refund_due"`
	ClientOwes      Money            `json:"client_owes"`
	Lines           []SettlementLine `json:"lines"`
	// For continue: the milestone closed, the price it closes at, and the credit moved to the
	// next milestone.
	MilestoneID string `json:"milestone_id,omitempty"`
	ClosesAt    Money  `json:"closes_at,omitzero"`
	Credit      Money  `json:"credit,omitzero"`
}

// SettlementLine is one step of a settlement's computation: a catalog key, its amount and what
// the key's text needs (a milestone's number and title, a percentage).
type SettlementLine struct {
	Key    string `json:"key"`
	Amount Money  `json:"amount"`
	Num    int    `json:"num,omitempty"`
	Title  string `json:"title,omitempty"`
	Pct    int    `json:"percent,omitempty"`
}

// Received is the money the client paid, less what was refunded.
func (e *Engagement) Received() Money {
	r := Money{0, e.Currency}
	for _, m := range e.Milestones {
		r = r.Add(m.Paid)
	}
	return r.Sub(e.Refunded())
}

// Refunded is the money refunded to the client so far.
func (e *Engagement) Refunded() Money {
	r := Money{0, e.Currency}
	for _, f := range e.Refunds {
		r = r.Add(f.Amount)
	}
	return r
}

// UnderWay is the milestone being worked on (in progress, delivered or sent back), or nil.
func (e *Engagement) UnderWay() *Milestone {
	for i := range e.Milestones {
		switch e.Milestones[i].State {
		case MilestoneInProgress, MilestoneDelivered, MilestoneChangesRequested:
			return &e.Milestones[i]
		}
	}
	return nil
}

// Settle computes what ending the engagement now by option would come to, without ending it.
func (e *Engagement) Settle(option string) (Settlement, error) { return e.SettleWith(option, "") }

// SettleWith is Settle with, for continue, what becomes of the unused work.
func (e *Engagement) SettleWith(option, unused string) (Settlement, error) {
	a := e.Accepted()
	if a == nil {
		return Settlement{}, Errorf(ECONFLICT, "settlement.no_agreement", "state", string(e.State))
	}
	if e.State == Terminated || e.State == Completed {
		return Settlement{}, Errorf(ECONFLICT, "settlement.closed", "state", string(e.State))
	}
	zero := Money{0, e.Currency}
	paid := e.Received()
	s := Settlement{Option: option, RefundDue: zero, ClientOwes: zero}
	switch option {
	case SettleKillFee:
		earned := zero
		for _, m := range e.Milestones {
			if m.State == MilestoneAccepted || m.State == MilestonePaid {
				earned = earned.Add(m.Price)
				s.Lines = append(s.Lines, SettlementLine{Key: "settlement.accepted", Amount: m.Price, Num: m.N, Title: m.Title})
			}
		}
		if t := e.UnderWay(); t != nil {
			fee := t.Price.Percent(a.KillFeePercent)
			earned = earned.Add(fee)
			s.Lines = append(s.Lines, SettlementLine{Key: "settlement.kill_fee", Amount: fee, Num: t.N, Title: t.Title, Pct: a.KillFeePercent})
		}
		s.Lines = append(s.Lines, SettlementLine{Key: "settlement.earned", Amount: earned},
			SettlementLine{Key: "settlement.paid", Amount: paid})
		if paid.Amount >= earned.Amount {
			s.FreelancerKeeps, s.RefundDue = earned, paid.Sub(earned)
		} else {
			s.FreelancerKeeps, s.ClientOwes = paid, earned.Sub(paid)
		}
	case SettleKeepPrepayment:
		s.FreelancerKeeps = paid
		s.Lines = append(s.Lines, SettlementLine{Key: "settlement.paid", Amount: paid})
	case SettleContinue:
		return e.settleContinue(s, a, unused)
	default:
		var v Invalid
		v.Add("option", "settlement.option")
		return Settlement{}, v.Err()
	}
	return s, nil
}

// settleContinue closes the milestone under way at what was worked on it and goes on.
func (e *Engagement) settleContinue(s Settlement, a *Agreement, unused string) (Settlement, error) {
	t := e.UnderWay()
	var v Invalid
	if unused != UnusedCredit && unused != UnusedAbsorb {
		v.Add("unused", "settlement.unused")
	}
	if err := v.Err(); err != nil {
		return Settlement{}, err
	}
	if t == nil {
		return Settlement{}, Errorf(ECONFLICT, "settlement.nothing_under_way")
	}
	next := e.nextAfter(t)
	s.Unused, s.MilestoneID = unused, t.ID
	paidT := t.Paid
	if unused == UnusedAbsorb {
		s.ClosesAt, s.FreelancerKeeps, s.Credit = paidT, paidT, Money{0, e.Currency}
		s.Lines = append(s.Lines, SettlementLine{Key: "settlement.absorbed", Amount: paidT, Num: t.N, Title: t.Title})
		return s, nil
	}
	worked := t.Price.Percent(a.KillFeePercent)
	s.ClosesAt = worked
	s.Lines = append(s.Lines, SettlementLine{Key: "settlement.kill_fee", Amount: worked, Num: t.N, Title: t.Title, Pct: a.KillFeePercent},
		SettlementLine{Key: "settlement.paid_on", Amount: paidT, Num: t.N, Title: t.Title})
	if paidT.Amount <= worked.Amount {
		s.FreelancerKeeps, s.ClientOwes, s.Credit = paidT, worked.Sub(paidT), Money{0, e.Currency}
		return s, nil
	}
	s.FreelancerKeeps, s.Credit = worked, paidT.Sub(worked)
	if next == nil { // nothing to credit it to: it is refunded
		s.RefundDue, s.Credit = s.Credit, Money{0, e.Currency}
		return s, nil
	}
	s.Lines = append(s.Lines, SettlementLine{Key: "settlement.credit", Amount: s.Credit, Num: next.N, Title: next.Title})
	return s, nil
}

// nextAfter is the milestone after m, or nil.
func (e *Engagement) nextAfter(m *Milestone) *Milestone {
	for i := range e.Milestones {
		if e.Milestones[i].ID == m.ID && i+1 < len(e.Milestones) {
			return &e.Milestones[i+1]
		}
	}
	return nil
}

// Continue closes the milestone under way at what was worked on it and goes on with the next,
// settled by s (from SettleWith continue); the settlement is on the record.
func (e *Engagement) Continue(c Cmd, unused string) (Settlement, error) {
	s, err := e.SettleWith(SettleContinue, unused)
	if err != nil {
		return s, err
	}
	e.record(c, MilestoneClosedEarly{Settlement: s})
	return s, nil
}

// MilestoneClosedEarly closes the milestone under way at what was worked on it; its unused
// prepayment becomes credit on the next milestone, and the engagement goes on.
type MilestoneClosedEarly struct {
	Settlement Settlement `json:"settlement"`
}

func (MilestoneClosedEarly) EventType() string { return "milestone.closed_early" }
func (d MilestoneClosedEarly) apply(e *Engagement, _ Event) {
	s := d.Settlement
	m := e.Milestone(s.MilestoneID)
	if next := e.nextAfter(m); next != nil && s.Credit.Amount > 0 {
		next.Paid = next.Paid.Add(s.Credit)
	}
	m.Paid = m.Paid.Sub(s.Credit) // with no next milestone, what is beyond the price is a refund due
	m.Price, m.State, m.PaidChange, m.Cause = s.ClosesAt, MilestoneAccepted, nil, nil
	e.settle()
}

// Terminate ends the engagement early by option, with its settlement on the record. The
// originals of milestones paid in full stay released; the others stay locked.
// With continue it does not end the engagement: see Continue.
func (e *Engagement) Terminate(c Cmd, option, unused string) (Settlement, error) {
	if option == SettleContinue {
		return e.Continue(c, unused)
	}
	s, err := e.Settle(option)
	if err != nil {
		return s, err
	}
	e.record(c, EngagementTerminated{From: e.State, Settlement: s})
	return s, nil
}

// Refund is money sent back to the client.
type Refund struct {
	ID        string    `json:"id"`
	Amount    Money     `json:"amount"`
	Reference string    `json:"reference,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// RecordRefund records money sent back to the client: never more than it paid and was not yet
// refunded.
func (e *Engagement) RecordRefund(c Cmd, amount Money, reference string) (string, error) {
	if e.Accepted() == nil {
		return "", Errorf(ECONFLICT, "settlement.no_agreement", "state", string(e.State))
	}
	var v Invalid
	reference = v.Text("reference", reference, false, 200)
	if amount.Currency != e.Currency || amount.Amount <= 0 {
		v.Add("amount", "payment.amount", "currency", e.Currency)
	} else if left := e.Received(); amount.Amount > left.Amount {
		v.Add("amount", "refund.too_much", "left", left)
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	id := NewID("ref")
	e.record(c, RefundRecorded{Refund{ID: id, Amount: amount, Reference: reference}})
	return id, nil
}

// EngagementTerminated ends the engagement early, with what it came to.
type EngagementTerminated struct {
	From       EngagementState `json:"from"`
	Settlement Settlement      `json:"settlement"`
}

func (EngagementTerminated) EventType() string { return "engagement.terminated" }
func (d EngagementTerminated) apply(e *Engagement, _ Event) {
	e.State, e.PausedFrom = Terminated, ""
	s := d.Settlement
	e.Settlement = &s
}

// RefundRecorded records money sent back to the client.
type RefundRecorded struct {
	Refund
}

func (RefundRecorded) EventType() string { return "refund.recorded" }
func (d RefundRecorded) apply(e *Engagement, ev Event) {
	r := d.Refund
	r.At = ev.At
	e.Refunds = append(e.Refunds, r)
}

// SettlementOwed is what ending early left the client owing and not yet paid.
func (e *Engagement) SettlementOwed() Money {
	if e.Settlement == nil || e.State != Terminated {
		return Money{0, e.Currency}
	}
	owed := e.Settlement.ClientOwes
	for _, p := range e.Payments {
		if p.Settlement {
			owed = owed.Sub(p.Amount)
		}
	}
	return owed
}

// recordSettlementPayment records a payment of what ending early left the client owing.
func (e *Engagement) recordSettlementPayment(c Cmd, amount Money, reference string) (string, error) {
	var v Invalid
	reference = v.Text("reference", reference, false, 200)
	owed := e.SettlementOwed()
	if amount.Currency != e.Currency || amount.Amount <= 0 {
		v.Add("amount", "payment.amount", "currency", e.Currency)
	} else if amount.Amount > owed.Amount {
		v.Add("amount", "payment.settlement_overpaid", "open", owed)
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	id := NewID("pay")
	e.record(c, SettlementPaid{PaymentID: id, Amount: amount, Reference: reference})
	return id, nil
}

// SettlementPaid is a payment of what ending early left the client owing.
type SettlementPaid struct {
	PaymentID string `json:"payment_id"`
	Amount    Money  `json:"amount"`
	Reference string `json:"reference"`
}

func (SettlementPaid) EventType() string { return "settlement.paid" }
func (d SettlementPaid) apply(e *Engagement, ev Event) {
	e.Payments = append(e.Payments, Payment{ID: d.PaymentID, Amount: d.Amount, Reference: d.Reference, At: ev.At, Settlement: true})
}
