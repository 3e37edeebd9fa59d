package stripepay

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v82"
)

// SignatureHeader is the HTTP header that carries a webhook's signature.
const SignatureHeader = "Stripe-Signature"

// Tolerance is how far a webhook's signed timestamp may be from now, either way.
const Tolerance = 5 * time.Minute

// The Checkout event types VerifyEvent decodes a session for.
const (
	// EventCheckoutCompleted: the payer finished Checkout. The money is in only when the
	// session's PaymentStatus is PaymentPaid; with an asynchronous method (e.g. SEPA debit)
	// it is PaymentUnpaid and one of the two async events follows.
	EventCheckoutCompleted = string(stripe.EventTypeCheckoutSessionCompleted)
	// EventCheckoutAsyncSucceeded: an asynchronous payment of a completed session succeeded.
	EventCheckoutAsyncSucceeded = string(stripe.EventTypeCheckoutSessionAsyncPaymentSucceeded)
	// EventCheckoutAsyncFailed: an asynchronous payment of a completed session failed.
	EventCheckoutAsyncFailed = string(stripe.EventTypeCheckoutSessionAsyncPaymentFailed)
	// EventCheckoutExpired: the session expired unpaid (24 hours after creation by default).
	EventCheckoutExpired = string(stripe.EventTypeCheckoutSessionExpired)
)

// Errors of VerifyEvent and PeekMetadata; each error returned wraps exactly one of them.
var (
	ErrNoSignature = errors.New("stripepay: webhook has no Stripe-Signature header")
	ErrHeader      = errors.New("stripepay: malformed Stripe-Signature header")
	ErrNoSecret    = errors.New("stripepay: empty webhook signing secret")
	ErrSignature   = errors.New("stripepay: no webhook signature matches the payload and secret")
	ErrStale       = errors.New("stripepay: webhook signature timestamp is older than the tolerance")
	ErrFuture      = errors.New("stripepay: webhook signature timestamp is further in the future than the tolerance")
	ErrPayload     = errors.New("stripepay: webhook payload is not a Stripe event")
)

// Event is a verified Stripe event.
type Event struct {
	ID         string    // "evt_…"; Stripe may deliver an event more than once, so handle each ID once
	Type       string    // e.g. EventCheckoutCompleted
	Created    time.Time // when Stripe created the event, in UTC
	APIVersion string    // the API version the webhook endpoint renders events with
	Livemode   bool      // false for test-mode keys and events
	// Checkout is the session of the four EventCheckout… types, nil for any other type.
	// Its URL is empty: Stripe drops it once a session is complete or expired.
	Checkout *Session
}

// VerifyEvent checks that payload was signed by Stripe with secret, the webhook endpoint's
// signing secret ("whsec_…"), and returns the event it carries.
//
// sigHeader is the Stripe-Signature header, "t=TIMESTAMP,v1=SIG[,v1=SIG…]", where each SIG is
// the hex HMAC-SHA256 of "TIMESTAMP." followed by the payload, keyed with the secret. Any one
// v1 signature that matches is enough (Stripe sends several while a secret is being rolled);
// v0 and unknown entries are ignored. The signature is checked first, then the timestamp must
// be within Tolerance of now, so ErrStale and ErrFuture mean an authentic but replayed or
// clock-skewed delivery. Pass the app's clock time as now.
//
// payload must be the request body exactly as received: re-encoded JSON fails the check.
// The event's API version need not match stripe-go's (see Event.APIVersion): only fields that
// are the same in every API version are decoded.
func VerifyEvent(payload []byte, sigHeader, secret string, now time.Time) (Event, error) {
	if secret == "" {
		return Event{}, ErrNoSecret
	}
	ts, sigs, err := parseSignatureHeader(sigHeader)
	if err != nil {
		return Event{}, err
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts, 10)))
	mac.Write([]byte{'.'})
	mac.Write(payload)
	want := mac.Sum(nil)
	ok := false
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			ok = true
		}
	}
	if !ok {
		return Event{}, ErrSignature
	}
	signed := time.Unix(ts, 0)
	if d := now.Sub(signed); d > Tolerance {
		return Event{}, fmt.Errorf("%w: signed at %s, %s before now", ErrStale, signed.UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	if d := signed.Sub(now); d > Tolerance {
		return Event{}, fmt.Errorf("%w: signed at %s, %s after now", ErrFuture, signed.UTC().Format(time.RFC3339), d.Round(time.Second))
	}
	return decodeEvent(payload)
}

// parseSignatureHeader returns the timestamp and the v1 signatures of a Stripe-Signature header.
// Values of v1 that are not 32 bytes of hex are kept as nil, which no HMAC equals.
func parseSignatureHeader(h string) (int64, [][]byte, error) {
	if strings.TrimSpace(h) == "" {
		return 0, nil, ErrNoSignature
	}
	var (
		ts     int64
		haveTS bool
		sigs   [][]byte
	)
	for item := range strings.SplitSeq(h, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(item), "=")
		if !found || k == "" {
			return 0, nil, fmt.Errorf("%w: %q is not key=value", ErrHeader, item)
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if haveTS || err != nil || n <= 0 || strings.Trim(v, "0123456789") != "" {
				return 0, nil, fmt.Errorf("%w: bad or repeated timestamp %q", ErrHeader, v)
			}
			ts, haveTS = n, true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				sig = nil
			}
			sigs = append(sigs, sig)
		}
	}
	switch {
	case !haveTS:
		return 0, nil, fmt.Errorf("%w: no timestamp (t=)", ErrHeader)
	case len(sigs) == 0:
		return 0, nil, fmt.Errorf("%w: no v1 signature", ErrHeader)
	}
	return ts, sigs, nil
}

