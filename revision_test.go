package accord_test

import (
	"testing"

	"github.com/accordapp/accord"
)

// Each change request uses one of the agreed revisions; past them, the request is paid work the
// client accepts (price, new due date) before it starts, and declined, the delivery stands.
func TestRevisionsThenAPaidChange(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "1000.00", 50)) // 2 revisions
	e.RecordInvitation(fl(7), "bob@example.com", day(7))
	pay(t, e, 1, "500.00")
	m := &e.Milestones[0]
	mustOK(t, e.StartMilestone(fl(11), m.ID))
	sendBack := func(min int) string {
		t.Helper()
		id := deliver(t, e, 1)
		mustOK(t, e.RequestChanges(cl(min), id, "Too dark", "Brighter", 0))
		return id
	}
	for round := 1; round <= 2; round++ {
		sendBack(20 + round)
		if used, left := e.RevisionsUsed(m), e.RevisionsLeft(m); used != round || left != 2-round {
			t.Fatalf("after request %d: %d used, %d left", round, used, left)
		}
		mustOK(t, e.StartMilestone(fl(30+round), m.ID))
	}
	did := sendBack(40)
	if m.PaidChange == nil || e.RevisionsLeft(m) != 0 {
		t.Fatalf("a third request within two revisions: %+v", m.PaidChange)
	}
	checkErrCode(t, "rework before the paid change is accepted", e.StartMilestone(fl(41), m.ID), accord.ECONFLICT, "paid_change.pending")
	if w := e.Waiting(3); w.Step != accord.StepQuoteChange || w.Owner != accord.OwnerFreelancer {
		t.Fatalf("waiting for %s by %s, want the freelancer's quote", w.Step, w.Owner)
	}
	err := e.QuotePaidChange(fl(42), m.ID, eur("0.00"), accord.Date("2026-12-20"))
	checkErr(t, err, accord.EINVALID, "", "price=payment.amount")
	mustOK(t, e.QuotePaidChange(fl(43), m.ID, eur("200.00"), accord.Date("2026-12-20")))
	if w := e.Waiting(3); w.Step != accord.StepAcceptChange || w.Owner != accord.OwnerClient {
		t.Fatalf("waiting for %s by %s, want the client's answer", w.Step, w.Owner)
	}
	mustOK(t, e.AnswerPaidChange(cl(44), m.ID, false))
	if m.State != accord.MilestoneDelivered || e.Delivery(did).State != accord.DeliverySubmitted || m.PaidChange != nil || e.RevisionsUsed(m) != 2 {
		t.Fatalf("declined: milestone %s, delivery %s, change %+v", m.State, e.Delivery(did).State, m.PaidChange)
	}
	mustOK(t, e.RequestChanges(cl(45), did, "Still too dark", "Much brighter", 0))
	mustOK(t, e.QuotePaidChange(fl(46), m.ID, eur("200.00"), accord.Date("2026-12-20")))
	mustOK(t, e.AnswerPaidChange(cl(47), m.ID, true))
	if m.Price != eur("1200.00") || m.DueDate != "2026-12-20" || m.PaidChange != nil {
		t.Fatalf("accepted: price %v, due %s, change %+v", m.Price, m.DueDate, m.PaidChange)
	}
	mustOK(t, e.StartMilestone(fl(48), m.ID))
	// Its balance invoice shows the paid change as a line of its own beside the agreed price.
	mustOK(t, e.AcceptDelivery(cl(60), deliver(t, e, 1)))
	bal := e.InvoiceFor(fl(61), m.ID, accord.InvoiceBalance, accord.InvoiceDraft{})
	if bal == nil || len(bal.Lines) != 2 || bal.Lines[0].Amount != eur("1000.00") || bal.Lines[1].Kind != "paid_changes" ||
		bal.Lines[1].Amount != eur("200.00") || bal.Gross != eur("1200.00") || bal.Total != eur("700.00") {
		t.Fatalf("the balance invoice after a paid change: %+v", bal)
	}
	checkErrCode(t, "answering twice", e.AnswerPaidChange(cl(49), m.ID, true), accord.ECONFLICT, "paid_change.not_quoted")
	if got := accord.Replay(e.Uncommitted()); jsonOf(t, got) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement")
	}
}
