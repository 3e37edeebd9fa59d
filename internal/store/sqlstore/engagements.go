package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/accordapp/accord"
)

// SaveEngagement writes the engagement's snapshot and appends its uncommitted events in this
// transaction. The update is guarded by the sequence number it was loaded at, so a change made
// meanwhile is refused rather than overwritten.
func (t *Tx) SaveEngagement(e *accord.Engagement) error {
	events := e.Uncommitted()
	if len(events) == 0 {
		return nil
	}
	snap, err := json.Marshal(e)
	if err != nil {
		return err
	}
	loadedAt := events[0].Seq - 1
	if loadedAt == 0 {
		_, err = t.exec(`INSERT INTO engagements (id, workspace_id, client_id, state, seq, snapshot, created_at, updated_at, fold_version, reply_token)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.WorkspaceID, e.ClientID, string(e.State), e.Seq, string(snap),
			micros(e.CreatedAt), micros(e.UpdatedAt), accord.FoldVersion, newReplyToken())
	} else {
		err = t.update(e, snap, loadedAt)
	}
	if err != nil {
		return err
	}
	for _, ev := range events {
		if _, err := t.exec(`INSERT INTO events (engagement_id, seq, workspace_id, type, at, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			ev.EngagementID, ev.Seq, ev.WorkspaceID, ev.Type, micros(ev.At), ev.Body, ev.Hash); err != nil {
			return fmt.Errorf("append event %d: %w", ev.Seq, err)
		}
	}
	if err := t.appendLeaves(events); err != nil {
		return err
	}
	e.MarkCommitted()
	return nil
}

func (t *Tx) update(e *accord.Engagement, snap []byte, loadedAt int64) error {
	res, err := t.exec(`UPDATE engagements SET state = ?, seq = ?, snapshot = ?, updated_at = ?, fold_version = ? WHERE id = ? AND seq = ?`,
		string(e.State), e.Seq, string(snap), micros(e.UpdatedAt), accord.FoldVersion, e.ID, loadedAt)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return accord.Errorf(accord.ECONFLICT, "engagement.changed_meanwhile")
	}
	return nil
}

// StaleEngagements lists the engagements whose snapshot an older fold wrote.
func (t *Tx) StaleEngagements(fold int) ([]accord.EngagementRef, error) {
	rows, err := t.rows(`SELECT workspace_id, id FROM engagements WHERE fold_version < ? ORDER BY id`, fold)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.EngagementRef
	for rows.Next() {
		var r accord.EngagementRef
		if err := rows.Scan(&r.WorkspaceID, &r.ID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// RewriteSnapshot stores e, folded anew, in place of a snapshot at the same sequence number.
func (t *Tx) RewriteSnapshot(e *accord.Engagement) error {
	snap, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE engagements SET state = ?, snapshot = ?, fold_version = ? WHERE id = ? AND workspace_id = ? AND seq = ?`,
		string(e.State), string(snap), accord.FoldVersion, e.ID, e.WorkspaceID, e.Seq)
	return err
}

func scanEngagement(s Row) (*accord.Engagement, error) {
	var snap string
	if err := s.Scan(&snap); err != nil {
		return nil, notFound(err, "engagement")
	}
	e := &accord.Engagement{}
	if err := json.Unmarshal([]byte(snap), e); err != nil {
		return nil, fmt.Errorf("engagement snapshot: %w", err)
	}
	return e, nil
}

// Engagement loads an engagement of a workspace; inside a write transaction it is locked for update.
func (t *Tx) Engagement(workspaceID, id string) (*accord.Engagement, error) {
	q := `SELECT snapshot FROM engagements WHERE workspace_id = ? AND id = ?`
	if t.write {
		q += t.d.LockSuffix
	}
	return scanEngagement(t.row(q, workspaceID, id))
}

// Engagements lists a workspace's engagements, most recently changed first.
func (t *Tx) Engagements(workspaceID string) ([]*accord.Engagement, error) {
	rows, err := t.rows(`SELECT snapshot FROM engagements WHERE workspace_id = ? ORDER BY updated_at DESC, id DESC`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*accord.Engagement
	for rows.Next() {
		e, err := scanEngagement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Events returns an engagement's whole record in order, each event checked against the chain.
func (t *Tx) Events(engagementID string) ([]accord.Event, error) {
	rows, err := t.rows(`SELECT body, hash FROM events WHERE engagement_id = ? ORDER BY seq`, engagementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Event
	prev := ""
	for rows.Next() {
		var body []byte
		var hash string
		if err := rows.Scan(&body, &hash); err != nil {
			return nil, err
		}
		ev, err := accord.DecodeEvent(body, prev, hash)
		if err != nil {
			return nil, err
		}
		out, prev = append(out, ev), hash
	}
	return out, rows.Err()
}
