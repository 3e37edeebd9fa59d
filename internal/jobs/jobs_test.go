package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/jobs"
	"github.com/accordapp/accord/internal/store/postgres"
	"github.com/accordapp/accord/internal/store/sqlite"
	"github.com/accordapp/accord/internal/store/storetest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// onEachStore runs fn against a fresh SQLite store and a fresh PostgreSQL schema.
func onEachStore(t *testing.T, fn func(t *testing.T, st accord.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st, err := postgres.Open(t.Context(), storetest.PostgresSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, st)
	})
}

// ran records what a handler saw, in order.
type ran struct {
	mu   sync.Mutex
	seen []seen
	done chan struct{}
}

type seen struct {
	Name string
	At   time.Time
	Try  jobs.Try
}

func (r *ran) list() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seen(nil), r.seen...)
}

func open(t *testing.T, st accord.Store, clock accord.Clock, kinds ...jobs.Kind) *jobs.Runner {
	t.Helper()
	r, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: kinds, Clock: clock, Poll: 10 * time.Millisecond, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop(context.Background()) })
	return r
}

type args struct{ Name string }

func keepNothing(time.Time) error { return nil }

func recording(name string, r *ran, clock accord.Clock, fail func(a args, try jobs.Try) error) jobs.Kind {
	return jobs.Kind{Name: name, MaxAttempts: 3, Backoff: func(n int) time.Duration { return time.Duration(n) * time.Hour },
		Handle: func(ctx context.Context, raw json.RawMessage, try jobs.Try) error {
			var a args
			if err := json.Unmarshal(raw, &a); err != nil {
				return err
			}
			r.mu.Lock()
			r.seen = append(r.seen, seen{a.Name, clock.Now(), try})
			r.mu.Unlock()
			if fail != nil {
				if err := fail(a, try); err != nil {
					return err
				}
			}
			if r.done != nil {
				r.done <- struct{}{}
			}
			return nil
		}}
}

// A job exists only if the transaction that inserted it commits.
func TestJobsCommitWithTheChange(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r := &ran{done: make(chan struct{}, 4)}
		clock := accord.SystemClock{}
		q := open(t, st, clock, recording("note", r, clock, nil))
		refused := errors.New("refused")
		err := st.Write(t.Context(), func(tx accord.Tx) error {
			if err := q.Enqueue(tx, jobs.Job{Kind: "note", Args: args{"rolled back"}}); err != nil {
				return err
			}
			return refused
		})
		if !errors.Is(err, refused) {
			t.Fatalf("write: %v", err)
		}
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return q.Enqueue(tx, jobs.Job{Kind: "note", Args: args{"committed"}})
		}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-r.done:
		case <-time.After(30 * time.Second):
			t.Fatal("the committed job never ran")
		}
		if got := r.list(); len(got) != 1 || got[0].Name != "committed" {
			t.Fatalf("ran %+v, want only the committed job", got)
		}
	})
}

// RunDue runs jobs one by one in the order they fall due, with the clock at each one's time,
// and leaves the later ones alone.
func TestRunDueInOrder(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r := &ran{}
		clock := accord.NewTestClock(start)
		q := open(t, st, clock, recording("note", r, clock, nil))
		day := 24 * time.Hour
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return q.Enqueue(tx,
				jobs.Job{Kind: "note", Args: args{"third"}, At: start.Add(3 * day)},
				jobs.Job{Kind: "note", Args: args{"first"}, At: start.Add(day)},
				jobs.Job{Kind: "note", Args: args{"later"}, At: start.Add(10 * day)},
				jobs.Job{Kind: "note", Args: args{"second"}, At: start.Add(2 * day)})
		}); err != nil {
			t.Fatal(err)
		}
		var kept []time.Time
		if err := q.RunDue(t.Context(), clock, start.Add(5*day), func(at time.Time) error { kept = append(kept, at); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(kept) != 3 || !kept[0].Equal(start.Add(day)) || !kept[2].Equal(start.Add(3*day)) {
			t.Errorf("the clock was kept at %v, want each job's time", kept)
		}
		got := r.list()
		want := []string{"first", "second", "third"}
		if len(got) != len(want) {
			t.Fatalf("ran %+v, want %v", got, want)
		}
		for i, w := range want {
			if got[i].Name != w || !got[i].At.Equal(start.Add(time.Duration(i+1)*day)) {
				t.Errorf("job %d: ran %s at %s, want %s at %s", i, got[i].Name, got[i].At, w, start.Add(time.Duration(i+1)*day))
			}
		}
		if !clock.Now().Equal(start.Add(5 * day)) {
			t.Errorf("clock at %s, want %s", clock.Now(), start.Add(5*day))
		}
		if err := q.RunDue(t.Context(), clock, start.Add(10*day), keepNothing); err != nil {
			t.Fatal(err)
		}
		if got := r.list(); len(got) != 4 || got[3].Name != "later" {
			t.Errorf("after the last advance ran %+v, want the later job last", got)
		}
	})
}

