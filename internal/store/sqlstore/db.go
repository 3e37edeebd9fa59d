// Package sqlstore implements the store in SQL that SQLite and PostgreSQL both speak.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/accordapp/accord"
)

// Dialect is what differs between the databases.
type Dialect struct {
	Name       string
	Numbered   bool   // placeholders $1, $2 … instead of ?
	LockSuffix string // appended to a read that a write transaction will update
	// LockUsers, run before counting users in a write transaction, makes "only the first
	// account may sign up" hold under concurrent signups.
	LockUsers   string
	IsUniqueErr func(error) bool
	IsBusyErr   func(error) bool
	// GroupCommit runs concurrent writes in one transaction and one commit, for a database with
	// one writer whose every commit is an fsync of its own (SQLite).
	GroupCommit bool
}

// Pool begins transactions on one database: database/sql for SQLite, pgx for PostgreSQL.
type Pool interface {
	Begin(ctx context.Context, readOnly bool) (Conn, error)
	Close() error
}

// Conn is one open transaction of a Pool.
type Conn interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
	// Driver is the driver's own transaction (*sql.Tx, pgx.Tx), for work that must commit with
	// the change, such as the jobs it schedules.
	Driver() any
}

// Row is one result row to scan.
type Row interface{ Scan(dest ...any) error }

// Rows is a result set to scan row by row.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// DB is a store over a writer pool and a reader pool (the same pool where the database allows).
type DB struct {
	writer, reader Pool
	d              Dialect
	commits        *committer // nil unless the dialect asks for group commit
	stats          writeStats
	warm           *warmCache
}

// New returns a store over the given pools.
func New(writer, reader Pool, d Dialect) *DB {
	db := &DB{writer: writer, reader: reader, d: d, warm: &warmCache{}}
	if d.GroupCommit {
		db.commits = newCommitter(writer, d, &db.stats, db.warm)
	}
	return db
}

// WriteStats counts a store's writes since it opened.
type WriteStats struct {
	Writes  uint64 // writes that committed
	Commits uint64 // the commits that made them durable: fewer than Writes when writes shared one
	Queued  int    // writes waiting now for a batch (group commit only)
	// Warm counts the engagements writes found already decoded (see warmCache).
	Warm uint64
}

// WriteCounter is a store that counts its writes (the SQL stores), for benchmarks and tests.
type WriteCounter interface{ WriteStats() WriteStats }

type writeStats struct{ writes, commits atomic.Uint64 }

// WriteStats says how many writes have committed, in how many commits.
func (db *DB) WriteStats() WriteStats {
	s := WriteStats{Writes: db.stats.writes.Load(), Commits: db.stats.commits.Load(), Warm: db.warm.hitCount()}
	if db.commits != nil {
		s.Queued = db.commits.waiting()
	}
	return s
}

