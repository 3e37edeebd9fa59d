package sqlite_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/jobs"
	"github.com/accordapp/accord/internal/store/sqlite"
	"github.com/accordapp/accord/internal/store/sqlstore"
	"github.com/accordapp/accord/internal/store/storetest"
)

func openStore(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return st
}

// hold keeps the committer busy with a write of fn that ends when release is called, so that
// the writes started meanwhile queue up together; done is the held write's outcome.
func hold(t *testing.T, st accord.Store, fn func(accord.Tx) error) (release func(), done <-chan error) {
	t.Helper()
	held, rel, errc := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		errc <- st.Write(context.Background(), func(tx accord.Tx) error {
			close(held)
			<-rel
			return fn(tx)
		})
	}()
	<-held
	return func() { close(rel) }, errc
}

func nothing(accord.Tx) error { return nil }

// letGo waits until n writes queue behind the held one, releases it, waits for them all to
// return and returns the held write's outcome.
func letGo(t *testing.T, st *sqlite.Store, n int, release func(), held <-chan error, wg *sync.WaitGroup) error {
	t.Helper()
	waitQueued(t, st, n)
	release()
	wg.Wait()
	return <-held
}

// waitQueued waits until n writes wait for a batch.
func waitQueued(t *testing.T, st *sqlite.Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); st.WriteStats().Queued < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", st.WriteStats().Queued, n)
		}
	}
}

// refusal is the error, or the panic, of write number n.
type refusal int

func (r refusal) Error() string { return fmt.Sprintf("write %d refused", int(r)) }

type note struct {
	N int `json:"n"`
}

// Writes that share a commit each get their own outcome: one in three fails and one in three
// panics after it has written, and those leave nothing behind, not even the job they scheduled.
func TestBatchedWritesKeepTheirOwnOutcome(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "accord.db"))
	defer st.Close()
	f := storetest.NewFixture(t, st)
	q, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{{Name: "note", MaxAttempts: 1,
		Handle: func(context.Context, json.RawMessage, jobs.Try) error { return nil }}}})
	if err != nil {
		t.Fatal(err)
	}
	const n = 48
	release, held := hold(t, st, nothing)
	outcomes := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { outcomes[i].panicked = recover() }()
			outcomes[i].err = st.Write(context.Background(), func(tx accord.Tx) error {
				c := f.Client
				c.ID = fmt.Sprintf("cli_%02d", i)
				if err := tx.CreateClient(c); err != nil {
					return err
				}
				if err := q.Enqueue(tx, jobs.Job{Kind: "note", Args: note{i}}); err != nil {
					return err
				}
				switch i % 3 {
				case 1:
					return refusal(i)
				case 2:
					panic(refusal(i))
				}
				return nil
			})
		})
	}
	if err := letGo(t, st, n, release, held, &wg); err != nil {
		t.Fatalf("the held write: %v", err)
	}
	for i, got := range outcomes {
		if want := []outcome{{}, {err: refusal(i)}, {panicked: refusal(i)}}[i%3]; got != want {
			t.Errorf("write %d: got %+v, want %+v", i, got, want)
		}
	}
	checkKept(t, st, f, n, keptJobs(t, st))
}

// outcome is what a Write returned, or the panic it passed on.
type outcome struct {
	err      error
	panicked any
}

