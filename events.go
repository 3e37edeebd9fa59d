package accord

import (
	"slices"
	"time"
)

func init() {
	register(
		func() EventData { return &EngagementCreated{} },
		func() EventData { return &FileDownloaded{} },
		func() EventData { return &PreviewMade{} },
		func() EventData { return &CommentPinned{} },
		func() EventData { return &CommentAnswered{} },
		func() EventData { return &InvoiceIssued{} },
		func() EventData { return &SettlementPaid{} },
		func() EventData { return &BriefWritten{} },
		func() EventData { return &BriefSentToClient{} },
		func() EventData { return &BriefAnswered{} },
		func() EventData { return &AgreementWritten{} },
		func() EventData { return &AgreementProposed{} },
		func() EventData { return &AgreementAccepted{} },
		func() EventData { return &AgreementDeclined{} },
		func() EventData { return &InfoRequested{} },
		func() EventData { return &InfoAnswered{} },
		func() EventData { return &EngagementPaused{} },
		func() EventData { return &EngagementResumed{} },
		func() EventData { return &ClientNudged{} },
		func() EventData { return &ReportDrafted{} },
		func() EventData { return &EngagementTerminated{} },
		func() EventData { return &PaidChangeQuoted{} },
		func() EventData { return &PaidChangeAccepted{} },
		func() EventData { return &PaidChangeDeclined{} },
		func() EventData { return &CauseClassified{} },
		func() EventData { return &OptionChosen{} },
		func() EventData { return &RetrospectiveWritten{} },
		func() EventData { return &RefundRecorded{} },
		func() EventData { return &MilestoneClosedEarly{} },
		func() EventData { return &PaymentRecorded{} },
		func() EventData { return &MilestoneStarted{} },
		func() EventData { return &DeliverySubmittedEvent{} },
		func() EventData { return &DeliveryAcceptedEvent{} },
		func() EventData { return &ChangesRequested{} },
		func() EventData { return &MessageSent{} },
		func() EventData { return &MessageReleased{} },
		func() EventData { return &MessageEdited{} },
		func() EventData { return &MessageCancelled{} },
		func() EventData { return &MessageDue{} },
		func() EventData { return &ClientInvited{} },
		func() EventData { return &PortalOpened{} },
		func() EventData { return &CallSummaryWritten{} },
		func() EventData { return &CallSummaryAnswered{} },
	)
}

// EngagementCreated opens an engagement in draft.
type EngagementCreated struct {
	ClientID string `json:"client_id"`
	Title    string `json:"title"`
	Currency string `json:"currency"`
}

func (EngagementCreated) EventType() string { return "engagement.created" }
func (d EngagementCreated) apply(e *Engagement, _ Event) {
	e.ClientID, e.Title, e.Currency, e.State = d.ClientID, d.Title, d.Currency, Draft
}

// BriefWritten sets the brief's questions.
type BriefWritten struct {
	Questions []Question `json:"questions"`
}

func (BriefWritten) EventType() string              { return "brief.written" }
func (d BriefWritten) apply(e *Engagement, _ Event) { e.Brief.Questions = d.Questions }

// BriefSentToClient asks the client for answers.
type BriefSentToClient struct{}

func (BriefSentToClient) EventType() string { return "brief.sent" }
func (BriefSentToClient) apply(e *Engagement, ev Event) {
	e.State, e.Brief.SentAt = BriefSent, ev.At
}

// BriefAnswered holds the client's answers.
type BriefAnswered struct {
	Answers map[string]string `json:"answers"`
}

func (BriefAnswered) EventType() string { return "brief.answered" }
func (d BriefAnswered) apply(e *Engagement, ev Event) {
	e.Brief.Answers, e.Brief.AnsweredAt, e.State = d.Answers, ev.At, BriefReceived
}

// AgreementWritten adds a version of the agreement, terms and all.
type AgreementWritten struct {
	Agreement Agreement `json:"agreement"`
}

func (AgreementWritten) EventType() string { return "agreement.written" }
func (d AgreementWritten) apply(e *Engagement, _ Event) {
	for i := range e.Agreements {
		if e.Agreements[i].State != "accepted" {
			e.Agreements[i].State = "superseded"
		}
	}
	a := d.Agreement
	a.State = "written"
	e.Agreements = append(e.Agreements, a)
	if e.State == Proposed {
		e.State = BriefReceived
	}
}

