// Package stripetest helps test code that uses stripepay: it signs webhook payloads as Stripe
// does, builds realistic Checkout events, and runs stripe-mock on loopback.
package stripetest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// Sign returns a Stripe-Signature header for payload signed with secret at the time at:
// "t=UNIX,v1=HEX", HEX being the HMAC-SHA256 of "UNIX." followed by payload, as Stripe signs.
func Sign(payload []byte, secret string, at time.Time) string {
	t := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "."))
	mac.Write(payload)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Defaults of Checkout's zero fields.
const (
	DefaultEventID         = "evt_1QaccordTestEvent0001"
	DefaultSessionID       = "cs_test_a1accordTestSession0001"
	DefaultPaymentIntentID = "pi_3QaccordTestIntent0001"
	DefaultCurrency        = "eur"
	DefaultSuccessURL      = "https://accord.example/pay/success?session_id={CHECKOUT_SESSION_ID}"
	DefaultCancelURL       = "https://accord.example/pay/cancel"
)

// DefaultCreated is the time of events whose Checkout.Created is zero.
var DefaultCreated = time.Date(2030, 3, 1, 9, 30, 0, 0, time.UTC)

// Checkout describes the event and session an event builder renders. Zero IDs, Currency,
// URLs, Created and APIVersion take the defaults above (APIVersion defaults to stripe-go's);
// an empty PaymentStatus takes the one Stripe sends with the event type. AmountTotal,
// ClientReferenceID, CustomerEmail and Metadata are used as given.
type Checkout struct {
	EventID           string
	SessionID         string
	PaymentIntentID   string // empty: the default, except for checkout.session.expired, where it is null
	AmountTotal       int64
	Currency          string
	ClientReferenceID string
	CustomerEmail     string
	Metadata          map[string]string
	PaymentStatus     string
	SuccessURL        string
	CancelURL         string
	Created           time.Time // when the event is created; the session was created two minutes earlier
	APIVersion        string
	Livemode          bool
}

// CheckoutCompleted returns the JSON body of a checkout.session.completed event for c, with the
// fields Stripe sends; the session is complete and, unless c says otherwise, paid.
func CheckoutCompleted(c Checkout) []byte {
	return CheckoutEvent(string(stripe.EventTypeCheckoutSessionCompleted), c)
}

