package accord

import (
	"fmt"
	"time"
)

// Invoice is an amount asked of the client, as a document that never changes once issued: a
// mistake is corrected by a credit note that cancels it. Its words (the lines' descriptions, the
// labels) are given in the reader's language when it is shown; what it holds are the facts.
type Invoice struct {
	ID     string `json:"id"`
	Number string `json:"number"` // prefix, year and a yearly sequence without gaps: INV-2026-0007
	Kind   string `json:"kind"`
	// MilestoneID is the milestone the invoice is for, if any.
	MilestoneID string        `json:"milestone_id,omitempty"`
	IssuedAt    time.Time     `json:"issued_at"`
	DueDate     Date          `json:"due_date"`
	Seller      Party         `json:"seller"`
	Buyer       Party         `json:"buyer"`
	Lines       []InvoiceLine `json:"lines"`
	// TaxRate is the tax in hundredths of a percent (2000 is 20 %); 0 when none is charged.
	TaxRate int `json:"tax_rate"`
	// TaxNote is what an invoice without tax says why (an exemption), as the freelancer wrote it.
	TaxNote string `json:"tax_note,omitempty"`
	// Gross is what the lines come to with tax, Net and Tax its two parts; Credited is what was
	// paid before and is taken off (the prepayment, on a balance invoice); Total is what is asked.
	Net      Money `json:"net"`
	Tax      Money `json:"tax"`
	Gross    Money `json:"gross"`
	Credited Money `json:"credited"`
	Total    Money `json:"total"`
	// PaymentDetails are where to pay (bank, IBAN); Reference is what the payment should name.
	PaymentDetails string `json:"payment_details,omitempty"`
	Reference      string `json:"reference"`
	// Corrects is the invoice a credit note cancels; CreditedBy the credit note that cancels this one.
	Corrects   string `json:"corrects,omitempty"`
	CreditedBy string `json:"credited_by,omitempty"`
}

// The kinds of invoice.
const (
	InvoicePrepayment = "prepayment"  // a milestone's prepayment
	InvoiceBalance    = "balance"     // the rest of a milestone's price, the prepayment credited
	InvoiceSettlement = "settlement"  // what ending the engagement early left the client owing
	InvoiceCreditNote = "credit_note" // cancels an invoice issued by mistake
)

// Party is the seller or the buyer as an invoice names them.
type Party struct {
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
	TaxID   string `json:"tax_id,omitempty"`
}

// InvoiceLine is one line of an invoice: what it is for, and its amount with tax.
type InvoiceLine struct {
	// Kind says what the line is, worded when shown: a milestone's prepayment or its price.
	Kind string `json:"kind"`
	// N and Title name the milestone; Percent is the prepayment's share.
	N       int    `json:"n,omitempty"`
	Title   string `json:"title,omitempty"`
	Percent int    `json:"percent,omitempty"`
	Amount  Money  `json:"amount"`
}

// The invoice states, as they stand at a moment.
const (
	InvoiceOpen     = "open"
	InvoicePaid     = "paid"
	InvoiceOverdue  = "overdue"
	InvoiceCanceled = "credited" // cancelled by a credit note
)

// SplitTax splits an amount that includes tax at rate (hundredths of a percent) into its net
// amount and its tax, rounding the net half up to the minor unit: the two always add up to
// gross, so what the client was asked for is exactly what the invoice totals.
func SplitTax(gross Money, rate int) (net, tax Money) {
	if rate <= 0 {
		return gross, Money{0, gross.Currency}
	}
	a, d := gross.Amount, int64(10000+rate)
	n := (2*a*10000 + d) / (2 * d) // round(a·10000/d), half up, for a ≥ 0
	if a < 0 {
		n = -((2*(-a)*10000 + d) / (2 * d))
	}
	return Money{n, gross.Currency}, Money{a - n, gross.Currency}
}

// MaxTaxRate is the highest tax rate a workspace may charge: 100 %.
const MaxTaxRate = 10000

