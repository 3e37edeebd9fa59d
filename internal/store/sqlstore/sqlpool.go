package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// SQLPool is a Pool over database/sql.
type SQLPool struct {
	DB *sql.DB
	// ReadOnly marks read transactions read-only (SQLite's readers are read-only connections instead).
	ReadOnly bool
	// Stmts, when set, keeps each query prepared on every connection that ran it, so that a
	// query is parsed once per connection rather than once per call (see NewStmtCache).
	Stmts *StmtCache
}

// Begin opens a transaction.
func (p SQLPool) Begin(ctx context.Context, readOnly bool) (Conn, error) {
	tx, err := p.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly && p.ReadOnly})
	if err != nil {
		return nil, err
	}
	return sqlConn{tx, p.Stmts}, nil
}

// Close closes the database.
func (p SQLPool) Close() error {
	p.Stmts.close()
	return p.DB.Close()
}

// StmtCache holds a database's prepared statements by query, up to a bound: queries past it
// (none of the store's fixed ones) are run unprepared.
type StmtCache struct {
	db *sql.DB
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

// stmtCacheSize bounds the statements kept: the store has a few hundred queries, and the few
// it builds (a list of placeholders) vary little.
const stmtCacheSize = 1000

// NewStmtCache makes a statement cache for db.
func NewStmtCache(db *sql.DB) *StmtCache {
	return &StmtCache{db: db, m: map[string]*sql.Stmt{}}
}

// in returns q as a statement of tx, prepared once on tx's connection, or nil the first time
// q is met (or once the cache is full): the caller then runs q unprepared. The first time, q
// is prepared in the background, since preparing it on the database needs a connection of
// its own, and tx may hold the only one there is (the writer's) or the last free one.
func (c *StmtCache) in(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	st, ok := c.m[q]
	c.mu.RUnlock()
	if !ok {
		c.mu.Lock()
		if _, ok = c.m[q]; !ok && c.m != nil && len(c.m) < stmtCacheSize {
			c.m[q] = nil // being prepared
			go c.prepare(q)
		}
		c.mu.Unlock()
	}
	if st == nil {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// prepare prepares q on the database and keeps it; a query that does not prepare stays nil,
// run unprepared each time (and failing with its own error).
func (c *StmtCache) prepare(q string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := c.db.PrepareContext(ctx, q)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil:
	case c.m == nil: // closed meanwhile
		st.Close()
	default:
		c.m[q] = st
	}
}

func (c *StmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		if st != nil {
			st.Close()
		}
	}
	c.m = nil
}

type sqlConn struct {
	tx    *sql.Tx
	stmts *StmtCache
}

func (c sqlConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := c.stmts.in(ctx, c.tx, q); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = c.tx.ExecContext(ctx, q, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c sqlConn) QueryRow(ctx context.Context, q string, args ...any) Row {
	if st := c.stmts.in(ctx, c.tx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, q, args...)
}

func (c sqlConn) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	if st := c.stmts.in(ctx, c.tx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.tx.QueryContext(ctx, q, args...)
}

func (c sqlConn) Commit(context.Context) error   { return c.tx.Commit() }
func (c sqlConn) Rollback(context.Context) error { return c.tx.Rollback() }
func (c sqlConn) Driver() any                    { return c.tx }