// eventEnvelope and checkoutObject hold the fields Accord reads of an event and of a
// checkout.session. A workspace's webhook endpoint renders events with whatever API version it
// was created with, and stripe.Event and stripe.CheckoutSession follow only stripe-go's own
// version: decoding into them fails on fields whose type changed since (stripe.Event's
// "request" was a string before 2017-05-25). The fields here are the same in every version.
type eventEnvelope struct {
	ID         string           `json:"id"`
	Object     string           `json:"object"`
	Type       stripe.EventType `json:"type"`
	Created    int64            `json:"created"`
	APIVersion string           `json:"api_version"`
	Livemode   bool             `json:"livemode"`
	Data       struct {
		Object json.RawMessage `json:"object"`
	} `json:"data"`
}

type checkoutObject struct {
	ID                string                              `json:"id"`
	Object            string                              `json:"object"`
	URL               string                              `json:"url"`
	Status            stripe.CheckoutSessionStatus        `json:"status"`
	PaymentStatus     stripe.CheckoutSessionPaymentStatus `json:"payment_status"`
	AmountTotal       int64                               `json:"amount_total"`
	Currency          stripe.Currency                     `json:"currency"`
	ClientReferenceID string                              `json:"client_reference_id"`
	Metadata          map[string]string                   `json:"metadata"`
	PaymentIntent     json.RawMessage                     `json:"payment_intent"` // an id, null, or an expanded object
}

func decodeEvent(payload []byte) (Event, error) {
	var se eventEnvelope
	if err := json.Unmarshal(payload, &se); err != nil {
		return Event{}, fmt.Errorf("%w: %v", ErrPayload, err)
	}
	if se.Object != "event" || se.ID == "" || se.Type == "" || len(se.Data.Object) == 0 || bytes.Equal(se.Data.Object, []byte("null")) {
		return Event{}, fmt.Errorf("%w: object %q, id %q, type %q, data.object %d bytes", ErrPayload, se.Object, se.ID, se.Type, len(se.Data.Object))
	}
	ev := Event{
		ID:         se.ID,
		Type:       string(se.Type),
		Created:    time.Unix(se.Created, 0).UTC(),
		APIVersion: se.APIVersion,
		Livemode:   se.Livemode,
	}
	switch ev.Type {
	case EventCheckoutCompleted, EventCheckoutAsyncSucceeded, EventCheckoutAsyncFailed, EventCheckoutExpired:
	default:
		return ev, nil
	}
	var o checkoutObject
	if err := json.Unmarshal(se.Data.Object, &o); err != nil {
		return Event{}, fmt.Errorf("%w: %s: %v", ErrPayload, ev.Type, err)
	}
	if o.Object != "checkout.session" || o.ID == "" {
		return Event{}, fmt.Errorf("%w: %s carries object %q, id %q", ErrPayload, ev.Type, o.Object, o.ID)
	}
	pi, err := objectID(o.PaymentIntent)
	if err != nil {
		return Event{}, fmt.Errorf("%w: %s: payment_intent: %v", ErrPayload, ev.Type, err)
	}
	ev.Checkout = &Session{
		ID:                o.ID,
		URL:               o.URL,
		Status:            string(o.Status),
		PaymentStatus:     string(o.PaymentStatus),
		AmountTotal:       o.AmountTotal,
		Currency:          string(o.Currency),
		ClientReferenceID: o.ClientReferenceID,
		Metadata:          o.Metadata,
		PaymentIntentID:   pi,
	}
	return ev, nil
}

// objectID returns the id of an expandable field: a string id, null, or an object with an id.
func objectID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	if id, ok := stripe.ParseID(raw); ok {
		return id, nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return "", err
	}
	return o.ID, nil
}

// PeekMetadata returns data.object.metadata of a webhook payload WITHOUT verifying it, so the
// caller can read MetaWorkspace and pick that workspace's signing secret for VerifyEvent.
// Anyone can post anything to the webhook URL: nothing read here may be trusted or acted on,
// and the payload must be refused unless VerifyEvent then accepts it. An object without
// metadata gives an empty map; a payload that is not an event with a data object gives ErrPayload.
func PeekMetadata(payload []byte) (map[string]string, error) {
	var p struct {
		Data *struct {
			Object *struct {
				Metadata map[string]string `json:"metadata"`
			} `json:"object"`
		} `json:"data"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPayload, err)
	}
	if p.Data == nil || p.Data.Object == nil {
		return nil, fmt.Errorf("%w: no data.object", ErrPayload)
	}
	if p.Data.Object.Metadata == nil {
		return map[string]string{}, nil
	}
	return p.Data.Object.Metadata, nil
}