// InvoiceDraft is what an invoice is made from before it has a number.
type InvoiceDraft struct {
	Seller, Buyer  Party
	TaxRate        int
	TaxNote        string
	PaymentDetails string
	// DueDays is how many days after its issue the invoice falls due.
	DueDays int
}

// InvoiceFor is the invoice of a milestone's prepayment or, once it is accepted, of its
// balance, if one is called for and not issued already (or was cancelled by a credit note). It
// has no number yet; IssueInvoice gives it one.
func (e *Engagement) InvoiceFor(c Cmd, milestoneID, kind string, d InvoiceDraft) *Invoice {
	m := e.Milestone(milestoneID)
	switch {
	case m == nil:
		return nil
	case kind == InvoicePrepayment && m.Prepayment.Amount <= 0:
		return nil
	case kind == InvoiceBalance && (m.State != MilestoneAccepted || m.Price.Sub(m.Paid).Amount <= 0):
		return nil
	case kind != InvoicePrepayment && kind != InvoiceBalance:
		return nil
	}
	for _, inv := range e.Invoices {
		if inv.MilestoneID == m.ID && inv.Kind == kind && inv.CreditedBy == "" {
			return nil
		}
	}
	inv := &Invoice{Kind: kind, MilestoneID: m.ID, IssuedAt: c.Now.UTC(), Seller: d.Seller, Buyer: d.Buyer,
		TaxRate: d.TaxRate, TaxNote: d.TaxNote, PaymentDetails: d.PaymentDetails, Credited: Money{0, m.Price.Currency}}
	inv.DueDate = c.Today().AddDays(max(d.DueDays, 0))
	if kind == InvoicePrepayment {
		pct := 0
		if a := e.Accepted(); a != nil && m.N-1 < len(a.Milestones) {
			pct = a.Milestones[m.N-1].PrepaymentPercent
		}
		inv.Lines = []InvoiceLine{{Kind: "prepayment", N: m.N, Title: m.Title, Percent: pct, Amount: m.Prepayment}}
	} else {
		inv.Lines = []InvoiceLine{{Kind: "milestone", N: m.N, Title: m.Title, Amount: m.Price.Sub(m.ChangesPrice)}}
		if m.ChangesPrice.Amount > 0 {
			inv.Lines = append(inv.Lines, InvoiceLine{Kind: "paid_changes", N: m.N, Title: m.Title, Amount: m.ChangesPrice})
		}
		inv.Credited = m.Paid
	}
	inv.Gross = Money{0, m.Price.Currency}
	for _, l := range inv.Lines {
		inv.Gross = inv.Gross.Add(l.Amount)
	}
	inv.Net, inv.Tax = SplitTax(inv.Gross, inv.TaxRate)
	inv.Total = inv.Gross.Sub(inv.Credited)
	return inv
}

// IssueInvoice puts an invoice on the record under the number the workspace's sequence gave it
// for the year (prefix-year-sequence) and the reference a payment should name.
func (e *Engagement) IssueInvoice(c Cmd, inv *Invoice, prefix string, year, seq int) error {
	if inv == nil || seq < 1 || year < 2000 {
		return Errorf(EINVALID, "invoice.number")
	}
	if prefix == "" {
		prefix = DefaultInvoicePrefix
	}
	out := *inv
	out.ID = NewID("inv")
	out.Number = fmt.Sprintf("%s-%d-%04d", prefix, year, seq)
	out.Reference = out.Number
	e.record(c, InvoiceIssued{Invoice: out})
	return nil
}

// SettlementInvoice is the invoice of what ending early left the client owing, if anything is
// owed and it is not invoiced already. It has no number yet; IssueInvoice gives it one.
func (e *Engagement) SettlementInvoice(c Cmd, d InvoiceDraft) *Invoice {
	if e.Settlement == nil || e.State != Terminated || e.Settlement.ClientOwes.Amount <= 0 {
		return nil
	}
	for _, inv := range e.Invoices {
		if inv.Kind == InvoiceSettlement && inv.CreditedBy == "" {
			return nil
		}
	}
	owes := e.Settlement.ClientOwes
	inv := &Invoice{Kind: InvoiceSettlement, IssuedAt: c.Now.UTC(), DueDate: c.Today().AddDays(max(d.DueDays, 0)),
		Seller: d.Seller, Buyer: d.Buyer, TaxRate: d.TaxRate, TaxNote: d.TaxNote, PaymentDetails: d.PaymentDetails,
		Lines: []InvoiceLine{{Kind: "settlement", Amount: owes}}, Gross: owes, Total: owes, Credited: Money{0, owes.Currency}}
	inv.Net, inv.Tax = SplitTax(owes, inv.TaxRate)
	return inv
}

