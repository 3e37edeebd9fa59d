package stripepay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stripe/stripe-go/v82"

	"github.com/accordapp/accord/internal/stripepay/stripetest"
)

// What stripe-mock v0.203.0 checks, found by trying it (see also its README):
//   - Authorization must be "Bearer" (or Basic) with a test-mode key shaped sk_test_X or
//     rk_test_X, X without underscores; anything else, live keys included, gets a 401.
//   - Parameters are validated against Stripe's OpenAPI schema: unknown parameters (top level
//     and nested), wrong types (unit_amount=abc), values outside an enum (mode=bogus) and
//     missing required nested fields (price_data without currency) get a 400. A 200 therefore
//     means our request has the shape Stripe's API describes.
//   - The Idempotency-Key header is echoed in the response's headers, and nothing more.
//
// What it does not check or do: it is stateless, so it neither stores nor deduplicates by
// idempotency key; it does not check string lengths (metadata values, client_reference_id),
// URL or email syntax, currency codes (accepts "euro" and "EUR"), signs of amounts (accepts
// -5), or that mode or unit_amount is present at all. Its response is a fixture: a fresh
// "cs_test_…" id, a fixed checkout.stripe.com URL, status "open", payment_status "unpaid";
// it echoes top-level scalar parameters of the same name (client_reference_id, customer_email,
// success_url, cancel_url, mode) but not metadata (returned as {}), and it does not compute
// amount_total or currency (both null). So what we sent is asserted on the wire, below.

// wire records what goes over an HTTP client on its way to a real server.
type wire struct {
	mu   sync.Mutex
	seen []exchange
}

type exchange struct {
	method, path string
	header       http.Header
	form         url.Values
	status       int
	respHeader   http.Header
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return nil, err
		}
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("request body is not form-encoded: %v", err)
	}
	resp, err := http.DefaultTransport.RoundTrip(r)
	x := exchange{method: r.Method, path: r.URL.Path, header: r.Header.Clone(), form: form}
	if resp != nil {
		x.status, x.respHeader = resp.StatusCode, resp.Header.Clone()
	}
	w.mu.Lock()
	w.seen = append(w.seen, x)
	w.mu.Unlock()
	return resp, err
}

func (w *wire) exchanges() []exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.seen)
}

