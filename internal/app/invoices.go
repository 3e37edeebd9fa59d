package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
)

// issueInvoice issues the invoice a milestone's prepayment or balance calls for, numbered in this
// transaction, unless one is issued already; it returns the invoice on the record, or nil.
func (a *App) issueInvoice(tx accord.Tx, e *accord.Engagement, c accord.Cmd, milestoneID, kind string) (*accord.Invoice, error) {
	in, err := a.invoicing(tx, e)
	if err != nil {
		return nil, err
	}
	inv := e.InvoiceFor(c, milestoneID, kind, in.InvoiceDraft)
	if inv == nil {
		return nil, nil
	}
	return a.number(tx, e, c, inv, in)
}

// invoicing is what an engagement's invoices are made of now, with the workspace's prefix and
// the zone whose year numbers them.
type invoicing struct {
	accord.InvoiceDraft
	prefix string
	zone   *time.Location
}

// number gives an invoice the workspace's next number for the year of its issue, where the
// freelancer lives, and puts it on the record.
func (a *App) number(tx accord.Tx, e *accord.Engagement, c accord.Cmd, inv *accord.Invoice, in invoicing) (*accord.Invoice, error) {
	year := c.Now.In(in.zone).Year()
	seq, err := tx.NextInvoiceSeq(e.WorkspaceID, year)
	if err != nil {
		return nil, err
	}
	if err := e.IssueInvoice(c, inv, in.prefix, year, seq); err != nil {
		return nil, err
	}
	return &e.Invoices[len(e.Invoices)-1], nil
}

// invoicing reads what the engagement's invoices are made of now: both parties as the billing
// details name them, the tax, where to pay, the days to pay in (the agreed response time), and
// the workspace's prefix and zone.
func (a *App) invoicing(tx accord.Tx, e *accord.Engagement) (invoicing, error) {
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return invoicing{}, err
	}
	b, err := tx.Billing(e.WorkspaceID)
	if err != nil {
		return invoicing{}, err
	}
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return invoicing{}, err
	}
	cb, err := tx.ClientBilling(e.WorkspaceID, e.ClientID)
	if err != nil {
		return invoicing{}, err
	}
	days := ws.ResponseDays
	if ag := e.Accepted(); ag != nil && ag.ResponseDays > 0 {
		days = ag.ResponseDays
	}
	return invoicing{InvoiceDraft: accord.InvoiceDraft{Seller: b.Seller(ws.Name), Buyer: cb.Buyer(cl.Name), TaxRate: b.TaxRate,
		TaxNote: b.TaxNote, PaymentDetails: ws.PaymentDetails, DueDays: days}, prefix: b.Prefix, zone: zone(ws.Timezone)}, nil
}

// CreditInvoice cancels an invoice issued by mistake with a credit note and, where the amount is
// still asked, issues it anew as the details now stand (a corrected address, another tax rate).
func (a *App) CreditInvoice(ctx context.Context, f Freelancer, id, invoiceID string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		cn, err := e.CreditNoteFor(c, invoiceID)
		if err != nil {
			return err
		}
		in, err := a.invoicing(tx, e)
		if err != nil {
			return err
		}
		if _, err := a.number(tx, e, c, cn, in); err != nil {
			return err
		}
		orig := e.Invoice(invoiceID)
		if e.InvoicePaid(orig).Amount > 0 {
			return nil // what was paid stays paid; the freelancer asks for any rest anew
		}
		_, err = a.issueInvoice(tx, e, c, orig.MilestoneID, orig.Kind)
		return err
	})
}

// Billing is what the workspace's invoices say of the freelancer.
func (a *App) Billing(ctx context.Context, f Freelancer) (accord.Billing, error) {
	var b accord.Billing
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { b, err = tx.Billing(f.WorkspaceID); return err })
	return b, err
}

// BillingInput is the billing settings as a person types them: the tax rate as a percentage
// ("20", "9.5"), and Stripe's keys, left as they are when blank.
type BillingInput struct {
	LegalName, Address, TaxID, Prefix, TaxRate, TaxNote string
	StripeSecretKey, StripeWebhookSecret                string
	// ForgetStripe removes the Stripe keys: the client pays by bank transfer only.
	ForgetStripe bool
}

// SaveBilling checks and saves the billing settings.
func (a *App) SaveBilling(ctx context.Context, f Freelancer, in BillingInput) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error {
		b, err := tx.Billing(f.WorkspaceID)
		if err != nil {
			return err
		}
		rate, ok := percentBasisPoints(in.TaxRate)
		b, err = b.Edit(in.LegalName, in.Address, in.TaxID, in.Prefix, rate, in.TaxNote)
		if !ok {
			err = joinInvalid(err, "tax_rate", "billing.tax_rate")
		}
		sk, wh := strings.TrimSpace(in.StripeSecretKey), strings.TrimSpace(in.StripeWebhookSecret)
		switch {
		case in.ForgetStripe:
			b.StripeSecretKey, b.StripeWebhookSecret = "", ""
		case sk != "" || wh != "":
			if sk != "" && !strings.HasPrefix(sk, "sk_") && !strings.HasPrefix(sk, "rk_") {
				err = joinInvalid(err, "stripe_secret_key", "billing.stripe_secret_key")
			}
			if wh != "" && !strings.HasPrefix(wh, "whsec_") {
				err = joinInvalid(err, "stripe_webhook_secret", "billing.stripe_webhook_secret")
			}
			if sk != "" {
				b.StripeSecretKey = sk
			}
			if wh != "" {
				b.StripeWebhookSecret = wh
			}
		}
		if err != nil {
			return err
		}
		return tx.SetBilling(f.WorkspaceID, a.sealBilling(f.WorkspaceID, b))
	})
}

// percentBasisPoints reads a percentage with at most two decimals ("20", "9,5", "") as
// hundredths of a percent.
func percentBasisPoints(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(strings.ReplaceAll(s, ",", ".")), "%")
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || strings.HasPrefix(whole, "-") {
		return 0, false
	}
	return w*100 + f, true
}

// SaveClientBilling saves what invoices say of a client.
func (a *App) SaveClientBilling(ctx context.Context, f Freelancer, clientID string, legalName, address, taxID string) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error {
		if _, err := tx.Client(f.WorkspaceID, clientID); err != nil {
			return err
		}
		var v accord.Invalid
		b := accord.ClientBilling{LegalName: v.Text("legal_name", legalName, false, 200), Address: v.Text("address", address, false, 1000),
			TaxID: v.Text("tax_id", taxID, false, 100)}
		if err := v.Err(); err != nil {
			return err
		}
		return tx.SetClientBilling(f.WorkspaceID, clientID, b)
	})
}

// ClientBillings is what invoices say of each of the workspace's clients that has details, by id.
func (a *App) ClientBillings(ctx context.Context, f Freelancer) (map[string]accord.ClientBilling, error) {
	var b map[string]accord.ClientBilling
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { b, err = tx.ClientBillings(f.WorkspaceID); return err })
	return b, err
}
