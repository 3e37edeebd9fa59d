package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// A flash is read once, by its owner only, and not after it expires.
func testFlashes(t *testing.T, st accord.Store, _ *sql.DB) {
	now := T0
	write(t, st, func(tx accord.Tx) error {
		for _, f := range []struct {
			id, owner string
			expires   time.Time
		}{{"fl_a", "owner_a", now.Add(time.Minute)}, {"fl_b", "", now.Add(time.Minute)}, {"fl_c", "owner_a", now}} {
			if err := tx.PutFlash(f.id, f.owner, []byte("body of "+f.id), f.expires); err != nil {
				return err
			}
		}
		return nil
	})
	take := func(id, owner string) ([]byte, error) {
		var b []byte
		err := st.Write(opCtx(t), func(tx accord.Tx) error {
			var err error
			b, err = tx.TakeFlash(id, owner, now)
			return err
		})
		return b, err
	}
	if _, err := take("fl_a", "owner_b"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("another owner's flash: %v, want not found", err)
	}
	if b, err := take("fl_a", "owner_a"); err != nil || string(b) != "body of fl_a" {
		t.Errorf("the owner's flash: %q, %v", b, err)
	}
	if _, err := take("fl_a", "owner_a"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("a flash read twice: %v, want not found the second time", err)
	}
	if b, err := take("fl_b", ""); err != nil || string(b) != "body of fl_b" {
		t.Errorf("a flash with no owner: %q, %v", b, err)
	}
	if _, err := take("fl_c", "owner_a"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an expired flash: %v, want not found", err)
	}
}

// A link token can be looked up, spent or not, without spending it.
func testPortalTokenLookup(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	p := createToken(t, st, f, "t_look", T0.Add(time.Hour))
	read := func(hash string) (accord.PortalToken, error) {
		var got accord.PortalToken
		err := st.Read(opCtx(t), func(tx accord.Tx) error {
			var err error
			got, err = tx.PortalToken(hash)
			return err
		})
		return got, err
	}
	if got, err := read("t_look"); err != nil || got.EngagementID != p.EngagementID || got.Email != p.Email {
		t.Fatalf("lookup: %+v, %v", got, err)
	}
	if _, err := spend(st, t, "t_look", T0); err != nil {
		t.Fatalf("the lookup spent the token: %v", err)
	}
	if got, err := read("t_look"); err != nil || got.UsedAt.IsZero() {
		t.Errorf("a spent token: %+v, %v, want it found and marked used", got, err)
	}
	if _, err := read("t_nothing"); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Errorf("an unknown token: %v, want not found", err)
	}
}

// The test clock's time is kept: zero until set, then the last time set.
func testClockTime(t *testing.T, st accord.Store, _ *sql.DB) {
	get := func() time.Time {
		var at time.Time
		read(t, st, func(tx accord.Tx) (err error) {
			at, err = tx.ClockTime()
			return err
		})
		return at
	}
	if at := get(); !at.IsZero() {
		t.Fatalf("a new store's clock reads %v", at)
	}
	for _, at := range []time.Time{T0.Truncate(time.Microsecond), T0.Add(72 * time.Hour).Truncate(time.Microsecond)} { // times are kept to the microsecond
		write(t, st, func(tx accord.Tx) error { return tx.SetClockTime(at) })
		if got := get(); !got.Equal(at) {
			t.Errorf("clock = %v, want %v", got, at)
		}
	}
}

// A session keeps its hint and label, for the tokens page.
func testSessionHints(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	write(t, st, func(tx accord.Tx) error {
		return tx.CreateSession(accord.Session{Hash: "h_hint", Kind: accord.SessionAPI, UserID: f.User.ID,
			WorkspaceID: f.Workspace.ID, CreatedAt: T0, Hint: "WXYZ", Label: "Скрипт для счетов"})
	})
	var ss []accord.Session
	read(t, st, func(tx accord.Tx) (err error) {
		ss, err = tx.Sessions(f.User.ID, accord.SessionAPI, T0)
		return err
	})
	for _, s := range ss {
		if s.Hash == "h_hint" {
			if s.Hint != "WXYZ" || s.Label != "Скрипт для счетов" {
				t.Errorf("hint %q, label %q", s.Hint, s.Label)
			}
			return
		}
	}
	t.Errorf("the session is not listed: %v", ss)
}

// A workspace keeps its response time and the notifications turned off.
func testWorkspaceNotices(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	w := f.Workspace
	w.ResponseDays, w.Muted = 5, []string{accord.NotifyClientMessage, accord.NotifyBriefAnswered}
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(w) })
	var got accord.Workspace
	read(t, st, func(tx accord.Tx) (err error) {
		got, err = tx.Workspace(w.ID)
		return err
	})
	if got.ResponseDays != 5 || len(got.Muted) != 2 || got.Notifies(accord.NotifyClientMessage) || !got.Notifies(accord.NotifyDeliveryAccepted) {
		t.Errorf("read back: %d days, muted %v", got.ResponseDays, got.Muted)
	}
	w.Muted = nil
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(w) })
	read(t, st, func(tx accord.Tx) (err error) {
		got, err = tx.Workspace(w.ID)
		return err
	})
	if len(got.Muted) != 0 {
		t.Errorf("after unmuting: %v", got.Muted)
	}
}
