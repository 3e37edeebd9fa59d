package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pressly/goose/v3"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/accordapp/accord"
)

// appendLeaves adds the events, in order, to the end of their workspace's Merkle tree when the
// transaction commits, or sooner when it reads the record. Growing the tree's size row locks
// it, so concurrent writers of one workspace append one after another: left to the end, the
// lock is held for the append and the commit only, not for all the rest of the write.
func (t *Tx) appendLeaves(evs []accord.Event) error {
	t.leaves = append(t.leaves, evs...)
	return nil
}

// flushLeaves appends the leaves the transaction holds back, each workspace's in order, in the
// order the workspaces first come.
func (t *Tx) flushLeaves() error {
	evs := t.leaves
	t.leaves = nil
	if len(evs) == 0 {
		return nil
	}
	var order []string
	byWorkspace := map[string][]accord.Event{}
	for _, ev := range evs {
		if _, ok := byWorkspace[ev.WorkspaceID]; !ok {
			order = append(order, ev.WorkspaceID)
		}
		byWorkspace[ev.WorkspaceID] = append(byWorkspace[ev.WorkspaceID], ev)
	}
	for _, ws := range order {
		if err := t.writeLeaves(byWorkspace[ws]); err != nil {
			return err
		}
	}
	return nil
}

// writeLeaves adds the events, in order, to the end of their workspace's Merkle tree now, in
// few statements: the tree's size grown in one, the hashes and the leaves in one each.
func (t *Tx) writeLeaves(evs []accord.Event) error {
	ws := evs[0].WorkspaceID
	var end int64
	if err := t.row(`INSERT INTO record_trees (workspace_id, size) VALUES (?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET size = record_trees.size + excluded.size RETURNING size`, ws, len(evs)).Scan(&end); err != nil {
		return fmt.Errorf("record tree: %w", err)
	}
	hr := &hashReader{t: t, ws: ws, fresh: map[int64]tlog.Hash{}}
	var hashRows, leafRows [][]any
	for i, ev := range evs {
		n := end - int64(len(evs)) + int64(i)
		hashes, err := tlog.StoredHashes(n, ev.Body, hr)
		if err != nil {
			return fmt.Errorf("record leaf %d: %w", n, err)
		}
		at := tlog.StoredHashIndex(0, n)
		for j, h := range hashes {
			hashRows = append(hashRows, []any{ws, at + int64(j), h[:]})
			hr.fresh[at+int64(j)] = h
		}
		leafRows = append(leafRows, []any{ws, n, ev.EngagementID, ev.Seq})
	}
	if err := t.insertRows(`INSERT INTO record_hashes (workspace_id, idx, hash) VALUES `, hashRows); err != nil {
		return fmt.Errorf("record hash: %w", err)
	}
	if err := t.insertRows(`INSERT INTO record_leaves (workspace_id, idx, engagement_id, seq) VALUES `, leafRows); err != nil {
		return fmt.Errorf("record leaf: %w", err)
	}
	return nil
}

