package app_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// A record of many pages of leaves is checked page by page, holding only one page's hashes
// and the few earlier ones it needs: a clean one holds with its heads, and an event edited on a
// late page is caught at its own leaf.
func TestRecordCheckPagesThroughALargeRecord(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(st, blobs, accord.NewTestClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)), i18n.New())
	if err := a.OpenJobs(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	acc, err := a.CreateAccount(ctx, "ana@studio.example", "correct horse battery", "Ana")
	if err != nil {
		t.Fatal(err)
	}
	f, err := a.FreelancerOf(ctx, acc.User)
	if err != nil {
		t.Fatal(err)
	}
	clients, err := a.SeedClients(ctx, f, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SeedEngagements(ctx, f, clients, 0, 400); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Record(ctx, f, 0, 0); err != nil { // a head handed out
		t.Fatal(err)
	}
	c, err := a.CheckRecord(ctx, f.WorkspaceID)
	if err != nil {
		t.Fatal(err)
	}
	if !c.OK || c.Size < 1500 || c.Heads == 0 {
		t.Fatalf("a clean record of %d leaves and %d heads: ok %v, %+v; want it to hold, over at least three pages", c.Size, c.Heads, c.OK, c.Problem)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "accord.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var eng string
	var seq, leaf int64
	if err := db.QueryRow(`SELECT engagement_id, seq, idx FROM record_leaves WHERE workspace_id = ? AND idx = ?`, f.WorkspaceID, c.Size-7).Scan(&eng, &seq, &leaf); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER events_no_update`, `UPDATE events SET body = replace(body, '"', ' "') WHERE engagement_id = ? AND seq = ?`} {
		args := []any{}
		if q[0] == 'U' {
			args = []any{eng, seq}
		}
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c, err = a.CheckRecord(ctx, f.WorkspaceID)
	if err != nil {
		t.Fatal(err)
	}
	if c.OK || c.Problem == nil || c.Problem.Index != leaf || c.Problem.EngagementID != eng {
		t.Fatalf("an event edited at leaf %d: %+v", leaf, c.Problem)
	}
}
