package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/stripepay"
	"github.com/accordapp/accord/internal/stripepay/stripetest"
)

const webhookSecret = "whsec_accordTestSecret"

// cardWorkspace is a harness whose freelancer set up card payments on stripe-mock.
func cardWorkspace(t *testing.T) (*harness, string) {
	t.Helper()
	mock := stripetest.StartMock(t)
	h := newHarness(t)
	h.app.StripeURL = mock
	token := h.account("ana@studio.example")
	fb := h.browser("en")
	fb.login("ana@studio.example")
	if p := fb.post("/app/settings/billing", url.Values{"stripe_secret_key": {"sk_test_accord"}, "stripe_webhook_secret": {webhookSecret}}); !strings.Contains(p.text(), "saved") {
		t.Fatalf("the Stripe keys: %s", p.text())
	}
	return h, token
}

// webhook delivers a Stripe event signed with secret at the clock's time, and returns the status.
func (h *harness) webhook(payload []byte, secret string, at time.Time) resp {
	h.t.Helper()
	return h.requestWith("POST", "/api/v1/stripe/webhook", "", "application/json", strings.NewReader(string(payload)),
		http.Header{"Stripe-Signature": {stripetest.Sign(payload, secret, at)}})
}

// The client pays the prepayment by card: the portal offers the prepayment or the whole
// milestone, the server creates the Checkout session on stripe-mock and sends the browser to
// it; the payment is recorded only when the signed webhook says so, once, however often or in
// whatever order Stripe delivers; a bad signature, a replay past the tolerance and an event
// naming another workspace are refused.
func TestPayByCard(t *testing.T) {
	h, token := cardWorkspace(t)
	id, _, ms := h.agreed(token, "1000.00", "600.00")
	var ref accord.EngagementRef
	if err := h.app.Store.Read(t.Context(), func(tx accord.Tx) (err error) { ref, err = tx.FindEngagement(id); return err }); err != nil {
		t.Fatal(err)
	}
	ws := ref.WorkspaceID
	c := h.browser("en")
	home := c.openPortal(h.invite(token, id, "maria@client.example"))
	if !strings.Contains(home.text(), "Pay the prepayment by card: €500.00") || !strings.Contains(home.text(), "Pay the whole milestone by card: €1,000.00") {
		t.Fatalf("the portal does not offer to pay by card: %s", home.text())
	}
	noFollow := *c.c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("POST", h.url+"/portal/milestones/"+ms[0]+"/pay-by-card", strings.NewReader("purpose=prepayment"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "https://checkout.stripe.com/") {
		t.Fatalf("pay by card: %d to %q, want Stripe's payment page", res.StatusCode, loc)
	}
	if p := c.post("/portal/milestones/"+ms[1]+"/pay-by-card", url.Values{"purpose": {"prepayment"}}); !strings.Contains(p.text(), "Nothing can be paid by card for this milestone now") {
		t.Errorf("paying a milestone not yet asked for: %s", p.text())
	}

	now := h.clock.Now()
	meta := map[string]string{stripepay.MetaWorkspace: ws, stripepay.MetaEngagement: id, stripepay.MetaMilestone: ms[0], stripepay.MetaPurpose: "prepayment"}
	paid := stripetest.CheckoutCompleted(stripetest.Checkout{EventID: "evt_1", SessionID: "cs_test_1", AmountTotal: 50000, Currency: "eur", Metadata: meta, Created: now})
	if r := h.webhook(paid, "whsec_wrong", now); r.status != 400 {
		t.Fatalf("a bad signature: %d %s", r.status, r.body)
	}
	if r := h.webhook(paid, webhookSecret, now.Add(-time.Hour)); r.status != 400 {
		t.Fatalf("a replay an hour old: %d %s", r.status, r.body)
	}
	other := map[string]string{stripepay.MetaWorkspace: "ws_other", stripepay.MetaEngagement: id, stripepay.MetaMilestone: ms[0]}
	if r := h.webhook(stripetest.CheckoutCompleted(stripetest.Checkout{EventID: "evt_x", SessionID: "cs_test_x", AmountTotal: 50000, Metadata: other, Created: now}), webhookSecret, now); r.status != 400 {
		t.Fatalf("an event naming another workspace: %d %s", r.status, r.body)
	}
	if got := milestone(t, h, token, id, 0); money(t, got["paid"]) != "0.00 EUR" {
		t.Fatalf("a refused webhook recorded a payment: %v", got["paid"])
	}
	// Out of order: the async success of the same session first, then its completion, then a
	// repeat of the completion.
	async := stripetest.CheckoutEvent(stripepay.EventCheckoutAsyncSucceeded, stripetest.Checkout{EventID: "evt_0", SessionID: "cs_test_1", AmountTotal: 50000, Metadata: meta, Created: now})
	for _, ev := range [][]byte{async, paid, paid} {
		if r := h.webhook(ev, webhookSecret, now); r.status != 200 {
			t.Fatalf("the webhook: %d %s", r.status, r.body)
		}
	}
	got := milestone(t, h, token, id, 0)
	if money(t, got["paid"]) != "500.00 EUR" {
		t.Fatalf("after the webhooks the milestone is paid %v, want 500.00 once", got["paid"])
	}
	h.call("POST", "/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/start", token, nil, 200)
	receipts := 0
	for _, m := range h.outbox(token) {
		if m["kind"] == "payment_received" && strings.Contains(m["body"].(string), "cs_test_1") {
			receipts++
		}
	}
	if receipts != 1 {
		t.Errorf("%d receipts of the card payment, want 1", receipts)
	}
	if r := h.webhook([]byte(`{"id": "evt_9", "type": "charge.succeeded", "data": {"object": {"id": "ch_1"}}}`), webhookSecret, now); r.status != 200 {
		t.Errorf("an event of the account without Accord's metadata: %d %s", r.status, r.body)
	}
}
