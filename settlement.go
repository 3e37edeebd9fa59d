package accord

// The ways to end an engagement early, as API.md names them.
const (
	// SettleKillFee: the freelancer earns the accepted milestones and the kill fee share of the
	// one under way; what was paid beyond that is refunded, what is short is owed.
	SettleKillFee = "kill_fee"
	// SettleKeepPrepayment: the client leaves what it paid; nothing is due either way.
	SettleKeepPrepayment = "keep_prepayment"
)

// Settlement is what ending an engagement early comes to, with the computation line by line.
type Settlement struct {
	Option          string           `json:"option"`
	FreelancerKeeps Money            `json:"freelancer_keeps"`
	RefundDue       Money            `json:"refund_due"`
	ClientOwes      Money            `json:"client_owes"`
	Lines           []SettlementLine `json:"lines"`
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
func (e *Engagement) Settle(option string) (Settlement, error) {
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
	default:
		var v Invalid
		v.Add("option", "settlement.option")
		return Settlement{}, v.Err()
	}
	return s, nil
}

// Terminate ends the engagement early by option, with its settlement on the record. The
// originals of milestones paid in full stay released; the others stay locked.
func (e *Engagement) Terminate(c Cmd, option string) (Settlement, error) {
	s, err := e.Settle(option)
	if err != nil {
		return s, err
	}
	e.record(c, EngagementTerminated{From: e.State, Settlement: s})
	return s, nil
}

// Refund is money sent back to the client.
type Refund struct {
	ID        string `json:"id"`
	Amount    Money  `json:"amount"`
	Reference string `json:"reference,omitempty"`
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
func (d RefundRecorded) apply(e *Engagement, _ Event) {
	e.Refunds = append(e.Refunds, d.Refund)
}
