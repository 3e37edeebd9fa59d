package sqlstore

import (
	"encoding/json"
	"fmt"
	"slices"

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
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	snap := string(b)
	d := e.Digest()
	digest, err := json.Marshal(d)
	if err != nil {
		return err
	}
	loadedAt := events[0].Seq - 1
	if loadedAt == 0 {
		_, err = t.exec(`INSERT INTO engagements (id, workspace_id, client_id, state, seq, snapshot, created_at, updated_at, fold_version, reply_token, digest, agenda, next_due, last_due)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, e.WorkspaceID, e.ClientID, string(e.State), e.Seq, snap,
			micros(e.CreatedAt), micros(e.UpdatedAt), accord.FoldVersion, newReplyToken(), string(digest), d.AgendaRank(e.UpdatedAt), orNull(d.NextDue), orNull(d.LastDue))
		if err == nil {
			err = t.keepDigest(e, "", d, string(digest))
		}
	} else {
		err = t.update(e, snap, d, string(digest), loadedAt)
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
	t.saved = append(t.saved, saved{e.ID, snap})
	return nil
}

func (t *Tx) update(e *accord.Engagement, snap string, d accord.Digest, digest string, loadedAt int64) error {
	old, err := t.storedDigest(e)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE engagements SET state = ?, seq = ?, snapshot = ?, updated_at = ?, fold_version = ?, digest = ?, agenda = ?, next_due = ?, last_due = ?,
		message_count = message_count + ? WHERE id = ? AND seq = ?`, string(e.State), e.Seq, snap, micros(e.UpdatedAt), accord.FoldVersion,
		digest, d.AgendaRank(e.UpdatedAt), orNull(d.NextDue), orNull(d.LastDue), t.newMessages[e.ID], e.ID, loadedAt)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return accord.Errorf(accord.ECONFLICT, "engagement.changed_meanwhile")
	}
	delete(t.newMessages, e.ID)
	return t.keepDigest(e, old, d, digest)
}

// storedDigest is the digest stored for e: the one read when this transaction loaded it, or
// read now.
func (t *Tx) storedDigest(e *accord.Engagement) (string, error) {
	if old, ok := t.digests[e.ID]; ok {
		return old, nil
	}
	var old string
	err := t.row(`SELECT digest FROM engagements WHERE id = ? AND workspace_id = ?`+t.d.LockSuffix, e.ID, e.WorkspaceID).Scan(&old)
	return old, notFound(err, "engagement")
}

// keepDigest brings the workspace's tallies and the engagement's open invoices from what the
// stored digest old said to what d says (digest, marshalled).
func (t *Tx) keepDigest(e *accord.Engagement, old string, d accord.Digest, digest string) error {
	if old == digest {
		return nil
	}
	if err := t.changeTallies(e, old, d); err != nil {
		return err
	}
	if t.digests == nil {
		t.digests = map[string]string{}
	}
	t.digests[e.ID] = digest // what the next save in this transaction changes them from
	return nil
}

func (t *Tx) changeTallies(e *accord.Engagement, old string, d accord.Digest) error {
	var was accord.Digest
	if old != "" {
		if err := json.Unmarshal([]byte(old), &was); err != nil {
			return fmt.Errorf("engagement digest: %w", err)
		}
	}
	for _, c := range accord.TallyChange(was.Tallies, d.Tallies) {
		if _, err := t.exec(`INSERT INTO tallies (workspace_id, kind, currency, bucket, amount, n) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (workspace_id, kind, currency, bucket) DO UPDATE SET amount = tallies.amount + excluded.amount, n = tallies.n + excluded.n`,
			e.WorkspaceID, c.Kind, c.Currency, c.Bucket, c.Amount, c.N); err != nil {
			return fmt.Errorf("tally %s: %w", c.Kind, err)
		}
	}
	if slices.Equal(was.Open, d.Open) {
		return nil
	}
	if _, err := t.exec(`DELETE FROM open_invoices WHERE engagement_id = ?`, e.ID); err != nil {
		return err
	}
	for _, inv := range d.Open {
		body, err := json.Marshal(inv)
		if err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO open_invoices (engagement_id, invoice_id, workspace_id, body, due_date, number) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ID, inv.InvoiceID, e.WorkspaceID, string(body), string(inv.DueDate), inv.Number); err != nil {
			return err
		}
	}
	return nil
}

// orNull is a date as stored: NULL when there is none.
func orNull(d accord.Date) any {
	if d == "" {
		return nil
	}
	return string(d)
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
	d := e.Digest()
	digest, err := json.Marshal(d)
	if err != nil {
		return err
	}
	old, err := t.storedDigest(e)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE engagements SET state = ?, snapshot = ?, fold_version = ?, digest = ?, agenda = ?, next_due = ?, last_due = ?
		WHERE id = ? AND workspace_id = ? AND seq = ?`, string(e.State), string(snap), accord.FoldVersion,
		string(digest), d.AgendaRank(e.UpdatedAt), orNull(d.NextDue), orNull(d.LastDue), e.ID, e.WorkspaceID, e.Seq)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil // events were appended meanwhile, and that write kept the digest
	}
	return t.keepDigest(e, old, d, string(digest))
}

// Engagement loads an engagement of a workspace; inside a write transaction it is locked for
// update, and its stored digest kept for its save.
func (t *Tx) Engagement(workspaceID, id string) (*accord.Engagement, error) {
	if !t.write {
		return scanEngagement(t.row(`SELECT snapshot FROM engagements WHERE workspace_id = ? AND id = ?`, workspaceID, id))
	}
	var snap, digest string
	err := t.row(`SELECT snapshot, digest FROM engagements WHERE workspace_id = ? AND id = ?`+t.d.LockSuffix, workspaceID, id).Scan(&snap, &digest)
	if err != nil {
		return nil, notFound(err, "engagement")
	}
	e := t.warm.take(id, snap)
	if e == nil {
		if e, err = decodeEngagement(snap); err != nil {
			return nil, err
		}
	}
	if t.digests == nil {
		t.digests = map[string]string{}
	}
	t.digests[id] = digest
	return e, nil
}

func scanEngagement(s Row) (*accord.Engagement, error) {
	var snap string
	if err := s.Scan(&snap); err != nil {
		return nil, notFound(err, "engagement")
	}
	return decodeEngagement(snap)
}

func decodeEngagement(snap string) (*accord.Engagement, error) {
	e := &accord.Engagement{}
	if err := json.Unmarshal([]byte(snap), e); err != nil {
		return nil, fmt.Errorf("engagement snapshot: %w", err)
	}
	return e, nil
}

// Engagements lists a workspace's engagements, most recently changed first.
func (t *Tx) Engagements(workspaceID string) ([]*accord.Engagement, error) {
	return t.snapshots(`SELECT snapshot FROM engagements WHERE workspace_id = ? ORDER BY updated_at DESC, id DESC`, workspaceID)
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
