package sqlstore

import (
	"database/sql"
	"errors"
	"time"
)

// ClockTime is the test clock's time as last kept, zero when it never was.
func (t *Tx) ClockTime() (time.Time, error) {
	var at int64
	err := t.row(`SELECT now FROM test_clock WHERE id = 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	return fromMicros(at), err
}

// SetClockTime keeps the test clock's time.
func (t *Tx) SetClockTime(at time.Time) error {
	_, err := t.exec(`INSERT INTO test_clock (id, now) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET now = excluded.now`, micros(at))
	return err
}
