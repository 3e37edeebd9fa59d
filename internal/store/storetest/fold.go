package storetest

import (
	"database/sql"
	"testing"

	"github.com/accordapp/accord"
)

// Snapshots carry the fold that wrote them: older ones are listed, and a rewrite replaces one
// only at the sequence number it was folded to.
func testFoldVersions(t *testing.T, st accord.Store, raw *sql.DB) {
	f := NewFixture(t, st)
	old := newEngagement(t, st, f, "Old", T0)
	current := newEngagement(t, st, f, "Current", T0)
	stale := func() []accord.EngagementRef {
		var refs []accord.EngagementRef
		read(t, st, func(tx accord.Tx) (err error) {
			refs, err = tx.StaleEngagements(accord.FoldVersion)
			return err
		})
		return refs
	}
	if refs := stale(); len(refs) != 0 {
		t.Fatalf("snapshots just written are stale: %v", refs)
	}
	if _, err := raw.ExecContext(opCtx(t), `UPDATE engagements SET fold_version = 1, state = 'paused' WHERE id = '`+old.ID+`'`); err != nil {
		t.Fatal(err)
	}
	if refs := stale(); len(refs) != 1 || refs[0] != (accord.EngagementRef{WorkspaceID: f.Workspace.ID, ID: old.ID}) {
		t.Fatalf("stale = %v, want only %s", refs, old.ID)
	}
	behind := accord.Replay(events(t, st, old.ID))
	behind.Seq-- // folded from fewer events than are stored: a write came in between
	write(t, st, func(tx accord.Tx) error { return tx.RewriteSnapshot(behind) })
	if len(stale()) != 1 {
		t.Errorf("a rewrite behind the stored sequence replaced the snapshot")
	}
	write(t, st, func(tx accord.Tx) error { return tx.RewriteSnapshot(accord.Replay(events(t, st, old.ID))) })
	if refs := stale(); len(refs) != 0 {
		t.Errorf("after the rewrite still stale: %v", refs)
	}
	if e := load(t, st, f.Workspace.ID, old.ID); e.State != accord.Draft || e.Title != "Old" {
		t.Errorf("the rewritten snapshot: %s %q", e.State, e.Title)
	}
	var state string
	if err := raw.QueryRowContext(opCtx(t), `SELECT state FROM engagements WHERE id = '`+old.ID+`'`).Scan(&state); err != nil || state != "draft" {
		t.Errorf("the state column after the rewrite: %q %v", state, err)
	}
	if e := load(t, st, f.Workspace.ID, current.ID); e.Title != "Current" {
		t.Errorf("another engagement changed: %q", e.Title)
	}
}
