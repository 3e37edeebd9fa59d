package sqlstore

import "time"

// PutFlash keeps a page's one-time message until expires.
func (t *Tx) PutFlash(id, owner string, body []byte, expires time.Time) error {
	_, err := t.exec(`INSERT INTO flashes (id, owner, body, expires_at) VALUES (?, ?, ?, ?)`, id, owner, body, micros(expires))
	return err
}

// TakeFlash returns a live flash of this owner and deletes it, so it is shown once.
func (t *Tx) TakeFlash(id, owner string, now time.Time) ([]byte, error) {
	var body []byte
	err := t.row(`SELECT body FROM flashes WHERE id = ? AND owner = ? AND expires_at > ?`, id, owner, micros(now)).Scan(&body)
	if err != nil {
		return nil, notFound(err, "flash")
	}
	_, err = t.exec(`DELETE FROM flashes WHERE id = ?`, id)
	return body, err
}

// pruneFlashes removes flashes nobody came back for.
func (t *Tx) pruneFlashes(now time.Time) (int, error) {
	res, err := t.exec(`DELETE FROM flashes WHERE expires_at <= ?`, micros(now))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
