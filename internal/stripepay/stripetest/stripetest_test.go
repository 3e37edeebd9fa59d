package stripetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// TestCheckoutEvent: the events decode with stripe-go's own types and verifier, and carry
// what they were given.
func TestCheckoutEvent(t *testing.T) {
	c := Checkout{
		AmountTotal:       5000,
		Currency:          "usd",
		ClientReferenceID: "inv_1",
		CustomerEmail:     "a&b@example.com",
		Metadata:          map[string]string{"workspace_id": "ws_1"},
	}
	tests := []struct {
		typ               stripe.EventType
		status            stripe.CheckoutSessionStatus
		payStatus         stripe.CheckoutSessionPaymentStatus
		paymentIntentNull bool
	}{
		{stripe.EventTypeCheckoutSessionCompleted, stripe.CheckoutSessionStatusComplete, stripe.CheckoutSessionPaymentStatusPaid, false},
		{stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded, stripe.CheckoutSessionStatusComplete, stripe.CheckoutSessionPaymentStatusPaid, false},
		{stripe.EventTypeCheckoutSessionAsyncPaymentFailed, stripe.CheckoutSessionStatusComplete, stripe.CheckoutSessionPaymentStatusUnpaid, false},
		{stripe.EventTypeCheckoutSessionExpired, stripe.CheckoutSessionStatusExpired, stripe.CheckoutSessionPaymentStatusUnpaid, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.typ), func(t *testing.T) {
			payload := CheckoutEvent(string(tc.typ), c)
			if strings.Contains(string(payload), `\u0026`) {
				t.Errorf("& is escaped, Stripe does not:\n%s", payload)
			}
			at := time.Now() // stripe-go checks the timestamp against its own clock
			ev, err := webhook.ConstructEvent(payload, Sign(payload, "whsec_x", at), "whsec_x")
			if err != nil {
				t.Fatalf("stripe-go refuses the event: %v\n%s", err, payload)
			}
			if ev.ID != DefaultEventID || ev.Type != tc.typ || ev.Created != DefaultCreated.Unix() || ev.APIVersion != stripe.APIVersion || ev.Livemode {
				t.Errorf("event %+v", ev)
			}
			var s stripe.CheckoutSession
			if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
				t.Fatalf("stripe.CheckoutSession: %v", err)
			}
			if s.ID != DefaultSessionID || s.Object != "checkout.session" || s.Mode != stripe.CheckoutSessionModePayment ||
				s.Status != tc.status || s.PaymentStatus != tc.payStatus || s.AmountTotal != 5000 || s.Currency != "usd" ||
				s.ClientReferenceID != "inv_1" || s.CustomerEmail != "a&b@example.com" || s.Metadata["workspace_id"] != "ws_1" ||
				s.URL != "" || s.SuccessURL != DefaultSuccessURL {
				t.Errorf("session %+v", s)
			}
			if tc.paymentIntentNull != (s.PaymentIntent == nil) || (s.PaymentIntent != nil && s.PaymentIntent.ID != DefaultPaymentIntentID) {
				t.Errorf("payment_intent = %+v", s.PaymentIntent)
			}
			if got := s.ExpiresAt - s.Created; got != 24*60*60 {
				t.Errorf("expires %d s after creation", got)
			}
		})
	}
}

func TestSign(t *testing.T) {
	payload := []byte(`{"id":"evt_1"}`)
	at := time.Unix(1893490200, 0)
	h := Sign(payload, "whsec_x", at)
	if !strings.HasPrefix(h, "t=1893490200,v1=") || len(h) != len("t=1893490200,v1=")+64 {
		t.Errorf("Sign = %q", h)
	}
	if err := webhook.ValidatePayloadIgnoringTolerance(payload, h, "whsec_x"); err != nil {
		t.Errorf("stripe-go refuses %q: %v", h, err)
	}
	if err := webhook.ValidatePayloadIgnoringTolerance(payload, h, "whsec_y"); err == nil {
		t.Error("stripe-go accepts the signature with another secret")
	}
}

func TestStartMock(t *testing.T) {
	base := StartMock(t)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("base URL %q is not on loopback", base)
	}
	// stripe-mock wants a test-mode key: no key is a 401, one is a 200.
	for key, want := range map[string]int{"": http.StatusUnauthorized, "sk_test_123": http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, base+"/v1/balance", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("key %q: status %d, want %d", key, resp.StatusCode, want)
		}
	}
}

// recorder is a testing.TB whose Skip and Fatal only record what they were told.
type recorder struct {
	testing.TB
	skipped, fatal string
}

func (r *recorder) Helper()           {}
func (r *recorder) Skip(args ...any)  { r.skipped = fmt.Sprint(args...) }
func (r *recorder) Fatal(args ...any) { r.fatal = fmt.Sprint(args...) }

func TestStartMockMissing(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("PATH", empty) // no stripe-mock, and no go command to ask for GOPATH
	t.Setenv("GOPATH", empty)
	t.Setenv("GOBIN", "")
	for _, ci := range []string{"", "true"} {
		t.Run("CI="+ci, func(t *testing.T) {
			t.Setenv("CI", ci)
			r := &recorder{TB: t}
			if base := StartMock(r); base != "" {
				t.Fatalf("StartMock = %q without a binary", base)
			}
			msg := r.skipped
			if ci != "" {
				msg = r.fatal
				if r.skipped != "" {
					t.Errorf("skipped under CI: %s", r.skipped)
				}
			} else if r.fatal != "" {
				t.Errorf("failed outside CI: %s", r.fatal)
			}
			if !strings.Contains(msg, "go install github.com/stripe/stripe-mock@v0.203.0") {
				t.Errorf("message %q does not say how to install stripe-mock", msg)
			}
		})
	}
}
