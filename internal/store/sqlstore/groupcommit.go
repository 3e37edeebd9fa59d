package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/accordapp/accord"
)

// maxBatch bounds how many writes share one commit: enough that a burst pays one fsync, few
// enough that one batch does not keep the writer (and River) waiting long.
const maxBatch = 64

// savepoint names each write's part of a batch; River's own savepoints are river_savepoint_NN.
const savepoint = "accord_write"

// ErrClosed is a write's error when the store closed before the write could run.
var ErrClosed = errors.New("sqlstore: the store is closed, nothing was written; open it again to write")

// errGoexit is the outcome of a write whose fn called runtime.Goexit (a test's t.FailNow).
var errGoexit = errors.New("sqlstore: the write's fn called runtime.Goexit")

// panicError is the outcome of a write whose fn panicked: the batch goes on without it, and the
// panic goes on in the caller's goroutine.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("sqlstore: the write panicked: %v", e.value) }

// committer runs the writes of a database with one writer in batches: each batch is one
// transaction with a savepoint per write, and one commit, so that concurrent writes share one
// fsync. No write is answered before the commit that holds it is durable.
type committer struct {
	pool  Pool
	d     Dialect
	stats *writeStats
	warm  *warmCache

	mu      sync.Mutex
	queue   []*request
	closed  bool
	wake    chan struct{} // holds a token once a write is queued
	stopped chan struct{} // closed when the committer has returned
}

// request is one write waiting for its answer.
type request struct {
	ctx    context.Context
	fn     func(accord.Tx) error
	state  atomic.Int32   // queued, taken or abandoned
	before []beforeCommit // what the write left for the batch's end, once it succeeded
	saved  []saved        // the snapshots it stored, once it succeeded
	err    error
	done   chan struct{}
}

const (
	queued int32 = iota
	taken
	abandoned
)

func (r *request) answer(err error) {
	r.err = err
	close(r.done)
}

func newCommitter(pool Pool, d Dialect, stats *writeStats, warm *warmCache) *committer {
	c := &committer{pool: pool, d: d, stats: stats, warm: warm, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go c.run()
	return c
}

// write queues fn and waits for the commit of its batch. A write whose ctx ends while it waits
// in the queue is dropped; once it runs, it ends with its batch. A panic or runtime.Goexit in fn
// goes on in the caller, as it would without batching. Once the write is durable, the caller
// decodes the snapshots it saved for the next writes (warmCache), off the writer.
func (c *committer) write(ctx context.Context, fn func(accord.Tx) error) error {
	saved, err := c.wait(ctx, fn)
	if p, ok := err.(*panicError); ok {
		panic(p.value)
	}
	if err == errGoexit {
		runtime.Goexit()
	}
	if err == nil {
		c.warm.keep(saved)
	}
	return err
}

func (c *committer) wait(ctx context.Context, fn func(accord.Tx) error) ([]saved, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &request{ctx: ctx, fn: fn, done: make(chan struct{})}
	if err := c.enqueue(r); err != nil {
		return nil, err
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return nil, ctx.Err()
		}
		<-r.done
	}
	return r.saved, r.err
}

func (c *committer) enqueue(r *request) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.queue = append(c.queue, r)
	select {
	case c.wake <- struct{}{}:
	default:
	}
	return nil
}

// waiting is how many writes wait for a batch.
func (c *committer) waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}

// close answers the writes still queued with ErrClosed, lets the batch under way finish, and
// stops the committer.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	left := c.queue
	c.queue = nil
	c.mu.Unlock()
	for _, r := range left {
		r.answer(ErrClosed)
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
	<-c.stopped
}

func (c *committer) run() {
	defer close(c.stopped)
	for {
		batch, ok := c.take()
		if !ok {
			return
		}
		c.commit(batch)
	}
}

// take waits for queued writes and takes those already there, at most maxBatch: it never waits
// for a batch to fill, so a lone write pays nothing for sharing. It is false once closed.
func (c *committer) take() ([]*request, bool) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, false
		}
		if n := min(len(c.queue), maxBatch); n > 0 {
			batch := make([]*request, n)
			copy(batch, c.queue)
			c.queue = append(c.queue[:0], c.queue[n:]...)
			c.mu.Unlock()
			return batch, true
		}
		c.mu.Unlock()
		<-c.wake
	}
}

// requeue puts writes that never ran back at the head of the queue.
func (c *committer) requeue(rs []*request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		for _, r := range rs {
			r.answer(ErrClosed)
		}
		return
	}
	c.queue = append(rs, c.queue...)
}

