package postgres

import (
	"context"

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