// CheckoutEvent returns the JSON body of a Checkout event of the given type for c:
// checkout.session.completed, .async_payment_succeeded, .async_payment_failed or .expired.
// The session's status and default payment status follow the type, as Stripe sets them.
func CheckoutEvent(eventType string, c Checkout) []byte {
	c.EventID = or(c.EventID, DefaultEventID)
	c.SessionID = or(c.SessionID, DefaultSessionID)
	c.Currency = or(c.Currency, DefaultCurrency)
	c.SuccessURL = or(c.SuccessURL, DefaultSuccessURL)
	c.CancelURL = or(c.CancelURL, DefaultCancelURL)
	c.APIVersion = or(c.APIVersion, stripe.APIVersion)
	if c.Created.IsZero() {
		c.Created = DefaultCreated
	}
	status, payStatus, pi := "complete", "paid", any(or(c.PaymentIntentID, DefaultPaymentIntentID))
	switch stripe.EventType(eventType) {
	case stripe.EventTypeCheckoutSessionAsyncPaymentFailed:
		payStatus = "unpaid"
	case stripe.EventTypeCheckoutSessionExpired:
		status, payStatus = "expired", "unpaid"
		if c.PaymentIntentID == "" {
			pi = nil
		}
	}
	payStatus = or(c.PaymentStatus, payStatus)
	var details any
	if status == "complete" {
		details = map[string]any{
			"address": map[string]any{
				"city": nil, "country": "DE", "line1": nil, "line2": nil, "postal_code": nil, "state": nil,
			},
			"business_name": nil, "email": or(c.CustomerEmail, "client@example.com"), "individual_name": nil,
			"name": "Jane Client", "phone": nil, "tax_exempt": "none", "tax_ids": []any{},
		}
	}
	meta := c.Metadata
	if meta == nil {
		meta = map[string]string{}
	}
	created := c.Created.Add(-2 * time.Minute).Unix()
	s := session{
		ID:                      c.SessionID,
		Object:                  "checkout.session",
		AdaptivePricing:         map[string]any{"enabled": false},
		AmountSubtotal:          c.AmountTotal,
		AmountTotal:             c.AmountTotal,
		AutomaticTax:            map[string]any{"enabled": false, "liability": nil, "provider": nil, "status": nil},
		CancelURL:               c.CancelURL,
		ClientReferenceID:       null(c.ClientReferenceID),
		CollectedInformation:    map[string]any{"business_name": nil, "individual_name": nil, "shipping_details": nil},
		Created:                 created,
		Currency:                c.Currency,
		CustomFields:            []any{},
		CustomText:              map[string]any{"after_submit": nil, "shipping_address": nil, "submit": nil, "terms_of_service_acceptance": nil},
		CustomerCreation:        "if_required",
		CustomerDetails:         details,
		CustomerEmail:           null(c.CustomerEmail),
		Discounts:               []any{},
		ExpiresAt:               created + 24*60*60,
		InvoiceCreation:         map[string]any{"enabled": false, "invoice_data": map[string]any{"account_tax_ids": nil, "custom_fields": nil, "description": nil, "footer": nil, "issuer": nil, "metadata": map[string]any{}, "rendering_options": nil}},
		Livemode:                c.Livemode,
		Metadata:                meta,
		Mode:                    "payment",
		PaymentIntent:           pi,
		PaymentMethodCollection: "if_required",
		PaymentMethodConfig:     map[string]any{"id": "pmc_1QaccordTestConfig01", "parent": nil},
		PaymentMethodOptions:    map[string]any{"card": map[string]any{"request_three_d_secure": "automatic"}},
		PaymentMethodTypes:      []string{"card", "link"},
		PaymentStatus:           payStatus,
		PhoneNumberCollection:   map[string]any{"enabled": false},
		ShippingOptions:         []any{},
		Status:                  status,
		SuccessURL:              c.SuccessURL,
		TotalDetails:            map[string]any{"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
		UIMode:                  "hosted",
	}
	e := event{
		ID:              c.EventID,
		Object:          "event",
		APIVersion:      c.APIVersion,
		Created:         c.Created.Unix(),
		Livemode:        c.Livemode,
		PendingWebhooks: 1,
		Request:         map[string]any{"id": nil, "idempotency_key": nil},
		Type:            eventType,
	}
	e.Data.Object = s
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // Stripe does not escape & < > in URLs
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		panic(err) // only plain values above
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// event and session list their fields in the order Stripe sends them.
type event struct {
	ID         string `json:"id"`
	Object     string `json:"object"`
	APIVersion string `json:"api_version"`
	Created    int64  `json:"created"`
	Data       struct {
		Object session `json:"object"`
	} `json:"data"`
	Livemode        bool   `json:"livemode"`
	PendingWebhooks int    `json:"pending_webhooks"`
	Request         any    `json:"request"`
	Type            string `json:"type"`
}

type session struct {
	ID                       string            `json:"id"`
	Object                   string            `json:"object"`
	AdaptivePricing          any               `json:"adaptive_pricing"`
	AfterExpiration          any               `json:"after_expiration"`
	AllowPromotionCodes      any               `json:"allow_promotion_codes"`
	AmountSubtotal           int64             `json:"amount_subtotal"`
	AmountTotal              int64             `json:"amount_total"`
	AutomaticTax             any               `json:"automatic_tax"`
	BillingAddressCollection any               `json:"billing_address_collection"`
	CancelURL                string            `json:"cancel_url"`
	ClientReferenceID        any               `json:"client_reference_id"`
	ClientSecret             any               `json:"client_secret"`
	CollectedInformation     any               `json:"collected_information"`
	Consent                  any               `json:"consent"`
	ConsentCollection        any               `json:"consent_collection"`
	Created                  int64             `json:"created"`
	Currency                 string            `json:"currency"`
	CurrencyConversion       any               `json:"currency_conversion"`
	CustomFields             []any             `json:"custom_fields"`
	CustomText               any               `json:"custom_text"`
	Customer                 any               `json:"customer"`
	CustomerCreation         string            `json:"customer_creation"`
	CustomerDetails          any               `json:"customer_details"`
	CustomerEmail            any               `json:"customer_email"`
	Discounts                []any             `json:"discounts"`
	ExpiresAt                int64             `json:"expires_at"`
	Invoice                  any               `json:"invoice"`
	InvoiceCreation          any               `json:"invoice_creation"`
	Livemode                 bool              `json:"livemode"`
	Locale                   any               `json:"locale"`
	Metadata                 map[string]string `json:"metadata"`
	Mode                     string            `json:"mode"`
	OriginContext            any               `json:"origin_context"`
	PaymentIntent            any               `json:"payment_intent"`
	PaymentLink              any               `json:"payment_link"`
	PaymentMethodCollection  string            `json:"payment_method_collection"`
	PaymentMethodConfig      any               `json:"payment_method_configuration_details"`
	PaymentMethodOptions     any               `json:"payment_method_options"`
	PaymentMethodTypes       []string          `json:"payment_method_types"`
	PaymentStatus            string            `json:"payment_status"`
	Permissions              any               `json:"permissions"`
	PhoneNumberCollection    any               `json:"phone_number_collection"`
	RecoveredFrom            any               `json:"recovered_from"`
	SavedPaymentMethodOption any               `json:"saved_payment_method_options"`
	SetupIntent              any               `json:"setup_intent"`
	ShippingAddressColl      any               `json:"shipping_address_collection"`
	ShippingCost             any               `json:"shipping_cost"`
	ShippingOptions          []any             `json:"shipping_options"`
	Status                   string            `json:"status"`
	SubmitType               any               `json:"submit_type"`
	Subscription             any               `json:"subscription"`
	SuccessURL               string            `json:"success_url"`
	TotalDetails             any               `json:"total_details"`
	UIMode                   string            `json:"ui_mode"`
	URL                      any               `json:"url"` // null once a session is complete or expired
	WalletOptions            any               `json:"wallet_options"`
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// null is s, or JSON null when s is empty, as Stripe sends unset strings.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