func newClient(t *testing.T, key, base string, w *wire, opts ...Option) *Client {
	t.Helper()
	c, err := New(key, append([]Option{WithBaseURL(base), WithHTTPClient(&http.Client{Transport: w})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func validInput() CheckoutInput {
	return CheckoutInput{
		Amount:            123450,
		Currency:          "EUR",
		Description:       "Milestone 2: Design",
		CustomerEmail:     "client@example.com",
		SuccessURL:        "https://accord.example/w/ws_1/pay/done?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:         "https://accord.example/w/ws_1/pay/cancel",
		ClientReferenceID: "inv_7f3k",
		Metadata: map[string]string{
			MetaWorkspace:  "ws_1",
			MetaEngagement: "eng_2",
			MetaMilestone:  "ms_3",
			MetaInvoice:    "inv_7f3k",
			MetaPurpose:    PurposeMilestone,
		},
		IdempotencyKey: "checkout:inv_7f3k:123450",
	}
}

func TestCreateCheckout(t *testing.T) {
	t.Parallel()
	base := stripetest.StartMock(t)
	w := &wire{}
	c := newClient(t, "sk_test_workspaceA", base, w)
	in := validInput()
	in.Metadata[MetaMilestone] = "" // a prepayment has no milestone: the key is not sent
	in.Metadata[MetaPurpose] = PurposePrepayment

	s, err := c.CreateCheckout(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	// What stripe-mock answers with: a fresh id and its fixture URL, our client_reference_id.
	if !strings.HasPrefix(s.ID, "cs_test_") {
		t.Errorf("ID = %q, want cs_test_…", s.ID)
	}
	if !strings.HasPrefix(s.URL, "https://checkout.stripe.com/") {
		t.Errorf("URL = %q, want https://checkout.stripe.com/…", s.URL)
	}
	if s.ClientReferenceID != in.ClientReferenceID {
		t.Errorf("ClientReferenceID = %q, want %q", s.ClientReferenceID, in.ClientReferenceID)
	}
	if s.Status != "open" || s.PaymentStatus != PaymentUnpaid {
		t.Errorf("Status, PaymentStatus = %q, %q, want open, unpaid", s.Status, s.PaymentStatus)
	}

	// What we sent.
	xs := w.exchanges()
	if len(xs) != 1 {
		t.Fatalf("%d requests, want 1", len(xs))
	}
	x := xs[0]
	if x.method != http.MethodPost || x.path != "/v1/checkout/sessions" || x.status != http.StatusOK {
		t.Errorf("request %s %s → %d, want POST /v1/checkout/sessions → 200", x.method, x.path, x.status)
	}
	for h, want := range map[string]string{
		"Authorization":   "Bearer sk_test_workspaceA",
		"Idempotency-Key": in.IdempotencyKey,
		"Stripe-Version":  stripe.APIVersion,
	} {
		if got := x.header.Get(h); got != want {
			t.Errorf("request header %s = %q, want %q", h, got, want)
		}
	}
	if got := x.respHeader.Get("Idempotency-Key"); got != in.IdempotencyKey {
		t.Errorf("stripe-mock echoed Idempotency-Key %q, want %q", got, in.IdempotencyKey)
	}
	want := url.Values{}
	for k, v := range map[string]string{
		"mode":                                   "payment",
		"success_url":                            in.SuccessURL,
		"cancel_url":                             in.CancelURL,
		"customer_email":                         in.CustomerEmail,
		"client_reference_id":                    in.ClientReferenceID,
		"line_items[0][quantity]":                "1",
		"line_items[0][price_data][currency]":    "eur",
		"line_items[0][price_data][unit_amount]": "123450",
		"line_items[0][price_data][product_data][name]": in.Description,
		"payment_intent_data[description]":              in.Description,
		"adaptive_pricing[enabled]":                     "false",
		"metadata[workspace_id]":                        "ws_1",
		"metadata[engagement_id]":                       "eng_2",
		"metadata[invoice_id]":                          "inv_7f3k",
		"metadata[purpose]":                             "prepayment",
		"payment_intent_data[metadata][workspace_id]":   "ws_1",
		"payment_intent_data[metadata][engagement_id]":  "eng_2",
		"payment_intent_data[metadata][invoice_id]":     "inv_7f3k",
		"payment_intent_data[metadata][purpose]":        "prepayment",
	} {
		want.Set(k, v)
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if got := x.form[k]; len(got) != 1 || got[0] != want.Get(k) {
			t.Errorf("form %s = %q, want %q", k, got, want.Get(k))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(x.form)) {
		if _, ok := want[k]; !ok {
			t.Errorf("form has unexpected %s = %q", k, x.form[k])
		}
	}
}

// TestCreateCheckoutStripeError: an error answer from Stripe comes back as a *stripe.Error.
func TestCreateCheckoutStripeError(t *testing.T) {
	t.Parallel()
	base := stripetest.StartMock(t)
	w := &wire{}
	c := newClient(t, "sk_live_workspaceA", base, w) // stripe-mock takes test-mode keys only
	_, err := c.CreateCheckout(context.Background(), validInput())
	var se *stripe.Error
	if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a *stripe.Error with status 401", err)
	}
	if errors.Is(err, ErrInvalidInput) {
		t.Errorf("err = %v wraps ErrInvalidInput; it came from Stripe", err)
	}
	if n := len(w.exchanges()); n != 1 {
		t.Errorf("%d requests, want 1 (a 401 is not retried)", n)
	}
}

func TestCreateCheckoutRefusesInput(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name   string
		change func(*CheckoutInput)
		want   string // in the error message
	}{
		{"zero amount", func(in *CheckoutInput) { in.Amount = 0 }, "amount must be positive"},
		{"negative amount", func(in *CheckoutInput) { in.Amount = -100 }, "amount must be positive"},
		{"no currency", func(in *CheckoutInput) { in.Currency = "" }, "3-letter"},
		{"two letters", func(in *CheckoutInput) { in.Currency = "eu" }, "3-letter"},
		{"four letters", func(in *CheckoutInput) { in.Currency = "euro" }, "3-letter"},
		{"digit", func(in *CheckoutInput) { in.Currency = "e1r" }, "3-letter"},
		{"not ASCII", func(in *CheckoutInput) { in.Currency = "€ur" }, "3-letter"},
		{"ISK not in hundredths", func(in *CheckoutInput) { in.Currency, in.Amount = "ISK", 150 }, "multiple of 100"},
		{"KWD last digit", func(in *CheckoutInput) { in.Currency, in.Amount = "kwd", 1005 }, "multiple of 10"},
		{"no description", func(in *CheckoutInput) { in.Description = "" }, "description"},
		{"blank description", func(in *CheckoutInput) { in.Description = "  \t" }, "description"},
		{"no idempotency key", func(in *CheckoutInput) { in.IdempotencyKey = "" }, "idempotency key is empty"},
		{"long idempotency key", func(in *CheckoutInput) { in.IdempotencyKey = long(256) }, "idempotency key is longer"},
		{"long client reference", func(in *CheckoutInput) { in.ClientReferenceID = long(201) }, "client reference id"},
		{"no success URL", func(in *CheckoutInput) { in.SuccessURL = "" }, "success URL"},
		{"relative success URL", func(in *CheckoutInput) { in.SuccessURL = "/pay/done" }, "success URL"},
		{"ftp success URL", func(in *CheckoutInput) { in.SuccessURL = "ftp://accord.example/done" }, "success URL"},
		{"javascript success URL", func(in *CheckoutInput) { in.SuccessURL = "javascript:alert(1)" }, "success URL"},
		{"success URL without host", func(in *CheckoutInput) { in.SuccessURL = "https:///done" }, "success URL"},
		{"unparsable success URL", func(in *CheckoutInput) { in.SuccessURL = "http://[::1" }, "success URL"},
		{"no cancel URL", func(in *CheckoutInput) { in.CancelURL = "" }, "cancel URL"},
		{"relative cancel URL", func(in *CheckoutInput) { in.CancelURL = "cancel" }, "cancel URL"},
		{"bad email", func(in *CheckoutInput) { in.CustomerEmail = "not-an-email" }, "customer email"},
		{"email with name", func(in *CheckoutInput) { in.CustomerEmail = "Jane <jane@example.com>" }, "customer email"},
		{"51 metadata keys", func(in *CheckoutInput) {
			for i := range 46 {
				in.Metadata[fmt.Sprint("k", i)] = "v"
			}
		}, "51 keys"},
		{"empty metadata key", func(in *CheckoutInput) { in.Metadata[""] = "v" }, "empty key"},
		{"long metadata key", func(in *CheckoutInput) { in.Metadata[long(41)] = "v" }, "longer than 40"},
		{"bracket in metadata key", func(in *CheckoutInput) { in.Metadata["a[b]"] = "v" }, "'['"},
		{"long metadata value", func(in *CheckoutInput) { in.Metadata["note"] = long(501) }, "longer than 500"},
	}
	w := &wire{}
	// Nothing listens on port 1; no request may even be tried.
	c := newClient(t, "sk_test_workspaceA", "http://127.0.0.1:1", w, WithMaxRetries(0))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.change(&in)
			_, err := c.CreateCheckout(context.Background(), in)
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to say %q", err, tc.want)
			}
		})
	}
	if xs := w.exchanges(); len(xs) != 0 {
		t.Errorf("%d requests were sent for refused input", len(xs))
	}
}

