// Package jobs runs Accord's work that happens later or outside a request, on River. A job is
// inserted in the same transaction as the change that causes it, so neither exists without the
// other; its handler may run more than once (a crash after its effect, a retry), so every handler
// makes its effect idempotent and reads time from the clock.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/accordapp/accord"
)

// Job is work to do at or after At by the handler of its kind.
type Job struct {
	Kind string
	Args any       // marshalled as JSON
	At   time.Time // zero for as soon as possible
	// Unique inserts the job only once for its kind and arguments, however often it is asked.
	Unique bool
}

// Try tells a handler which try this is, so that it can say what happens if it fails.
type Try struct {
	Attempt, MaxAttempts int
	// RetryAt is when the next try runs if this one fails; zero on the last try.
	RetryAt time.Time
}

// Last reports whether a failure now is final.
func (t Try) Last() bool { return t.RetryAt.IsZero() }

// Kind is one kind of job: its handler, how often it is tried and how long it waits between tries.
type Kind struct {
	Name        string
	MaxAttempts int
	// Backoff is the wait after the n-th failed try.
	Backoff func(n int) time.Duration
	Handle  func(ctx context.Context, args json.RawMessage, try Try) error
	// Queue is the pool of workers the kind runs on: "" for the default one, else one of
	// Config.Queues, so that slow or heavy work cannot hold up the rest.
	Queue string
	// Timeout ends a try that runs longer (0: a minute).
	Timeout time.Duration
	// Merge makes the jobs of the kind that one commit inserts for now, not unique, one job of
	// up to maxMerged: River inserts, fetches and completes one row for them, not one each. Each
	// try of it calls Handle for each of them in turn, those done on an earlier try included (a
	// handler is idempotent), and fails if any of them does; the try may take Timeout for each.
	// A merged kind's arguments are JSON objects.
	Merge bool
}

// Config is how a Runner runs.
type Config struct {
	Kinds []Kind
	Clock accord.Clock
	// Poll is how often a database without notifications (SQLite) is asked for new jobs.
	Poll    time.Duration
	Workers int
	// Queues are the other pools of workers, by name, with how many each runs at once.
	Queues map[string]int
	Log    *slog.Logger
}

// Runner inserts and runs jobs.
type Runner struct {
	q     queue
	kinds map[string]Kind
	clock accord.Clock
}

// queue is what the Runner needs of a River client, whatever its driver's transaction type.
type queue interface {
	insertTx(ctx context.Context, tx any, params []river.InsertManyParams) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	list(ctx context.Context, p *river.JobListParams) ([]*rivertype.JobRow, error)
	get(ctx context.Context, id int64) (*rivertype.JobRow, error)
	retry(ctx context.Context, id int64) error
	requeue(ctx context.Context) (int, error)
}

// client is River's client over one database. plainFast inserts jobs that are not unique
// without reading them back (River's InsertManyFastTx), which on SQLite is the same statement
// without its RETURNING: on PostgreSQL that is a COPY, no cheaper for the few rows of a write.
type client[TTx any] struct {
	c         *river.Client[TTx]
	plainFast bool
}

