package sqlstore

import (
	"encoding/json"

	"github.com/accordapp/accord"
)

// AddMail puts an email in the outbox; one with no state yet is queued.
func (t *Tx) AddMail(m accord.Mail) error {
	if m.State == "" {
		m.State = accord.MailQueued
	}
	files, err := json.Marshal(append([]accord.Attachment{}, m.Attachments...))
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO outbox (id, workspace_id, engagement_id, recipient, subject, body, at, kind, state, error, sent_at, attachments)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.WorkspaceID, m.EngagementID, m.To, m.Subject, m.Body, micros(m.At),
		m.Kind, m.State, m.Error, micros(m.SentAt), string(files))
	return err
}

// Outbox lists a workspace's emails, oldest first.
func (t *Tx) Outbox(workspaceID string) ([]accord.Mail, error) {
	rows, err := t.rows(`SELECT `+mailCols+` FROM outbox WHERE workspace_id = ? ORDER BY at, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

const mailCols = `id, workspace_id, engagement_id, recipient, subject, body, at, kind, state, error, sent_at, retry_at, head_size, attachments`

func scanMail(s Row) (accord.Mail, error) {
	var m accord.Mail
	var at, sentAt, retryAt int64
	var files string
	err := s.Scan(&m.ID, &m.WorkspaceID, &m.EngagementID, &m.To, &m.Subject, &m.Body, &at, &m.Kind, &m.State, &m.Error, &sentAt, &retryAt, &m.HeadSize, &files)
	m.At, m.SentAt, m.RetryAt = fromMicros(at), fromMicros(sentAt), fromMicros(retryAt)
	if err == nil && files != "" && files != "[]" {
		err = json.Unmarshal([]byte(files), &m.Attachments)
	}
	return m, err
}

// Mail finds an email of the outbox.
func (t *Tx) Mail(id string) (accord.Mail, error) {
	m, err := scanMail(t.row(`SELECT `+mailCols+` FROM outbox WHERE id = ?`, id))
	// The catalog has no key of its own for a missing email; the generic one says enough.
	return m, notFound(err, "error")
}

// SetMailState records the outcome of a try to send an email.
func (t *Tx) SetMailState(id string, try accord.MailTry) error {
	res, err := t.exec(`UPDATE outbox SET state = ?, error = ?, sent_at = ?, retry_at = ? WHERE id = ?`,
		try.State, try.Error, micros(try.SentAt), micros(try.RetryAt), id)
	return oneRow(res, err, "error")
}

// CountMails counts a workspace's emails in one state.
func (t *Tx) CountMails(workspaceID, state string) (int, error) {
	var n int
	err := t.row(`SELECT count(*) FROM outbox WHERE workspace_id = ? AND state = ?`, workspaceID, state).Scan(&n)
	return n, err
}

// SetMailHead stamps the record's signed head into an email's body, once: an email stamped
// before keeps its first head.
func (t *Tx) SetMailHead(id, body string, size int64) (bool, error) {
	n, err := t.exec(`UPDATE outbox SET body = ?, head_size = ? WHERE id = ? AND head_size = 0`, body, size, id)
	return n == 1, err
}
