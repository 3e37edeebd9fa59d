package sqlstore

import (
	"strings"
	"time"

	"github.com/accordapp/accord"
)

// CountUsers returns how many users there are; in a write transaction no other writer can add
// one until this transaction ends.
func (t *Tx) CountUsers() (int, error) {
	if t.write && t.d.LockUsers != "" {
		if _, err := t.exec(t.d.LockUsers); err != nil {
			return 0, err
		}
	}
	var n int
	err := t.row(`SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// CreateUser inserts a user; a taken email is a conflict.
func (t *Tx) CreateUser(u accord.User) error {
	_, err := t.exec(`INSERT INTO users (id, email, name, password_hash, language, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.ID, u.Email, u.Name, u.PasswordHash, u.Language, micros(u.CreatedAt))
	if err != nil && t.d.IsUniqueErr(err) {
		return accord.Errorf(accord.ECONFLICT, "user.email_taken")
	}
	return err
}

const userCols = `id, email, name, password_hash, language, created_at`

func scanUser(s interface{ Scan(...any) error }) (accord.User, error) {
	var u accord.User
	var at int64
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Language, &at)
	u.CreatedAt = fromMicros(at)
	return u, notFound(err, "user")
}

// UserByEmail finds a user by (normalised) email.
func (t *Tx) UserByEmail(email string) (accord.User, error) {
	return scanUser(t.row(`SELECT `+userCols+` FROM users WHERE email = ?`, email))
}

// UserByID finds a user by id.
func (t *Tx) UserByID(id string) (accord.User, error) {
	return scanUser(t.row(`SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// UpdateUser saves a user's name and language.
func (t *Tx) UpdateUser(u accord.User) error {
	res, err := t.exec(`UPDATE users SET name = ?, language = ? WHERE id = ?`, u.Name, u.Language, u.ID)
	return oneRow(res, err, "user")
}

// CreateWorkspace inserts a workspace.
func (t *Tx) CreateWorkspace(w accord.Workspace) error {
	_, err := t.exec(`INSERT INTO workspaces (id, name, owner_id, cooling_off_seconds, timezone, payment_details, response_days, muted, created_at, min_prepayment, min_kill_fee, max_revisions)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.ID, w.Name, w.OwnerID, int64(w.CoolingOff/time.Second), w.Timezone, w.PaymentDetails,
		w.ResponseDays, strings.Join(w.Muted, ","), micros(w.CreatedAt), w.MinPrepayment, w.MinKillFee, w.MaxRevisions)
	return err
}

// Workspace finds a workspace by id.
func (t *Tx) Workspace(id string) (accord.Workspace, error) {
	var w accord.Workspace
	var secs, at int64
	var muted string
	err := t.row(`SELECT id, name, owner_id, cooling_off_seconds, timezone, payment_details, response_days, muted, created_at, min_prepayment, min_kill_fee, max_revisions FROM workspaces WHERE id = ?`, id).
		Scan(&w.ID, &w.Name, &w.OwnerID, &secs, &w.Timezone, &w.PaymentDetails, &w.ResponseDays, &muted, &at, &w.MinPrepayment, &w.MinKillFee, &w.MaxRevisions)
	if muted != "" {
		w.Muted = strings.Split(muted, ",")
	}
	w.CoolingOff, w.CreatedAt = time.Duration(secs)*time.Second, fromMicros(at)
	return w, notFound(err, "workspace")
}

// UpdateWorkspace saves a workspace's name, cooling-off, time zone and payment details.
func (t *Tx) UpdateWorkspace(w accord.Workspace) error {
	res, err := t.exec(`UPDATE workspaces SET name = ?, cooling_off_seconds = ?, timezone = ?, payment_details = ?, response_days = ?, muted = ?, min_prepayment = ?, min_kill_fee = ?, max_revisions = ? WHERE id = ?`,
		w.Name, int64(w.CoolingOff/time.Second), w.Timezone, w.PaymentDetails, w.ResponseDays, strings.Join(w.Muted, ","), w.MinPrepayment, w.MinKillFee, w.MaxRevisions, w.ID)
	return oneRow(res, err, "workspace")
}

// WorkspaceOfUser returns the id of the oldest workspace the user owns.
func (t *Tx) WorkspaceOfUser(userID string) (string, error) {
	var id string
	err := t.row(`SELECT id FROM workspaces WHERE owner_id = ? ORDER BY created_at, id LIMIT 1`, userID).Scan(&id)
	return id, notFound(err, "workspace")
}