// A failing job is tried again after its backoff, and its last try knows it is the last.
func TestRetriesWithBackoff(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r := &ran{}
		clock := accord.NewTestClock(start)
		q := open(t, st, clock, recording("flaky", r, clock, func(args, jobs.Try) error { return errors.New("relay down") }))
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return q.Enqueue(tx, jobs.Job{Kind: "flaky", Args: args{"mail"}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := q.RunDue(t.Context(), clock, start.Add(24*time.Hour), keepNothing); err != nil {
			t.Fatal(err)
		}
		got := r.list()
		if len(got) != 3 {
			t.Fatalf("tried %d times, want 3: %+v", len(got), got)
		}
		// Tried at start, after 1 h, then after 2 more hours: the backoff of the 1st and 2nd failures.
		wantAt := []time.Time{start, start.Add(time.Hour), start.Add(3 * time.Hour)}
		for i, s := range got {
			if !s.At.Equal(wantAt[i]) || s.Try.Attempt != i+1 {
				t.Errorf("try %d: attempt %d at %s, want attempt %d at %s", i, s.Try.Attempt, s.At, i+1, wantAt[i])
			}
			if i < 2 && !s.Try.RetryAt.Equal(wantAt[i+1]) {
				t.Errorf("try %d said it would retry at %s, want %s", i, s.Try.RetryAt, wantAt[i+1])
			}
		}
		if !got[2].Try.Last() {
			t.Errorf("the third try did not know it was the last: %+v", got[2].Try)
		}
	})
}

// A kind on its own queue runs there, at most as many at once as the queue has workers, with
// its own time limit; a kind naming a queue that has none is refused.
func TestQueuesAndTimeouts(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		var mu sync.Mutex
		running, most := 0, 0
		deadlines := make(chan time.Duration, 8)
		slow := jobs.Kind{Name: "slow", MaxAttempts: 1, Queue: "heavy", Timeout: 7 * time.Minute,
			Handle: func(ctx context.Context, _ json.RawMessage, _ jobs.Try) error {
				mu.Lock()
				running++
				most = max(most, running)
				mu.Unlock()
				time.Sleep(30 * time.Millisecond)
				mu.Lock()
				running--
				mu.Unlock()
				d, _ := ctx.Deadline()
				deadlines <- time.Until(d)
				return nil
			}}
		if _, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{slow}}); err == nil {
			t.Fatal("a kind on a queue without workers was accepted")
		}
		r, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{slow}, Poll: 10 * time.Millisecond, Workers: 4, Queues: map[string]int{"heavy": 1}})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Stop(context.Background()) })
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return r.Enqueue(tx, jobs.Job{Kind: "slow", Args: args{"a"}}, jobs.Job{Kind: "slow", Args: args{"b"}}, jobs.Job{Kind: "slow", Args: args{"c"}})
		}); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			select {
			case d := <-deadlines:
				if d < 6*time.Minute || d > 7*time.Minute {
					t.Errorf("a try had %v left, want its kind's 7 minutes", d)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the queued jobs never ran")
			}
		}
		if most != 1 {
			t.Errorf("%d jobs ran at once on a queue of one worker", most)
		}
	})
}

// A job for now is available at once, for the next free worker; only a job for a later time
// waits for River's scheduler, which makes jobs available in batches every few seconds.
func TestJobForNowIsAvailableAtOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{recording("note", &ran{}, accord.SystemClock{}, nil)}})
		if err != nil {
			t.Fatal(err)
		}
		err = st.Write(t.Context(), func(tx accord.Tx) error {
			return r.Enqueue(tx, jobs.Job{Kind: "note", Args: args{"now"}},
				jobs.Job{Kind: "note", Args: args{"later"}, At: time.Now().Add(time.Hour)})
		})
		if err != nil {
			t.Fatal(err)
		}
		if states := noteStates(t, st); fmt.Sprint(states) != "[available scheduled]" {
			t.Errorf("the jobs for now and for later are %v, want [available scheduled]", states)
		}
	})
}

// A unique job enqueued twice in one transaction, by one change or two calls, is inserted once.
func TestUniqueJobIsInsertedOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{recording("note", &ran{}, accord.SystemClock{}, nil)}})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(time.Hour)
		job := jobs.Job{Kind: "note", Args: args{"once"}, At: at, Unique: true}
		err = st.Write(t.Context(), func(tx accord.Tx) error {
			if err := r.Enqueue(tx, job, job); err != nil {
				return err
			}
			return r.Enqueue(tx, job, jobs.Job{Kind: "note", Args: args{"other"}, At: at, Unique: true})
		})
		if err != nil {
			t.Fatal(err)
		}
		if states := noteStates(t, st); len(states) != 2 {
			t.Errorf("%d jobs, want the unique one once and the other: %v", len(states), states)
		}
	})
}