// Close stops the writes (those still queued fail with ErrClosed) and closes both pools.
func (db *DB) Close() error {
	if db.commits != nil {
		db.commits.close()
	}
	err := db.writer.Close()
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// Read runs fn in a read-only transaction.
func (db *DB) Read(ctx context.Context, fn func(accord.Tx) error) error {
	_, err := db.run(ctx, db.reader, false, fn)
	return err
}

// Write runs fn in a write transaction and commits when fn returns nil; a busy database is
// retried. It returns nil only once the commit is durable. With group commit, fn runs in a
// savepoint of a transaction it shares with concurrent writes, and must not call Write itself.
func (db *DB) Write(ctx context.Context, fn func(accord.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.write(ctx, fn)
		if err == nil || !db.d.IsBusyErr(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return err
}

func (db *DB) write(ctx context.Context, fn func(accord.Tx) error) error {
	if db.commits != nil {
		return db.commits.write(ctx, fn)
	}
	saved, err := db.run(ctx, db.writer, true, fn)
	if err != nil {
		return err
	}
	db.warm.keep(saved)
	db.stats.commits.Add(1)
	db.stats.writes.Add(1)
	return nil
}

// run runs fn in a transaction of pool; a write's result is the snapshots it saved.
func (db *DB) run(ctx context.Context, pool Pool, write bool, fn func(accord.Tx) error) ([]saved, error) {
	c, err := pool.Begin(ctx, !write)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	// Rolls back when fn returns an error or panics (a panic must not keep the writer); a no-op
	// after Commit. It runs even when ctx is done, so the connection goes back clean.
	defer c.Rollback(context.WithoutCancel(ctx))
	tx := &Tx{ctx: ctx, c: c, d: db.d, write: write, warm: db.warm}
	if err := fn(tx); err != nil {
		return nil, err
	}
	if err := tx.countMessages(); err != nil {
		return nil, err
	}
	if err := runBeforeCommit(tx, tx.before); err != nil {
		return nil, err
	}
	if err := tx.flushLeaves(); err != nil {
		return nil, err
	}
	if err := c.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return tx.saved, nil
}

// Tx is one transaction.
type Tx struct {
	ctx   context.Context
	c     Conn
	d     Dialect
	write bool
	// digests are the stored digests of the engagements this write transaction loaded, by id:
	// what their save changes the workspace's tallies from.
	digests map[string]string
	// leaves are the events saved but not yet appended to their workspace's record tree, which
	// is done at the commit or at the first read of the record (flushLeaves).
	leaves []accord.Event
	// before is the work the write left for just before its commit (BeforeCommit).
	before []beforeCommit
	// newMessages are how many messages this transaction created on each engagement, not yet
	// in its count: the engagement's save adds them, and the commit those of the others.
	newMessages map[string]int64
	// warm holds engagements decoded ahead for writes; saved are the snapshots this write
	// stored, for it once the write is durable.
	warm  *warmCache
	saved []saved
}

// BeforeCommit leaves work for just before the transaction commits: under group commit, after
// every write of the batch, so that the work of all of them runs as one. Each key's run is
// called once, in the order the keys first came, with the values of every write of the batch
// that succeeded; a write undone takes its values with it. When run fails, the commit does
// not happen, and every write of the batch fails with it.
func (t *Tx) BeforeCommit(key string, v any, run func(tx accord.Tx, vs []any) error) {
	t.before = append(t.before, beforeCommit{key, v, run})
}

type beforeCommit struct {
	key string
	v   any
	run func(tx accord.Tx, vs []any) error
}

// runBeforeCommit runs the work bs leave, one run per key.
func runBeforeCommit(tx *Tx, bs []beforeCommit) error {
	var keys []string
	vs := map[string][]any{}
	runs := map[string]func(accord.Tx, []any) error{}
	for _, b := range bs {
		if _, ok := runs[b.key]; !ok {
			keys = append(keys, b.key)
			runs[b.key] = b.run
		}
		vs[b.key] = append(vs[b.key], b.v)
	}
	for _, k := range keys {
		if err := runs[k](tx, vs[k]); err != nil {
			return fmt.Errorf("before commit (%s): %w", k, err)
		}
	}
	return nil
}

// Driver is the driver's own transaction, for work that must commit with this one.
func (t *Tx) Driver() any { return t.c.Driver() }

// Context is the context the transaction runs in.
func (t *Tx) Context() context.Context { return t.ctx }

func (t *Tx) q(query string) string {
	if !t.d.Numbered {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// result is how many rows a write touched, in the shape of database/sql's result.
type result int64

func (r result) RowsAffected() (int64, error) { return int64(r), nil }

func (t *Tx) exec(query string, args ...any) (result, error) {
	n, err := t.c.Exec(t.ctx, t.q(query), args...)
	return result(n), err
}

func (t *Tx) row(query string, args ...any) Row {
	return t.c.QueryRow(t.ctx, t.q(query), args...)
}

func (t *Tx) rows(query string, args ...any) (Rows, error) {
	return t.c.Query(t.ctx, t.q(query), args...)
}

// notFound turns sql.ErrNoRows into the domain's not-found error for kind.
func notFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return accord.Errorf(accord.ENOTFOUND, kind+".not_found")
	}
	return err
}

// oneRow turns a write that touched no row into the domain's not-found error for kind.
func oneRow(res result, err error, kind string) error {
	n, err := affected(res, err)
	if err != nil {
		return err
	}
	if n == 0 {
		return accord.Errorf(accord.ENOTFOUND, kind+".not_found")
	}
	return nil
}

// affected is how many rows a write touched.
func affected(res result, err error) (int, error) { return int(res), err }

// micros stores a time as microseconds since the epoch (0 for the zero time): the same in both databases.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}
