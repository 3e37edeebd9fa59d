package sqlstore

import (
	"database/sql"
	"errors"
	"time"

	"github.com/accordapp/accord"
)

// CreatePortalToken stores an invitation token by hash.
func (t *Tx) CreatePortalToken(p accord.PortalToken) error {
	_, err := t.exec(`INSERT INTO portal_tokens (hash, workspace_id, engagement_id, email, created_at, expires_at, used_at)
		VALUES (?, ?, ?, ?, ?, ?, 0)`, p.Hash, p.WorkspaceID, p.EngagementID, p.Email, micros(p.CreatedAt), micros(p.ExpiresAt))
	return err
}

// SpendPortalToken marks the token used in one statement, so two racing requests cannot both spend it.
func (t *Tx) SpendPortalToken(hash string, now time.Time) (accord.PortalToken, error) {
	res, err := t.exec(`UPDATE portal_tokens SET used_at = ? WHERE hash = ? AND used_at = 0 AND expires_at > ?`,
		micros(now), hash, micros(now))
	if err != nil {
		return accord.PortalToken{}, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return accord.PortalToken{}, accord.Errorf(accord.EUNAUTHORIZED, "portal.token_invalid")
	}
	return scanToken(t.row(`SELECT `+tokenCols+` FROM portal_tokens WHERE hash = ?`, hash))
}

// PortalToken finds a link token by hash, spent or not, without spending it.
func (t *Tx) PortalToken(hash string) (accord.PortalToken, error) {
	p, err := scanToken(t.row(`SELECT `+tokenCols+` FROM portal_tokens WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return p, accord.Errorf(accord.ENOTFOUND, "portal.token_invalid")
	}
	return p, err
}

const tokenCols = `hash, workspace_id, engagement_id, email, created_at, expires_at, used_at`

func scanToken(s interface{ Scan(...any) error }) (accord.PortalToken, error) {
	var p accord.PortalToken
	var c, e, u int64
	err := s.Scan(&p.Hash, &p.WorkspaceID, &p.EngagementID, &p.Email, &c, &e, &u)
	p.CreatedAt, p.ExpiresAt, p.UsedAt = fromMicros(c), fromMicros(e), fromMicros(u)
	return p, err
}

// InvitedEngagements lists, newest first, the newest token of each engagement the email was
// invited to, in any workspace.
func (t *Tx) InvitedEngagements(email string) ([]accord.PortalToken, error) {
	rows, err := t.rows(`SELECT `+tokenCols+` FROM portal_tokens p WHERE email = ? AND NOT EXISTS (
		SELECT 1 FROM portal_tokens n WHERE n.email = p.email AND n.engagement_id = p.engagement_id
		AND (n.created_at > p.created_at OR (n.created_at = p.created_at AND n.hash > p.hash)))
		ORDER BY created_at DESC, engagement_id`, email)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.PortalToken
	for rows.Next() {
		p, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// contactPlaceCols are how a contact reads, from an engagement e joined by contactPlaceJoins:
// the language the contact chose, else the client's, and the client's zone.
const contactPlaceCols = `COALESCE(p.language, c.language), c.timezone`

// contactPlaceJoins joins an engagement e to its client c and to the language the contact
// whose address is the SQL expression email chose, if any (p).
func contactPlaceJoins(email string) string {
	return `JOIN clients c ON c.workspace_id = e.workspace_id AND c.id = e.client_id
		LEFT JOIN contact_prefs p ON p.workspace_id = e.workspace_id AND p.email = ` + email + ` AND p.language <> ''`
}

// ContactPlace is how a contact of an engagement of the workspace reads.
func (t *Tx) ContactPlace(workspaceID, engagementID, email string) (accord.ContactPlace, error) {
	var cp accord.ContactPlace
	err := t.row(`SELECT `+contactPlaceCols+` FROM engagements e `+contactPlaceJoins("?")+`
		WHERE e.id = ? AND e.workspace_id = ?`, email, engagementID, workspaceID).Scan(&cp.Language, &cp.Timezone)
	return cp, notFound(err, "engagement")
}

// ContactLanguage is the language a contact chose in the portal, "" when none.
func (t *Tx) ContactLanguage(workspaceID, email string) (string, error) {
	var lang string
	err := t.row(`SELECT language FROM contact_prefs WHERE workspace_id = ? AND email = ?`, workspaceID, email).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lang, err
}

// SetContactLanguage records the language a contact chose, replacing an earlier choice.
func (t *Tx) SetContactLanguage(workspaceID, email, lang string) error {
	_, err := t.exec(`INSERT INTO contact_prefs (workspace_id, email, language) VALUES (?, ?, ?)
		ON CONFLICT (workspace_id, email) DO UPDATE SET language = excluded.language`, workspaceID, email, lang)
	return err
}
