package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/stripepay"
)

// stripeActor is who records a payment Stripe confirmed.
var stripeActor = accord.Actor{Kind: "system", ID: "stripe", Name: "Stripe"}

// CardPurpose is what the client pays by card: a milestone's prepayment, or all of it.
const (
	PayPrepayment = stripepay.PurposePrepayment
	PayMilestone  = stripepay.PurposeMilestone
)

// CardOffer is what the client may pay by card for a milestone now, if anything: its
// prepayment (what is still open of it) and the whole rest of its price.
type CardOffer struct {
	Milestone            *accord.Milestone
	Prepayment, Whole    accord.Money
	CanPrepay, CanPayAll bool
}

// CardOfferFor is what the portal offers to pay by card on the engagement: for the milestone the
// client is asked to pay, where the workspace set up Stripe.
func CardOfferFor(e *accord.Engagement, b accord.Billing, w accord.Wait) *CardOffer {
	m := w.Milestone
	if !b.CardPayments() || m == nil || (w.Step != accord.StepPrepay && w.Step != accord.StepPay) {
		return nil
	}
	o := &CardOffer{Milestone: m, Prepayment: m.Prepayment.Sub(m.Paid), Whole: m.Price.Sub(m.Paid)}
	o.CanPrepay = w.Step == accord.StepPrepay && o.Prepayment.Amount > 0
	o.CanPayAll = o.Whole.Amount > 0
	return o
}

// PayByCard starts a payment by card of a milestone's prepayment or of all of it, on the
// workspace's own Stripe account, and returns the address of Stripe's payment page. The payment
// is recorded only when Stripe's signed webhook says it was taken.
func (a *App) PayByCard(ctx context.Context, c Contact, milestoneID, purpose string) (string, error) {
	var in stripepay.CheckoutInput
	var key string
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(c.WorkspaceID, c.EngagementID)
		if err != nil {
			return err
		}
		b, err := tx.Billing(c.WorkspaceID)
		if err != nil {
			return err
		}
		if b, err = a.openBilling(c.WorkspaceID, b); err != nil {
			return err
		}
		ws, err := tx.Workspace(c.WorkspaceID)
		if err != nil {
			return err
		}
		o := CardOfferFor(e, b, e.Waiting(ws.ResponseDays))
		if o == nil || o.Milestone.ID != milestoneID {
			return accord.Errorf(accord.ECONFLICT, "card.not_now")
		}
		amount := o.Whole
		switch {
		case purpose == PayPrepayment && o.CanPrepay:
			amount = o.Prepayment
		case purpose == PayMilestone && o.CanPayAll:
		default:
			return accord.Errorf(accord.ECONFLICT, "card.not_now")
		}
		invoiceID := ""
		for _, inv := range e.Invoices {
			if inv.MilestoneID == milestoneID && inv.Kind != accord.InvoiceCreditNote && inv.CreditedBy == "" {
				invoiceID = inv.ID
			}
		}
		m := o.Milestone
		key = b.StripeSecretKey
		sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s|%d|%d", e.ID, m.ID, purpose, amount.Amount, m.Paid.Amount))
		in = stripepay.CheckoutInput{Amount: stripeAmount(amount), Currency: amount.Currency,
			Description:   a.Catalog.In(c.Locale, "card.description."+purpose, map[string]any{"n": m.N, "title": m.Title, "engagement": e.Title}),
			CustomerEmail: c.Email, SuccessURL: a.BaseURL + "/portal?card=paid#milestones", CancelURL: a.BaseURL + "/portal#milestones",
			ClientReferenceID: e.ID, IdempotencyKey: "accord-" + hex.EncodeToString(sum[:16]),
			Metadata: map[string]string{stripepay.MetaWorkspace: e.WorkspaceID, stripepay.MetaEngagement: e.ID,
				stripepay.MetaMilestone: m.ID, stripepay.MetaInvoice: invoiceID, stripepay.MetaPurpose: purpose}}
		return nil
	})
	if err != nil {
		return "", err
	}
	cl, err := stripepay.New(key, stripepay.WithBaseURL(a.StripeURL))
	if err != nil {
		return "", accord.Errorf(accord.ECONFLICT, "card.not_set_up")
	}
	s, err := cl.CreateCheckout(ctx, in)
	if err != nil {
		a.Log.Error("stripe checkout", "workspace", c.WorkspaceID, "err", err)
		return "", accord.Errorf(accord.ECONFLICT, "card.stripe_failed")
	}
	return s.URL, nil
}

