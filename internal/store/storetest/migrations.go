package storetest

import (
	"database/sql"
	"testing"

	"github.com/pressly/goose/v3"
)

// Migrations takes a store's schema (already up to date on db) down one migration at a time to
// nothing and back up, checking that each Down undoes its Up and keeps the rows it did not add.
func Migrations(t *testing.T, db *sql.DB, p *goose.Provider) {
	ctx := opCtx(t)
	top, err := p.GetDBVersion(ctx)
	if err != nil || top < 2 {
		t.Fatalf("schema version = %d, %v; want at least 2", top, err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at)
		VALUES ('usr_kept', 'kept@example.com', 'Kept', 'h', 1)`); err != nil {
		t.Fatal(err)
	}
	for v := top; v > 0; v-- {
		if _, err := p.Down(ctx); err != nil {
			t.Fatalf("down from %d: %v", v, err)
		}
		if got, err := p.GetDBVersion(ctx); err != nil || got != v-1 {
			t.Fatalf("after down from %d, version = %d, %v", v, got, err)
		}
		if v == 2 {
			var name string
			if err := db.QueryRowContext(ctx, `SELECT name FROM users WHERE id = 'usr_kept'`).Scan(&name); err != nil || name != "Kept" {
				t.Errorf("after undoing 00002, the user row = %q, %v; want it kept", name, err)
			}
			if _, err := db.ExecContext(ctx, `SELECT language FROM users`); err == nil {
				t.Error("after undoing 00002, users.language is still there")
			}
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again from nothing: %v", err)
	}
	if got, err := p.GetDBVersion(ctx); err != nil || got != top {
		t.Fatalf("after up again, version = %d, %v; want %d", got, err, top)
	}
}
