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
	var in invoicing
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { in, err = a.invoicing(tx, e); return err })
	if err != nil {
		return InvoiceDoc{}, err
	}
	return a.receiptDoc(l, e, id, in.Seller, in.Buyer)
}

// receiptDoc words the receipt of a payment or refund between seller and buyer.
func (a *App) receiptDoc(l i18n.Locale, e *accord.Engagement, id string, seller, buyer accord.Party) (InvoiceDoc, error) {
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	money := func(m accord.Money) string { return i18n.FormatMoney(l.Lang, m) }
	// frame is what every receipt says: its title, when, where, the one line and its total.
	frame := func(kind, title, state, when string, at time.Time, amount accord.Money, ref, line, total string) InvoiceDoc {
		d := InvoiceDoc{ID: id, Number: id, Kind: kind, Lang: l.Lang, State: accord.InvoicePaid, Total: amount, Paid: amount,
			Title: t(title, "amount", money(amount)), StateText: t(state), FromLabel: t("invoice.from"), ToLabel: t("invoice.to"),
			From: a.partyDoc(l, seller), To: a.partyDoc(l, buyer),
			Columns: [4]string{t("invoice.col.description"), t("invoice.col.quantity"), t("invoice.col.unit_price"), t("invoice.col.amount")},
			Meta:    []Field{{t(when), i18n.FormatDate(l.Lang, accord.Date(at.In(l.Zone).Format(time.DateOnly)))}, {t("invoice.meta.engagement"), e.Title}},
			Lines:   []LineDoc{{Description: line, Quantity: "1", UnitPrice: money(amount), Amount: money(amount)}},
			Totals:  []TotalDoc{{Label: t(total), Amount: money(amount), Strong: true}},
			Footer:  t("invoice.footer", "seller", seller.Name, "number", id)}
		if ref != "" {
			d.Meta = append(d.Meta, Field{t("invoice.reference"), ref})
		}
		return d
	}
	for i, p := range e.Payments {
		if p.ID != id {
			continue
		}
		if p.Settlement {
			d := frame("receipt", "receipt.title", "receipt.state", "receipt.received", p.At, p.Amount, p.Reference,
				t("receipt.line.settlement"), "receipt.total.received")
			d.Notes = []string{t("receipt.note.settlement_owed", "owed", money(e.SettlementOwed()))}
			return d, nil
		}
		m := e.Milestone(p.MilestoneID)
		paid := accord.Money{Currency: p.Amount.Currency} // by this payment, on its milestone
		for _, q := range e.Payments[:i+1] {
			if q.MilestoneID == p.MilestoneID {
				paid = paid.Add(q.Amount)
			}
		}
		d := frame("receipt", "receipt.title", "receipt.state", "receipt.received", p.At, p.Amount, p.Reference,
			t("receipt.line.payment", "n", m.N, "title", m.Title), "receipt.total.received")
		d.Notes = []string{t("receipt.note.paid_so_far", "n", m.N, "paid", money(paid), "price", money(m.Price))}
		for _, inv := range e.Invoices {
			if inv.MilestoneID == m.ID && inv.Kind != accord.InvoiceCreditNote && inv.CreditedBy == "" {
				d.Notes = append(d.Notes, t("receipt.note.invoice", "number", inv.Number))
			}
		}
		return d, nil
	}
	for _, r := range e.Refunds {
		if r.ID == id {
			return frame("refund", "receipt.refund_title", "receipt.refund_state", "receipt.sent", r.At, r.Amount, r.Reference,
				t("receipt.line.refund"), "receipt.total.refunded"), nil
		}
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
		in, err := a.invoicing(tx, e)
		if err != nil {
			return nil, err
		}
		doc, err := a.receiptDoc(l, e, id, in.Seller, in.Buyer)
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
