package stripepay

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"

	"github.com/accordapp/accord/internal/stripepay/stripetest"
)

const secret = "whsec_test_workspaceA"

var t0 = time.Date(2030, 3, 1, 9, 30, 0, 0, time.UTC)

var sentinels = []error{ErrNoSignature, ErrHeader, ErrNoSecret, ErrSignature, ErrStale, ErrFuture, ErrPayload}

// checkErr fails unless err is nil when want is, or else wraps want and no other sentinel.
func checkErr(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	for _, s := range sentinels {
		if s != want && errors.Is(err, s) {
			t.Errorf("err = %v also wraps %v", err, s)
		}
	}
}

func completedPayload() []byte {
	return stripetest.CheckoutCompleted(stripetest.Checkout{
		AmountTotal:       123450,
		ClientReferenceID: "inv_7f3k",
		CustomerEmail:     "client@example.com",
		Metadata:          map[string]string{MetaWorkspace: "ws_1", MetaInvoice: "inv_7f3k", MetaPurpose: PurposePrepayment},
		Created:           t0,
	})
}

func TestVerifyEventSignature(t *testing.T) {
	payload := completedPayload()
	good := stripetest.Sign(payload, secret, t0)
	goodSig := strings.TrimPrefix(good, "t="+strconv.FormatInt(t0.Unix(), 10)+",v1=")
	ts := "t=" + strconv.FormatInt(t0.Unix(), 10)
	otherSig := strings.SplitN(stripetest.Sign(payload, "whsec_other", t0), "v1=", 2)[1]
	zeros := strings.Repeat("0", 64)
	// The reference implementation's header, from stripe-go's own test helper.
	stripeGo := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: t0}).Header

	tests := []struct {
		name    string
		payload []byte
		header  string
		secret  string
		now     time.Time
		want    error
	}{
		{"good", payload, good, secret, t0, nil},
		{"header made by stripe-go", payload, stripeGo, secret, t0, nil},
		{"received a little later", payload, good, secret, t0.Add(90 * time.Second), nil},
		{"at the tolerance", payload, good, secret, t0.Add(Tolerance), nil},
		{"signed a little ahead of our clock", payload, good, secret, t0.Add(-Tolerance), nil},
		{"stale", payload, good, secret, t0.Add(Tolerance + time.Second), ErrStale},
		{"replayed a day later", payload, good, secret, t0.Add(24 * time.Hour), ErrStale},
		{"future beyond tolerance", payload, good, secret, t0.Add(-Tolerance - time.Second), ErrFuture},
		{"bad signature", payload, ts + ",v1=" + zeros, secret, t0, ErrSignature},
		{"wrong secret", payload, good, "whsec_other", t0, ErrSignature},
		{"signed with another secret", payload, ts + ",v1=" + otherSig, secret, t0, ErrSignature},
		{"stale and wrong secret", payload, good, "whsec_other", t0.Add(time.Hour), ErrSignature},
		{"payload changed after signing", bytes.Replace(payload, []byte(`"amount_total": 123450`), []byte(`"amount_total": 1`), 1), good, secret, t0, ErrSignature},
		{"payload re-indented", compact(t, payload), good, secret, t0, ErrSignature},
		{"payload with a trailing newline", append(bytes.Clone(payload), '\n'), good, secret, t0, ErrSignature},
		{"timestamp changed after signing", payload, "t=" + strconv.FormatInt(t0.Unix()+1, 10) + ",v1=" + goodSig, secret, t0, ErrSignature},
		{"second of two v1 matches", payload, ts + ",v1=" + otherSig + ",v1=" + goodSig, secret, t0, nil},
		{"first of two v1 matches", payload, ts + ",v1=" + goodSig + ",v1=" + otherSig, secret, t0, nil},
		{"v0 and unknown entries ignored", payload, ts + ",v0=" + zeros + ",v1=" + goodSig + ",x=y", secret, t0, nil},
		{"upper-case hex", payload, ts + ",v1=" + strings.ToUpper(goodSig), secret, t0, nil},
		{"spaces around entries", payload, ts + ", v1=" + goodSig, secret, t0, nil},
		{"no v1 of many matches", payload, ts + ",v1=" + otherSig + ",v1=" + zeros, secret, t0, ErrSignature},
		{"v1 not hex", payload, ts + ",v1=zz", secret, t0, ErrSignature},
		{"v1 truncated", payload, ts + ",v1=" + goodSig[:62], secret, t0, ErrSignature},
		{"only a v0", payload, ts + ",v0=" + goodSig, secret, t0, ErrHeader},
		{"missing header", payload, "", secret, t0, ErrNoSignature},
		{"blank header", payload, "  ", secret, t0, ErrNoSignature},
		{"garbage", payload, "garbage", secret, t0, ErrHeader},
		{"no timestamp", payload, "v1=" + goodSig, secret, t0, ErrHeader},
		{"no signature", payload, ts, secret, t0, ErrHeader},
		{"timestamp not a number", payload, "t=abc,v1=" + goodSig, secret, t0, ErrHeader},
		{"timestamp with a sign", payload, "t=+" + strconv.FormatInt(t0.Unix(), 10) + ",v1=" + goodSig, secret, t0, ErrHeader},
		{"negative timestamp", payload, "t=-5,v1=" + goodSig, secret, t0, ErrHeader},
		{"empty timestamp", payload, "t=,v1=" + goodSig, secret, t0, ErrHeader},
		{"two timestamps", payload, ts + "," + ts + ",v1=" + goodSig, secret, t0, ErrHeader},
		{"empty entry", payload, ts + ",,v1=" + goodSig, secret, t0, ErrHeader},
		{"entry without =", payload, ts + ",v1" + goodSig, secret, t0, ErrHeader},
		{"JSON instead of a header", payload, `{"t":1,"v1":"x"}`, secret, t0, ErrHeader},
		{"no secret", payload, good, "", t0, ErrNoSecret},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := VerifyEvent(tc.payload, tc.header, tc.secret, tc.now)
			checkErr(t, err, tc.want)
			if err == nil && ev.ID != stripetest.DefaultEventID {
				t.Errorf("ID = %q", ev.ID)
			}
			if err != nil && !reflect.DeepEqual(ev, Event{}) {
				t.Errorf("an error came with an event: %+v", ev)
			}
		})
	}
}

