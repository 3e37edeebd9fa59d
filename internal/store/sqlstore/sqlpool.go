package sqlstore

import (
	"context"
	"database/sql"
)

// SQLPool is a Pool over database/sql.
type SQLPool struct {
	DB *sql.DB
	// ReadOnly marks read transactions read-only (SQLite's readers are read-only connections instead).
	ReadOnly bool
}

// Begin opens a transaction.
func (p SQLPool) Begin(ctx context.Context, readOnly bool) (Conn, error) {
	tx, err := p.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnly && p.ReadOnly})
	if err != nil {
		return nil, err
	}
	return sqlConn{tx}, nil
}

// Close closes the database.
func (p SQLPool) Close() error { return p.DB.Close() }

type sqlConn struct{ tx *sql.Tx }

func (c sqlConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := c.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c sqlConn) QueryRow(ctx context.Context, q string, args ...any) Row {
	return c.tx.QueryRowContext(ctx, q, args...)
}

func (c sqlConn) Query(ctx context.Context, q string, args ...any) (Rows, error) {
	return c.tx.QueryContext(ctx, q, args...)
}

func (c sqlConn) Commit(context.Context) error   { return c.tx.Commit() }
func (c sqlConn) Rollback(context.Context) error { return c.tx.Rollback() }
func (c sqlConn) Driver() any                    { return c.tx }