// AgreementProposed sends a version to the client.
type AgreementProposed struct {
	Version int `json:"version"`
}

func (AgreementProposed) EventType() string { return "agreement.proposed" }
func (d AgreementProposed) apply(e *Engagement, _ Event) {
	e.Agreement(d.Version).State = "proposed"
	if e.Accepted() == nil { // an amendment leaves the engagement where it is
		e.State = Proposed
	}
}

// AgreementAccepted is the client's acceptance, each key term acknowledged; the milestones begin.
type AgreementAccepted struct {
	Version           int      `json:"version"`
	AcknowledgedTerms []string `json:"acknowledged_terms"`
	MilestoneIDs      []string `json:"milestone_ids"`
	// Terms are the exact words acknowledged, in the language they were shown in.
	Terms    []Term `json:"terms,omitempty"`
	Language string `json:"language,omitempty"`
}

func (AgreementAccepted) EventType() string { return "agreement.accepted" }
func (d AgreementAccepted) apply(e *Engagement, _ Event) {
	if old := e.Accepted(); old != nil { // an amendment: the new version holds from now on
		old.State = "superseded"
	} else {
		e.State = Agreed
	}
	a := e.Agreement(d.Version)
	a.State = "accepted"
	was := e.Milestones
	e.Milestones = nil
	for i, p := range a.Milestones {
		m := Milestone{ID: d.MilestoneIDs[i], Paid: Money{0, p.Price.Currency}, State: MilestonePending}
		if i < len(was) && was[i].ID == m.ID {
			m = was[i] // under way: its state, money and history stay
		}
		m.N, m.Title, m.DueDate, m.Price, m.Prepayment = i+1, p.Title, p.DueDate, p.Price, p.Price.Percent(p.PrepaymentPercent)
		e.Milestones = append(e.Milestones, m)
	}
	e.settle()
}

// AgreementDeclined is the client's no to an amendment; the accepted version holds.
type AgreementDeclined struct {
	Version int `json:"version"`
}

func (AgreementDeclined) EventType() string { return "agreement.declined" }
func (d AgreementDeclined) apply(e *Engagement, _ Event) {
	e.Agreement(d.Version).State = "declined"
}

// PaymentRecorded is money received for a milestone.
type PaymentRecorded struct {
	PaymentID   string `json:"payment_id"`
	MilestoneID string `json:"milestone_id"`
	Amount      Money  `json:"amount"`
	Reference   string `json:"reference"`
}

func (PaymentRecorded) EventType() string { return "payment.recorded" }
func (d PaymentRecorded) apply(e *Engagement, ev Event) {
	e.Payments = append(e.Payments, Payment{ID: d.PaymentID, MilestoneID: d.MilestoneID, Amount: d.Amount, Reference: d.Reference, At: ev.At})
	m := e.Milestone(d.MilestoneID)
	m.Paid = m.Paid.Add(d.Amount)
	e.settle()
}

// MilestoneStarted begins (or, after changes were requested, resumes) work on a milestone.
type MilestoneStarted struct {
	MilestoneID string `json:"milestone_id"`
	Rework      bool   `json:"rework,omitempty"`
}

func (MilestoneStarted) EventType() string { return "milestone.started" }
func (d MilestoneStarted) apply(e *Engagement, _ Event) {
	e.Milestone(d.MilestoneID).State = MilestoneInProgress
	if e.State == Agreed {
		e.State = Active
	}
}

// DeliverySubmittedEvent hands over files for review.
type DeliverySubmittedEvent struct {
	DeliveryID  string `json:"delivery_id"`
	MilestoneID string `json:"milestone_id"`
	Note        string `json:"note"`
	Files       []File `json:"files"`
}

func (DeliverySubmittedEvent) EventType() string { return "delivery.submitted" }
func (d DeliverySubmittedEvent) apply(e *Engagement, ev Event) {
	e.Deliveries = append(e.Deliveries, Delivery{ID: d.DeliveryID, MilestoneID: d.MilestoneID,
		Note: d.Note, State: DeliverySubmitted, Files: d.Files, At: ev.At})
	e.Milestone(d.MilestoneID).State = MilestoneDelivered
}

// DeliveryAcceptedEvent is the client's acceptance of a delivery.
type DeliveryAcceptedEvent struct {
	DeliveryID  string `json:"delivery_id"`
	MilestoneID string `json:"milestone_id"`
}

