package app

import (
	"bytes"
	"context"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// Receipt words the receipt of a payment or a refund of the engagement for a reader: what was
// received or sent back, when, for which milestone, and how much of it stands paid after it.
func (a *App) Receipt(ctx context.Context, l i18n.Locale, e *accord.Engagement, id string) (InvoiceDoc, error) {
	var d accord.InvoiceDraft
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { d, _, err = a.invoiceDraft(tx, e); return err })
	if err != nil {
		return InvoiceDoc{}, err
	}
	return a.receiptDoc(l, e, id, d.Seller, d.Buyer)
}

// receiptDoc words the receipt of a payment or refund between seller and buyer.
func (a *App) receiptDoc(l i18n.Locale, e *accord.Engagement, id string, seller, buyer accord.Party) (InvoiceDoc, error) {
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	money := func(m accord.Money) string { return i18n.FormatMoney(l.Lang, m) }
	d := InvoiceDoc{ID: id, Lang: l.Lang, State: accord.InvoicePaid, FromLabel: t("invoice.from"), ToLabel: t("invoice.to"),
		Columns: [4]string{t("invoice.col.description"), t("invoice.col.quantity"), t("invoice.col.unit_price"), t("invoice.col.amount")}}
	d.From, d.To = a.partyDoc(l, seller), a.partyDoc(l, buyer)
	day := func(at time.Time) string {
		return i18n.FormatDate(l.Lang, accord.Date(at.In(l.Zone).Format(time.DateOnly)))
	}
	for i, p := range e.Payments {
		if p.ID != id {
			continue
		}
		if p.Settlement {
			d.Number, d.Kind, d.Total, d.Paid = p.ID, "receipt", p.Amount, p.Amount
			d.Title, d.StateText = t("receipt.title", "amount", money(p.Amount)), t("receipt.state")
			d.Meta = []Field{{t("receipt.received"), day(p.At)}, {t("invoice.meta.engagement"), e.Title}}
			if p.Reference != "" {
				d.Meta = append(d.Meta, Field{t("invoice.reference"), p.Reference})
			}
			d.Lines = []LineDoc{{Description: t("receipt.line.settlement"), Quantity: "1", UnitPrice: money(p.Amount), Amount: money(p.Amount)}}
			d.Totals = []TotalDoc{{Label: t("receipt.total.received"), Amount: money(p.Amount), Strong: true}}
			d.Notes = append(d.Notes, t("receipt.note.settlement_owed", "owed", money(e.SettlementOwed())))
			d.Footer = t("invoice.footer", "seller", seller.Name, "number", p.ID)
			return d, nil
		}
		m := e.Milestone(p.MilestoneID)
		paid := accord.Money{Currency: p.Amount.Currency}
		for _, q := range e.Payments[:i+1] {
			if q.MilestoneID == p.MilestoneID {
				paid = paid.Add(q.Amount)
			}
		}
		d.Number, d.Kind, d.Total, d.Paid = p.ID, "receipt", p.Amount, p.Amount
		d.Title = t("receipt.title", "amount", money(p.Amount))
		d.StateText = t("receipt.state")
		d.Meta = []Field{{t("receipt.received"), day(p.At)}, {t("invoice.meta.engagement"), e.Title}}
		if p.Reference != "" {
			d.Meta = append(d.Meta, Field{t("invoice.reference"), p.Reference})
		}
		d.Lines = []LineDoc{{Description: t("receipt.line.payment", "n", m.N, "title", m.Title), Quantity: "1", UnitPrice: money(p.Amount), Amount: money(p.Amount)}}
		d.Totals = []TotalDoc{{Label: t("receipt.total.received"), Amount: money(p.Amount), Strong: true}}
		d.Notes = append(d.Notes, t("receipt.note.paid_so_far", "n", m.N, "paid", money(paid), "price", money(m.Price)))
		for _, inv := range e.Invoices {
			if inv.MilestoneID == m.ID && inv.Kind != accord.InvoiceCreditNote && inv.CreditedBy == "" {
				d.Notes = append(d.Notes, t("receipt.note.invoice", "number", inv.Number))
			}
		}
		d.Footer = t("invoice.footer", "seller", seller.Name, "number", p.ID)
		return d, nil
	}
	for _, r := range e.Refunds {
		if r.ID != id {
			continue
		}
		d.Number, d.Kind, d.Total, d.Paid = r.ID, "refund", r.Amount, r.Amount
		d.Title = t("receipt.refund_title", "amount", money(r.Amount))
		d.StateText = t("receipt.refund_state")
		d.Meta = []Field{{t("receipt.sent"), day(r.At)}, {t("invoice.meta.engagement"), e.Title}}
		if r.Reference != "" {
			d.Meta = append(d.Meta, Field{t("invoice.reference"), r.Reference})
		}
		d.Lines = []LineDoc{{Description: t("receipt.line.refund"), Quantity: "1", UnitPrice: money(r.Amount), Amount: money(r.Amount)}}
		d.Totals = []TotalDoc{{Label: t("receipt.total.refunded"), Amount: money(r.Amount), Strong: true}}
		d.Footer = t("invoice.footer", "seller", seller.Name, "number", r.ID)
		return d, nil
	}
	return InvoiceDoc{}, accord.Errorf(accord.ENOTFOUND, "receipt.not_found")
}

// ReceiptFile is a receipt as a PDF in the reader's language.
func (a *App) ReceiptFile(ctx context.Context, l i18n.Locale, e *accord.Engagement, id string) ([]byte, string, error) {
	d, err := a.Receipt(ctx, l, e, id)
	if err != nil {
		return nil, "", err
	}
	if a.InvoicePDFs == nil {
		return nil, "", accord.Errorf(accord.ENOTFOUND, "invoice.no_pdf")
	}
	b, err := a.InvoicePDFs(d)
	return b, "receipt-" + id + ".pdf", err
}

// receiptFile is the files of the email that confirms a payment or a refund: its receipt as a
// PDF, in the recipient's language, kept as a blob until the email is sent.
func (a *App) receiptFile(ctx context.Context, tx accord.Tx, e *accord.Engagement, id string) func(i18n.Locale) ([]accord.Attachment, error) {
	return func(l i18n.Locale) ([]accord.Attachment, error) {
		if a.InvoicePDFs == nil || a.Blobs == nil {
			return nil, nil
		}
		d, _, err := a.invoiceDraft(tx, e)
		if err != nil {
			return nil, err
		}
		doc, err := a.receiptDoc(l, e, id, d.Seller, d.Buyer)
		if err != nil {
			return nil, err
		}
		pdf, err := a.InvoicePDFs(doc)
		if err != nil {
			return nil, err
		}
		st, err := a.Blobs.Stage(ctx, bytes.NewReader(pdf))
		if err != nil {
			return nil, err
		}
		if err := a.Blobs.Commit(ctx, st); err != nil {
			a.Blobs.Discard(st)
			return nil, err
		}
		name := a.Catalog.In(l, "receipt.file", map[string]any{"id": id})
		return []accord.Attachment{{Name: name, ContentType: "application/pdf", SHA256: st.SHA256}}, nil
	}
}
