package sqlstore

import (
	"encoding/json"
	"fmt"

	"github.com/accordapp/accord"
)

// CreateClient inserts a client.
func (t *Tx) CreateClient(c accord.Client) error {
	_, err := t.exec(`INSERT INTO clients (id, workspace_id, name, email, language, timezone, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.WorkspaceID, c.Name, c.Email, c.Language, c.Timezone, micros(c.CreatedAt))
	return err
}

const clientCols = `id, workspace_id, name, email, language, timezone, created_at, red_flags, trusted_reason`

func scanClient(s Row) (accord.Client, error) {
	var c accord.Client
	var at int64
	var flags string
	err := s.Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.Email, &c.Language, &c.Timezone, &at, &flags, &c.TrustedReason)
	c.CreatedAt = fromMicros(at)
	if err == nil && flags != "" {
		if jerr := json.Unmarshal([]byte(flags), &c.RedFlags); jerr != nil {
			return c, fmt.Errorf("client %s red flags: %w", c.ID, jerr)
		}
	}
	return c, notFound(err, "client")
}

// SetRedFlags saves a client's red flags.
func (t *Tx) SetRedFlags(workspaceID, clientID string, flags []accord.RedFlag) error {
	kept := make([]accord.RedFlag, len(flags))
	for i, f := range flags { // times to the microsecond, as everywhere in the store
		f.At = fromMicros(micros(f.At))
		kept[i] = f
	}
	b, err := json.Marshal(kept)
	if err != nil {
		return err
	}
	res, err := t.exec(`UPDATE clients SET red_flags = ? WHERE workspace_id = ? AND id = ?`, string(b), workspaceID, clientID)
	return oneRow(res, err, "client")
}

// Client finds a client of a workspace.
func (t *Tx) Client(workspaceID, id string) (accord.Client, error) {
	return scanClient(t.row(`SELECT `+clientCols+` FROM clients WHERE workspace_id = ? AND id = ?`, workspaceID, id))
}

// Clients lists a workspace's clients by name.
func (t *Tx) Clients(workspaceID string) ([]accord.Client, error) {
	rows, err := t.rows(`SELECT `+clientCols+` FROM clients WHERE workspace_id = ? ORDER BY name, id`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// UpdateClient saves a client's name, email, language and time zone.
func (t *Tx) UpdateClient(c accord.Client) error {
	res, err := t.exec(`UPDATE clients SET name = ?, email = ?, language = ?, timezone = ? WHERE workspace_id = ? AND id = ?`,
		c.Name, c.Email, c.Language, c.Timezone, c.WorkspaceID, c.ID)
	return oneRow(res, err, "client")
}

// SetClientTrust saves why the freelancer trusts a client ("" for not).
func (t *Tx) SetClientTrust(workspaceID, clientID, reason string) error {
	res, err := t.exec(`UPDATE clients SET trusted_reason = ? WHERE workspace_id = ? AND id = ?`, reason, workspaceID, clientID)
	return oneRow(res, err, "client")
}