// commit runs a batch in one transaction and answers each write once the commit is durable
// (or has failed). A busy database fails the batch's begin; Write tries again.
func (c *committer) commit(batch []*request) {
	ctx := context.Background() // the batch is not any one write's to cancel
	conn, err := c.pool.Begin(ctx, false)
	if err != nil {
		for _, r := range batch {
			if r.state.CompareAndSwap(queued, taken) {
				r.answer(fmt.Errorf("begin: %w", err))
			}
		}
		return
	}
	var leaves []accord.Event
	ok, err := c.runAll(conn, batch, &leaves)
	if err == nil && len(ok) > 0 {
		err = c.beforeCommit(conn, ok, leaves)
	}
	if err != nil || len(ok) == 0 {
		conn.Rollback(ctx)
	} else if err = conn.Commit(ctx); err != nil {
		err = fmt.Errorf("commit: %w", err)
	} else {
		c.stats.commits.Add(1)
		c.stats.writes.Add(uint64(len(ok)))
	}
	answerAll(ok, err)
}

// runAll runs each write of the batch still wanted in a savepoint of its own, answers those that
// fail and returns those that succeeded. err is set when the transaction itself failed: the writes
// that had succeeded are undone with it, and those that had not run go back in the queue.
// leaves holds the events of the writes that succeeded not yet appended to the record, for the
// batch's end.
func (c *committer) runAll(conn Conn, batch []*request, leaves *[]accord.Event) (ok []*request, err error) {
	for i, r := range batch {
		if !r.state.CompareAndSwap(queued, taken) {
			continue // its caller has gone
		}
		if err := r.ctx.Err(); err != nil {
			r.answer(err)
			continue
		}
		fnErr, lost := c.runOne(conn, r, leaves)
		if lost != nil {
			r.answer(errors.Join(fnErr, fmt.Errorf("savepoint: %w", lost)))
			c.requeue(batch[i+1:])
			return ok, fmt.Errorf("the write was undone with its batch, whose transaction failed: %w", lost)
		}
		if fnErr != nil {
			r.answer(fnErr) // nothing of it will commit, whatever the others do
			continue
		}
		ok = append(ok, r)
	}
	return ok, nil
}

// beforeCommit runs the work the batch's writes left for its end (Tx.BeforeCommit), all of it
// at once, outside any write's savepoint, and appends their events to the record: a few
// statements for the batch rather than for each write.
func (c *committer) beforeCommit(conn Conn, ok []*request, leaves []accord.Event) error {
	var bs []beforeCommit
	for _, r := range ok {
		bs = append(bs, r.before...)
	}
	tx := &Tx{ctx: context.Background(), c: conn, d: c.d, write: true, leaves: leaves}
	if err := runBeforeCommit(tx, bs); err != nil {
		return err
	}
	return tx.flushLeaves()
}

func answerAll(rs []*request, err error) {
	for _, r := range rs {
		r.answer(err)
	}
}

// runOne runs r's fn in a savepoint of the batch's transaction: kept when fn returns nil, rolled
// back when it fails or panics. lost is the error of a savepoint statement: the transaction
// itself is gone, and the batch with it.
//
// The write starts with the leaves the batch's earlier writes left pending, so that a read of
// the record in it appends them first, in order. When it succeeds, what it leaves pending
// (theirs and its own, or none once appended) is the batch's; when it is undone, appends made
// in it are undone too, and the batch's pending leaves are as they were before it.
func (c *committer) runOne(conn Conn, r *request, leaves *[]accord.Event) (fnErr, lost error) {
	// The statements of a write that runs must not be interrupted by its caller going away:
	// SQLite would roll back the whole transaction, and every other write of the batch with it.
	ctx := context.WithoutCancel(r.ctx)
	if _, err := conn.Exec(ctx, "SAVEPOINT "+savepoint); err != nil {
		return nil, err
	}
	tx := &Tx{ctx: ctx, c: conn, d: c.d, write: true, leaves: slices.Clip(*leaves), warm: c.warm}
	fnErr = call(func(tx accord.Tx) error {
		if err := r.fn(tx); err != nil {
			return err
		}
		return tx.(*Tx).countMessages()
	}, tx)
	r.before = tx.before // kept only if the write is, with the batch's other successes
	r.saved = tx.saved
	if fnErr != nil {
		if _, err := conn.Exec(ctx, "ROLLBACK TO "+savepoint); err != nil {
			return fnErr, err
		}
	} else {
		*leaves = tx.leaves
	}
	_, lost = conn.Exec(ctx, "RELEASE "+savepoint)
	return fnErr, lost
}

// call runs fn on a goroutine of its own, so that neither a panic nor a runtime.Goexit in it can
// stop the committer: either becomes fn's outcome, for write to pass on.
func call(fn func(accord.Tx) error, tx accord.Tx) error {
	err := errGoexit
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if v := recover(); v != nil {
				err = &panicError{v}
			}
		}()
		err = fn(tx)
	}()
	<-done
	return err
}