// DefaultInvoicePrefix starts the numbers of a workspace that set none.
const DefaultInvoicePrefix = "INV"

// CreditNoteFor is the credit note that cancels an invoice issued by mistake, not yet numbered.
// It repeats the invoice's lines and amounts, which it takes back: they are shown as negative.
func (e *Engagement) CreditNoteFor(c Cmd, id string) (*Invoice, error) {
	orig := e.Invoice(id)
	if orig == nil {
		return nil, Errorf(ENOTFOUND, "invoice.not_found")
	}
	if orig.Kind == InvoiceCreditNote || orig.CreditedBy != "" {
		return nil, Errorf(ECONFLICT, "invoice.already_credited", "number", orig.Number)
	}
	cn := &Invoice{Kind: InvoiceCreditNote, MilestoneID: orig.MilestoneID, IssuedAt: c.Now.UTC(),
		DueDate: c.Today(), Seller: orig.Seller, Buyer: orig.Buyer, TaxRate: orig.TaxRate, TaxNote: orig.TaxNote,
		Corrects: orig.ID, Net: orig.Net, Tax: orig.Tax, Gross: orig.Gross, Credited: orig.Credited, Total: orig.Total}
	cn.Lines = append(cn.Lines, orig.Lines...)
	return cn, nil
}

// Invoice finds an invoice of the engagement by its id.
func (e *Engagement) Invoice(id string) *Invoice {
	for i := range e.Invoices {
		if e.Invoices[i].ID == id {
			return &e.Invoices[i]
		}
	}
	return nil
}

// InvoicePaid is how much of an invoice the client has paid: the milestone's payments go first
// to its prepayment, then to its balance.
func (e *Engagement) InvoicePaid(inv *Invoice) Money {
	paid := Money{0, inv.Total.Currency}
	if inv.Kind == InvoiceSettlement {
		for _, p := range e.Payments {
			if p.Settlement {
				paid = paid.Add(p.Amount)
			}
		}
		paid.Amount = min(paid.Amount, inv.Total.Amount)
		return paid
	}
	m := e.Milestone(inv.MilestoneID)
	if m == nil || inv.Kind == InvoiceCreditNote {
		return paid
	}
	got := m.Paid.Amount
	if inv.Kind == InvoiceBalance {
		got -= inv.Credited.Amount
	}
	paid.Amount = min(max(got, 0), inv.Total.Amount)
	return paid
}

// InvoiceState is where an invoice stands on day today: paid, overdue, open, or cancelled by a
// credit note (a credit note itself stands as paid: it asks for nothing).
func (e *Engagement) InvoiceState(inv *Invoice, today Date) string {
	switch {
	case inv.CreditedBy != "":
		return InvoiceCanceled
	case inv.Kind == InvoiceCreditNote || e.InvoicePaid(inv).Amount >= inv.Total.Amount:
		return InvoicePaid
	case today > inv.DueDate:
		return InvoiceOverdue
	}
	return InvoiceOpen
}

// InvoiceIssued puts an invoice on the record; a credit note cancels the invoice it corrects.
type InvoiceIssued struct {
	Invoice Invoice `json:"invoice"`
}

func (InvoiceIssued) EventType() string { return "invoice.issued" }
func (d InvoiceIssued) apply(e *Engagement, _ Event) {
	e.Invoices = append(e.Invoices, d.Invoice)
	if d.Invoice.Corrects != "" {
		if orig := e.Invoice(d.Invoice.Corrects); orig != nil {
			orig.CreditedBy = d.Invoice.ID
		}
	}
}
