package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"github.com/accordapp/accord"
)

// keyset is the part of a paged query that picks up after a cursor and orders the page: a
// list ordered by (key, id) ascending, or descending with p.Newest. It returns the condition
// (with its arguments), the ORDER BY and the LIMIT's argument: one more than the page, so
// that PageOf can tell whether another page follows.
func keyset(p accord.Page, key string, keyArg func(accord.Cursor) any) (cond string, args []any, order string, limit int) {
	op, dir := ">", "ASC"
	if p.Newest {
		op, dir = "<", "DESC"
	}
	cond = "1 = 1"
	if p.After != nil {
		cond = "(" + key + ", id) " + op + " (?, ?)"
		args = []any{keyArg(*p.After), p.After.ID}
	}
	return cond, args, key + " " + dir + ", id " + dir, p.Size + 1
}

func byKey(c accord.Cursor) any  { return c.Key }
func byText(c accord.Cursor) any { return c.Text }

// MessagePage reads a page of an engagement's messages in the order written, leaving out
// those held past visibleAt unless it is zero.
func (t *Tx) MessagePage(engagementID string, visibleAt time.Time, p accord.Page) (accord.Paged[accord.Message], error) {
	cond, args, order, limit := keyset(p, "at", byKey)
	q := `SELECT ` + messageCols + ` FROM messages WHERE engagement_id = ? AND ` + cond
	args = append([]any{engagementID}, args...)
	if !visibleAt.IsZero() {
		q += ` AND send_at <= ?`
		args = append(args, micros(visibleAt))
	}
	rows, err := t.rows(q+` ORDER BY `+order+` LIMIT ?`, append(args, limit)...)
	page, err := scanPage(rows, err, p, scanMessage, func(m accord.Message) accord.Cursor { return accord.Cursor{Key: micros(m.At), ID: m.ID} })
	if err == nil && visibleAt.IsZero() {
		if err = t.countMessages(); err != nil {
			return page, err
		}
		page.Total = 0 // no such engagement, no messages
		if err = t.row(`SELECT message_count FROM engagements WHERE id = ?`, engagementID).Scan(&page.Total); errors.Is(err, sql.ErrNoRows) {
			err = nil
		}
	}
	return page, err
}

// EventPage reads a page of an engagement's events by sequence number, decoded once and not
// checked against the chain: that is done when they are written and by the record's checks.
func (t *Tx) EventPage(engagementID string, p accord.Page) (accord.Paged[accord.Event], error) {
	op, dir := ">", "ASC"
	if p.Newest {
		op, dir = "<", "DESC"
	}
	q, args := `SELECT body, hash FROM events WHERE engagement_id = ?`, []any{engagementID}
	if p.After != nil {
		q += ` AND seq ` + op + ` ?`
		args = append(args, p.After.Key)
	}
	rows, err := t.rows(q+` ORDER BY seq `+dir+` LIMIT ?`, append(args, p.Size+1)...)
	return scanPage(rows, err, p, func(r Row) (accord.Event, error) {
		var body []byte
		var hash string
		if err := r.Scan(&body, &hash); err != nil {
			return accord.Event{}, err
		}
		return accord.ReadEvent(body, hash)
	}, func(ev accord.Event) accord.Cursor { return accord.Cursor{Key: ev.Seq} })
}

// EngagementPage reads a page of a workspace's engagements, most recently changed first.
func (t *Tx) EngagementPage(workspaceID string, p accord.Page) (accord.Paged[*accord.Engagement], error) {
	q := p
	q.Newest = !p.Newest // most recent first is the list's own order
	cond, args, order, limit := keyset(q, "updated_at", byKey)
	rows, err := t.rows(`SELECT snapshot FROM engagements WHERE workspace_id = ? AND `+cond+` ORDER BY `+order+` LIMIT ?`,
		append(append([]any{workspaceID}, args...), limit)...)
	return scanPage(rows, err, p, scanEngagement, func(e *accord.Engagement) accord.Cursor {
		return accord.Cursor{Key: micros(e.UpdatedAt), ID: e.ID}
	})
}

// ClientPage reads a page of a workspace's clients by name.
func (t *Tx) ClientPage(workspaceID string, p accord.Page) (accord.Paged[accord.Client], error) {
	cond, args, order, limit := keyset(p, "name", byText)
	rows, err := t.rows(`SELECT `+clientCols+` FROM clients WHERE workspace_id = ? AND `+cond+` ORDER BY `+order+` LIMIT ?`,
		append(append([]any{workspaceID}, args...), limit)...)
	return scanPage(rows, err, p, scanClient, func(c accord.Client) accord.Cursor { return accord.Cursor{Text: c.Name, ID: c.ID} })
}

// MailPage reads a page of a workspace's emails, oldest first.
func (t *Tx) MailPage(workspaceID string, p accord.Page) (accord.Paged[accord.Mail], error) {
	cond, args, order, limit := keyset(p, "at", byKey)
	rows, err := t.rows(`SELECT `+mailCols+` FROM outbox WHERE workspace_id = ? AND `+cond+` ORDER BY `+order+` LIMIT ?`,
		append(append([]any{workspaceID}, args...), limit)...)
	return scanPage(rows, err, p, scanMail, func(m accord.Mail) accord.Cursor { return accord.Cursor{Key: micros(m.At), ID: m.ID} })
}

// scanPage reads the rows of a paged query (run with err) into a page of p.
func scanPage[T any](rows Rows, err error, p accord.Page, scan func(Row) (T, error), key func(T) accord.Cursor) (accord.Paged[T], error) {
	if err != nil {
		return accord.Paged[T]{}, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return accord.Paged[T]{}, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return accord.Paged[T]{}, err
	}
	return accord.PageOf(out, p, key), nil
}
