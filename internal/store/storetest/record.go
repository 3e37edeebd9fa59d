package storetest

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressly/goose/v3"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/accordapp/accord"
)

// mth is RFC 6962's Merkle tree hash of leaf data, written out here so that the store's tree is
// checked against the definition rather than against the library that built it.
func mth(leaves [][]byte) [32]byte {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := mth(leaves[:k]), mth(leaves[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

// treeRoot is the root the store's stored hashes give for the workspace's tree.
func treeRoot(t *testing.T, st accord.Store, ws string) (int64, [32]byte) {
	t.Helper()
	var size int64
	var root tlog.Hash
	read(t, st, func(tx accord.Tx) error {
		var err error
		if size, err = tx.RecordSize(ws); err != nil {
			return err
		}
		root, err = tlog.TreeHash(size, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			hs, err := tx.RecordHashes(ws, ix)
			out := make([]tlog.Hash, len(hs))
			for i, h := range hs {
				out[i] = h
			}
			return out, err
		}))
		return err
	})
	return size, root
}

// bodies lists the workspace's leaves in tree order.
func bodies(t *testing.T, st accord.Store, ws string) []accord.LeafBody {
	t.Helper()
	var out []accord.LeafBody
	read(t, st, func(tx accord.Tx) error {
		for from := int64(0); ; {
			page, err := tx.RecordBodies(ws, from, 7)
			if err != nil {
				return err
			}
			if len(page) == 0 {
				return nil
			}
			out = append(out, page...)
			from = page[len(page)-1].Index + 1
		}
	})
	return out
}

func testRecordTree(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	ea, evsA := story(t, st, a)
	eb := newEngagement(t, st, b, "Other workspace", T0)
	ea2 := newEngagement(t, st, a, "Second", T0.Add(time.Hour))

	var leaves []accord.Leaf
	read(t, st, func(tx accord.Tx) (err error) {
		leaves, err = tx.RecordLeaves(ea.ID)
		return err
	})
	if len(leaves) != len(evsA) {
		t.Fatalf("engagement has %d leaves, want one per event (%d)", len(leaves), len(evsA))
	}
	for i, l := range leaves {
		if l.Seq != int64(i+1) || l.Index != int64(i) {
			t.Errorf("leaf %d = %+v; want seq %d at index %d", i, l, i+1, i)
		}
	}

	got := bodies(t, st, a.Workspace.ID)
	if len(got) != len(evsA)+1 {
		t.Fatalf("workspace a has %d leaves, want %d", len(got), len(evsA)+1)
	}
	var data [][]byte
	for i, l := range got {
		if i < len(evsA) && (l.EngagementID != ea.ID || !bytes.Equal(l.Body, evsA[i].Body)) {
			t.Errorf("leaf %d holds %s/%d, not event %d of %s as stored", i, l.EngagementID, l.Seq, i+1, ea.ID)
		}
		data = append(data, l.Body)
	}
	if last := got[len(got)-1]; last.EngagementID != ea2.ID || last.Seq != 1 {
		t.Errorf("last leaf = %s/%d; want the second engagement's first event", last.EngagementID, last.Seq)
	}
	size, root := treeRoot(t, st, a.Workspace.ID)
	if size != int64(len(data)) || root != mth(data) {
		t.Errorf("tree of a: size %d root %x; RFC 6962 over its events gives size %d root %x", size, root, len(data), mth(data))
	}
	if size, root := treeRoot(t, st, b.Workspace.ID); size != 1 || root != mth([][]byte{bodies(t, st, b.Workspace.ID)[0].Body}) {
		t.Errorf("tree of b: size %d root %x; want its one event (engagement %s)", size, root, eb.ID)
	}
	if size, _ := treeRoot(t, st, "ws_none"); size != 0 {
		t.Errorf("a workspace with no events has a tree of size %d", size)
	}
	read(t, st, func(tx accord.Tx) error {
		if _, err := tx.RecordHashes(a.Workspace.ID, []int64{1 << 40}); err == nil {
			t.Error("reading a hash the tree does not have succeeded")
		}
		if hs, err := tx.RecordHashes(b.Workspace.ID, []int64{0, 0}); err != nil || hs[0] != hs[1] {
			t.Errorf("reading one hash twice = %x, %v", hs, err)
		}
		return nil
	})

	h := accord.RecordHead{WorkspaceID: a.Workspace.ID, Size: size, Root: root, At: T0}
	write(t, st, func(tx accord.Tx) error {
		if err := tx.AddRecordHead(h); err != nil {
			return err
		}
		again := h
		again.At = T0.Add(time.Hour)
		return tx.AddRecordHead(again)
	})
	read(t, st, func(tx accord.Tx) error {
		heads, err := tx.RecordHeads(a.Workspace.ID)
		if err != nil {
			return err
		}
		if len(heads) != 1 || heads[0].Size != size || heads[0].Root != root || !sameTime(heads[0].At, T0) {
			t.Errorf("heads = %+v; want the first one kept, once", heads)
		}
		if other, _ := tx.RecordHeads(b.Workspace.ID); len(other) != 0 {
			t.Errorf("workspace b has heads %+v", other)
		}
		return nil
	})
}

// testRecordConcurrent appends from several writers at once to one workspace's tree: every
// event gets its own leaf and the tree stays the RFC 6962 tree of its leaves.
func testRecordConcurrent(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	const writers, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := accord.NewEngagement(accord.Cmd{Now: T0, By: f.Freelancer()}, f.Workspace.ID, f.Client.ID, fmt.Sprint("E", w), "EUR")
			if err != nil {
				errs <- err
				return
			}
			for i := range each {
				if err := e.WriteBrief(accord.Cmd{Now: T0.Add(time.Duration(i+1) * time.Minute), By: f.Freelancer()}, []accord.Question{{Text: fmt.Sprint("Q", i)}}); err != nil {
					errs <- err
					return
				}
				if err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SaveEngagement(e) }); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := CheckRecord(t, st, f.Workspace.ID); n != writers*(each+1) {
		t.Fatalf("%d leaves, want %d", n, writers*(each+1))
	}
}

