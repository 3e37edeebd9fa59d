// Package postgres opens Accord's store on PostgreSQL, for installs beyond one machine.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/accordapp/accord/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is Accord's store on PostgreSQL, with the pgx pool it runs on.
type Store struct {
	*sqlstore.DB
	// Pool is the connection pool, for River, whose jobs commit in the store's transactions.
	Pool *pgxpool.Pool
}

// Open connects to the database at url and brings its schema up to date.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.MaxConns = 16
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := p.Ping(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("postgres: cannot connect: %w", err)
	}
	db := stdlib.OpenDBFromPool(p)
	m, err := Migrations(db)
	if err == nil {
		_, err = m.Up(ctx)
	}
	db.Close()
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("postgres migrate: %w", err)
	}
	rcfg := cfg.Copy()
	rcfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	r, err := pgxpool.NewWithConfig(ctx, rcfg)
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return &Store{DB: sqlstore.New(pool{p}, readPool{r}, Dialect), Pool: p}, nil
}

// Migrations is the schema's migrator over db. It holds a PostgreSQL advisory lock while it
// works, so instances that start together on one database take turns.
func Migrations(db *sql.DB) (*goose.Provider, error) {
	sub, _ := fs.Sub(migrations, "migrations")
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300)) // up to 5 minutes
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker),
		goose.WithGoMigrations(sqlstore.RecordMigration(14, Dialect)))
}

// Dialect describes PostgreSQL to the shared SQL store.
var Dialect = sqlstore.Dialect{
	Name:        "postgres",
	Numbered:    true,
	LockSuffix:  " FOR UPDATE",
	LockUsers:   "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE",
	IsUniqueErr: func(err error) bool { return pgCode(err) == "23505" },
	IsBusyErr:   func(err error) bool { c := pgCode(err); return c == "40001" || c == "40P01" },
}

func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Analyze refreshes the planner's statistics of every table, as autovacuum does once enough
// rows changed; statements prepared before are planned anew. A bulk load calls it as it goes,
// so that plans made on nearly empty tables do not outlive them.
func (s *Store) Analyze(ctx context.Context) error {
	rows, err := s.Pool.Query(ctx, `SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		return err
	}
	_, err = s.Pool.Exec(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}