// noteStates are the states of the note jobs in the database, oldest first.
func noteStates(t *testing.T, st accord.Store) []string {
	t.Helper()
	const q = `SELECT state FROM river_job WHERE kind = 'note' ORDER BY id`
	var rows interface {
		Next() bool
		Scan(...any) error
		Err() error
	}
	switch s := st.(type) {
	case *sqlite.Store:
		r, err := s.Writer.QueryContext(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rows = r
	case *postgres.Store:
		r, err := s.Pool.Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rows = r
	default:
		t.Fatalf("no job table on a %T", st)
	}
	var states []string
	for rows.Next() {
		var state string
		if err := rows.Scan(&state); err != nil {
			t.Fatal(err)
		}
		states = append(states, state)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return states
}

// The jobs of a merged kind that one transaction inserts for now are one job. Each try runs
// every one of them, and the job is tried again while any fails; a job for later and a unique
// one stay apart, and a job alone keeps its own arguments.
func TestMergedJobsAreOneJob(t *testing.T) {
	onEachStore(t, func(t *testing.T, st accord.Store) {
		r := &ran{}
		clock := accord.NewTestClock(start)
		kind := recording("note", r, clock, func(a args, try jobs.Try) error {
			if a.Name == "flaky" && try.Attempt == 1 {
				return errors.New("relay down")
			}
			return nil
		})
		kind.Merge = true
		q := open(t, st, clock, kind)
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return q.Enqueue(tx, jobs.Job{Kind: "note", Args: args{"a"}}, jobs.Job{Kind: "note", Args: args{"flaky"}},
				jobs.Job{Kind: "note", Args: args{"later"}, At: start.Add(time.Hour)},
				jobs.Job{Kind: "note", Args: args{"unique"}, Unique: true}, jobs.Job{Kind: "note", Args: args{"b"}})
		}); err != nil {
			t.Fatal(err)
		}
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			return q.Enqueue(tx, jobs.Job{Kind: "note", Args: args{"alone"}})
		}); err != nil {
			t.Fatal(err)
		}
		// Seventeen at once are three jobs: a merged job stands for at most eight.
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			var many []jobs.Job
			for i := range 17 {
				many = append(many, jobs.Job{Kind: "note", Args: args{fmt.Sprint("many ", i)}})
			}
			return q.Enqueue(tx, many...)
		}); err != nil {
			t.Fatal(err)
		}
		if states := noteStates(t, st); len(states) != 7 {
			t.Fatalf("%d jobs, want 7 (the three merged, the later, the unique, the one alone, the seventeen in three): %v", len(states), states)
		}
		if err := q.RunDue(t.Context(), clock, start.Add(24*time.Hour), keepNothing); err != nil {
			t.Fatal(err)
		}
		tries := map[string][]int{}
		for _, s := range r.list() {
			tries[s.Name] = append(tries[s.Name], s.Try.Attempt)
		}
		want := map[string][]int{"a": {1, 2}, "flaky": {1, 2}, "b": {1, 2}, "later": {1}, "unique": {1}, "alone": {1}}
		for i := range 17 {
			want[fmt.Sprint("many ", i)] = []int{1}
		}
		for name, w := range want {
			if !slices.Equal(tries[name], w) {
				t.Errorf("%s was tried as attempts %v, want %v", name, tries[name], w)
			}
		}
		for _, s := range noteStates(t, st) {
			if s != "completed" {
				t.Errorf("a job ended %s, want every one completed: %v", s, noteStates(t, st))
				break
			}
		}
	})
}

// River's scheduler finds the jobs that fall due through an index on their state and time,
// not by reading every job scheduled for later.
func TestSchedulerQueryUsesTheDueIndex(t *testing.T) {
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := jobs.Open(t.Context(), st, jobs.Config{Kinds: []jobs.Kind{recording("note", &ran{}, accord.SystemClock{}, nil)}}); err != nil {
		t.Fatal(err)
	}
	// The WHERE and ORDER BY of riversqlite's JobScheduleGetEligible, v0.51.2.
	rows, err := st.Writer.QueryContext(t.Context(), `EXPLAIN QUERY PLAN SELECT id, unique_key FROM river_job
		WHERE state IN ('retryable', 'scheduled') AND scheduled_at <= datetime('now', 'subsec')
		ORDER BY priority, scheduled_at, id LIMIT 10000`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if !slices.ContainsFunc(plan, func(s string) bool { return strings.Contains(s, "accord_river_job_due (state=? AND scheduled_at<?)") }) {
		t.Errorf("the scheduler's query plan is %q; want a search of accord_river_job_due on state and time", plan)
	}
}