func TestCheckoutInputAccepts(t *testing.T) {
	tests := []struct {
		name   string
		change func(*CheckoutInput)
		cur    string
	}{
		{"as is", func(*CheckoutInput) {}, "eur"},
		{"lower case currency", func(in *CheckoutInput) { in.Currency = "usd" }, "usd"},
		{"yen", func(in *CheckoutInput) { in.Currency, in.Amount = "JPY", 5001 }, "jpy"},
		{"ISK in hundredths", func(in *CheckoutInput) { in.Currency, in.Amount = "ISK", 500 }, "isk"},
		{"KWD rounded", func(in *CheckoutInput) { in.Currency, in.Amount = "KWD", 5120 }, "kwd"},
		{"one minor unit", func(in *CheckoutInput) { in.Amount = 1 }, "eur"},
		{"http on localhost", func(in *CheckoutInput) { in.SuccessURL = "http://localhost:8080/pay/done" }, "eur"},
		{"no email", func(in *CheckoutInput) { in.CustomerEmail = "" }, "eur"},
		{"no client reference", func(in *CheckoutInput) { in.ClientReferenceID = "" }, "eur"},
		{"no metadata", func(in *CheckoutInput) { in.Metadata = nil }, "eur"},
		{"empty metadata value", func(in *CheckoutInput) { in.Metadata[MetaMilestone] = "" }, "eur"},
		{"limits reached", func(in *CheckoutInput) {
			in.ClientReferenceID = strings.Repeat("r", 200)
			in.IdempotencyKey = strings.Repeat("i", 255)
			in.Metadata[strings.Repeat("k", 40)] = strings.Repeat("v", 500)
			for i := range 44 {
				in.Metadata[fmt.Sprint("k", i)] = "v"
			}
		}, "eur"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validInput()
			tc.change(&in)
			cur, err := in.validate()
			if err != nil || cur != tc.cur {
				t.Errorf("validate() = %q, %v, want %q, nil", cur, err, tc.cur)
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name string
		key  string
		opts []Option
		want string // in the error; "" for none
	}{
		{"test key", "sk_test_abc", nil, ""},
		{"live key", "sk_live_abc", nil, ""},
		{"restricted key", "rk_live_abc", nil, ""},
		{"mock URL", "sk_test_abc", []Option{WithBaseURL("http://127.0.0.1:12111")}, ""},
		{"nil options", "sk_test_abc", []Option{nil, WithHTTPClient(nil)}, ""},
		{"empty key", "", nil, "empty secret key"},
		{"spaces", " sk_test_abc\n", nil, "spaces"},
		{"publishable key", "pk_live_abc", nil, "publishable"},
		{"webhook secret", "whsec_abc", nil, "must start with sk_ or rk_"},
		{"relative base URL", "sk_test_abc", []Option{WithBaseURL("127.0.0.1:12111")}, "base URL"},
		{"ftp base URL", "sk_test_abc", []Option{WithBaseURL("ftp://127.0.0.1")}, "base URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.key, tc.opts...)
			switch {
			case tc.want == "" && (err != nil || c == nil):
				t.Errorf("New = %v, %v, want a client", c, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("New = %v, %v, want an error saying %q", c, err, tc.want)
			}
		})
	}
}

// TestClientsKeepKeysApart: clients of two workspaces used at once each send their own key,
// and one client's base URL and HTTP client do not leak into another's.
func TestClientsKeepKeysApart(t *testing.T) {
	t.Parallel()
	base := stripetest.StartMock(t)
	keys := []string{"sk_test_workspaceA", "sk_test_workspaceB"}
	wires := []*wire{{}, {}}
	clients := []*Client{newClient(t, keys[0], base, wires[0]), newClient(t, keys[1], base, wires[1])}
	// A third client, made after the others, with another base URL where nothing listens.
	lost := &wire{}
	elsewhere := newClient(t, "sk_test_workspaceC", "http://127.0.0.1:1", lost, WithMaxRetries(0))

	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		for j, c := range clients {
			wg.Go(func() {
				in := validInput()
				in.IdempotencyKey = fmt.Sprintf("%s-%d", keys[j], i)
				if _, err := c.CreateCheckout(context.Background(), in); err != nil {
					errs <- fmt.Errorf("client %d: %w", j, err)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for j, w := range wires {
		xs := w.exchanges()
		if len(xs) != n {
			t.Errorf("client %d sent %d requests, want %d", j, len(xs), n)
		}
		for _, x := range xs {
			if got, want := x.header.Get("Authorization"), "Bearer "+keys[j]; got != want {
				t.Errorf("client %d sent Authorization %q, want %q", j, got, want)
			}
			if k := x.header.Get("Idempotency-Key"); !strings.HasPrefix(k, keys[j]+"-") {
				t.Errorf("client %d sent Idempotency-Key %q", j, k)
			}
		}
	}

	if _, err := elsewhere.CreateCheckout(context.Background(), validInput()); err == nil {
		t.Error("the client pointed where nothing listens succeeded")
	}
	if xs := lost.exchanges(); len(xs) != 1 || xs[0].header.Get("Authorization") != "Bearer sk_test_workspaceC" {
		t.Errorf("the third client's requests: %+v", xs)
	}
	if stripe.Key != "" {
		t.Errorf("stripe.Key = %q, want it never set", stripe.Key)
	}
}
