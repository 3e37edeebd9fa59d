// Package sqlite opens Accord's embedded store: one SQLite file in WAL mode, one writer
// connection that takes its lock at BEGIN, and a pool of readers.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/accordapp/accord/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Open opens (creating if needed) the database file at path and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// The journal of each write's savepoint in a shared commit stays in memory, never in a
	// temporary file: it only undoes that one write, and a crash undoes the whole commit anyway.
	writer, err := sql.Open(cachedDriver, dsn(path, "immediate")+"&_pragma=temp_store(MEMORY)")
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	if err := migrate(ctx, writer); err != nil {
		writer.Close()
		return nil, err
	}
	reader, err := sql.Open(cachedDriver, dsn(path, "deferred")+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, err
	}
	// Every reader stays open: database/sql keeps two idle by default, and a connection closed
	// after a burst costs the next one an open, its pragmas and its prepared statements.
	readers := max(4, runtime.NumCPU())
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	return &Store{DB: sqlstore.New(sqlstore.SQLPool{DB: writer}, sqlstore.SQLPool{DB: reader}, Dialect), Writer: writer}, nil
}

// Store is Accord's store on SQLite, with its one writer connection.
type Store struct {
	*sqlstore.DB
	// Writer is the one connection that writes, for River, whose jobs commit in the store's
	// transactions and which takes its turn at writing like everyone else.
	Writer *sql.DB
}

func dsn(path, txlock string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(FULL)") // a commit survives power loss: payments and the record are at stake
	q.Set("_txlock", txlock)
	return "file:" + path + "?" + q.Encode()
}

// Migrations is the schema's migrator over db.
func Migrations(db *sql.DB) (*goose.Provider, error) {
	sub, _ := fs.Sub(migrations, "migrations")
	return goose.NewProvider(goose.DialectSQLite3, db, sub,
		goose.WithGoMigrations(sqlstore.RecordMigration(14, Dialect)))
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := Migrations(db)
	if err != nil {
		return fmt.Errorf("sqlite migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqlite migrate: %w", err)
	}
	return nil
}

// Dialect describes SQLite to the shared SQL store.
var Dialect = sqlstore.Dialect{
	Name: "sqlite",
	// One writer, and an fsync at each commit: concurrent writes share their commit.
	GroupCommit: true,
	IsUniqueErr: func(err error) bool {
		return code(err) == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code(err) == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	IsBusyErr: func(err error) bool {
		c := code(err) & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	},
}

func code(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// RawCommitRate is how many commits a second SQLite makes in dir with the store's settings, one
// after another on one connection, each of a one-row insert: the most a store whose writes each
// paid their own commit could take. The file it writes in is removed.
func RawCommitRate(ctx context.Context, dir string, d time.Duration) (float64, error) {
	db, remove, err := openScratch(ctx, dir)
	if err != nil {
		return 0, err
	}
	defer remove()
	start := time.Now()
	n := 0
	for ; time.Since(start) < d; n++ {
		if err := commitRow(ctx, db, n); err != nil {
			return 0, fmt.Errorf("sqlite commit rate: %w", err)
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// openScratch makes a fresh database in dir with the store's settings and one table, and returns
// a function that closes and removes it.
func openScratch(ctx context.Context, dir string) (*sql.DB, func(), error) {
	f, err := os.CreateTemp(dir, "commit-rate-*.db")
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite commit rate: %w", err)
	}
	path := f.Name()
	f.Close()
	db, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		os.Remove(path)
		return nil, nil, err
	}
	db.SetMaxOpenConns(1)
	remove := func() {
		db.Close()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(path + suffix)
		}
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE commits (n INTEGER PRIMARY KEY, at INTEGER NOT NULL)"); err != nil {
		remove()
		return nil, nil, fmt.Errorf("sqlite commit rate: %w", err)
	}
	return db, remove, nil
}

// commitRow inserts row n in a transaction of its own, as the store begins and commits one.
func commitRow(ctx context.Context, db *sql.DB, n int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "INSERT INTO commits (n, at) VALUES (?, ?)", n, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}
