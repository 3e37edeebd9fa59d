package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/record"
)

// The workspace's Stripe keys are kept sealed: the database holds neither, this server opens
// both, a server with another record secret opens neither, and a key kept before sealing reads.
func TestStripeKeysAreSealedAtRest(t *testing.T) {
	ctx := context.Background()
	a, f := newTestApp(t, t.TempDir())
	if err := a.SaveBilling(ctx, f, BillingInput{StripeSecretKey: "sk_test_secret", StripeWebhookSecret: "whsec_secret"}); err != nil {
		t.Fatal(err)
	}
	raw, err := a.Billing(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw.StripeSecretKey+raw.StripeWebhookSecret, "secret") || !strings.HasPrefix(raw.StripeSecretKey, sealedPrefix) {
		t.Fatalf("the database keeps %q, %q", raw.StripeSecretKey, raw.StripeWebhookSecret)
	}
	if !raw.CardPayments() {
		t.Error("sealed keys do not count as set up")
	}
	open, err := a.openBilling(f.WorkspaceID, raw)
	if err != nil || open.StripeSecretKey != "sk_test_secret" || open.StripeWebhookSecret != "whsec_secret" {
		t.Fatalf("opened: %q %q %v", open.StripeSecretKey, open.StripeWebhookSecret, err)
	}
	if _, err := a.openBilling("ws_other", raw); !errors.Is(err, errSealed) {
		t.Errorf("another workspace's seal opened them: %v", err)
	}
	other := New(a.Store, nil, a.Clock, a.Catalog)
	other.Keys = record.NewKeys([]byte("another record secret, 32 bytes!"))
	if _, err := other.openBilling(f.WorkspaceID, raw); !errors.Is(err, errSealed) {
		t.Errorf("another record secret opened them: %v", err)
	}
	if b, err := a.openBilling(f.WorkspaceID, accord.Billing{StripeSecretKey: "sk_test_old"}); err != nil || b.StripeSecretKey != "sk_test_old" {
		t.Errorf("a key kept before sealing: %q %v", b.StripeSecretKey, err)
	}
	// Saved again with the keys left blank, they stay as they were.
	if err := a.SaveBilling(ctx, f, BillingInput{LegalName: "Ana ET"}); err != nil {
		t.Fatal(err)
	}
	again, _ := a.Billing(ctx, f)
	if reopened, err := a.openBilling(f.WorkspaceID, again); err != nil || reopened.StripeSecretKey != "sk_test_secret" {
		t.Errorf("after a save without keys: %q %v", reopened.StripeSecretKey, err)
	}
}
