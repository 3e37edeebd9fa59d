package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/accordapp/accord/internal/store/sqlstore"
)

// pool is the shared SQL store's Pool over pgx's own pool, so that work which must commit with a
// change (River's jobs) gets a pgx.Tx.
type pool struct{ p *pgxpool.Pool }

func (p pool) Begin(ctx context.Context, readOnly bool) (sqlstore.Conn, error) {
	opts := pgx.TxOptions{}
	if readOnly {
		opts.AccessMode = pgx.ReadOnly
	}
	tx, err := p.p.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return conn{tx}, nil
}

func (p pool) Close() error { p.p.Close(); return nil }

// readPool runs each read on a connection of its own without BEGIN and COMMIT, which saves
// two round trips a read: at READ COMMITTED, a transaction's every statement sees its own
// snapshot anyway, and the pool's sessions are read-only (default_transaction_read_only),
// so a read's statements can write no more than in a read-only transaction.
type readPool struct{ p *pgxpool.Pool }

func (p readPool) Begin(ctx context.Context, readOnly bool) (sqlstore.Conn, error) {
	if !readOnly {
		return nil, errors.New("postgres: the read pool does not write")
	}
	c, err := p.p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	return &readConn{c: c}, nil
}

func (p readPool) Close() error { p.p.Close(); return nil }

// readConn is one read's connection, given back at its commit or rollback.
type readConn struct{ c *pgxpool.Conn }

func (c *readConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := c.c.Exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (c *readConn) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return c.c.QueryRow(ctx, q, args...)
}

func (c *readConn) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	r, err := c.c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

func (c *readConn) Commit(context.Context) error   { c.release(); return nil }
func (c *readConn) Rollback(context.Context) error { c.release(); return nil }
func (c *readConn) Driver() any                    { return c.c.Conn() }

func (c *readConn) release() {
	if c.c != nil {
		c.c.Release()
		c.c = nil
	}
}

type conn struct{ tx pgx.Tx }

func (c conn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := c.tx.Exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (c conn) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return c.tx.QueryRow(ctx, q, args...)
}

func (c conn) Query(ctx context.Context, q string, args ...any) (sqlstore.Rows, error) {
	r, err := c.tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return rows{r}, nil
}

func (c conn) Commit(ctx context.Context) error   { return c.tx.Commit(ctx) }
func (c conn) Rollback(ctx context.Context) error { return c.tx.Rollback(ctx) }
func (c conn) Driver() any                        { return c.tx }

// rows gives pgx's rows the Close that database/sql's have.
type rows struct{ pgx.Rows }

func (r rows) Close() error { r.Rows.Close(); return nil }
