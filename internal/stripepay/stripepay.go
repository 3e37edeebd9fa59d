// Package stripepay takes card payments through Stripe Checkout on a workspace's own Stripe
// account, with that workspace's own secret key: no platform account, no Connect, no commission.
//
// A Client holds one secret key and its own connection settings; it never reads or sets
// stripe-go's package-global key or backends, so clients of two workspaces never mix.
// CreateCheckout opens a one-time payment page; VerifyEvent checks a webhook's signature and
// decodes the Checkout events Accord acts on; PeekMetadata reads an unverified webhook only
// to choose whose secret to verify it with.
package stripepay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strings"

	"github.com/stripe/stripe-go/v82"
)

// Metadata keys Accord puts on every Checkout Session and on its PaymentIntent.
const (
	MetaWorkspace  = "workspace_id"  // the workspace whose Stripe account takes the payment; webhooks are routed by it
	MetaEngagement = "engagement_id" // the engagement paid for
	MetaMilestone  = "milestone_id"  // the milestone paid for, when Purpose is PurposeMilestone
	MetaInvoice    = "invoice_id"    // Accord's invoice the payment settles
	MetaPurpose    = "purpose"       // what is paid: PurposePrepayment or PurposeMilestone
)

// Values of the MetaPurpose metadata key.
const (
	PurposePrepayment = "prepayment"
	PurposeMilestone  = "milestone"
)

// Payment statuses of a Checkout Session, as Stripe spells them.
const (
	PaymentPaid        = string(stripe.CheckoutSessionPaymentStatusPaid)              // the money is captured
	PaymentUnpaid      = string(stripe.CheckoutSessionPaymentStatusUnpaid)            // not paid yet, or an asynchronous method is still pending
	PaymentNotRequired = string(stripe.CheckoutSessionPaymentStatusNoPaymentRequired) // nothing to pay; never the case for a positive amount
)

// Stripe's documented limits, checked before a request is sent.
const (
	maxMetadataKeys     = 50
	maxMetadataKeyLen   = 40
	maxMetadataValueLen = 500
	maxClientRefLen     = 200
	maxIdempotencyLen   = 255
)

// ErrInvalidInput is wrapped by every error CreateCheckout returns for input it refuses before
// sending anything to Stripe.
var ErrInvalidInput = errors.New("stripepay: invalid checkout input")

// Client creates Checkout Sessions with one workspace's secret key. It is safe for concurrent use.
type Client struct {
	sc *stripe.Client
}

// Option configures a Client made by New.
type Option func(*config)

type config struct {
	baseURL    string
	httpClient *http.Client
	retries    *int64
}

// WithBaseURL sends API requests to base instead of https://api.stripe.com, e.g. to a
// stripe-mock on loopback in tests.
func WithBaseURL(base string) Option { return func(c *config) { c.baseURL = base } }

// WithHTTPClient sends API requests through hc; nil keeps stripe-go's default client,
// whose timeout is 80 seconds.
func WithHTTPClient(hc *http.Client) Option { return func(c *config) { c.httpClient = hc } }

// WithMaxRetries sets how many times a request is sent again after a network error or an
// answer Stripe marks as retryable; the default is stripe-go's, 2. Retries reuse the request's
// idempotency key, so they never create a second session.
func WithMaxRetries(n int) Option {
	return func(c *config) {
		r := int64(max(n, 0))
		c.retries = &r
	}
}

