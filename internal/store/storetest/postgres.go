package storetest

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

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// DefaultPostgresURL is the test database on every machine of this project.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns ACCORD_TEST_DATABASE_URL, or the default test database.
func PostgresURL() string {
	if u := os.Getenv("ACCORD_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// PostgresSchema creates a fresh schema in the test database, drops it when the test ends,
// and returns a URL whose connections use it. It skips (fails under CI) when PostgreSQL is
// not reachable.
func PostgresSchema(t *testing.T) string {
	t.Helper()
	url := PostgresURL()
	adm, err := sql.Open("pgx", url)
	if err == nil {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		err = adm.PingContext(ctx)
		cancel()
	}
	Require(t, err == nil, fmt.Sprintf("PostgreSQL is not reachable at %s (%v); "+
		"set ACCORD_TEST_DATABASE_URL to the URL of a database the tests may create schemas in (default %s)", url, err, DefaultPostgresURL))
	b := make([]byte, 8)
	rand.Read(b)
	schema := "accord_test_" + hex.EncodeToString(b)
	if _, err := adm.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer adm.Close()
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
	return url + sep + "search_path=" + schema
}
