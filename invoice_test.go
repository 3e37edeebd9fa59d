package accord_test

import (
	"math/rand/v2"
	"testing"

	"github.com/accordapp/accord"
)

// The tax split of any amount, at any rate, in currencies of 0, 2 and 3 minor digits: net and
// tax add up to the gross exactly, neither has the other's sign, and the tax is the rate of the
// net to within half a minor unit of the gross's rounding.
func TestSplitTaxProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, cur := range []string{"JPY", "EUR", "KWD"} {
		for range 20000 {
			gross := accord.Money{Amount: r.Int64N(1e12) - 1e11, Currency: cur}
			rate := r.IntN(accord.MaxTaxRate + 1)
			net, tax := accord.SplitTax(gross, rate)
			if net.Add(tax) != gross || net.Currency != cur || tax.Currency != cur {
				t.Fatalf("%v at %d: %v + %v", gross, rate, net, tax)
			}
			if gross.Amount >= 0 && (net.Amount < 0 || tax.Amount < 0) || gross.Amount < 0 && (net.Amount > 0 || tax.Amount > 0) {
				t.Fatalf("%v at %d: %v + %v change sign", gross, rate, net, tax)
			}
			// |tax − net·rate| ≤ half of (1 + rate) minor units, in hundredths of a percent.
			if d := tax.Amount*10000 - net.Amount*int64(rate); 2*abs(d) > 10000+int64(rate) {
				t.Fatalf("%v at %d: tax %v is not the rate of the net %v", gross, rate, tax, net)
			}
		}
	}
	if net, tax := accord.SplitTax(accord.Money{Amount: 12000, Currency: "EUR"}, 2000); net.Amount != 10000 || tax.Amount != 2000 {
		t.Errorf("120.00 at 20 %%: %v + %v", net, tax)
	}
	if net, tax := accord.SplitTax(accord.Money{Amount: 12000, Currency: "EUR"}, 0); net.Amount != 12000 || tax.Amount != 0 {
		t.Errorf("no tax: %v + %v", net, tax)
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

var invDraft = accord.InvoiceDraft{Seller: accord.Party{Name: "Studio Nord", Address: "1 Vitosha Blvd, Sofia", TaxID: "BG123456789"},
	Buyer: accord.Party{Name: "Café Nord"}, TaxRate: 2000, PaymentDetails: "IBAN BG80 BNBG 9661 1020 3456 78", DueDays: 7}

// A milestone's prepayment is invoiced once when it is asked for; the balance once the work is
// accepted, the prepayment paid credited; each is paid by the milestone's payments in turn.
func TestInvoicesFollowTheMilestone(t *testing.T) {
	e := agreed(t)
	c := fl(7)
	inv := e.InvoiceFor(c, e.Milestones[0].ID, accord.InvoicePrepayment, invDraft)
	if inv == nil || inv.Kind != accord.InvoicePrepayment || inv.Total != eur("500.00") || inv.Gross != eur("500.00") ||
		inv.Net.Add(inv.Tax) != inv.Gross || inv.Tax.Amount == 0 || inv.Lines[0].Percent != 50 || inv.DueDate != c.Today().AddDays(7) {
		t.Fatalf("the prepayment invoice: %+v", inv)
	}
	mustOK(t, e.IssueInvoice(c, inv, "SN", 2026, 7))
	got := e.Invoices[0]
	if got.Number != "SN-2026-0007" || got.Reference != got.Number || got.ID == "" {
		t.Fatalf("issued as %q, reference %q", got.Number, got.Reference)
	}
	if again := e.InvoiceFor(fl(8), e.Milestones[0].ID, accord.InvoicePrepayment, invDraft); again != nil {
		t.Fatalf("the prepayment was invoiced twice: %+v", again)
	}
	today := c.Today()
	if s := e.InvoiceState(&got, today); s != accord.InvoiceOpen {
		t.Errorf("unpaid, not due: %s", s)
	}
	if s := e.InvoiceState(&got, today.AddDays(8)); s != accord.InvoiceOverdue {
		t.Errorf("unpaid, past due: %s", s)
	}
	pay(t, e, 1, "200.00")
	if p := e.InvoicePaid(&e.Invoices[0]); p != eur("200.00") {
		t.Errorf("partly paid: %v", p)
	}
	pay(t, e, 1, "300.00")
	if s := e.InvoiceState(&e.Invoices[0], today.AddDays(30)); s != accord.InvoicePaid {
		t.Errorf("paid: %s", s)
	}

	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	did := deliver(t, e, 1)
	mustOK(t, e.AcceptDelivery(cl(30), did))
	if early := e.InvoiceFor(fl(12), e.Milestones[1].ID, accord.InvoiceBalance, invDraft); early != nil {
		t.Fatalf("a milestone not accepted got a balance invoice: %+v", early)
	}
	bal := e.InvoiceFor(fl(31), e.Milestones[0].ID, accord.InvoiceBalance, invDraft)
	if bal == nil || bal.Kind != accord.InvoiceBalance || bal.Gross != eur("1000.00") || bal.Credited != eur("500.00") || bal.Total != eur("500.00") {
		t.Fatalf("the balance invoice: %+v", bal)
	}
	mustOK(t, e.IssueInvoice(fl(31), bal, "", 2026, 8))
	b := &e.Invoices[1]
	if b.Number != "INV-2026-0008" || e.InvoicePaid(b).Amount != 0 {
		t.Fatalf("the balance invoice issued: %s, paid %v", b.Number, e.InvoicePaid(b))
	}
	pay(t, e, 1, "500.00")
	if e.InvoicePaid(b) != eur("500.00") || e.InvoiceState(b, today) != accord.InvoicePaid {
		t.Errorf("the balance paid: %v %s", e.InvoicePaid(b), e.InvoiceState(b, today))
	}
	if r := replay(t, e); len(r.Invoices) != 2 || r.Invoices[1].Number != "INV-2026-0008" {
		t.Fatalf("replayed invoices: %+v", r.Invoices)
	}
}

// An issued invoice is never changed: a credit note cancels it, once, and the amount can be
// invoiced anew.
func TestCreditNoteCancelsAnInvoice(t *testing.T) {
	e := agreed(t)
	inv := e.InvoiceFor(fl(7), e.Milestones[0].ID, accord.InvoicePrepayment, invDraft)
	mustOK(t, e.IssueInvoice(fl(7), inv, "INV", 2026, 1))
	id := e.Invoices[0].ID
	cn, err := e.CreditNoteFor(fl(8), id)
	mustOK(t, err)
	if cn.Kind != accord.InvoiceCreditNote || cn.Total != eur("500.00") || cn.Lines[0].Amount != eur("500.00") || cn.Corrects != id {
		t.Fatalf("the credit note: %+v", cn)
	}
	mustOK(t, e.IssueInvoice(fl(8), cn, "INV", 2026, 2))
	if e.Invoices[0].CreditedBy != e.Invoices[1].ID || e.InvoiceState(&e.Invoices[0], fl(8).Today()) != accord.InvoiceCanceled {
		t.Fatalf("the invoice after its credit note: %+v", e.Invoices[0])
	}
	if _, err := e.CreditNoteFor(fl(9), id); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Errorf("a second credit note: %v", err)
	}
	if _, err := e.CreditNoteFor(fl(9), e.Invoices[1].ID); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Errorf("a credit note of a credit note: %v", err)
	}
	if _, err := e.CreditNoteFor(fl(9), "inv_unknown"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an unknown invoice: %v", err)
	}
	if again := e.InvoiceFor(fl(9), e.Milestones[0].ID, accord.InvoicePrepayment, invDraft); again == nil || again.Total != eur("500.00") {
		t.Errorf("the prepayment cannot be invoiced anew after its credit note: %+v", again)
	}
	if err := e.IssueInvoice(fl(9), nil, "INV", 2026, 3); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("no invoice: %v", err)
	}
	replay(t, e)
}

