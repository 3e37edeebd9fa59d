package stripepay_test

import (
	"fmt"
	"time"

	"github.com/accordapp/accord/internal/stripepay"
	"github.com/accordapp/accord/internal/stripepay/stripetest"
)

// A webhook handler picks the workspace's signing secret by the unverified metadata, verifies
// the event with it, and only then trusts what the event says.
func ExampleVerifyEvent() {
	secrets := map[string]string{"ws_1": "whsec_test_ws1"} // each workspace's endpoint secret
	now := time.Date(2030, 3, 1, 9, 30, 4, 0, time.UTC)    // from the app's clock

	// What Stripe posts: the body and its Stripe-Signature header.
	body := stripetest.CheckoutCompleted(stripetest.Checkout{
		AmountTotal: 123450,
		Metadata: map[string]string{
			stripepay.MetaWorkspace: "ws_1", stripepay.MetaInvoice: "inv_1", stripepay.MetaPurpose: stripepay.PurposePrepayment,
		},
		Created: now.Add(-4 * time.Second),
	})
	header := stripetest.Sign(body, "whsec_test_ws1", now.Add(-3*time.Second))

	meta, err := stripepay.PeekMetadata(body)
	if err != nil {
		fmt.Println("400:", err)
		return
	}
	secret, ok := secrets[meta[stripepay.MetaWorkspace]]
	if !ok {
		fmt.Println("not ours")
		return
	}
	ev, err := stripepay.VerifyEvent(body, header, secret, now)
	if err != nil {
		fmt.Println("400:", err)
		return
	}
	switch ev.Type {
	case stripepay.EventCheckoutCompleted, stripepay.EventCheckoutAsyncSucceeded:
		if s := ev.Checkout; s.PaymentStatus == stripepay.PaymentPaid {
			fmt.Println(ev.ID, "paid", s.Metadata[stripepay.MetaInvoice], s.AmountTotal, s.Currency)
		}
	}
	// Output: evt_1QaccordTestEvent0001 paid inv_1 123450 eur
}
