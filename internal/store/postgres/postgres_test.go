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

// Analyze gives the planner the tables' statistics: after it, the tables filled meanwhile
// are known to hold rows.
func TestAnalyze(t *testing.T) {
	u := storetest.PostgresSchema(t)
	st, err := Open(t.Context(), u)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	if _, err := st.Pool.Exec(t.Context(), `INSERT INTO tallies (workspace_id, kind, currency, bucket, amount, n)
		SELECT 'ws', 'k', '', g, 1, 1 FROM generate_series(1, 1000) g`); err != nil {
		t.Fatal(err)
	}
	if err := st.Analyze(t.Context()); err != nil {
		t.Fatal(err)
	}
	var analyzed bool
	if err := st.Pool.QueryRow(t.Context(), `SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'tallies' AND schemaname = current_schema()`).Scan(&analyzed); err != nil || !analyzed {
		t.Errorf("tallies analyzed: %v, %v", analyzed, err)
	}
}
