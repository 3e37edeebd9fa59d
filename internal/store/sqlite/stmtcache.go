package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
	"strings"

	"modernc.org/sqlite"
)

// cachedDriver is the SQLite driver with each connection keeping the statements it has run
// prepared, so that a query is parsed once per connection instead of on every call. It
// serves every query on the connection, the job queue's included, which come as SQL text
// through database/sql and would otherwise be parsed anew each time.
const cachedDriver = "accord-sqlite"

func init() { sql.Register(cachedDriver, stmtCachingDriver{&sqlite.Driver{}}) }

// stmtsPerConn bounds the statements a connection keeps: the store and the job queue have a
// few hundred fixed queries. A query with more than maxCachedParams placeholders is one of the
// lists built to a length (a record check's page of hashes) and is run unprepared, so that
// such one-offs do not push the fixed queries out.
const (
	stmtsPerConn    = 512
	maxCachedParams = 64
)

type stmtCachingDriver struct{ d *sqlite.Driver }

func (d stmtCachingDriver) Open(name string) (driver.Conn, error) {
	c, err := d.d.Open(name)
	if err != nil {
		return nil, err
	}
	inner, ok := c.(innerConn)
	if !ok {
		c.Close()
		return nil, errors.New("sqlite: the driver's connection lacks the context methods")
	}
	return &cachingConn{innerConn: inner, stmts: map[string]*cachedStmt{}}, nil
}

// innerConn is what the connection of modernc.org/sqlite does, and this one passes on.
type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn is one connection and its prepared statements by query. database/sql uses a
// connection from one goroutine at a time, so the map needs no lock.
type cachingConn struct {
	innerConn
	stmts map[string]*cachedStmt
}

// cachedStmt is a prepared statement and whether rows of it are still open: SQLite steps
// one statement through one result at a time, so a query met again while its rows are read
// runs unprepared.
type cachedStmt struct {
	st interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	busy bool
}

// stmt returns q prepared on this connection, nil when q is busy or does not prepare (the
// caller then runs it as it is, and gets its error).
func (c *cachingConn) stmt(ctx context.Context, q string) *cachedStmt {
	if s, ok := c.stmts[q]; ok {
		if s.busy {
			return nil
		}
		return s
	}
	if strings.Count(q, "?") > maxCachedParams || len(c.stmts) >= stmtsPerConn && !c.evict() {
		return nil
	}
	ds, err := c.innerConn.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	st, ok := ds.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		ds.Close()
		return nil
	}
	s := &cachedStmt{st: st}
	c.stmts[q] = s
	return s
}

// evict closes one statement that is not busy, to make room; false when all are.
func (c *cachingConn) evict() bool {
	for q, s := range c.stmts {
		if !s.busy {
			s.st.Close()
			delete(c.stmts, q)
			return true
		}
	}
	return false
}

func (c *cachingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	if s := c.stmt(ctx, q); s != nil {
		return s.st.ExecContext(ctx, args)
	}
	return c.innerConn.ExecContext(ctx, q, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.stmt(ctx, q)
	if s == nil {
		return c.innerConn.QueryContext(ctx, q, args)
	}
	rows, err := s.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

// Close closes the statements and then the connection.
func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		s.st.Close()
	}
	c.stmts = nil
	return c.innerConn.Close()
}

// cachedRows frees its statement for the next query when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	return err
}

// The column types, for database/sql's ColumnTypes, are the driver's rows'.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *cachedRows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
