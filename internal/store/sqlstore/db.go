// Package sqlstore implements the store in SQL that SQLite and PostgreSQL both speak.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
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
}

// DB is a store over a writer pool and a reader pool (the same pool where the database allows).
type DB struct {
	writer, reader *sql.DB
	d              Dialect
}

// New returns a store over the given pools.
func New(writer, reader *sql.DB, d Dialect) *DB { return &DB{writer, reader, d} }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.writer.Close()
	if db.reader != db.writer {
		err = errors.Join(err, db.reader.Close())
	}
	return err
}

// Read runs fn in a read-only transaction.
func (db *DB) Read(ctx context.Context, fn func(accord.Tx) error) error {
	return db.run(ctx, db.reader, &sql.TxOptions{ReadOnly: db.d.Name != "sqlite"}, false, fn)
}

// Write runs fn in a write transaction and commits when fn returns nil; a busy database is retried.
func (db *DB) Write(ctx context.Context, fn func(accord.Tx) error) error {
	var err error
	for attempt := 0; attempt < 5; attempt++ {
		err = db.run(ctx, db.writer, nil, true, fn)
		if err == nil || !db.d.IsBusyErr(err) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return err
}

func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, write bool, fn func(accord.Tx) error) error {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	// Rolls back when fn returns an error or panics (a panic must not keep the writer); a no-op after Commit.
	defer sqlTx.Rollback()
	tx := &Tx{ctx: ctx, tx: sqlTx, d: db.d, write: write}
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Tx is one transaction.
type Tx struct {
	ctx   context.Context
	tx    *sql.Tx
	d     Dialect
	write bool
}

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

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(t.ctx, t.q(query), args...)
}

func (t *Tx) row(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, t.q(query), args...)
}

func (t *Tx) rows(query string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(t.ctx, t.q(query), args...)
}

// notFound turns sql.ErrNoRows into the domain's not-found error for kind.
func notFound(err error, kind string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return accord.Errorf(accord.ENOTFOUND, kind+".not_found")
	}
	return err
}

// oneRow turns a write that touched no row into the domain's not-found error for kind.
func oneRow(res sql.Result, err error, kind string) error {
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
func affected(res sql.Result, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

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