func (c client[TTx]) insertTx(ctx context.Context, tx any, params []river.InsertManyParams) error {
	t, ok := tx.(TTx)
	if !ok {
		return fmt.Errorf("jobs: a %T is not a transaction of this queue's database", tx)
	}
	if !c.plainFast {
		_, err := c.c.InsertManyTx(ctx, t, params)
		return err
	}
	var plain, unique []river.InsertManyParams
	for _, p := range params {
		if p.InsertOpts.UniqueOpts.ByArgs {
			unique = append(unique, p)
		} else {
			plain = append(plain, p)
		}
	}
	if len(plain) > 0 {
		if _, err := c.c.InsertManyFastTx(ctx, t, plain); err != nil {
			return err
		}
	}
	if len(unique) == 0 {
		return nil
	}
	_, err := c.c.InsertManyTx(ctx, t, unique)
	return err
}
func (c client[TTx]) start(ctx context.Context) error { return c.c.Start(ctx) }
func (c client[TTx]) stop(ctx context.Context) error  { return c.c.Stop(ctx) }
func (c client[TTx]) list(ctx context.Context, p *river.JobListParams) ([]*rivertype.JobRow, error) {
	res, err := c.c.JobList(ctx, p)
	if err != nil {
		return nil, err
	}
	return res.Jobs, nil
}
func (c client[TTx]) get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return c.c.JobGet(ctx, id)
}
func (c client[TTx]) requeue(ctx context.Context) (int, error) {
	jobs, err := c.list(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(10000))
	if err != nil {
		return 0, err
	}
	exec := c.c.Driver().GetExecutor()
	for _, j := range jobs {
		if err := exec.Exec(ctx, "UPDATE river_job SET state = 'available' WHERE id = "+strconv.FormatInt(j.ID, 10)+" AND state = 'running'"); err != nil {
			return 0, err
		}
	}
	return len(jobs), nil
}

func (c client[TTx]) retry(ctx context.Context, id int64) error {
	_, err := c.c.JobRetry(ctx, id)
	return err
}

// riverConfig is River's configuration for cfg, with work registered for each kind.
func (r *Runner) riverConfig(cfg Config) *river.Config {
	workers := river.NewWorkers()
	w := &worker{r: r}
	for _, k := range cfg.Kinds {
		river.AddWorkerArgs(workers, envelope{kind: k.Name}, river.Worker[envelope](w))
	}
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: max(1, cfg.Workers)}}
	for name, n := range cfg.Queues {
		queues[name] = river.QueueConfig{MaxWorkers: max(1, n)}
	}
	rc := &river.Config{
		Queues:               queues,
		Workers:              workers,
		FetchPollInterval:    cfg.Poll,
		FetchCooldown:        min(cfg.Poll, river.FetchCooldownDefault),
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: rescueAfter(cfg.Kinds),
		Logger:               slog.New(warnings{cfg.Log.Handler()}),
	}
	if tc, ok := cfg.Clock.(*accord.TestClock); ok {
		rc.Test.Time = testTime{tc}
		// River's rescuer measures a running job's age by the real clock against the time it
		// started by the test clock: a test clock behind the real one must not make every
		// running job look stuck.
		rc.RescueStuckJobsAfter = max(rc.RescueStuckJobsAfter, time.Since(tc.Now())+time.Hour)
		// River's cleaner deletes finished jobs older than their retention by the real clock,
		// against when they finished by the test clock: behind the real one, it would delete a
		// job the moment it failed for good, and with it the failure the dashboard shows. Under
		// a test clock finished jobs are kept.
		rc.CancelledJobRetentionPeriod, rc.CompletedJobRetentionPeriod, rc.DiscardedJobRetentionPeriod = -1, -1, -1
	}
	return rc
}

// rescueAfter is how long a job runs before River takes it for abandoned: well past the longest
// any try may run.
func rescueAfter(kinds []Kind) time.Duration {
	longest := time.Minute
	for _, k := range kinds {
		longest = max(longest, k.timeout(1))
		if k.Merge {
			longest = max(longest, k.timeout(maxMerged))
		}
	}
	return max(5*time.Minute, longest+time.Minute)
}

// timeout is how long a try of a job of the kind standing for n jobs may run.
func (k Kind) timeout(n int) time.Duration {
	t := k.Timeout
	if t <= 0 {
		t = time.Minute
	}
	return t * time.Duration(max(1, n))
}

// withDefaults is cfg with what it leaves out filled in.
func (cfg Config) withDefaults() Config {
	if cfg.Poll <= 0 {
		cfg.Poll = river.FetchPollIntervalDefault
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = accord.SystemClock{}
	}
	return cfg
}