// New returns a Client that authenticates with secretKey, a secret ("sk_…") or restricted
// ("rk_…") key of the workspace's Stripe account. A publishable key ("pk_…") is refused.
func New(secretKey string, opts ...Option) (*Client, error) {
	switch {
	case secretKey == "":
		return nil, errors.New("stripepay: empty secret key")
	case strings.ContainsAny(secretKey, " \t\r\n"):
		return nil, errors.New("stripepay: secret key contains spaces or line breaks")
	case strings.HasPrefix(secretKey, "pk_"):
		return nil, errors.New("stripepay: a publishable key (pk_…) was given where the secret key (sk_…) is needed")
	case !strings.HasPrefix(secretKey, "sk_") && !strings.HasPrefix(secretKey, "rk_"):
		return nil, errors.New("stripepay: secret key must start with sk_ or rk_")
	}
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	bc := &stripe.BackendConfig{
		HTTPClient:        cfg.httpClient,
		MaxNetworkRetries: cfg.retries,
		// Errors are returned to the caller; stripe-go's default logger would also print them.
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if cfg.baseURL != "" {
		if err := checkHTTPURL(cfg.baseURL); err != nil {
			return nil, fmt.Errorf("stripepay: base URL: %w", err)
		}
		bc.URL = stripe.String(cfg.baseURL)
	}
	// Backends of our own, rather than stripe-go's package-level ones, so that the base URL,
	// HTTP client and retries of one Client never leak into another.
	sc := stripe.NewClient(secretKey, stripe.WithBackends(stripe.NewBackendsWithConfig(bc)))
	return &Client{sc: sc}, nil
}

// CheckoutInput describes one payment to take through Stripe Checkout.
type CheckoutInput struct {
	// Amount is what the customer pays, a positive count of the currency's smallest unit as
	// Stripe counts it: cents for EUR, yen for JPY. This is accord.Money's Amount for every
	// currency except ISK, which Stripe counts in hundredths (5 ISK is 500, a multiple of 100).
	// For the three-decimal currencies (BHD, JOD, KWD, OMR, TND) Stripe wants a multiple of 10.
	Amount int64
	// Currency is an ISO 4217 code; it is sent in lower case, as Stripe requires.
	Currency string
	// Description names the single line item on the payment page, e.g. "Milestone 2: Design";
	// it is also the PaymentIntent's description in the workspace's Stripe Dashboard.
	Description string
	// CustomerEmail prefills the payer's email; empty lets the payer type it.
	CustomerEmail string
	// SuccessURL and CancelURL are absolute http or https URLs the payer returns to.
	// SuccessURL may contain Stripe's {CHECKOUT_SESSION_ID} placeholder.
	SuccessURL, CancelURL string
	// ClientReferenceID is echoed back on the session in webhooks; at most 200 characters.
	ClientReferenceID string
	// Metadata is stored on the session and on its PaymentIntent; see the Meta… keys.
	// Stripe allows 50 keys of at most 40 characters, values of at most 500; keys may not
	// contain '[' or ']'. Keys with an empty value are not sent: Stripe would store nothing.
	Metadata map[string]string
	// IdempotencyKey is required: Stripe answers a repeated request with the same key with the
	// session it created the first time, for 24 hours. Derive it from what makes the payment
	// unique (e.g. the invoice id and amount); reusing a key with different input is an error.
	IdempotencyKey string
}

// Session is a Checkout Session as Stripe reports it.
type Session struct {
	ID                string            // "cs_…"
	URL               string            // the payment page to send the payer to; empty once the session is complete or expired
	Status            string            // "open", "complete" or "expired"
	PaymentStatus     string            // PaymentPaid, PaymentUnpaid or PaymentNotRequired
	AmountTotal       int64             // in the same units as CheckoutInput.Amount
	Currency          string            // lower case, e.g. "eur"
	ClientReferenceID string            // as given in CheckoutInput
	Metadata          map[string]string // as given in CheckoutInput
	PaymentIntentID   string            // "pi_…"; Stripe creates it only once the payer submits, so often empty at first
}

// CreateCheckout creates a one-time payment Checkout Session for in and returns it; the payer
// pays at Session.URL. Input is validated first, and refused input (ErrInvalidInput) sends no
// request. Stripe's own errors are returned wrapped; errors.As gives a *stripe.Error.
//
// The session has a single line item and Adaptive Pricing turned off, so the payer is charged
// exactly Amount in Currency, whatever the workspace's Dashboard setting, and the amount in the
// webhook can be compared with the invoice.
func (c *Client) CreateCheckout(ctx context.Context, in CheckoutInput) (Session, error) {
	cur, err := in.validate()
	if err != nil {
		return Session{}, err
	}
	var meta map[string]string
	for k, v := range in.Metadata {
		if v == "" {
			continue
		}
		if meta == nil {
			meta = make(map[string]string, len(in.Metadata))
		}
		meta[k] = v
	}
	desc := strings.TrimSpace(in.Description)
	p := &stripe.CheckoutSessionCreateParams{
		Mode:       stripe.String(string(stripe.CheckoutSessionModePayment)),
		SuccessURL: stripe.String(in.SuccessURL),
		CancelURL:  stripe.String(in.CancelURL),
		LineItems: []*stripe.CheckoutSessionCreateLineItemParams{{
			Quantity: stripe.Int64(1),
			PriceData: &stripe.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripe.String(cur),
				UnitAmount:  stripe.Int64(in.Amount),
				ProductData: &stripe.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripe.String(desc)},
			},
		}},
		PaymentIntentData: &stripe.CheckoutSessionCreatePaymentIntentDataParams{
			Description: stripe.String(desc),
			Metadata:    meta,
		},
		AdaptivePricing: &stripe.CheckoutSessionCreateAdaptivePricingParams{Enabled: stripe.Bool(false)},
		Metadata:        meta,
	}
	if in.CustomerEmail != "" {
		p.CustomerEmail = stripe.String(in.CustomerEmail)
	}
	if in.ClientReferenceID != "" {
		p.ClientReferenceID = stripe.String(in.ClientReferenceID)
	}
	p.SetIdempotencyKey(in.IdempotencyKey)
	s, err := c.sc.V1CheckoutSessions.Create(ctx, p)
	if err != nil {
		return Session{}, fmt.Errorf("stripepay: create checkout session: %w", err)
	}
	out := Session{
		ID:                s.ID,
		URL:               s.URL,
		Status:            string(s.Status),
		PaymentStatus:     string(s.PaymentStatus),
		AmountTotal:       s.AmountTotal,
		Currency:          string(s.Currency),
		ClientReferenceID: s.ClientReferenceID,
		Metadata:          s.Metadata,
	}
	if s.PaymentIntent != nil {
		out.PaymentIntentID = s.PaymentIntent.ID
	}
	return out, nil
}