// TestSignMatchesStripeGo: stripetest.Sign makes headers stripe-go's own verifier accepts.
func TestSignMatchesStripeGo(t *testing.T) {
	payload := completedPayload()
	at := time.Now() // stripe-go checks against its own clock
	if err := webhook.ValidatePayload(payload, stripetest.Sign(payload, secret, at), secret); err != nil {
		t.Fatalf("stripe-go refuses stripetest.Sign: %v", err)
	}
	if _, err := webhook.ConstructEvent(payload, stripetest.Sign(payload, secret, at), secret); err != nil {
		t.Fatalf("stripe-go refuses the event of stripetest.CheckoutCompleted: %v", err)
	}
}

func compact(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestVerifyEventDecodes(t *testing.T) {
	meta := map[string]string{MetaWorkspace: "ws_1", MetaEngagement: "eng_2", MetaMilestone: "ms_3", MetaInvoice: "inv_9", MetaPurpose: PurposeMilestone}
	fixture := stripetest.Checkout{
		EventID:           "evt_1Q9",
		SessionID:         "cs_test_b2",
		PaymentIntentID:   "pi_3Q9",
		AmountTotal:       98700,
		Currency:          "chf",
		ClientReferenceID: "inv_9",
		CustomerEmail:     "client@example.com",
		Metadata:          meta,
		Created:           t0,
	}
	tests := []struct {
		typ                     string
		status, payStatus, piID string
	}{
		{EventCheckoutCompleted, "complete", PaymentPaid, "pi_3Q9"},
		{EventCheckoutAsyncSucceeded, "complete", PaymentPaid, "pi_3Q9"},
		{EventCheckoutAsyncFailed, "complete", PaymentUnpaid, "pi_3Q9"},
		{EventCheckoutExpired, "expired", PaymentUnpaid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			f := fixture
			if tc.typ == EventCheckoutExpired {
				f.PaymentIntentID = "" // an expired session never had a PaymentIntent: null
			}
			payload := stripetest.CheckoutEvent(tc.typ, f)
			ev, err := VerifyEvent(payload, stripetest.Sign(payload, secret, t0), secret, t0.Add(time.Second))
			if err != nil {
				t.Fatal(err)
			}
			want := Event{
				ID: "evt_1Q9", Type: tc.typ, Created: t0, APIVersion: stripe.APIVersion, Livemode: false,
				Checkout: &Session{
					ID: "cs_test_b2", Status: tc.status, PaymentStatus: tc.payStatus,
					AmountTotal: 98700, Currency: "chf", ClientReferenceID: "inv_9",
					Metadata: meta, PaymentIntentID: tc.piID,
				},
			}
			if !reflect.DeepEqual(ev, want) {
				t.Errorf("event\n got %+v %+v\nwant %+v %+v", ev, ev.Checkout, want, want.Checkout)
			}
		})
	}
}

// verifyRaw signs a payload written by hand and verifies it.
func verifyRaw(t *testing.T, payload string) (Event, error) {
	t.Helper()
	return VerifyEvent([]byte(payload), stripetest.Sign([]byte(payload), secret, t0), secret, t0)
}

