package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// InvoiceDoc is an invoice worded for one reader: every label, line and amount in their
// language and money format, the same for its page and its PDF.
type InvoiceDoc struct {
	ID, Number, Kind string
	Title            string
	State            string // open, paid, overdue, credited
	StateText        string
	Meta             []Field
	FromLabel        string
	ToLabel          string
	From, To         PartyDoc
	Columns          [4]string
	Lines            []LineDoc
	Totals           []TotalDoc
	PaymentLabel     string
	Payment          []Field
	Notes            []string
	Footer           string
	Lang             string
	Paid, Total      accord.Money
}

// Field is one labelled value of a document.
type Field struct{ Label, Value string }

// PartyDoc is a party of an invoice as printed: its name and its lines (address, tax id).
type PartyDoc struct {
	Name  string
	Lines []string
}

// LineDoc is one line of an invoice as printed.
type LineDoc struct{ Description, Quantity, UnitPrice, Amount string }

// TotalDoc is one total as printed; Strong is the amount that is asked.
type TotalDoc struct {
	Label, Amount string
	Strong        bool
}

// InvoiceDoc words an invoice of the engagement for a reader, its state as of today.
func (a *App) InvoiceDoc(l i18n.Locale, e *accord.Engagement, inv *accord.Invoice, today accord.Date) InvoiceDoc {
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	money := func(m accord.Money) string { return i18n.FormatMoney(l.Lang, m) }
	credit := inv.Kind == accord.InvoiceCreditNote
	signed := func(m accord.Money) string {
		if credit && m.Amount != 0 {
			return "−" + money(m)
		}
		return money(m)
	}
	d := InvoiceDoc{ID: inv.ID, Number: inv.Number, Kind: inv.Kind, Lang: l.Lang, Total: inv.Total, Paid: e.InvoicePaid(inv),
		FromLabel: t("invoice.from"), ToLabel: t("invoice.to"), PaymentLabel: t("invoice.payment")}
	d.Title = t("invoice.title."+inv.Kind, "number", inv.Number)
	d.State = e.InvoiceState(inv, today)
	d.StateText = t("invoice.state."+d.State, "paid", money(d.Paid), "total", money(inv.Total))
	d.Meta = []Field{{t("invoice.meta.issued"), i18n.FormatDate(l.Lang, accord.Date(inv.IssuedAt.In(l.Zone).Format("2006-01-02")))}}
	if !credit {
		d.Meta = append(d.Meta, Field{t("invoice.meta.due"), i18n.FormatDate(l.Lang, inv.DueDate)})
	}
	d.Meta = append(d.Meta, Field{t("invoice.meta.engagement"), e.Title})
	d.From, d.To = a.partyDoc(l, inv.Seller), a.partyDoc(l, inv.Buyer)
	d.Columns = [4]string{t("invoice.col.description"), t("invoice.col.quantity"), t("invoice.col.unit_price"), t("invoice.col.amount")}
	for _, line := range inv.Lines {
		d.Lines = append(d.Lines, LineDoc{Description: t("invoice.line."+line.Kind, "n", line.N, "title", line.Title, "percent", line.Percent),
			Quantity: "1", UnitPrice: signed(line.Amount), Amount: signed(line.Amount)})
	}
	if inv.TaxRate > 0 {
		d.Totals = append(d.Totals, TotalDoc{Label: t("invoice.total.net"), Amount: signed(inv.Net)},
			TotalDoc{Label: t("invoice.total.tax", "rate", RateText(l.Lang, inv.TaxRate)), Amount: signed(inv.Tax)})
	}
	d.Totals = append(d.Totals, TotalDoc{Label: t("invoice.total.gross"), Amount: signed(inv.Gross), Strong: inv.Credited.Amount == 0})
	if inv.Credited.Amount != 0 {
		d.Totals = append(d.Totals, TotalDoc{Label: t("invoice.total.credited"), Amount: "−" + money(inv.Credited)},
			TotalDoc{Label: t("invoice.total.due"), Amount: signed(inv.Total), Strong: true})
	}
	if !credit {
		if inv.PaymentDetails != "" {
			d.Payment = append(d.Payment, Field{t("invoice.pay_to"), inv.PaymentDetails})
		}
		d.Payment = append(d.Payment, Field{t("invoice.reference"), inv.Reference})
	}
	switch {
	case credit:
		if orig := e.Invoice(inv.Corrects); orig != nil {
			d.Notes = append(d.Notes, t("invoice.note.corrects", "number", orig.Number))
		}
	case inv.CreditedBy != "":
		if cn := e.Invoice(inv.CreditedBy); cn != nil {
			d.Notes = append(d.Notes, t("invoice.note.cancelled", "number", cn.Number))
		}
	}
	if inv.TaxRate == 0 && inv.TaxNote != "" {
		d.Notes = append(d.Notes, inv.TaxNote)
	} else if inv.TaxRate == 0 {
		d.Notes = append(d.Notes, t("invoice.note.no_tax"))
	}
	d.Footer = t("invoice.footer", "seller", inv.Seller.Name, "number", inv.Number)
	return d
}

// partyDoc is a party as a document prints it: its name, its address by lines, its tax id.
func (a *App) partyDoc(l i18n.Locale, p accord.Party) PartyDoc {
	pd := PartyDoc{Name: p.Name}
	for _, line := range strings.Split(p.Address, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			pd.Lines = append(pd.Lines, line)
		}
	}
	if p.TaxID != "" {
		pd.Lines = append(pd.Lines, a.Catalog.In(l, "invoice.tax_id", map[string]any{"id": p.TaxID}))
	}
	return pd
}

// RateText words a rate in hundredths of a percent as the language writes a number: 20, 9,5.
func RateText(lang string, rate int) string {
	s := strconv.Itoa(rate / 100)
	if f := rate % 100; f != 0 {
		frac := strings.TrimRight(strconv.Itoa(100 + f)[1:], "0")
		sep := ","
		if lang == "en" {
			sep = "."
		}
		s += sep + frac
	}
	return s
}

// InvoicePDF lays an invoice out as a PDF document; nil where the server has no PDF writer.
type InvoicePDF func(d InvoiceDoc) ([]byte, error)

// InvoiceFile is an invoice of the engagement as a PDF in the reader's language.
func (a *App) InvoiceFile(l i18n.Locale, e *accord.Engagement, invoiceID string) ([]byte, string, error) {
	inv := e.Invoice(invoiceID)
	if inv == nil {
		return nil, "", accord.Errorf(accord.ENOTFOUND, "invoice.not_found")
	}
	if a.InvoicePDFs == nil {
		return nil, "", accord.Errorf(accord.ENOTFOUND, "invoice.no_pdf")
	}
	b, err := a.InvoicePDFs(a.InvoiceDoc(l, e, inv, a.Today(l)))
	return b, inv.Number + ".pdf", err
}

// Today is the calendar day now where a reader lives.
func (a *App) Today(l i18n.Locale) accord.Date {
	return accord.Date(a.Clock.Now().In(l.Zone).Format(time.DateOnly))
}