func newRunner(cfg Config) *Runner {
	r := &Runner{kinds: map[string]Kind{}, clock: cfg.Clock}
	for _, k := range cfg.Kinds {
		r.kinds[k.Name] = k
	}
	return r
}

// Enqueue inserts jobs in the store transaction tx; they exist once it commits, and not before.
// A unique job is inserted once, however often it is enqueued in one transaction. Where the
// store batches writes, the jobs are checked now and inserted with those of the whole batch,
// in one statement, just before its commit.
func (r *Runner) Enqueue(tx accord.Tx, jobs ...Job) error {
	params, err := r.params(jobs)
	if err != nil {
		return err
	}
	if b, ok := tx.(interface {
		BeforeCommit(key string, v any, run func(accord.Tx, []any) error)
	}); ok {
		b.BeforeCommit("jobs", params, r.insertAll)
		return nil
	}
	return r.insertAll(tx, []any{params})
}

// insertAll inserts the jobs of every write of a batch, each unique job once.
func (r *Runner) insertAll(tx accord.Tx, vs []any) error {
	var all []river.InsertManyParams
	seen := map[string]bool{}
	for _, v := range vs {
		for _, p := range v.([]river.InsertManyParams) {
			if p.InsertOpts.UniqueOpts.ByArgs {
				e := p.Args.(envelope)
				if k := e.kind + " " + string(e.raw); seen[k] {
					continue
				} else {
					seen[k] = true
				}
			}
			all = append(all, p)
		}
	}
	return r.insert(tx, r.merge(all))
}

// maxMerged bounds the jobs one merged job stands for, so that a try of it, at Timeout for
// each, ends well before River takes it for abandoned (rescueAfter).
const maxMerged = 8

// merge makes the jobs of each merged kind one job whose arguments are a JSON array of theirs,
// where there are two or more of them, up to maxMerged a job; a job alone is left as it is.
func (r *Runner) merge(params []river.InsertManyParams) []river.InsertManyParams {
	out := make([]river.InsertManyParams, 0, len(params))
	merged := map[string]int{} // kind: the index in out of its merged job being filled
	count := map[string]int{}  // kind: how many jobs that one stands for
	for _, p := range params {
		e := p.Args.(envelope)
		if !r.kinds[e.kind].Merge || p.InsertOpts.UniqueOpts.ByArgs || !p.InsertOpts.ScheduledAt.IsZero() {
			out = append(out, p)
			continue
		}
		i, ok := merged[e.kind]
		if !ok || count[e.kind] == maxMerged {
			merged[e.kind], count[e.kind] = len(out), 1
			out = append(out, p)
			continue
		}
		count[e.kind]++
		m := out[i].Args.(envelope)
		if m.raw[0] != '[' {
			m.raw = slices.Concat([]byte("["), m.raw, []byte("]"))
		}
		m.raw = slices.Concat(m.raw[:len(m.raw)-1], []byte(","), e.raw, []byte("]"))
		out[i].Args = m
	}
	return out
}

func (r *Runner) insert(tx accord.Tx, params []river.InsertManyParams) error {
	d, ok := tx.(interface {
		Driver() any
		Context() context.Context
	})
	if !ok {
		return errors.New("jobs: the store's transaction does not share its driver's")
	}
	return r.q.insertTx(d.Context(), d.Driver(), params)
}

