package postgres

import (
	"database/sql"
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (accord.Store, *sql.DB) {
		u := storetest.PostgresSchema(t)
		st, err := Open(t.Context(), u)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { st.Close() })
		raw, err := sql.Open("pgx", u)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		return st, raw
	})
}

func TestMigrations(t *testing.T) {
	u := storetest.PostgresSchema(t)
	st, err := Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	st.Close()
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.Migrations(t, db, p)
}

// Instances that start together on one database take turns migrating it: each one opens.
func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	u := storetest.PostgresSchema(t)
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			st, err := Open(t.Context(), u)
			if err == nil {
				st.Close()
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("an instance could not start: %v", err)
		}
	}
}

func TestRecordBackfill(t *testing.T) {
	u := storetest.PostgresSchema(t)
	st, err := Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	db, err := sql.Open("pgx", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := Migrations(db)
	if err != nil {
		t.Fatal(err)
	}
	storetest.RecordBackfill(t, st, db, p, 13)
}
