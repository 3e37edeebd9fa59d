package storetest

import (
	"cmp"
	"database/sql"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// allTallies reads every tally of a workspace.
func allTallies(t *testing.T, st accord.Store, workspaceID string) []accord.Tally {
	t.Helper()
	kinds := []string{accord.TallyEngagements, accord.TallyOnClient, accord.TallyOnFreelancer, accord.TallyInvoiced,
		accord.TallyPaid, accord.TallyDue, accord.TallyRefunded, accord.TallyReceived, accord.TallyOwed}
	var ts []accord.Tally
	read(t, st, func(tx accord.Tx) (err error) {
		ts, err = tx.Tallies(workspaceID, kinds, math.MinInt64, math.MaxInt64)
		return err
	})
	return ts
}

// wantTallies checks that the store's tallies of a workspace are the sums of the digests of
// its engagements es, worked out anew from them.
func wantTallies(t *testing.T, st accord.Store, workspaceID string, es []*accord.Engagement, when string) {
	t.Helper()
	var ds []accord.Digest
	for _, e := range es {
		ds = append(ds, e.Digest())
	}
	want, _ := accord.SumDigests(ds...)
	if got := allTallies(t, st, workspaceID); !slices.Equal(got, want) {
		t.Errorf("%s: the tallies are\n%+v\nthe engagements' digests sum to\n%+v", when, got, want)
	}
}

func testDigests(t *testing.T, st accord.Store, raw *sql.DB) {
	f, other := NewFixture(t, st), NewFixture(t, st)
	draft := newEngagement(t, st, f, "Draft", T0)
	wantTallies(t, st, f.Workspace.ID, []*accord.Engagement{draft}, "one draft")
	paid, _ := story(t, st, f) // saved step by step, each save reading the stored digest
	wantTallies(t, st, f.Workspace.ID, []*accord.Engagement{draft, paid}, "after the story")
	elsewhere, _ := story(t, st, other)
	wantTallies(t, st, other.Workspace.ID, []*accord.Engagement{elsewhere}, "another workspace")

	// An invoice for the second milestone's prepayment, due 2030-03-08: loaded and changed in
	// one write, as the app does.
	m2 := paid.Milestones[1]
	write(t, st, func(tx accord.Tx) error {
		e, err := tx.Engagement(f.Workspace.ID, paid.ID)
		if err != nil {
			return err
		}
		c := accord.Cmd{Now: time.Date(2030, 3, 1, 9, 0, 0, 0, time.UTC), By: f.Freelancer()}
		inv := e.InvoiceFor(c, m2.ID, accord.InvoicePrepayment, accord.InvoiceDraft{Seller: accord.Party{Name: "Studio"}, Buyer: accord.Party{Name: "Bakery"}, DueDays: 7})
		if inv == nil {
			return errors.New("no invoice for the second milestone's prepayment")
		}
		if err := e.IssueInvoice(c, inv, "INV", 2030, 1); err != nil {
			return err
		}
		paid = e
		return tx.SaveEngagement(e)
	})
	wantTallies(t, st, f.Workspace.ID, []*accord.Engagement{draft, paid}, "after an invoice")

	// A write that fails leaves the tallies as they were.
	before := allTallies(t, st, f.Workspace.ID)
	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		e, err := tx.Engagement(f.Workspace.ID, paid.ID)
		if err != nil {
			return err
		}
		if _, err := e.RecordPayment(accord.Cmd{Now: T0.Add(time.Hour), By: f.Freelancer()}, m2.ID, m2.Prepayment, "bank"); err != nil {
			return err
		}
		if err := tx.SaveEngagement(e); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil {
		t.Fatal("the failing write succeeded")
	}
	if got := allTallies(t, st, f.Workspace.ID); !slices.Equal(got, before) {
		t.Errorf("a rolled back write changed the tallies:\n%+v\nwere\n%+v", got, before)
	}

	read(t, st, func(tx accord.Tx) error {
		late, err := tx.OverdueInvoices(f.Workspace.ID, "2030-03-09", 10)
		if err != nil {
			return err
		}
		if len(late) != 1 || late[0].Number != "INV-2030-0001" || late[0].Owed != m2.Prepayment || late[0].EngagementID != paid.ID {
			t.Errorf("overdue on 2030-03-09: %+v", late)
		}
		if early, err := tx.OverdueInvoices(f.Workspace.ID, "2030-03-08", 10); err != nil || len(early) != 0 {
			t.Errorf("overdue on its due date: %+v, %v", early, err)
		}
		if theirs, err := tx.OverdueInvoices(other.Workspace.ID, "2030-03-09", 10); err != nil || len(theirs) != 0 {
			t.Errorf("another workspace's overdue invoices: %+v, %v", theirs, err)
		}
		near, err := tx.NearestDue(f.Workspace.ID, 5)
		if err != nil {
			return err
		}
		if len(near) != 1 || near[0].ID != paid.ID {
			t.Errorf("nearest due: %d engagements; want only the one with milestones", len(near))
		}
		for from, want := range map[accord.Date]int{"2030-04-01": 1, "2030-04-02": 0} { // its last deadline is the second milestone's
			if due, err := tx.DueFrom(f.Workspace.ID, from, 5); err != nil || len(due) != want {
				t.Errorf("due from %s: %d engagements, %v; want %d", from, len(due), err, want)
			}
		}
		return nil
	})

	// The digests of engagements stored before digests were kept are written by rewriting
	// their snapshots: tallies rebuilt from nothing come out the same.
	if _, err := raw.Exec(`UPDATE engagements SET digest = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM tallies`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM open_invoices`); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*accord.Engagement{draft, paid, elsewhere} {
		write(t, st, func(tx accord.Tx) error { return tx.RewriteSnapshot(e) })
	}
	wantTallies(t, st, f.Workspace.ID, []*accord.Engagement{draft, paid}, "rebuilt")
	wantTallies(t, st, other.Workspace.ID, []*accord.Engagement{elsewhere}, "another workspace, rebuilt")
	read(t, st, func(tx accord.Tx) error {
		late, err := tx.OverdueInvoices(f.Workspace.ID, "2030-03-09", 10)
		if err == nil && len(late) != 1 {
			t.Errorf("overdue after the rebuild: %+v", late)
		}
		return err
	})
}

// The dashboard's list: what waits on the freelancer first, then on the client, then the
// ended ones, each most recently changed first, paged without gaps or repeats, with the
// workspace's count.
func testAgendaPage(t *testing.T, st accord.Store, _ *sql.DB) {
	f, other := NewFixture(t, st), NewFixture(t, st)
	var es []*accord.Engagement
	for i := range 7 {
		e := newEngagement(t, st, f, "Draft", T0.Add(time.Duration(i)*time.Minute))
		es = append(es, e)
	}
	for i := range 3 { // waiting on the client's answer to the brief
		e := es[i*2]
		must(t, e.WriteBrief(accord.Cmd{Now: T0.Add(time.Hour), By: f.Freelancer()}, []accord.Question{{ID: "q", Text: "Why?"}}))
		must(t, e.SendBrief(accord.Cmd{Now: T0.Add(time.Hour + time.Duration(i)*time.Second), By: f.Freelancer()}))
		e.RecordInvitation(accord.Cmd{Now: T0.Add(time.Hour + time.Duration(i)*time.Second), By: f.Freelancer()}, f.Client.Email, T0.Add(48*time.Hour))
		save(t, st, e)
	}
	newEngagement(t, st, other, "Theirs", T0.Add(time.Hour))
	want := slices.Clone(es)
	slices.SortStableFunc(want, func(a, b *accord.Engagement) int {
		ra, rb := a.Digest().AgendaRank(micro(a.UpdatedAt)), b.Digest().AgendaRank(micro(b.UpdatedAt))
		if ra != rb {
			return -cmp.Compare(ra, rb)
		}
		return -cmp.Compare(a.ID, b.ID)
	})
	if want[0].State != accord.Draft || want[len(want)-1].State != accord.BriefSent {
		t.Fatalf("the drafts (waiting on the freelancer) should come first: %s … %s", want[0].State, want[len(want)-1].State)
	}
	var wantIDs []string
	for _, e := range want {
		wantIDs = append(wantIDs, e.ID)
	}
	get := func(tx accord.Tx, p accord.Page) (accord.Paged[*accord.Engagement], error) {
		return tx.AgendaPage(f.Workspace.ID, p)
	}
	id := func(e *accord.Engagement) string { return e.ID }
	for _, n := range []int{1, 3, 7, 8} {
		ids, _, total := walk(t, st, n, false, get, id)
		if !slices.Equal(ids, wantIDs) || total != 7 {
			t.Errorf("by %d: %v (total %d), want %v (7)", n, ids, total, wantIDs)
		}
	}
}
