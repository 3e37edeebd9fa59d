package app

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/accordapp/accord"
)

// A snapshot an older fold wrote is rebuilt from the events; a current one is left alone.
func TestRebuildSnapshotsOfAnOlderFold(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, f := newTestApp(t, dir)
	stop, err := a.StartJobs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cl, err := a.CreateClient(ctx, f, "Maria", "maria@client.example", "bg", "Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	old, err := a.CreateEngagement(ctx, f, cl.ID, "Old", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Invite(ctx, f, old.ID, "maria@client.example"); err != nil {
		t.Fatal(err)
	}
	current, err := a.CreateEngagement(ctx, f, cl.ID, "Current", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	// The old engagement's snapshot as an older fold wrote it: no contacts, a wrong state.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "accord.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE engagements SET fold_version = 1, snapshot = json_set(json_remove(snapshot, '$.contacts'), '$.state', 'paused') WHERE id = ?`, old.ID); err != nil {
		t.Fatal(err)
	}
	if e, _ := a.Engagement(ctx, f, old.ID); e.State != accord.Paused || len(e.Contacts) != 0 {
		t.Fatalf("the stale snapshot was not set up: %s %v", e.State, e.Contacts)
	}
	n, err := a.RebuildSnapshots(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RebuildSnapshots = %d, %v; want 1 rebuilt", n, err)
	}
	e, err := a.Engagement(ctx, f, old.ID)
	if err != nil || e.State != accord.Draft || len(e.Contacts) != 1 || e.Contacts[0] != "maria@client.example" {
		t.Fatalf("after the rebuild: %v %s %v", err, e.State, e.Contacts)
	}
	if n, err := a.RebuildSnapshots(ctx); err != nil || n != 0 {
		t.Errorf("a second rebuild found %d stale, %v", n, err)
	}
	if e, _ := a.Engagement(ctx, f, current.ID); e.Title != "Current" {
		t.Errorf("a current snapshot changed: %+v", e)
	}
}
