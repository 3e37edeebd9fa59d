package sqlstore

import (
	"time"

	"github.com/accordapp/accord"
)

// CreateSession stores a session by the hash of its secret.
func (t *Tx) CreateSession(s accord.Session) error {
	_, err := t.exec(`INSERT INTO sessions (hash, kind, user_id, workspace_id, engagement_id, email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Hash, s.Kind, s.UserID, s.WorkspaceID, s.EngagementID, s.Email,
		micros(s.CreatedAt), micros(s.ExpiresAt))
	return err
}

// Session finds a live session by hash; an expired one is not found.
func (t *Tx) Session(hash string, now time.Time) (accord.Session, error) {
	var s accord.Session
	var created, expires int64
	err := t.row(`SELECT hash, kind, user_id, workspace_id, engagement_id, email, created_at, expires_at
		FROM sessions WHERE hash = ? AND (expires_at = 0 OR expires_at > ?)`, hash, micros(now)).
		Scan(&s.Hash, &s.Kind, &s.UserID, &s.WorkspaceID, &s.EngagementID, &s.Email, &created, &expires)
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return s, notFound(err, "session")
}

// DeleteSession removes a session (logout).
func (t *Tx) DeleteSession(hash string) error {
	_, err := t.exec(`DELETE FROM sessions WHERE hash = ?`, hash)
	return err
}

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
	var p accord.PortalToken
	var c, e, u int64
	err = t.row(`SELECT hash, workspace_id, engagement_id, email, created_at, expires_at, used_at FROM portal_tokens WHERE hash = ?`, hash).
		Scan(&p.Hash, &p.WorkspaceID, &p.EngagementID, &p.Email, &c, &e, &u)
	p.CreatedAt, p.ExpiresAt, p.UsedAt = fromMicros(c), fromMicros(e), fromMicros(u)
	return p, err
}
