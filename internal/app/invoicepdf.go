package app

import (
	"strings"
	"time"

	"github.com/accordapp/accord/internal/invoicepdf"
)

// signs replaces the currency signs the PDF's font cannot draw with their codes.
var signs = strings.NewReplacer("₽", "RUB", "₴", "UAH")

// invoicePDF lays an invoice, a credit note or a receipt out as a PDF with invoicepdf, dated
// by the clock.
func (a *App) invoicePDF(d InvoiceDoc) ([]byte, error) {
	doc := invoicepdf.Doc{Title: d.Title, FromLabel: d.FromLabel, ToLabel: d.ToLabel, Columns: d.Columns,
		PaymentLabel: d.PaymentLabel, Footer: signs.Replace(d.Footer), Lang: d.Lang, Created: a.Clock.Now().UTC().Truncate(time.Second),
		From: invoicepdf.Party{Name: d.From.Name, Lines: d.From.Lines}, To: invoicepdf.Party{Name: d.To.Name, Lines: d.To.Lines}}
	doc.Title = signs.Replace(doc.Title)
	for _, f := range d.Meta {
		doc.Meta = append(doc.Meta, invoicepdf.Field{Label: f.Label, Value: signs.Replace(f.Value)})
	}
	for _, l := range d.Lines {
		doc.Lines = append(doc.Lines, invoicepdf.Line{Description: l.Description, Quantity: l.Quantity,
			UnitPrice: signs.Replace(l.UnitPrice), Amount: signs.Replace(l.Amount)})
	}
	if len(doc.Lines) == 0 {
		doc.Columns = [4]string{}
	}
	for _, t := range d.Totals {
		doc.Totals = append(doc.Totals, invoicepdf.Total{Label: t.Label, Amount: signs.Replace(t.Amount), Strong: t.Strong})
	}
	for _, f := range d.Payment {
		doc.Payment = append(doc.Payment, invoicepdf.Field{Label: f.Label, Value: f.Value})
	}
	for _, n := range d.Notes {
		doc.Notes = append(doc.Notes, signs.Replace(n))
	}
	return invoicepdf.Render(doc)
}
