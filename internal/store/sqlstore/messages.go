package sqlstore

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/accordapp/accord"
)

// CreateMessage inserts a message.
func (t *Tx) CreateMessage(m accord.Message) error {
	files, err := json.Marshal(m.Files)
	if err != nil {
		return err
	}
	if m.Files == nil {
		files = []byte("[]")
	}
	_, err = t.exec(`INSERT INTO messages (id, engagement_id, author, author_name, body, at, send_at, channel, files, email)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.EngagementID, m.Author, m.AuthorName, m.Body, micros(m.At), micros(m.SendAt),
		m.Channel, string(files), m.Email)
	if err != nil {
		return err
	}
	if t.newMessages == nil {
		t.newMessages = map[string]int64{}
	}
	t.newMessages[m.EngagementID]++
	return nil
}

// countMessages adds the messages created in this transaction to their engagements' counts,
// those of engagements saved since excepted (SaveEngagement counts them as it saves).
// They go in the order of the engagements' ids, as concurrent transactions on PostgreSQL must
// take rows' locks in one order.
func (t *Tx) countMessages() error {
	for _, id := range slices.Sorted(maps.Keys(t.newMessages)) {
		res, err := t.exec(`UPDATE engagements SET message_count = message_count + ? WHERE id = ?`, t.newMessages[id], id)
		if err := oneRow(res, err, "engagement"); err != nil {
			return err
		}
		delete(t.newMessages, id)
	}
	return nil
}

const messageCols = `id, engagement_id, author, author_name, body, at, send_at, channel, files, email`

func scanMessage(s Row) (accord.Message, error) {
	var m accord.Message
	var at, sendAt int64
	var files string
	err := s.Scan(&m.ID, &m.EngagementID, &m.Author, &m.AuthorName, &m.Body, &at, &sendAt, &m.Channel, &files, &m.Email)
	if err != nil {
		return m, notFound(err, "message")
	}
	m.At, m.SendAt = fromMicros(at), fromMicros(sendAt)
	if err := json.Unmarshal([]byte(files), &m.Files); err != nil {
		return m, fmt.Errorf("message %s files: %w", m.ID, err)
	}
	if len(m.Files) == 0 {
		m.Files = nil
	}
	return m, nil
}

// Message finds a message of an engagement.
func (t *Tx) Message(engagementID, id string) (accord.Message, error) {
	return scanMessage(t.row(`SELECT `+messageCols+` FROM messages WHERE engagement_id = ? AND id = ?`, engagementID, id))
}

// Messages lists an engagement's messages in the order they were written.
func (t *Tx) Messages(engagementID string) ([]accord.Message, error) {
	rows, err := t.rows(`SELECT `+messageCols+` FROM messages WHERE engagement_id = ? ORDER BY at, id`, engagementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetMessageSendAt changes when a held message reaches the client.
func (t *Tx) SetMessageSendAt(engagementID, id string, at time.Time) error {
	res, err := t.exec(`UPDATE messages SET send_at = ? WHERE engagement_id = ? AND id = ?`, micros(at), engagementID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return accord.Errorf(accord.ENOTFOUND, "message.not_found")
	}
	return nil
}

// SetMessageBody changes a message's text.
func (t *Tx) SetMessageBody(engagementID, id, body string) error {
	res, err := t.exec(`UPDATE messages SET body = ? WHERE engagement_id = ? AND id = ?`, body, engagementID, id)
	return oneRow(res, err, "message")
}

// DeleteMessage removes a message of an engagement.
func (t *Tx) DeleteMessage(engagementID, id string) error {
	res, err := t.exec(`DELETE FROM messages WHERE engagement_id = ? AND id = ?`, engagementID, id)
	if err := oneRow(res, err, "message"); err != nil {
		return err
	}
	_, err = t.exec(`UPDATE engagements SET message_count = message_count - 1 WHERE id = ?`, engagementID)
	return err
}
