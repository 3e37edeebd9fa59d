package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

// A connection keeps the statements it runs prepared, and a query met again while its first
// rows are still being read runs apart, so that neither result is cut short or mixed up.
func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open(cachedDriver, dsn(filepath.Join(t.TempDir(), "cache.db"), "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{`CREATE TABLE t (n INTEGER)`, `INSERT INTO t VALUES (1), (2), (3)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	const q = `SELECT n FROM t WHERE n >= ? ORDER BY n`
	read := func(rows *sql.Rows, n int) []int {
		var out []int
		for len(out) < n && rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	outer, err := tx.Query(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	first := read(outer, 1)
	inner, err := tx.Query(q, 2) // the same query while the first is open
	if err != nil {
		t.Fatal(err)
	}
	if got := read(inner, 10); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("the inner query read %v, want [2 3]", got)
	}
	inner.Close()
	if got := append(first, read(outer, 10)...); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("the outer query read %v, want [1 2 3]", got)
	}
	outer.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 3 {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM t WHERE n > ?`, 0).Scan(&n); err != nil || n != 3 {
			t.Fatalf("count = %d, %v", n, err)
		}
	}
	conn.Raw(func(c any) error {
		cc := c.(*cachingConn)
		if s, ok := cc.stmts[`SELECT count(*) FROM t WHERE n > ?`]; !ok || s.busy {
			t.Errorf("the query is not kept prepared, or is still marked busy: %v", s)
		}
		if s := cc.stmts[q]; s == nil || s.busy {
			t.Errorf("the first query is not kept prepared and free: %v", s)
		}
		return nil
	})
}