// keptJobs are the numbers of the note jobs in the database.
func keptJobs(t *testing.T, st *sqlite.Store) map[int]bool {
	t.Helper()
	rows, err := st.Writer.QueryContext(t.Context(), "SELECT json(args) FROM river_job WHERE kind = 'note'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	kept := map[int]bool{}
	for rows.Next() {
		var raw string
		var a note
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatalf("job args %s: %v", raw, err)
		}
		kept[a.N] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return kept
}

// checkKept checks that of writes 0…n-1 exactly those that succeeded (every third) left their
// client and their job.
func checkKept(t *testing.T, st *sqlite.Store, f storetest.Fixture, n int, jobs map[int]bool) {
	t.Helper()
	err := st.Read(t.Context(), func(tx accord.Tx) error {
		for i := range n {
			_, err := tx.Client(f.Workspace.ID, fmt.Sprintf("cli_%02d", i))
			if kept := err == nil; kept != (i%3 == 0) || kept != jobs[i] {
				t.Errorf("write %d: client kept %v (%v), job kept %v; want both %v", i, kept, err, jobs[i], i%3 == 0)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Writes queued while another runs share one commit, at most 64 to a commit.
func TestQueuedWritesShareACommit(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "accord.db"))
	defer st.Close()
	f := storetest.NewFixture(t, st)
	before := st.WriteStats()
	const n = 100
	release, held := hold(t, st, nothing)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			c := f.Client
			c.ID = fmt.Sprintf("cli_%03d", i)
			errs[i] = st.Write(context.Background(), func(tx accord.Tx) error { return tx.CreateClient(c) })
		})
	}
	if err := errors.Join(append(errs, letGo(t, st, n, release, held, &wg))...); err != nil {
		t.Fatal(err)
	}
	after := st.WriteStats()
	writes, commits := after.Writes-before.Writes, after.Commits-before.Commits
	t.Logf("%d writes in %d commits", writes, commits)
	// The held write commits alone; the 100 queued behind it take two batches, of 64 and 36.
	if writes != n+1 || commits != 3 {
		t.Errorf("%d writes in %d commits, want %d in 3", writes, commits, n+1)
	}
}

// A write whose context ends while it waits in the queue never runs.
func TestQueuedWriteLeavesWithItsContext(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "accord.db"))
	defer st.Close()
	release, held := hold(t, st, nothing)
	ctx, cancel := context.WithCancel(context.Background())
	ran := false
	errc := make(chan error, 1)
	go func() { errc <- st.Write(ctx, func(accord.Tx) error { ran = true; return nil }) }()
	waitQueued(t, st, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("the abandoned write returned %v, want %v", err, context.Canceled)
	}
	release()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := st.Write(context.Background(), nothing); err != nil { // after the abandoned one
		t.Fatal(err)
	}
	if ran {
		t.Error("the abandoned write ran")
	}
}

// Closing the store fails the writes still queued at once, lets the one under way commit, and
// refuses writes after it.
func TestCloseFailsQueuedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accord.db")
	st := openStore(t, path)
	f := storetest.NewFixture(t, st)
	kept := f.Client
	kept.ID = "cli_kept"
	release, held := hold(t, st, func(tx accord.Tx) error { return tx.CreateClient(kept) })
	const n = 3
	errc := make(chan error, n)
	for i := range n {
		c := f.Client
		c.ID = fmt.Sprintf("cli_queued_%d", i)
		go func() { errc <- st.Write(context.Background(), func(tx accord.Tx) error { return tx.CreateClient(c) }) }()
	}
	waitQueued(t, st, n)
	closed := make(chan error, 1)
	go func() { closed <- st.Close() }()
	for range n {
		if err := <-errc; !errors.Is(err, sqlstore.ErrClosed) {
			t.Errorf("a write queued at Close returned %v, want ErrClosed", err)
		}
	}
	release()
	if err := <-held; err != nil {
		t.Errorf("the write under way at Close: %v", err)
	}
	if err := <-closed; err != nil {
		t.Errorf("close: %v", err)
	}
	if err := st.Write(context.Background(), nothing); !errors.Is(err, sqlstore.ErrClosed) {
		t.Errorf("a write after Close returned %v, want ErrClosed", err)
	}

	st = openStore(t, path)
	defer st.Close()
	err := st.Read(t.Context(), func(tx accord.Tx) error {
		cs, err := tx.Clients(f.Workspace.ID)
		if len(cs) != 2 || cs[0].ID != "cli_kept" && cs[1].ID != "cli_kept" {
			t.Errorf("after reopening, the clients are %+v; want the fixture's and cli_kept", cs)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// beforeCommitter is the store's transaction, seen as what leaves work for its commit.
type beforeCommitter interface {
	BeforeCommit(key string, v any, run func(accord.Tx, []any) error)
}

// The work a batch's writes leave for its commit runs once, with the values of the writes that
// succeeded, in their order; when that work fails, no write of the batch is kept, and each
// says why.
func TestBatchRunsItsWritesWorkOnce(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("failing=%v", fail), func(t *testing.T) {
			st := openStore(t, filepath.Join(t.TempDir(), "accord.db"))
			defer st.Close()
			f := storetest.NewFixture(t, st)
			var runs [][]any
			run := func(tx accord.Tx, vs []any) error {
				runs = append(runs, vs)
				if fail {
					return refusal(-1)
				}
				c := f.Client
				c.ID = "cli_work"
				return tx.CreateClient(c) // the work writes in the batch's transaction
			}
			const n = 6
			release, held := hold(t, st, nothing)
			errs := make([]error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					errs[i] = st.Write(context.Background(), func(tx accord.Tx) error {
						c := f.Client
						c.ID = fmt.Sprintf("cli_%02d", i)
						if err := tx.CreateClient(c); err != nil {
							return err
						}
						tx.(beforeCommitter).BeforeCommit("work", i, run)
						if i%3 == 1 {
							return refusal(i)
						}
						return nil
					})
				})
				waitQueued(t, st, i+1) // in order
			}
			release()
			wg.Wait()
			if err := <-held; err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 || fmt.Sprint(runs[0]) != "[0 2 3 5]" {
				t.Fatalf("the work ran with %v, want once with [0 2 3 5]", runs)
			}
			for i, err := range errs {
				switch {
				case i%3 == 1 && !errors.Is(err, refusal(i)):
					t.Errorf("write %d: %v, want its own refusal", i, err)
				case i%3 != 1 && fail && !errors.Is(err, refusal(-1)):
					t.Errorf("write %d: %v, want the work's failure", i, err)
				case i%3 != 1 && !fail && err != nil:
					t.Errorf("write %d: %v", i, err)
				}
			}
			st.Read(t.Context(), func(tx accord.Tx) error {
				for i := range n {
					_, err := tx.Client(f.Workspace.ID, fmt.Sprintf("cli_%02d", i))
					if kept, want := err == nil, i%3 != 1 && !fail; kept != want {
						t.Errorf("write %d kept %v, want %v", i, kept, want)
					}
				}
				if _, err := tx.Client(f.Workspace.ID, "cli_work"); (err == nil) == fail {
					t.Errorf("the work's own write: %v", err)
				}
				return nil
			})
		})
	}
}