// Ending early with money owed: the settlement is invoiced once, paid by payments that go to it
// (the engagement has ended), never beyond what is owed.
func TestSettlementInvoice(t *testing.T) {
	e := agreed(t)
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	mustOK(t, e.AcceptDelivery(cl(30), deliver(t, e, 1)))
	if inv := e.SettlementInvoice(fl(31), invDraft); inv != nil {
		t.Fatalf("a settlement invoice before the end: %+v", inv)
	}
	s, err := e.Terminate(fl(32), accord.SettleKillFee, "")
	mustOK(t, err)
	if s.ClientOwes != eur("500.00") {
		t.Fatalf("the settlement: %+v", s)
	}
	inv := e.SettlementInvoice(fl(33), invDraft)
	if inv == nil || inv.Kind != accord.InvoiceSettlement || inv.Total != eur("500.00") || inv.Net.Add(inv.Tax) != inv.Gross {
		t.Fatalf("the settlement invoice: %+v", inv)
	}
	mustOK(t, e.IssueInvoice(fl(33), inv, "INV", 2026, 9))
	if again := e.SettlementInvoice(fl(34), invDraft); again != nil {
		t.Fatal("the settlement was invoiced twice")
	}
	si := &e.Invoices[len(e.Invoices)-1]
	_, err = e.RecordPayment(fl(35), "", eur("500.01"), "")
	checkErr(t, err, accord.EINVALID, "", "amount=payment.settlement_overpaid")
	_, err = e.RecordPayment(fl(35), "", eur("200.00"), "SEPA 9")
	mustOK(t, err)
	if e.InvoicePaid(si) != eur("200.00") || e.SettlementOwed() != eur("300.00") || e.Milestones[0].Paid != eur("500.00") {
		t.Fatalf("after a part: paid %v, owed %v, milestone paid %v", e.InvoicePaid(si), e.SettlementOwed(), e.Milestones[0].Paid)
	}
	_, err = e.RecordPayment(fl(36), "", eur("300.00"), "")
	mustOK(t, err)
	if e.InvoiceState(si, fl(36).Today()) != accord.InvoicePaid || e.SettlementOwed().Amount != 0 {
		t.Fatalf("paid in full: %s, owed %v", e.InvoiceState(si, fl(36).Today()), e.SettlementOwed())
	}
	_, err = e.RecordPayment(fl(37), "", eur("1.00"), "")
	checkErr(t, err, accord.ECONFLICT, "payment.closed")
	replay(t, e)
}