// testRecordAppendOnly: the tree's hashes and leaves cannot be changed or removed.
func testRecordAppendOnly(t *testing.T, st accord.Store, raw *sql.DB) {
	f := NewFixture(t, st)
	newEngagement(t, st, f, "Kept", T0)
	write(t, st, func(tx accord.Tx) error {
		return tx.AddRecordHead(accord.RecordHead{WorkspaceID: f.Workspace.ID, Size: 1, At: T0})
	})
	for _, stmt := range []string{
		`UPDATE record_hashes SET hash = hash`,
		`DELETE FROM record_hashes`,
		`UPDATE record_leaves SET seq = 2`,
		`DELETE FROM record_leaves`,
		`DELETE FROM record_heads`,
		`UPDATE record_heads SET size = size + 1`,
		`UPDATE record_trees SET size = size - 1`,
		`DELETE FROM record_trees`,
	} {
		if _, err := raw.ExecContext(opCtx(t), stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v; want it refused as append-only", stmt, err)
		}
	}
}

// RecordBackfill checks the migration that made leaves of the events stored before the tree:
// taken down and up again, it rebuilds the same tree from the events alone.
func RecordBackfill(t *testing.T, st accord.Store, db *sql.DB, p *goose.Provider, treeVersion int64) {
	f := NewFixture(t, st)
	story(t, st, f)
	newEngagement(t, st, f, "Later", T0.Add(24*time.Hour))
	// A clock that stepped back: this engagement's second event is timed before its first.
	back := newEngagement(t, st, f, "Clock stepped back", T0.Add(48*time.Hour))
	must(t, back.WriteBrief(accord.Cmd{Now: T0.Add(47 * time.Hour), By: f.Freelancer()}, []accord.Question{{Text: "Why?"}}))
	save(t, st, back)
	size, root := treeRoot(t, st, f.Workspace.ID)
	if size == 0 {
		t.Fatal("the story made no leaves")
	}
	ctx := opCtx(t)
	if _, err := p.DownTo(ctx, treeVersion-1); err != nil {
		t.Fatalf("down to %d: %v", treeVersion-1, err)
	}
	if _, err := db.ExecContext(ctx, `SELECT size FROM record_trees`); err == nil {
		t.Fatal("after going down, record_trees is still there")
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if size2, root2 := treeRoot(t, st, f.Workspace.ID); size2 != size || root2 != root {
		t.Errorf("after the backfill: size %d root %x; before: %d %x", size2, root2, size, root)
	}
	read(t, st, func(tx accord.Tx) error {
		ls, err := tx.RecordLeaves(back.ID)
		if err != nil || len(ls) != 2 || ls[0].Index >= ls[1].Index {
			t.Errorf("the engagement whose clock stepped back has leaves %+v (%v); want its events in their order", ls, err)
		}
		return nil
	})
	if _, err := p.Down(ctx); err != nil { // the backfill's own down does nothing
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if size3, _ := treeRoot(t, st, f.Workspace.ID); size3 != size {
		t.Errorf("running the backfill again made the tree %d leaves, not %d", size3, size)
	}
}

// testRecordChecks: the last check of a record is kept per workspace, the newer one replacing it.
func testRecordChecks(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	read(t, st, func(tx accord.Tx) error {
		_, err := tx.LastRecordCheck(f.Workspace.ID)
		wantCode(t, err, accord.ENOTFOUND, "a record never checked")
		return nil
	})
	bad := accord.RecordCheck{WorkspaceID: f.Workspace.ID, At: T0, OK: false, Leaf: 7, EngagementID: "eng_x", Seq: 3}
	write(t, st, func(tx accord.Tx) error { return tx.SetRecordCheck(bad) })
	read(t, st, func(tx accord.Tx) error {
		got, err := tx.LastRecordCheck(f.Workspace.ID)
		if err != nil || got.OK || got.Leaf != 7 || got.EngagementID != "eng_x" || got.Seq != 3 || !sameTime(got.At, T0) {
			t.Errorf("the kept check = %+v, %v; want %+v", got, err, bad)
		}
		return nil
	})
	write(t, st, func(tx accord.Tx) error {
		return tx.SetRecordCheck(accord.RecordCheck{WorkspaceID: f.Workspace.ID, At: T0.Add(time.Hour), OK: true})
	})
	read(t, st, func(tx accord.Tx) error {
		if got, err := tx.LastRecordCheck(f.Workspace.ID); err != nil || !got.OK || got.Leaf != 0 {
			t.Errorf("after a check that held: %+v, %v", got, err)
		}
		return nil
	})
}

// testRecordReadsItsOwnWrite checks that a write transaction that saves events and then reads
// the record sees them as leaves, though their appending waits for the commit otherwise, and
// that two engagements of two workspaces saved in one transaction each grow their own tree.
func testRecordReadsItsOwnWrite(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	ea := newEngagement(t, st, a, "Logo", T0)
	eb := newEngagement(t, st, b, "Site", T0)
	var sizeA, sizeB int64
	read(t, st, func(tx accord.Tx) (err error) {
		if sizeA, err = tx.RecordSize(a.Workspace.ID); err != nil {
			return err
		}
		sizeB, err = tx.RecordSize(b.Workspace.ID)
		return err
	})
	write(t, st, func(tx accord.Tx) error {
		ea.RecordPortalOpened(accord.Cmd{Now: T0, By: a.ClientActor()})
		ea.RecordPortalOpened(accord.Cmd{Now: T0, By: a.ClientActor()})
		eb.RecordPortalOpened(accord.Cmd{Now: T0, By: b.ClientActor()})
		if err := tx.SaveEngagement(ea); err != nil {
			return err
		}
		if err := tx.SaveEngagement(eb); err != nil {
			return err
		}
		n, err := tx.RecordSize(a.Workspace.ID)
		if err != nil {
			return err
		}
		if n != sizeA+2 {
			t.Errorf("within the write the record of a holds %d leaves, want %d", n, sizeA+2)
		}
		leaves, err := tx.RecordLeaves(eb.ID)
		if err != nil {
			return err
		}
		if len(leaves) == 0 || leaves[len(leaves)-1].Seq != eb.Seq || leaves[len(leaves)-1].Index != sizeB {
			t.Errorf("within the write the leaves of b's engagement are %+v, want its seq %d last at %d", leaves, eb.Seq, sizeB)
		}
		return nil
	})
	read(t, st, func(tx accord.Tx) error {
		if n, err := tx.RecordSize(a.Workspace.ID); err != nil || n != sizeA+2 {
			t.Errorf("after the commit the record of a holds %d leaves (%v), want %d", n, err, sizeA+2)
		}
		if n, err := tx.RecordSize(b.Workspace.ID); err != nil || n != sizeB+1 {
			t.Errorf("after the commit the record of b holds %d leaves (%v), want %d", n, err, sizeB+1)
		}
		return nil
	})
}

// CheckRecord checks a workspace's record tree against its events: every event of every
// engagement of the workspace is one leaf, each engagement's in the order of its seq, the
// leaves' indexes run from 0 without a gap, and the stored hashes give the root RFC 6962 gives
// for the leaves' bytes. It returns how many leaves there are.
func CheckRecord(t *testing.T, st accord.Store, ws string) int {
	t.Helper()
	leaves := bodies(t, st, ws)
	var data [][]byte
	last := map[string]int64{}
	for i, l := range leaves {
		if l.Index != int64(i) {
			t.Fatalf("workspace %s: leaf %d has index %d", ws, i, l.Index)
		}
		if l.Seq <= last[l.EngagementID] {
			t.Errorf("workspace %s: leaf %d is event %d of %s, after its event %d", ws, i, l.Seq, l.EngagementID, last[l.EngagementID])
		}
		last[l.EngagementID] = l.Seq
		data = append(data, l.Body)
	}
	var engagements []*accord.Engagement
	read(t, st, func(tx accord.Tx) (err error) {
		engagements, err = tx.Engagements(ws)
		return err
	})
	for _, e := range engagements {
		if n := int64(len(events(t, st, e.ID))); last[e.ID] != n || e.Seq != n {
			t.Errorf("workspace %s: engagement %s has %d events and seq %d, but its last leaf is event %d", ws, e.ID, n, e.Seq, last[e.ID])
		}
	}
	if size, root := treeRoot(t, st, ws); size != int64(len(data)) || root != mth(data) {
		t.Errorf("workspace %s: tree of size %d, root %x; want %d, %x", ws, size, root, len(data), mth(data))
	}
	return len(leaves)
}
