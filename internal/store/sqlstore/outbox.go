package sqlstore

import (
	"time"

	"github.com/accordapp/accord"
)

// AddMail puts an email in the outbox; one with no state yet is queued.
func (t *Tx) AddMail(m accord.Mail) error {
	if m.State == "" {
		m.State = accord.MailQueued
	}
	_, err := t.exec(`INSERT INTO outbox (id, workspace_id, engagement_id, recipient, subject, body, at, kind, state, error, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.WorkspaceID, m.EngagementID, m.To, m.Subject, m.Body, micros(m.At),
		m.Kind, m.State, m.Error, micros(m.SentAt))
	return err
}

// Outbox lists a workspace's emails, oldest first.
func (t *Tx) Outbox(workspaceID string) ([]accord.Mail, error) {
	rows, err := t.rows(`SELECT id, workspace_id, engagement_id, recipient, subject, body, at, kind, state, error, sent_at
		FROM outbox WHERE workspace_id = ? ORDER BY at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Mail
	for rows.Next() {
		var m accord.Mail
		var at, sentAt int64
		if err := rows.Scan(&m.ID, &m.WorkspaceID, &m.EngagementID, &m.To, &m.Subject, &m.Body, &at,
			&m.Kind, &m.State, &m.Error, &sentAt); err != nil {
			return nil, err
		}
		m.At, m.SentAt = fromMicros(at), fromMicros(sentAt)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetMailState records the outcome of a try to send: sent (with sentAt), or failed with why.
func (t *Tx) SetMailState(id, state, why string, sentAt time.Time) error {
	res, err := t.exec(`UPDATE outbox SET state = ?, error = ?, sent_at = ? WHERE id = ?`, state, why, micros(sentAt), id)
	// The catalog has no key of its own for a missing email; the generic one says enough.
	return oneRow(res, err, "error")
}
