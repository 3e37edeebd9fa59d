package accord

// RevisionsUsed is how many of the agreed revision rounds a milestone's change requests used.
func (e *Engagement) RevisionsUsed(m *Milestone) int {
	a := e.Accepted()
	if a == nil {
		return 0
	}
	return min(m.ChangesRequested, a.Revisions)
}

// RevisionsLeft is how many agreed revision rounds a milestone has left.
func (e *Engagement) RevisionsLeft(m *Milestone) int {
	a := e.Accepted()
	if a == nil {
		return 0
	}
	return max(0, a.Revisions-m.ChangesRequested)
}

// PaidChange is a change asked for beyond the agreed revisions: paid work the client accepts,
// price and new due date, before it starts.
type PaidChange struct {
	State   string `json:"state"` // requested, quoted
	Price   Money  `json:"price,omitzero"`
	DueDate Date   `json:"due_date,omitempty"`
}

// The states of a paid change.
const (
	ChangeRequested = "requested" // the freelancer owes a quote
	ChangeQuoted    = "quoted"    // the client owes an answer
)

// QuotePaidChange prices a change asked for beyond the revisions, with its new due date.
func (e *Engagement) QuotePaidChange(c Cmd, milestoneID string, price Money, due Date) error {
	m := e.Milestone(milestoneID)
	if m == nil {
		return Errorf(ENOTFOUND, "milestone.not_found")
	}
	if m.PaidChange == nil || m.State != MilestoneChangesRequested {
		return Errorf(ECONFLICT, "paid_change.none", "num", m.N)
	}
	var v Invalid
	if price.Currency != e.Currency || price.Amount <= 0 {
		v.Add("price", "payment.amount", "currency", e.Currency)
	}
	if _, ok := due.Time(); !ok {
		v.Add("due_date", "field.date")
	} else if due < c.Today() {
		v.Add("due_date", "agreement.date_past", "today", c.Today())
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, PaidChangeQuoted{MilestoneID: m.ID, Price: price, DueDate: due})
	return nil
}

// AnswerPaidChange is the client's answer to a quoted paid change: accepted, the milestone's
// price grows by it and its due date moves, and the rework may start; declined, the delivery
// stands for review as it was.
func (e *Engagement) AnswerPaidChange(c Cmd, milestoneID string, accept bool) error {
	m := e.Milestone(milestoneID)
	if m == nil {
		return Errorf(ENOTFOUND, "milestone.not_found")
	}
	if m.PaidChange == nil || m.PaidChange.State != ChangeQuoted {
		return Errorf(ECONFLICT, "paid_change.not_quoted", "num", m.N)
	}
	if accept {
		e.record(c, PaidChangeAccepted{MilestoneID: m.ID, Price: m.PaidChange.Price, DueDate: m.PaidChange.DueDate, From: m.DueDate})
		return nil
	}
	d := e.lastDelivery(m.ID)
	if d == nil {
		return Errorf(ENOTFOUND, "delivery.not_found")
	}
	e.record(c, PaidChangeDeclined{MilestoneID: m.ID, DeliveryID: d.ID})
	return nil
}

// PaidChangeQuoted prices a change beyond the revisions.
type PaidChangeQuoted struct {
	MilestoneID string `json:"milestone_id"`
	Price       Money  `json:"price"`
	DueDate     Date   `json:"due_date"`
}

func (PaidChangeQuoted) EventType() string { return "paid_change.quoted" }
func (d PaidChangeQuoted) apply(e *Engagement, _ Event) {
	m := e.Milestone(d.MilestoneID)
	m.PaidChange = &PaidChange{State: ChangeQuoted, Price: d.Price, DueDate: d.DueDate}
}

// PaidChangeAccepted is the client's yes to a paid change: the price grows, the date moves.
type PaidChangeAccepted struct {
	MilestoneID string `json:"milestone_id"`
	Price       Money  `json:"price"`
	DueDate     Date   `json:"due_date"`
	From        Date   `json:"from"`
}

func (PaidChangeAccepted) EventType() string { return "paid_change.accepted" }
func (d PaidChangeAccepted) apply(e *Engagement, _ Event) {
	m := e.Milestone(d.MilestoneID)
	m.Price, m.DueDate, m.PaidChange = m.Price.Add(d.Price), d.DueDate, nil
	m.ChangesPrice = m.ChangesPrice.Add(d.Price)
	m.ChangesPrice.Currency = d.Price.Currency
}

// PaidChangeDeclined is the client's no to a paid change: the delivery stands for review.
type PaidChangeDeclined struct {
	MilestoneID string `json:"milestone_id"`
	DeliveryID  string `json:"delivery_id"`
}

func (PaidChangeDeclined) EventType() string { return "paid_change.declined" }
func (d PaidChangeDeclined) apply(e *Engagement, _ Event) {
	m := e.Milestone(d.MilestoneID)
	m.State, m.PaidChange = MilestoneDelivered, nil
	m.ChangesRequested-- // the request beyond the revisions did not happen
	if dl := e.Delivery(d.DeliveryID); dl != nil {
		dl.State, dl.WhatIsWrong, dl.DesiredResult = DeliverySubmitted, "", ""
	}
}