// marks is n placeholders, comma-separated.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// insertRows inserts rows of the same columns with statements of at most 200 rows each.
func (t *Tx) insertRows(insert string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), 200)
		one := "(" + marks(len(rows[0])) + ")"
		args := make([]any, 0, n*len(rows[0]))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := t.exec(insert+strings.TrimSuffix(strings.Repeat(one+", ", n), ", "), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// hashReader reads a workspace tree's stored hashes, those written in this transaction first.
type hashReader struct {
	t     *Tx
	ws    string
	fresh map[int64]tlog.Hash
}

func (r *hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, x := range indexes {
		if h, ok := r.fresh[x]; ok {
			out[i] = h
		} else {
			missing = append(missing, x)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	got, err := r.t.RecordHashes(r.ws, missing)
	if err != nil {
		return nil, err
	}
	k := 0
	for i, x := range indexes {
		if _, ok := r.fresh[x]; !ok {
			out[i] = got[k]
			k++
		}
	}
	return out, nil
}

// RecordSize is the number of leaves in the workspace's tree.
func (t *Tx) RecordSize(workspaceID string) (int64, error) {
	if err := t.flushLeaves(); err != nil {
		return 0, err
	}
	var n int64
	err := t.row(`SELECT COALESCE(MAX(size), 0) FROM record_trees WHERE workspace_id = ?`, workspaceID).Scan(&n)
	return n, err
}

// RecordHashes reads stored hashes by index, in the order asked.
func (t *Tx) RecordHashes(workspaceID string, indexes []int64) ([][32]byte, error) {
	if err := t.flushLeaves(); err != nil {
		return nil, err
	}
	out := make([][32]byte, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	at := make(map[int64][]int, len(indexes))
	args := []any{workspaceID}
	for i, x := range indexes {
		if _, ok := at[x]; !ok {
			args = append(args, x)
		}
		at[x] = append(at[x], i)
	}
	rows, err := t.rows(`SELECT idx, hash FROM record_hashes WHERE workspace_id = ? AND idx IN (`+
		marks(len(args)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var x int64
		var h []byte
		if err := rows.Scan(&x, &h); err != nil {
			return nil, err
		}
		if len(h) != 32 {
			return nil, fmt.Errorf("record hash %d of workspace %s: %d bytes, not 32", x, workspaceID, len(h))
		}
		for _, i := range at[x] {
			copy(out[i][:], h)
		}
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(args)-1 {
		return nil, fmt.Errorf("record of workspace %s: %d of %d stored hashes are missing", workspaceID, len(args)-1-found, len(args)-1)
	}
	return out, nil
}

// RecordLeaves lists where an engagement's events stand in its workspace's tree, by seq.
func (t *Tx) RecordLeaves(engagementID string) ([]accord.Leaf, error) {
	if err := t.flushLeaves(); err != nil {
		return nil, err
	}
	rows, err := t.rows(`SELECT idx, seq FROM record_leaves WHERE engagement_id = ? ORDER BY seq`, engagementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Leaf
	for rows.Next() {
		var l accord.Leaf
		if err := rows.Scan(&l.Index, &l.Seq); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// RecordBodies lists up to limit leaves from index from on, with their events' stored bytes.
func (t *Tx) RecordBodies(workspaceID string, from int64, limit int) ([]accord.LeafBody, error) {
	if err := t.flushLeaves(); err != nil {
		return nil, err
	}
	rows, err := t.rows(`SELECT l.idx, l.engagement_id, l.seq, e.body FROM record_leaves l
		JOIN events e ON e.engagement_id = l.engagement_id AND e.seq = l.seq
		WHERE l.workspace_id = ? AND l.idx >= ? ORDER BY l.idx LIMIT ?`, workspaceID, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.LeafBody
	for rows.Next() {
		var l accord.LeafBody
		if err := rows.Scan(&l.Index, &l.EngagementID, &l.Seq, &l.Body); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// AddRecordHead keeps a head the workspace signed; one already kept at that size stays.
func (t *Tx) AddRecordHead(h accord.RecordHead) error {
	if err := t.flushLeaves(); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO record_heads (workspace_id, size, root, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		h.WorkspaceID, h.Size, h.Root[:], micros(h.At))
	return err
}

// RecordHeads lists the heads kept for a workspace, smallest first.
func (t *Tx) RecordHeads(workspaceID string) ([]accord.RecordHead, error) {
	if err := t.flushLeaves(); err != nil {
		return nil, err
	}
	rows, err := t.rows(`SELECT size, root, at FROM record_heads WHERE workspace_id = ? ORDER BY size`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.RecordHead
	for rows.Next() {
		h := accord.RecordHead{WorkspaceID: workspaceID}
		var root []byte
		var at int64
		if err := rows.Scan(&h.Size, &root, &at); err != nil {
			return nil, err
		}
		copy(h.Root[:], root)
		h.At = fromMicros(at)
		out = append(out, h)
	}
	return out, rows.Err()
}

// SetRecordCheck keeps the outcome of a workspace's latest record check.
func (t *Tx) SetRecordCheck(c accord.RecordCheck) error {
	_, err := t.exec(`INSERT INTO record_checks (workspace_id, at, ok, leaf, engagement_id, seq) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (workspace_id) DO UPDATE SET at = excluded.at, ok = excluded.ok, leaf = excluded.leaf,
		engagement_id = excluded.engagement_id, seq = excluded.seq`, c.WorkspaceID, micros(c.At), c.OK, c.Leaf, c.EngagementID, c.Seq)
	return err
}

// LastRecordCheck is the outcome of a workspace's latest record check.
func (t *Tx) LastRecordCheck(workspaceID string) (accord.RecordCheck, error) {
	c := accord.RecordCheck{WorkspaceID: workspaceID}
	var at int64
	err := t.row(`SELECT at, ok, leaf, engagement_id, seq FROM record_checks WHERE workspace_id = ?`, workspaceID).
		Scan(&at, &c.OK, &c.Leaf, &c.EngagementID, &c.Seq)
	c.At = fromMicros(at)
	return c, notFound(err, "error")
}

// CountEvents counts a workspace's stored events, leaves or not.
func (t *Tx) CountEvents(workspaceID string) (int64, error) {
	if err := t.flushLeaves(); err != nil {
		return 0, err
	}
	var n int64
	err := t.row(`SELECT count(*) FROM events WHERE workspace_id = ?`, workspaceID).Scan(&n)
	return n, err
}

// RecordWorkspaces lists the workspaces that have a record.
func (t *Tx) RecordWorkspaces() ([]string, error) {
	if err := t.flushLeaves(); err != nil {
		return nil, err
	}
	rows, err := t.rows(`SELECT workspace_id FROM record_trees ORDER BY workspace_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ws string
		if err := rows.Scan(&ws); err != nil {
			return nil, err
		}
		out = append(out, ws)
	}
	return out, rows.Err()
}

// BackfillRecord makes leaves, in order, of the events stored before the record had a tree:
// per workspace by time, each engagement's in its own order. It is the migration that brought the
// tree in, and does nothing once every event is a leaf.
func BackfillRecord(ctx context.Context, sqlTx *sql.Tx, d Dialect) error {
	tx := &Tx{ctx: ctx, c: sqlConn{sqlTx}, d: d, write: true}
	// By time, but never an event before an earlier one of its engagement, whatever the clocks
	// said: each event sorts at the latest time its engagement had reached by then.
	rows, err := tx.rows(`SELECT e.workspace_id, e.engagement_id, e.seq, e.body FROM (
			SELECT workspace_id, engagement_id, seq, body,
				MAX(at) OVER (PARTITION BY engagement_id ORDER BY seq ROWS UNBOUNDED PRECEDING) AS upto FROM events) e
		LEFT JOIN record_leaves l ON l.engagement_id = e.engagement_id AND l.seq = e.seq
		WHERE l.idx IS NULL ORDER BY e.workspace_id, e.upto, e.engagement_id, e.seq`)
	if err != nil {
		return err
	}
	var evs []accord.Event
	for rows.Next() {
		var ev accord.Event
		if err := rows.Scan(&ev.WorkspaceID, &ev.EngagementID, &ev.Seq, &ev.Body); err != nil {
			rows.Close()
			return err
		}
		evs = append(evs, ev)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for len(evs) > 0 {
		n := 1
		for n < len(evs) && evs[n].WorkspaceID == evs[0].WorkspaceID {
			n++
		}
		if err := tx.writeLeaves(evs[:n]); err != nil {
			return err
		}
		evs = evs[n:]
	}
	return nil
}

// RecordMigration is the Go migration that runs BackfillRecord, numbered version.
func RecordMigration(version int64, d Dialect) *goose.Migration {
	return goose.NewGoMigration(version, &goose.GoFunc{
		RunTx: func(ctx context.Context, tx *sql.Tx) error { return BackfillRecord(ctx, tx, d) },
	}, nil)
}