func TestVerifyEventOtherShapes(t *testing.T) {
	t.Run("other event type, old API version", func(t *testing.T) {
		// Before 2017-05-25 "request" was a string; stripe.Event cannot decode that.
		ev, err := verifyRaw(t, `{"id":"evt_old","object":"event","api_version":"2017-02-14","created":1893490200,
			"data":{"object":{"id":"ch_1","object":"charge","metadata":{"workspace_id":"ws_1"}}},
			"livemode":true,"pending_webhooks":1,"request":"req_1","type":"charge.refunded"}`)
		if err != nil {
			t.Fatal(err)
		}
		want := Event{ID: "evt_old", Type: "charge.refunded", Created: time.Unix(1893490200, 0).UTC(), APIVersion: "2017-02-14", Livemode: true}
		if !reflect.DeepEqual(ev, want) {
			t.Errorf("got %+v, want %+v", ev, want)
		}
	})
	t.Run("expanded payment_intent", func(t *testing.T) {
		var m map[string]any
		if err := json.Unmarshal(completedPayload(), &m); err != nil {
			t.Fatal(err)
		}
		m["data"].(map[string]any)["object"].(map[string]any)["payment_intent"] = map[string]any{"id": "pi_expanded", "object": "payment_intent", "amount": 123450}
		b, _ := json.Marshal(m)
		ev, err := verifyRaw(t, string(b))
		if err != nil {
			t.Fatal(err)
		}
		if ev.Checkout == nil || ev.Checkout.PaymentIntentID != "pi_expanded" {
			t.Errorf("Checkout = %+v, want PaymentIntentID pi_expanded", ev.Checkout)
		}
	})
	t.Run("session URL and nulls", func(t *testing.T) {
		ev, err := verifyRaw(t, `{"id":"evt_2","object":"event","created":1893490200,"type":"checkout.session.completed",
			"data":{"object":{"id":"cs_1","object":"checkout.session","url":"https://checkout.stripe.com/c/pay/cs_1",
			"amount_total":null,"currency":null,"client_reference_id":null,"metadata":null,"payment_intent":null}}}`)
		if err != nil {
			t.Fatal(err)
		}
		want := &Session{ID: "cs_1", URL: "https://checkout.stripe.com/c/pay/cs_1"}
		if !reflect.DeepEqual(ev.Checkout, want) {
			t.Errorf("Checkout = %+v, want %+v", ev.Checkout, want)
		}
	})

	bad := []struct{ name, payload string }{
		{"not JSON", `hello`},
		{"a JSON array", `[1,2]`},
		{"not an event", `{"id":"cs_1","object":"checkout.session"}`},
		{"a v2 thin event", `{"id":"evt_1","object":"v2.core.event","type":"v1.billing.meter.error_report_triggered","created":"2030-03-01T09:30:00Z"}`},
		{"no id", `{"object":"event","type":"charge.refunded","data":{"object":{}}}`},
		{"no type", `{"id":"evt_1","object":"event","data":{"object":{}}}`},
		{"no data", `{"id":"evt_1","object":"event","type":"charge.refunded"}`},
		{"null object", `{"id":"evt_1","object":"event","type":"charge.refunded","data":{"object":null}}`},
		{"checkout type carrying a charge", `{"id":"evt_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"ch_1","object":"charge"}}}`},
		{"amount_total a string", `{"id":"evt_1","object":"event","type":"checkout.session.completed","data":{"object":{"id":"cs_1","object":"checkout.session","amount_total":"12"}}}`},
		{"metadata value not a string", `{"id":"evt_1","object":"event","type":"checkout.session.expired","data":{"object":{"id":"cs_1","object":"checkout.session","metadata":{"n":1}}}}`},
		{"payment_intent a number", `{"id":"evt_1","object":"event","type":"checkout.session.expired","data":{"object":{"id":"cs_1","object":"checkout.session","payment_intent":7}}}`},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := verifyRaw(t, tc.payload)
			checkErr(t, err, ErrPayload)
		})
	}
}

func TestPeekMetadata(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    map[string]string
		err     error
	}{
		{"checkout event", string(completedPayload()), map[string]string{MetaWorkspace: "ws_1", MetaInvoice: "inv_7f3k", MetaPurpose: PurposePrepayment}, nil},
		{"unsigned junk with metadata", `{"data":{"object":{"metadata":{"workspace_id":"ws_evil"}}}}`, map[string]string{MetaWorkspace: "ws_evil"}, nil},
		{"no metadata", `{"data":{"object":{"id":"cs_1"}}}`, map[string]string{}, nil},
		{"null metadata", `{"data":{"object":{"metadata":null}}}`, map[string]string{}, nil},
		{"not JSON", `hello`, nil, ErrPayload},
		{"no data", `{"id":"evt_1"}`, nil, ErrPayload},
		{"no object", `{"data":{}}`, nil, ErrPayload},
		{"metadata not strings", `{"data":{"object":{"metadata":{"workspace_id":7}}}}`, nil, ErrPayload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PeekMetadata([]byte(tc.payload))
			checkErr(t, err, tc.err)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}
