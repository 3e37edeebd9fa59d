package e2e

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/stripepay"
	"github.com/accordapp/accord/internal/stripepay/stripetest"
)

// stripePage answers, in the browser itself, every request that would leave loopback: Stripe's
// payment page gets a stand-in, anything else fails. The returned func lists the addresses asked.
func stripePage(b *browser) func() []string {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "https://*"}}}); err != nil {
		b.fatal("intercept requests off loopback", err)
	}
	ctx, cancel := context.WithCancel(b.ctx)
	b.t.Cleanup(cancel)
	var mu sync.Mutex
	var asked []string
	go func() {
		for ev, err := range chromedp.Events(ctx, fetch.RequestPaused) {
			if err != nil {
				return
			}
			mu.Lock()
			asked = append(asked, ev.Request.URL)
			mu.Unlock()
			if strings.HasPrefix(ev.Request.URL, "https://checkout.stripe.com/") {
				chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
					Body:            []byte(`<!doctype html><title>Stripe Checkout (stand-in)</title><h1 id="stripe">Stripe</h1>`)})
				continue
			}
			chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: "BlockedByClient"})
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
}

// post sends a raw body to the server with headers, and returns the status.
func (s *testServer) post(path string, body []byte, header map[string]string) int {
	s.t.Helper()
	req, _ := http.NewRequest("POST", s.base+path, bytes.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// Paying by card in Chromium, in Russian: the client presses "Pay the prepayment by card", the
// server creates the Checkout session on stripe-mock and sends the browser to Stripe's page (held
// in the browser: nothing leaves loopback); back in the portal the payment waits for Stripe's
// word; the test delivers the signed checkout.session.completed webhook, and the portal shows
// the prepayment paid and the milestone ready to start.
func TestPayByCardInBrowser(t *testing.T) {
	chromium := findChromium(t)
	sc := scripts[0]
	cat := i18n.New()
	T := tr(cat, sc.lang)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	start := time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC)
	s := newServer(ctx, t, cat, start)
	s.app.StripeURL = stripetest.StartMock(t)
	signup := s.api("POST", "/api/v1/auth/signup", "", map[string]string{"email": sc.email, "password": "correct horse battery", "name": sc.studio}, 201)
	token, ws := signup["token"].(string), signup["workspace_id"].(string)
	const secret = "whsec_accordBrowserTest"
	if err := s.app.SaveBilling(ctx, app.Freelancer{UserID: signup["user_id"].(string), WorkspaceID: ws}, app.BillingInput{StripeSecretKey: "sk_test_accord", StripeWebhookSecret: secret}); err != nil {
		t.Fatal(err)
	}
	id, ms := s.agreed(token, sc, start)
	_, cl := openPair(ctx, t, chromium, sc.lang, sc.email, sc.clientEmail)
	asked := stripePage(cl)
	inv := s.api("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": sc.clientEmail}, 201)["portal_url"].(string)
	cl.do("open the portal link", chromedp.Navigate(inv), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")

	prepay := accord.Money{Amount: 50000, Currency: "EUR"}
	cl.wantText("the card payment offered", "#pay-prepayment", T("card.pay_prepayment", "amount", i18n.FormatMoney(sc.lang, prepay)))
	cl.wantPresent("the whole milestone offered too", "#pay-milestone")
	cl.noEnglish("the portal offering card payments")
	cl.do("pay the prepayment by card", chromedp.Click(chromedp.CSS("#pay-prepayment")), chromedp.WaitVisible(chromedp.CSS("#stripe")))
	if u := cl.location(); u.Host != "checkout.stripe.com" {
		t.Fatalf("the browser went to %s, want Stripe's payment page", u)
	}
	for _, a := range asked() {
		if !strings.HasPrefix(a, "https://checkout.stripe.com/") {
			t.Errorf("the browser asked for %s, off loopback", a)
		}
	}

	// Back from Stripe before its word: the portal says the payment is on its way.
	cl.do("back from Stripe", chromedp.Navigate(s.base+"/portal?card=paid#milestones"), chromedp.WaitVisible(chromedp.CSS("#card-returned")))
	cl.wantText("the payment waits for Stripe", "#card-returned", T("card.returned"))

	payload := stripetest.CheckoutCompleted(stripetest.Checkout{EventID: "evt_browser_1", SessionID: "cs_test_browser_1", AmountTotal: 50000, Currency: "eur",
		Metadata: map[string]string{stripepay.MetaWorkspace: ws, stripepay.MetaEngagement: id, stripepay.MetaMilestone: ms[0], stripepay.MetaPurpose: "prepayment"},
		Created:  s.clock.Now()})
	res := s.post("/api/v1/stripe/webhook", payload, map[string]string{"Stripe-Signature": stripetest.Sign(payload, secret, s.clock.Now()), "Content-Type": "application/json"})
	if res != 200 {
		t.Fatalf("the webhook: %d", res)
	}
	cl.do("the portal after Stripe's word", chromedp.Navigate(s.base+"/portal#milestones"), chromedp.WaitVisible(chromedp.CSS("#milestone-1")))
	cl.wantText("the prepayment is paid and the milestone ready to start", "#milestone-1 .state", T("state.prepaid"))
	cl.wantNotPresent("nothing more to pay by card now", "#pay-prepayment")
	cl.wantNotPresent("no waiting note once it is paid", "#card-returned")
	cl.wantPresent("the receipt is listed", ".receipt-link")
}