func (DeliveryAcceptedEvent) EventType() string { return "delivery.accepted" }
func (d DeliveryAcceptedEvent) apply(e *Engagement, _ Event) {
	e.Delivery(d.DeliveryID).State = DeliveryAccepted
	e.Milestone(d.MilestoneID).State = MilestoneAccepted
	e.settle()
}

// ChangesRequested sends a delivery back with what is wrong and what would satisfy.
type ChangesRequested struct {
	DeliveryID      string    `json:"delivery_id"`
	MilestoneID     string    `json:"milestone_id"`
	WhatIsWrong     string    `json:"what_is_wrong"`
	DesiredResult   string    `json:"desired_result"`
	CoolingOffUntil time.Time `json:"cooling_off_until"`
}

func (ChangesRequested) EventType() string { return "delivery.changes_requested" }
func (d ChangesRequested) apply(e *Engagement, _ Event) {
	dl := e.Delivery(d.DeliveryID)
	dl.State, dl.WhatIsWrong, dl.DesiredResult = DeliveryChangesRequested, d.WhatIsWrong, d.DesiredResult
	m := e.Milestone(d.MilestoneID)
	if a := e.Accepted(); a != nil && m.ChangesRequested >= a.Revisions {
		m.PaidChange = &PaidChange{State: ChangeRequested} // beyond the revisions: paid work
	}
	m.State, m.Cause = MilestoneChangesRequested, nil
	m.ChangesRequested++
	e.CoolingOffUntil = d.CoolingOffUntil
}

// MessageSent puts a message on the record.
type MessageSent struct {
	MessageID string    `json:"message_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	SendAt    time.Time `json:"send_at"`
	Channel   string    `json:"channel"`
	Files     []File    `json:"files,omitempty"`
	Email     string    `json:"email,omitempty"` // SHA-256 of the raw email it came in
}

func (MessageSent) EventType() string { return "message.sent" }
func (d MessageSent) apply(e *Engagement, ev Event) {
	if d.SendAt.After(ev.At) {
		e.Holding = append(e.Holding, d.MessageID)
	}
	if d.Channel == ReportChannel { // a report sent, by hand or as drafted, ends the wait for one
		e.ReportedAt, e.Report = ev.At, nil
	}
}

// ReportChannel is the channel of a message that is a status report.
const ReportChannel = "report"

// MessageReleased ends a cooling-off hold early, at the freelancer's word.
type MessageReleased struct {
	MessageID string    `json:"message_id"`
	HeldUntil time.Time `json:"held_until"`
}

func (MessageReleased) EventType() string              { return "message.released" }
func (d MessageReleased) apply(e *Engagement, _ Event) { e.release(d.MessageID) }

// MessageEdited changes a held message's text before it goes.
type MessageEdited struct {
	MessageID string `json:"message_id"`
	Body      string `json:"body"`
}

func (MessageEdited) EventType() string        { return "message.edited" }
func (MessageEdited) apply(*Engagement, Event) {}

// MessageCancelled withdraws a held message; the client never gets it.
type MessageCancelled struct {
	MessageID string `json:"message_id"`
}

func (MessageCancelled) EventType() string              { return "message.cancelled" }
func (d MessageCancelled) apply(e *Engagement, _ Event) { e.release(d.MessageID) }

// MessageDue notes that a held message's time came and it went to the client.
type MessageDue struct {
	MessageID string `json:"message_id"`
}

func (MessageDue) EventType() string              { return "message.due" }
func (d MessageDue) apply(e *Engagement, _ Event) { e.release(d.MessageID) }

// release forgets a message among those held back.
func (e *Engagement) release(id string) {
	e.Holding = slices.DeleteFunc(e.Holding, func(h string) bool { return h == id })
}

// ClientInvited records a portal invitation (the token itself is never on the record).
type ClientInvited struct {
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (ClientInvited) EventType() string { return "client.invited" }
func (d ClientInvited) apply(e *Engagement, _ Event) {
	if !slices.Contains(e.Contacts, d.Email) {
		e.Contacts = append(e.Contacts, d.Email)
	}
}

// PortalOpened records that a client contact opened the portal with an invitation.
type PortalOpened struct{}

func (PortalOpened) EventType() string        { return "portal.opened" }
func (PortalOpened) apply(*Engagement, Event) {}
