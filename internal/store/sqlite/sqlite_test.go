package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (accord.Store, *sql.DB) {
		path := filepath.Join(t.TempDir(), "accord.db")
		st, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		t.Cleanup(func() { st.Close() })
		raw, err := sql.Open("sqlite", dsn(path, "immediate"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return st, raw
	})
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accord.db")
	st, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	st.Close()
	db, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	p, err := Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Migrations(t, db, p)
}

func TestRecordBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "accord.db")
	st, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer st.Close()
	db, err := sql.Open("sqlite", dsn(path, "immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	p, err := Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.RecordBackfill(t, st, db, p, 13)
}