// The writes of a batch append their events to the record at the batch's end, in one go; one
// that reads the record first appends those of the writes before it. A write undone takes its
// leaves with it and leaves the others': after a batch of writes on four engagements in two
// workspaces, some undone after reading the record, each tree holds exactly the events kept,
// in order.
func TestBatchedWritesKeepTheRecordInOrder(t *testing.T) {
	st := openStore(t, filepath.Join(t.TempDir(), "accord.db"))
	defer st.Close()
	a, b := storetest.NewFixture(t, st), storetest.NewFixture(t, st)
	var es []*accord.Engagement
	for i, f := range []storetest.Fixture{a, a, a, b} {
		e, err := accord.NewEngagement(accord.Cmd{Now: storetest.T0, By: f.Freelancer()}, f.Workspace.ID, f.Client.ID, fmt.Sprint("E", i), "EUR")
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Write(t.Context(), func(tx accord.Tx) error { return tx.SaveEngagement(e) }); err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	const n = 40
	release, held := hold(t, st, nothing)
	before := st.WriteStats()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = st.Write(context.Background(), func(tx accord.Tx) error {
				e, err := tx.Engagement(es[i%4].WorkspaceID, es[i%4].ID)
				if err != nil {
					return err
				}
				e.RecordPortalOpened(accord.Cmd{Now: storetest.T0.Add(time.Minute), By: accord.Actor{Kind: "client", ID: "ana@example.com"}})
				if err := tx.SaveEngagement(e); err != nil {
					return err
				}
				if i%5 >= 2 { // reads the record: appends the batch's leaves so far, and its own
					size, err := tx.RecordSize(e.WorkspaceID)
					if err != nil {
						return err
					}
					if size < e.Seq {
						return fmt.Errorf("write %d reads a record of %d leaves, short of its engagement's %d events", i, size, e.Seq)
					}
				}
				if i%5 == 1 || i%5 == 3 {
					return refusal(i)
				}
				return nil
			})
		})
	}
	if err := letGo(t, st, n, release, held, &wg); err != nil {
		t.Fatalf("the held write: %v", err)
	}
	for i, err := range errs {
		if refused := i%5 == 1 || i%5 == 3; refused != (err == refusal(i)) || !refused && err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if commits := st.WriteStats().Commits - before.Commits; commits > 3 {
		t.Errorf("%d writes took %d commits; they should have shared one or two", n, commits)
	}
	// 4 engagements created, and 3 of every 5 writes kept
	if got, want := storetest.CheckRecord(t, st, a.Workspace.ID)+storetest.CheckRecord(t, st, b.Workspace.ID), 4+n*3/5; got != want {
		t.Errorf("%d leaves in the two records, want %d", got, want)
	}
}
