package storetest

import (
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/accordapp/accord"
)

// Billing details are kept per workspace and per client, apart, and start empty.
func testBilling(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	other := NewFixture(t, st)
	ws := accord.Billing{LegalName: "Anna Petrova ET", Address: "1 Vitosha Blvd\nSofia", TaxID: "BG123456789", Prefix: "AP", TaxRate: 2000,
		StripeSecretKey: "sk_test_1", StripeWebhookSecret: "whsec_1"}
	cl := accord.ClientBilling{LegalName: "Кафе Норд ООД", Address: "ул. Шипка 3", TaxID: "BG987654321"}
	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		if b, err := tx.Billing(f.Workspace.ID); err != nil || b != (accord.Billing{}) {
			t.Errorf("billing before any is set: %+v, %v", b, err)
		}
		if err := tx.SetBilling(f.Workspace.ID, ws); err != nil {
			return err
		}
		if err := tx.SetBilling(f.Workspace.ID, ws); err != nil { // saved again, not added
			return err
		}
		return tx.SetClientBilling(f.Workspace.ID, f.Client.ID, cl)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Read(opCtx(t), func(tx accord.Tx) error {
		if b, err := tx.Billing(f.Workspace.ID); err != nil || b != ws {
			t.Errorf("billing: %+v, %v", b, err)
		}
		if b, err := tx.ClientBilling(f.Workspace.ID, f.Client.ID); err != nil || b != cl {
			t.Errorf("client billing: %+v, %v", b, err)
		}
		if b, err := tx.Billing(other.Workspace.ID); err != nil || b != (accord.Billing{}) {
			t.Errorf("another workspace's billing: %+v, %v", b, err)
		}
		if b, err := tx.ClientBilling(other.Workspace.ID, f.Client.ID); err != nil || b != (accord.ClientBilling{}) {
			t.Errorf("the client's billing seen from another workspace: %+v, %v", b, err)
		}
		if all, err := tx.ClientBillings(f.Workspace.ID); err != nil || len(all) != 1 || all[f.Client.ID] != cl {
			t.Errorf("the workspace's clients' billing: %+v, %v", all, err)
		}
		if all, err := tx.ClientBillings(other.Workspace.ID); err != nil || len(all) != 0 {
			t.Errorf("another workspace's clients' billing: %+v, %v", all, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Invoice numbers run from 1 each year in each workspace, and have no gaps under concurrent
// issue: a transaction that rolls back after taking a number gives it back.
func testInvoiceSeq(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	other := NewFixture(t, st)
	take := func(ws string, year int) int {
		var n int
		if err := st.Write(opCtx(t), func(tx accord.Tx) (err error) { n, err = tx.NextInvoiceSeq(ws, year); return err }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if a, b, c, d := take(f.Workspace.ID, 2026), take(f.Workspace.ID, 2026), take(f.Workspace.ID, 2027), take(other.Workspace.ID, 2026); a != 1 || b != 2 || c != 1 || d != 1 {
		t.Fatalf("numbers %d %d, next year %d, other workspace %d; want 1 2 1 1", a, b, c, d)
	}

	const writers, each = 8, 12
	refused := errors.New("refused after taking a number")
	var mu sync.Mutex
	var kept []int
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				var n int
				err := st.Write(opCtx(t), func(tx accord.Tx) (err error) {
					if n, err = tx.NextInvoiceSeq(f.Workspace.ID, 2030); err != nil {
						return err
					}
					if (w+i)%3 == 0 {
						return refused
					}
					return nil
				})
				switch {
				case errors.Is(err, refused):
				case err != nil:
					errs <- err
					return
				default:
					mu.Lock()
					kept = append(kept, n)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	slices.Sort(kept)
	for i, n := range kept {
		if n != i+1 {
			t.Fatalf("the committed numbers are %v: a gap or a repeat at %d", kept, i+1)
		}
	}
	if len(kept) == 0 || len(kept) == writers*each {
		t.Fatalf("%d of %d issues committed; the test wants some of each", len(kept), writers*each)
	}
}

// A Stripe event is taken once per workspace, and not at all if its transaction rolls back.
func testStripeEvents(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	other := NewFixture(t, st)
	take := func(ws, id string) bool {
		var ok bool
		if err := st.Write(opCtx(t), func(tx accord.Tx) (err error) { ok, err = tx.TakeStripeEvent(ws, id, T0); return err }); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	refused := errors.New("refused")
	if err := st.Write(opCtx(t), func(tx accord.Tx) error {
		if _, err := tx.TakeStripeEvent(f.Workspace.ID, "evt_1", T0); err != nil {
			return err
		}
		return refused
	}); !errors.Is(err, refused) {
		t.Fatal(err)
	}
	if !take(f.Workspace.ID, "evt_1") {
		t.Error("an event whose first transaction rolled back was not taken")
	}
	if take(f.Workspace.ID, "evt_1") {
		t.Error("an event was taken twice")
	}
	if !take(other.Workspace.ID, "evt_1") {
		t.Error("another workspace's event of the same id was refused")
	}
}

// FindEngagement names an engagement's workspace and client from its id alone.
func testFindEngagement(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	e, err := accord.NewEngagement(accord.Cmd{Now: T0, By: f.Freelancer()}, f.Workspace.ID, f.Client.ID, "Logo", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	write(t, st, func(tx accord.Tx) error { return tx.SaveEngagement(e) })
	read(t, st, func(tx accord.Tx) error {
		ref, err := tx.FindEngagement(e.ID)
		if err != nil || ref != (accord.EngagementRef{WorkspaceID: f.Workspace.ID, ID: e.ID, ClientID: f.Client.ID}) {
			t.Errorf("FindEngagement = %+v, %v", ref, err)
		}
		if _, err := tx.FindEngagement("eng_unknown"); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("an unknown engagement: %v", err)
		}
		return nil
	})
}