// params are River's insert parameters of jobs, each checked: its kind handled, its arguments
// JSON.
func (r *Runner) params(jobs []Job) ([]river.InsertManyParams, error) {
	params := make([]river.InsertManyParams, 0, len(jobs))
	for _, j := range jobs {
		k, ok := r.kinds[j.Kind]
		if !ok {
			return nil, fmt.Errorf("jobs: no handler for kind %q", j.Kind)
		}
		raw, err := json.Marshal(j.Args)
		if err != nil {
			return nil, fmt.Errorf("jobs: %s arguments: %w", j.Kind, err)
		}
		// A job for a time goes in as scheduled, and River's scheduler makes it available then.
		// A job for now goes in available, at River's now: the database's, or a test clock's
		// (riverConfig). Given a time, every mail would wait for the scheduler, which moves
		// them in one UPDATE every few seconds while it holds SQLite's one writer.
		opts := &river.InsertOpts{MaxAttempts: max(1, k.MaxAttempts), ScheduledAt: j.At, Queue: k.Queue}
		if j.Unique {
			opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
		}
		params = append(params, river.InsertManyParams{Args: envelope{kind: j.Kind, raw: raw}, InsertOpts: opts})
	}
	return params, nil
}

// Failed is a job that failed its last try: it will not run again unless someone acts.
type Failed struct {
	Kind  string
	Args  json.RawMessage
	Tries int
	Error string // why the last try failed
	At    time.Time
}

// Failed lists the newest jobs of the kinds that failed their last try, at most limit.
func (r *Runner) Failed(ctx context.Context, limit int, kinds ...string) ([]Failed, error) {
	jobs, err := r.q.list(ctx, river.NewJobListParams().States(rivertype.JobStateDiscarded).Kinds(kinds...).
		OrderBy(river.JobListOrderByTime, river.SortOrderDesc).First(limit))
	if err != nil {
		return nil, err
	}
	out := make([]Failed, 0, len(jobs))
	for _, j := range jobs {
		f := Failed{Kind: j.Kind, Args: j.EncodedArgs, Tries: j.Attempt}
		if n := len(j.Errors); n > 0 {
			f.Error, f.At = j.Errors[n-1].Error, j.Errors[n-1].At
		}
		if j.FinalizedAt != nil {
			f.At = *j.FinalizedAt
		}
		out = append(out, f)
	}
	return out, nil
}

// RequeueAbandoned makes the jobs a killed process left running available again, and says how
// many. Only for a database no other instance works on (a test clock's): elsewhere River's
// rescuer does this, once a job has run for longer than any job may.
func (r *Runner) RequeueAbandoned(ctx context.Context) (int, error) { return r.q.requeue(ctx) }

// Start begins working jobs; Stop waits for the jobs under way to finish.
func (r *Runner) Start(ctx context.Context) error { return r.q.start(ctx) }

// Stop stops taking jobs and waits for those under way.
func (r *Runner) Stop(ctx context.Context) error { return r.q.stop(ctx) }

// pending are the states of a job that will still run.
var pending = []rivertype.JobState{rivertype.JobStateScheduled, rivertype.JobStateAvailable, rivertype.JobStateRetryable}

// RunDue moves a test clock forward to until, one due job at a time in the order they are due:
// the clock stands at each job's time while it runs, so a handler sees the time it was meant
// for, and kept is told each time the clock moves. It returns when every job due by until has
// run (or failed its try).
func (r *Runner) RunDue(ctx context.Context, c *accord.TestClock, until time.Time, kept func(time.Time) error) error {
	for {
		jobs, err := r.q.list(ctx, river.NewJobListParams().States(pending...).
			OrderBy(river.JobListOrderByScheduledAt, river.SortOrderAsc).First(100))
		if err != nil {
			return err
		}
		if len(jobs) == 0 || jobs[0].ScheduledAt.After(until) {
			// A job River started by itself may still be under way, and may fall due again.
			running, err := r.q.list(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).First(100))
			if err != nil {
				return err
			}
			if len(running) == 0 {
				break
			}
			for _, j := range running {
				if err := r.wait(ctx, j.ID, j.Attempt-1); err != nil {
					return err
				}
			}
			continue
		}
		at := jobs[0].ScheduledAt
		if err := kept(c.Set(at)); err != nil {
			return err
		}
		var batch []*rivertype.JobRow // the jobs due at this very moment run together
		for _, j := range jobs {
			if !j.ScheduledAt.Equal(at) {
				break
			}
			// Available now, by the clock's time; a job another worker took meanwhile is waited for.
			if err := r.q.retry(ctx, j.ID); err != nil && !errors.Is(err, rivertype.ErrNotFound) {
				return err
			}
			batch = append(batch, j)
		}
		for _, j := range batch {
			if err := r.wait(ctx, j.ID, j.Attempt); err != nil {
				return err
			}
		}
	}
	c.Set(until)
	return nil
}

