package sqlstore

import (
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/accordapp/accord"
)

// Billing is what the workspace's invoices say of the freelancer.
func (t *Tx) Billing(workspaceID string) (accord.Billing, error) {
	var b accord.Billing
	return b, t.billing(workspaceID, "", &b)
}

// SetBilling saves what the workspace's invoices say of the freelancer.
func (t *Tx) SetBilling(workspaceID string, b accord.Billing) error {
	return t.setBilling(workspaceID, "", b)
}

// ClientBilling is what invoices say of a client.
func (t *Tx) ClientBilling(workspaceID, clientID string) (accord.ClientBilling, error) {
	var b accord.ClientBilling
	return b, t.billing(workspaceID, clientID, &b)
}

// SetClientBilling saves what invoices say of a client.
func (t *Tx) SetClientBilling(workspaceID, clientID string, b accord.ClientBilling) error {
	return t.setBilling(workspaceID, clientID, b)
}

// ClientBillings is what invoices say of each of the workspace's clients that has details.
func (t *Tx) ClientBillings(workspaceID string) (map[string]accord.ClientBilling, error) {
	rows, err := t.rows(`SELECT client_id, body FROM billing_details WHERE workspace_id = ? AND client_id <> ''`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]accord.ClientBilling{}
	for rows.Next() {
		var id, body string
		if err := rows.Scan(&id, &body); err != nil {
			return nil, err
		}
		var b accord.ClientBilling
		if err := json.Unmarshal([]byte(body), &b); err != nil {
			return nil, err
		}
		out[id] = b
	}
	return out, rows.Err()
}

func (t *Tx) billing(workspaceID, clientID string, into any) error {
	var body string
	err := t.row(`SELECT body FROM billing_details WHERE workspace_id = ? AND client_id = ?`, workspaceID, clientID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(body), into)
}

func (t *Tx) setBilling(workspaceID, clientID string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO billing_details (workspace_id, client_id, body) VALUES (?, ?, ?)
		ON CONFLICT (workspace_id, client_id) DO UPDATE SET body = excluded.body`, workspaceID, clientID, string(body))
	return err
}

// NextInvoiceSeq takes the workspace's next invoice number in year, in this transaction.
func (t *Tx) NextInvoiceSeq(workspaceID string, year int) (int, error) {
	var n int
	err := t.row(`INSERT INTO invoice_counters (workspace_id, year, last) VALUES (?, ?, 1)
		ON CONFLICT (workspace_id, year) DO UPDATE SET last = invoice_counters.last + 1 RETURNING last`, workspaceID, year).Scan(&n)
	return n, err
}

// TakeStripeEvent notes a Stripe event as applied by the workspace, once.
func (t *Tx) TakeStripeEvent(workspaceID, eventID string, at time.Time) (bool, error) {
	res, err := t.exec(`INSERT INTO stripe_events (workspace_id, event_id, at) VALUES (?, ?, ?) ON CONFLICT (workspace_id, event_id) DO NOTHING`,
		workspaceID, eventID, micros(at))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