// stripeAmount is an amount as Stripe counts it: Accord's minor units, but hundredths for ISK.
func stripeAmount(m accord.Money) int64 {
	if m.Currency == "ISK" {
		return m.Amount * 100
	}
	return m.Amount
}

// The ways a webhook is refused: not Stripe's, or not for a payment this workspace asked for.
var (
	ErrWebhookSignature = errors.New("the webhook's signature does not hold")
	ErrWebhookPayment   = errors.New("the webhook is for no payment this workspace asked for")
)

// StripeWebhook applies an event Stripe sent about a payment by card. The workspace it names
// (unverified) picks the secret its signature must hold for; then, once per event, a session
// paid in full is recorded as a payment of its milestone, as if the freelancer had recorded it,
// once per session whichever event brings it. An event without Accord's metadata is ignored.
func (a *App) StripeWebhook(ctx context.Context, payload []byte, signature string) error {
	meta, err := stripepay.PeekMetadata(payload)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookSignature, err)
	}
	ws := meta[stripepay.MetaWorkspace]
	if ws == "" {
		return nil // an event of the account that no payment of ours brings
	}
	var b accord.Billing
	if err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { b, err = tx.Billing(ws); return err }); err != nil {
		return err
	}
	b, err = a.openBilling(ws, b)
	if err != nil {
		return err
	}
	if !b.CardPayments() {
		return ErrWebhookSignature
	}
	ev, err := stripepay.VerifyEvent(payload, signature, b.StripeWebhookSecret, a.Clock.Now())
	if err != nil {
		return fmt.Errorf("%w: %v", ErrWebhookSignature, err)
	}
	s := ev.Checkout
	if s == nil || s.Metadata[stripepay.MetaWorkspace] != ws {
		return nil
	}
	paid := s.PaymentStatus == stripepay.PaymentPaid &&
		(ev.Type == stripepay.EventCheckoutCompleted || ev.Type == stripepay.EventCheckoutAsyncSucceeded)
	id, milestoneID := s.Metadata[stripepay.MetaEngagement], s.Metadata[stripepay.MetaMilestone]
	ref := "Stripe " + s.ID
	err = a.Store.Write(ctx, func(tx accord.Tx) error {
		fresh, err := tx.TakeStripeEvent(ws, ev.ID, a.Clock.Now())
		if err != nil || !fresh || !paid {
			return err
		}
		e, err := tx.Engagement(ws, id)
		if accord.ErrorCode(err) == accord.ENOTFOUND || err == nil && e.Milestone(milestoneID) == nil {
			return ErrWebhookPayment
		}
		if err != nil {
			return err
		}
		for _, p := range e.Payments {
			if p.Reference == ref {
				return nil // the session is recorded already, by another of its events
			}
		}
		amount := accord.Money{Amount: s.AmountTotal, Currency: strings.ToUpper(s.Currency)}
		if amount.Currency == "ISK" {
			amount.Amount /= 100
		}
		if amount.Currency != e.Currency || amount.Amount <= 0 {
			return ErrWebhookPayment
		}
		w, err := tx.Workspace(ws)
		if err != nil {
			return err
		}
		if _, err := a.recordPayment(ctx, tx, e, a.cmd(stripeActor), w.ResponseDays, milestoneID, amount, ref); err != nil {
			return err
		}
		return a.save(tx, e)
	})
	return err
}
