package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/accordapp/accord"
)

// Tallies reads a workspace's tallies of the kinds given whose bucket is in [from, to).
func (t *Tx) Tallies(workspaceID string, kinds []string, from, to int64) ([]accord.Tally, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	args := []any{workspaceID}
	for _, k := range kinds {
		args = append(args, k)
	}
	rows, err := t.rows(`SELECT kind, currency, bucket, amount, n FROM tallies WHERE workspace_id = ? AND kind IN (?`+
		strings.Repeat(", ?", len(kinds)-1)+`) AND bucket >= ? AND bucket < ? ORDER BY kind, currency, bucket`, append(args, from, to)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Tally
	for rows.Next() {
		var c accord.Tally
		if err := rows.Scan(&c.Kind, &c.Currency, &c.Bucket, &c.Amount, &c.N); err != nil {
			return nil, err
		}
		if c.Amount != 0 || c.N != 0 {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// NearestDue reads the n engagements of a workspace whose nearest unfinished due date comes
// first.
func (t *Tx) NearestDue(workspaceID string, n int) ([]*accord.Engagement, error) {
	return t.snapshots(`SELECT snapshot FROM engagements WHERE workspace_id = ? AND next_due IS NOT NULL
		ORDER BY next_due, id LIMIT ?`, workspaceID, n)
}

// DueFrom reads up to n engagements of a workspace whose digest's LastDue is on from or
// after, the soonest first.
func (t *Tx) DueFrom(workspaceID string, from accord.Date, n int) ([]*accord.Engagement, error) {
	return t.snapshots(`SELECT snapshot FROM engagements WHERE workspace_id = ? AND last_due IS NOT NULL AND last_due >= ?
		ORDER BY last_due, id LIMIT ?`, workspaceID, string(from), n)
}

// snapshots reads the engagements a query of their snapshots gives.
func (t *Tx) snapshots(q string, args ...any) ([]*accord.Engagement, error) {
	rows, err := t.rows(q, args...)
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

// OverdueInvoices reads up to limit of a workspace's open invoices due before today, the
// earliest due first.
func (t *Tx) OverdueInvoices(workspaceID string, today accord.Date, limit int) ([]accord.OpenInvoice, error) {
	rows, err := t.rows(`SELECT body FROM open_invoices WHERE workspace_id = ? AND due_date < ? ORDER BY due_date, number LIMIT ?`,
		workspaceID, string(today), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.OpenInvoice
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var inv accord.OpenInvoice
		if err := json.Unmarshal([]byte(body), &inv); err != nil {
			return nil, fmt.Errorf("open invoice: %w", err)
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

// AgendaPage reads a page of a workspace's engagements in the dashboard's order: what waits on
// the freelancer, then on the client, then the ended ones, each most recently changed first.
// Its total is the workspace's count of engagements.
func (t *Tx) AgendaPage(workspaceID string, p accord.Page) (accord.Paged[*accord.Engagement], error) {
	q := p
	q.Newest = !p.Newest // the largest rank first is the list's own order
	cond, args, order, limit := keyset(q, "agenda", byKey)
	rows, err := t.rows(`SELECT agenda, snapshot FROM engagements WHERE workspace_id = ? AND `+cond+` ORDER BY `+order+` LIMIT ?`,
		append(append([]any{workspaceID}, args...), limit)...)
	ranks := map[string]int64{}
	page, err := scanPage(rows, err, p, func(r Row) (*accord.Engagement, error) {
		var rank int64
		var snap string
		if err := r.Scan(&rank, &snap); err != nil {
			return nil, err
		}
		e, err := decodeEngagement(snap)
		if err == nil {
			ranks[e.ID] = rank
		}
		return e, err
	}, func(e *accord.Engagement) accord.Cursor { return accord.Cursor{Key: ranks[e.ID], ID: e.ID} })
	if err != nil {
		return page, err
	}
	ts, err := t.Tallies(workspaceID, []string{accord.TallyEngagements}, 0, 1)
	page.Total = 0
	for _, c := range ts {
		page.Total += int(c.N)
	}
	return page, err
}
