// Package postgres opens Accord's store on PostgreSQL, for installs beyond one machine.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/accordapp/accord/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open connects to the database at url and brings its schema up to date.
func Open(ctx context.Context, url string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: cannot connect: %w", err)
	}
	p, err := Migrations(db)
	if err == nil {
		_, err = p.Up(ctx)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres migrate: %w", err)
	}
	return sqlstore.New(db, db, Dialect), nil
}

// Migrations is the schema's migrator over db. It holds a PostgreSQL advisory lock while it
// works, so instances that start together on one database take turns.
func Migrations(db *sql.DB) (*goose.Provider, error) {
	sub, _ := fs.Sub(migrations, "migrations")
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300)) // up to 5 minutes
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, db, sub, goose.WithSessionLocker(locker))
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
