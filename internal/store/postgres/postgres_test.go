package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/storetest"
)

const defaultTestURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

func testURL() string {
	if u := os.Getenv("ACCORD_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return defaultTestURL
}

// admin connects to the test database, skipping (or, under CI, failing) when it cannot be reached.
func admin(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err == nil {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil && db != nil {
		db.Close()
	}
	storetest.Require(t, err == nil, fmt.Sprintf("PostgreSQL is not reachable at %s (%v); "+
		"set ACCORD_TEST_DATABASE_URL to the URL of a database the tests may create schemas in (default %s)", url, err, defaultTestURL))
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	url := testURL()
	adm := admin(t, url)
	storetest.Run(t, func(t *testing.T) (accord.Store, *sql.DB) {
		b := make([]byte, 8)
		rand.Read(b)
		schema := "accord_test_" + hex.EncodeToString(b)
		if _, err := adm.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := adm.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				t.Errorf("drop schema %s: %v", schema, err)
			}
		})
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		u := url + sep + "search_path=" + schema
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