// validate checks in against Stripe's rules and returns the currency as Stripe wants it.
func (in CheckoutInput) validate() (string, error) {
	bad := func(format string, a ...any) (string, error) {
		return "", fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, a...)...)
	}
	cur := strings.ToLower(in.Currency)
	switch {
	case in.Amount <= 0:
		return bad("amount must be positive, got %d", in.Amount)
	case len(cur) != 3 || strings.Trim(cur, "abcdefghijklmnopqrstuvwxyz") != "":
		return bad("currency must be a 3-letter ISO 4217 code, got %q", in.Currency)
	case cur == "isk" && in.Amount%100 != 0:
		return bad("Stripe counts ISK in hundredths: the amount must be a multiple of 100 (5 ISK is 500), got %d", in.Amount)
	case threeDecimal[cur] && in.Amount%10 != 0:
		return bad("Stripe wants %s amounts rounded to a multiple of 10, got %d", strings.ToUpper(cur), in.Amount)
	case strings.TrimSpace(in.Description) == "":
		return bad("description is empty")
	case in.IdempotencyKey == "":
		return bad("idempotency key is empty")
	case len(in.IdempotencyKey) > maxIdempotencyLen:
		return bad("idempotency key is longer than %d characters", maxIdempotencyLen)
	case len(in.ClientReferenceID) > maxClientRefLen:
		return bad("client reference id is longer than %d characters", maxClientRefLen)
	case len(in.Metadata) > maxMetadataKeys:
		return bad("metadata has %d keys, Stripe allows %d", len(in.Metadata), maxMetadataKeys)
	}
	if err := checkHTTPURL(in.SuccessURL); err != nil {
		return bad("success URL: %v", err)
	}
	if err := checkHTTPURL(in.CancelURL); err != nil {
		return bad("cancel URL: %v", err)
	}
	if in.CustomerEmail != "" {
		a, err := mail.ParseAddress(in.CustomerEmail)
		if err != nil || a.Address != in.CustomerEmail {
			return bad("customer email %q is not a plain email address", in.CustomerEmail)
		}
	}
	for k, v := range in.Metadata {
		switch {
		case k == "":
			return bad("metadata has an empty key")
		case len(k) > maxMetadataKeyLen:
			return bad("metadata key %q is longer than %d characters", k, maxMetadataKeyLen)
		case strings.ContainsAny(k, "[]"):
			return bad("metadata key %q contains '[' or ']'", k)
		case len(v) > maxMetadataValueLen:
			return bad("metadata value of %q is longer than %d characters", k, maxMetadataValueLen)
		}
	}
	return cur, nil
}

// threeDecimal lists the currencies for which Stripe wants amounts that end in 0.
var threeDecimal = map[string]bool{"bhd": true, "jod": true, "kwd": true, "omr": true, "tnd": true}

// checkHTTPURL reports why s is not an absolute http or https URL with a host.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	return nil
}
