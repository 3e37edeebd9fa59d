package sqlstore

import (
	"time"

	"github.com/accordapp/accord"
)

// CreateSession stores a session by the hash of its secret.
func (t *Tx) CreateSession(s accord.Session) error {
	_, err := t.exec(`INSERT INTO sessions (hash, kind, user_id, workspace_id, engagement_id, email, created_at, expires_at, hint, label)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.Hash, s.Kind, s.UserID, s.WorkspaceID, s.EngagementID, s.Email,
		micros(s.CreatedAt), micros(s.ExpiresAt), s.Hint, s.Label)
	return err
}

const sessionCols = `hash, kind, user_id, workspace_id, engagement_id, email, created_at, expires_at, hint, label`

func scanSession(sc interface{ Scan(...any) error }) (accord.Session, error) {
	var s accord.Session
	var created, expires int64
	err := sc.Scan(&s.Hash, &s.Kind, &s.UserID, &s.WorkspaceID, &s.EngagementID, &s.Email, &created, &expires, &s.Hint, &s.Label)
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return s, notFound(err, "session")
}

// Session finds a live session by hash; an expired one is not found.
func (t *Tx) Session(hash string, now time.Time) (accord.Session, error) {
	return scanSession(t.row(`SELECT `+sessionCols+` FROM sessions WHERE hash = ? AND (expires_at = 0 OR expires_at > ?)`,
		hash, micros(now)))
}

// FreelancerSession finds a live web or API session with its user and workspace in one query.
func (t *Tx) FreelancerSession(hash string, now time.Time) (accord.FreelancerSession, error) {
	var fs accord.FreelancerSession
	var created, expires, userCreated int64
	err := t.row(`SELECT s.hash, s.kind, s.user_id, s.workspace_id, s.engagement_id, s.email, s.created_at, s.expires_at, s.hint, s.label,
			u.id, u.email, u.name, u.password_hash, u.language, u.created_at, w.timezone, w.response_days
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = s.workspace_id
		WHERE s.hash = ? AND s.kind IN (?, ?) AND (s.expires_at = 0 OR s.expires_at > ?)`,
		hash, accord.SessionWeb, accord.SessionAPI, micros(now)).Scan(
		&fs.Hash, &fs.Kind, &fs.UserID, &fs.WorkspaceID, &fs.EngagementID, &fs.Email, &created, &expires, &fs.Hint, &fs.Label,
		&fs.User.ID, &fs.User.Email, &fs.User.Name, &fs.User.PasswordHash, &fs.User.Language, &userCreated, &fs.Timezone, &fs.ResponseDays)
	fs.CreatedAt, fs.ExpiresAt, fs.User.CreatedAt = fromMicros(created), fromMicros(expires), fromMicros(userCreated)
	return fs, notFound(err, "session")
}

// ContactSession finds a live portal session with its contact's language and zone in one
// query: the language the contact chose, else the client's.
func (t *Tx) ContactSession(hash string, now time.Time) (accord.ContactSession, error) {
	var cs accord.ContactSession
	var created, expires int64
	err := t.row(`SELECT s.hash, s.kind, s.user_id, s.workspace_id, s.engagement_id, s.email, s.created_at, s.expires_at, s.hint, s.label,
			`+contactPlaceCols+`
		FROM sessions s
		JOIN engagements e ON e.id = s.engagement_id AND e.workspace_id = s.workspace_id
		`+contactPlaceJoins("s.email")+`
		WHERE s.hash = ? AND s.kind = ? AND (s.expires_at = 0 OR s.expires_at > ?)`,
		hash, accord.SessionPortal, micros(now)).Scan(
		&cs.Hash, &cs.Kind, &cs.UserID, &cs.WorkspaceID, &cs.EngagementID, &cs.Email, &created, &expires, &cs.Hint, &cs.Label,
		&cs.Language, &cs.Timezone)
	cs.CreatedAt, cs.ExpiresAt = fromMicros(created), fromMicros(expires)
	return cs, notFound(err, "session")
}

// Sessions lists a user's live sessions of one kind, newest first.
func (t *Tx) Sessions(userID, kind string, now time.Time) ([]accord.Session, error) {
	rows, err := t.rows(`SELECT `+sessionCols+` FROM sessions
		WHERE user_id = ? AND user_id <> '' AND kind = ? AND (expires_at = 0 OR expires_at > ?)
		ORDER BY created_at DESC, hash`, userID, kind, micros(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []accord.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSession removes a session (logout).
func (t *Tx) DeleteSession(hash string) error {
	_, err := t.exec(`DELETE FROM sessions WHERE hash = ?`, hash)
	return err
}

// DeleteUserSession removes one of the user's sessions; a portal session has no user, so an
// empty userID matches nothing.
func (t *Tx) DeleteUserSession(userID, hash string) error {
	res, err := t.exec(`DELETE FROM sessions WHERE hash = ? AND user_id = ? AND user_id <> ''`, hash, userID)
	return oneRow(res, err, "session")
}

// DeleteUserSessions removes every session of the user of one kind, expired or not, and says how many.
func (t *Tx) DeleteUserSessions(userID, kind string) (int, error) {
	res, err := t.exec(`DELETE FROM sessions WHERE user_id = ? AND user_id <> '' AND kind = ?`, userID, kind)
	return affected(res, err)
}

// PruneExpired removes sessions (never those with no expiry) and portal tokens, spent or not,
// that expired before now, and says how many rows went.
func (t *Tx) PruneExpired(now time.Time) (int, error) {
	s, err := affected(t.exec(`DELETE FROM sessions WHERE expires_at <> 0 AND expires_at < ?`, micros(now)))
	if err != nil {
		return 0, err
	}
	// The newest link of each contact stays, spent or expired: it is how a contact who asks for
	// a new link is known to have been invited.
	p, err := affected(t.exec(`DELETE FROM portal_tokens WHERE expires_at < ? AND EXISTS (
		SELECT 1 FROM portal_tokens n WHERE n.email = portal_tokens.email AND n.engagement_id = portal_tokens.engagement_id
		AND (n.created_at > portal_tokens.created_at OR (n.created_at = portal_tokens.created_at AND n.hash > portal_tokens.hash)))`, micros(now)))
	if err != nil {
		return 0, err
	}
	f, err := t.pruneFlashes(now)
	return s + p + f, err
}