// wait returns once job id has been tried beyond attempt.
func (r *Runner) wait(ctx context.Context, id int64, attempt int) error {
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for {
		got, err := r.q.get(ctx, id)
		if errors.Is(err, rivertype.ErrNotFound) {
			return nil // finished, and already cleaned away by a clock that jumped ahead
		}
		if err != nil {
			return err
		}
		if got.Attempt > attempt && got.State != rivertype.JobStateRunning || got.State == rivertype.JobStateCompleted ||
			got.State == rivertype.JobStateDiscarded || got.State == rivertype.JobStateCancelled {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// retryAt is when a job's next try runs if this one fails; zero after its last.
func (r *Runner) retryAt(j *rivertype.JobRow) time.Time {
	k := r.kinds[j.Kind]
	if j.Attempt >= j.MaxAttempts || k.Backoff == nil || j.AttemptedAt == nil {
		return time.Time{}
	}
	return j.AttemptedAt.Add(k.Backoff(j.Attempt)).UTC()
}

// envelope carries a job's JSON arguments under its kind, so that one worker serves every kind.
type envelope struct {
	kind string
	raw  json.RawMessage
}

func (e envelope) Kind() string                  { return e.kind }
func (e envelope) MarshalJSON() ([]byte, error)  { return e.raw, nil }
func (e *envelope) UnmarshalJSON(b []byte) error { e.raw = append(e.raw[:0], b...); return nil }
func (e envelope) InsertOpts() river.InsertOpts  { return river.InsertOpts{} }

type worker struct {
	river.WorkerDefaults[envelope]
	r *Runner
}

func (w *worker) Work(ctx context.Context, j *river.Job[envelope]) error {
	k, ok := w.r.kinds[j.Kind]
	if !ok {
		return river.JobCancel(fmt.Errorf("no handler for kind %q", j.Kind))
	}
	try := Try{Attempt: j.Attempt, MaxAttempts: j.MaxAttempts, RetryAt: w.r.retryAt(j.JobRow)}
	each, ok := merged(k, j.Args.raw)
	if !ok {
		return k.Handle(ctx, j.Args.raw, try)
	}
	var errs []error
	for _, raw := range each {
		if err := k.Handle(ctx, raw, try); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// merged splits the arguments of a merged job of kind k into those of the jobs it stands for;
// false when raw is one job's own.
func merged(k Kind, raw json.RawMessage) ([]json.RawMessage, bool) {
	var each []json.RawMessage
	if !k.Merge || len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &each) != nil {
		return nil, false
	}
	return each, true
}

func (w *worker) NextRetry(j *river.Job[envelope]) time.Time { return w.r.retryAt(j.JobRow) }

func (w *worker) Timeout(j *river.Job[envelope]) time.Duration {
	k := w.r.kinds[j.Kind]
	each, _ := merged(k, j.Args.raw)
	return k.timeout(len(each))
}

// warnings passes on River's warnings and errors; its news of starting and stopping is noise.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}
func (w warnings) WithAttrs(a []slog.Attr) slog.Handler { return warnings{w.Handler.WithAttrs(a)} }
func (w warnings) WithGroup(g string) slog.Handler      { return warnings{w.Handler.WithGroup(g)} }

// testTime gives River the test clock, so that jobs fall due by its time.
type testTime struct{ c *accord.TestClock }

func (t testTime) Now() time.Time { return t.c.Now() }
func (t testTime) NowOrNil() *time.Time {
	now := t.c.Now()
	return &now
}
