package storetest

import (
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func testUsers(t *testing.T, st accord.Store, _ *sql.DB) {
	// A time in another zone with nanoseconds: it comes back in UTC, to the microsecond.
	at := time.Date(2030, 3, 1, 12, 30, 45, 987654321, time.FixedZone("EET", 2*3600))
	users := []accord.User{
		{ID: "usr_ana", Email: "ana@example.com", Name: "Ana Petrova", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$YQ$Yg", Language: "bg", CreatedAt: at},
		{ID: "usr_boris", Email: "boris@example.com", Name: "Борис «Б» Ivanov", PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$Yw$ZA", CreatedAt: T0},
	}
	read(t, st, func(tx accord.Tx) error {
		n, err := tx.CountUsers()
		if err == nil && n != 0 {
			t.Errorf("CountUsers on an empty store = %d, want 0", n)
		}
		return err
	})
	write(t, st, func(tx accord.Tx) error {
		for _, u := range users {
			if err := tx.CreateUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	check := func(what string, got, want accord.User) {
		t.Helper()
		if got.ID != want.ID || got.Email != want.Email || got.Name != want.Name || got.PasswordHash != want.PasswordHash ||
			got.Language != want.Language {
			t.Errorf("%s = %+v, want %+v", what, got, want)
		}
		if !sameTime(got.CreatedAt, want.CreatedAt) {
			t.Errorf("%s: CreatedAt = %v (%v), want %v in UTC", what, got.CreatedAt, got.CreatedAt.Location(), micro(want.CreatedAt))
		}
	}
	read(t, st, func(tx accord.Tx) error {
		for _, u := range users {
			got, err := tx.UserByEmail(u.Email)
			if err != nil {
				t.Errorf("UserByEmail(%s): %v", u.Email, err)
			}
			check("UserByEmail("+u.Email+")", got, u)
			got, err = tx.UserByID(u.ID)
			if err != nil {
				t.Errorf("UserByID(%s): %v", u.ID, err)
			}
			check("UserByID("+u.ID+")", got, u)
		}
		n, err := tx.CountUsers()
		if err != nil || n != len(users) {
			t.Errorf("CountUsers = %d, %v; want %d", n, err, len(users))
		}
		_, err = tx.UserByEmail("nobody@example.com")
		wantCode(t, err, accord.ENOTFOUND, "UserByEmail(unknown)")
		_, err = tx.UserByID("usr_nobody")
		wantCode(t, err, accord.ENOTFOUND, "UserByID(unknown)")
		return nil
	})

	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		return tx.CreateUser(accord.User{ID: "usr_other", Email: "ana@example.com", Name: "Impostor", PasswordHash: "x", CreatedAt: T0})
	})
	wantCode(t, err, accord.ECONFLICT, "CreateUser with a taken email")
	read(t, st, func(tx accord.Tx) error {
		if n, err := tx.CountUsers(); err != nil || n != len(users) {
			t.Errorf("CountUsers after the refused duplicate = %d, %v; want %d", n, err, len(users))
		}
		if _, err := tx.UserByID("usr_other"); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("the refused duplicate was stored (UserByID: %v)", err)
		}
		got, err := tx.UserByEmail("ana@example.com")
		if err != nil || got.ID != "usr_ana" {
			t.Errorf("UserByEmail(ana) after the duplicate = %+v, %v; want usr_ana", got, err)
		}
		return nil
	})
}

func testWorkspaces(t *testing.T, st accord.Store, _ *sql.DB) {
	owner := accord.User{ID: "usr_owner", Email: "owner@example.com", Name: "Owner", PasswordHash: "h", CreatedAt: T0}
	wss := []accord.Workspace{
		{ID: "ws_default", Name: "Studio Ana", OwnerID: owner.ID, CoolingOff: accord.DefaultCoolingOff, Timezone: "UTC", CreatedAt: T0},
		{ID: "ws_short", Name: "Квартира «7»", OwnerID: owner.ID, CoolingOff: 90 * time.Second, Timezone: "Europe/Sofia",
			PaymentDetails: "IBAN BG80 BNBG 9661 1020 3456 78\nRef: «invoice»",
			CreatedAt:      time.Date(2029, 12, 31, 23, 59, 59, 999999999, time.FixedZone("X", -5*3600))},
		{ID: "ws_none", Name: "No hold", OwnerID: owner.ID, CoolingOff: 0, CreatedAt: T0.Add(time.Hour)},
		{ID: "ws_long", Name: "Long hold", OwnerID: owner.ID, CoolingOff: 72 * time.Hour, CreatedAt: T0},
	}
	write(t, st, func(tx accord.Tx) error {
		if err := tx.CreateUser(owner); err != nil {
			return err
		}
		for _, w := range wss {
			if err := tx.CreateWorkspace(w); err != nil {
				return err
			}
		}
		return nil
	})
	read(t, st, func(tx accord.Tx) error {
		for _, w := range wss {
			got, err := tx.Workspace(w.ID)
			if err != nil {
				t.Errorf("Workspace(%s): %v", w.ID, err)
				continue
			}
			if got.ID != w.ID || got.Name != w.Name || got.OwnerID != w.OwnerID || got.CoolingOff != w.CoolingOff ||
				got.Timezone != w.Timezone || got.PaymentDetails != w.PaymentDetails {
				t.Errorf("Workspace(%s) = %+v, want %+v", w.ID, got, w)
			}
			if !sameTime(got.CreatedAt, w.CreatedAt) {
				t.Errorf("Workspace(%s).CreatedAt = %v, want %v", w.ID, got.CreatedAt, micro(w.CreatedAt))
			}
		}
		_, err := tx.Workspace("ws_nowhere")
		wantCode(t, err, accord.ENOTFOUND, "Workspace(unknown)")
		return nil
	})
}

func testSessions(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	now := T0
	sessions := []accord.Session{
		{Hash: "h_web", Kind: accord.SessionWeb, UserID: f.User.ID, WorkspaceID: f.Workspace.ID,
			CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)},
		{Hash: "h_api", Kind: accord.SessionAPI, UserID: f.User.ID, WorkspaceID: f.Workspace.ID,
			CreatedAt: now.Add(-24 * time.Hour)}, // ExpiresAt zero: never expires
		{Hash: "h_portal", Kind: accord.SessionPortal, WorkspaceID: f.Workspace.ID, EngagementID: "eng_x",
			Email: "ana@example.com", CreatedAt: now.Add(-time.Minute), ExpiresAt: now.Add(30 * 24 * time.Hour)},
		{Hash: "h_expired", Kind: accord.SessionWeb, UserID: f.User.ID, WorkspaceID: f.Workspace.ID,
			CreatedAt: now.Add(-48 * time.Hour), ExpiresAt: now.Add(-time.Microsecond)},
	}
	write(t, st, func(tx accord.Tx) error {
		for _, s := range sessions {
			if err := tx.CreateSession(s); err != nil {
				return err
			}
		}
		return nil
	})
	find := func(hash string, at time.Time) (accord.Session, error) {
		var s accord.Session
		err := st.Read(opCtx(t), func(tx accord.Tx) error {
			var err error
			s, err = tx.Session(hash, at)
			return err
		})
		return s, err
	}
	cases := []struct {
		name  string
		hash  string
		at    time.Time
		found bool
	}{
		{"web session before it expires", "h_web", now, true},
		{"web session after it expired", "h_web", now.Add(2 * time.Hour), false},
		{"api session, no expiry, now", "h_api", now, true},
		{"api session, no expiry, in a century", "h_api", now.AddDate(100, 0, 0), true},
		{"portal session", "h_portal", now, true},
		{"session that expired just before now", "h_expired", now, false},
		{"unknown hash", "h_nope", now, false},
	}
	byHash := map[string]accord.Session{}
	for _, s := range sessions {
		byHash[s.Hash] = s
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := find(c.hash, c.at)
			if !c.found {
				wantCode(t, err, accord.ENOTFOUND, "Session("+c.hash+")")
				return
			}
			if err != nil {
				t.Fatalf("Session(%s): %v", c.hash, err)
			}
			want := byHash[c.hash]
			if got.Hash != want.Hash || got.Kind != want.Kind || got.UserID != want.UserID ||
				got.WorkspaceID != want.WorkspaceID || got.EngagementID != want.EngagementID || got.Email != want.Email {
				t.Errorf("Session(%s) = %+v, want %+v", c.hash, got, want)
			}
			if !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.ExpiresAt, want.ExpiresAt) {
				t.Errorf("Session(%s) times = %v, %v; want %v, %v", c.hash, got.CreatedAt, got.ExpiresAt,
					micro(want.CreatedAt), micro(want.ExpiresAt))
			}
		})
	}

	write(t, st, func(tx accord.Tx) error { return tx.DeleteSession("h_web") })
	_, err := find("h_web", now)
	wantCode(t, err, accord.ENOTFOUND, "Session after DeleteSession")
	if _, err := find("h_api", now); err != nil {
		t.Errorf("DeleteSession(h_web) took another session with it: %v", err)
	}
}

func createToken(t *testing.T, st accord.Store, f Fixture, hash string, expires time.Time) accord.PortalToken {
	t.Helper()
	p := accord.PortalToken{Hash: hash, WorkspaceID: f.Workspace.ID, EngagementID: "eng_" + hash,
		Email: "ana@example.com", CreatedAt: T0.Add(-time.Hour), ExpiresAt: expires}
	write(t, st, func(tx accord.Tx) error { return tx.CreatePortalToken(p) })
	return p
}

func spend(st accord.Store, t *testing.T, hash string, now time.Time) (accord.PortalToken, error) {
	var p accord.PortalToken
	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		var err error
		p, err = tx.SpendPortalToken(hash, now)
		return err
	})
	return p, err
}

func testPortalTokens(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	now := T0
	want := createToken(t, st, f, "tok_live", now.Add(7*24*time.Hour))
	createToken(t, st, f, "tok_expired", now.Add(-time.Second))

	got, err := spend(st, t, "tok_live", now)
	if err != nil {
		t.Fatalf("first SpendPortalToken: %v", err)
	}
	if got.Hash != want.Hash || got.WorkspaceID != want.WorkspaceID || got.EngagementID != want.EngagementID ||
		got.Email != want.Email || !sameTime(got.CreatedAt, want.CreatedAt) || !sameTime(got.ExpiresAt, want.ExpiresAt) ||
		!sameTime(got.UsedAt, now) {
		t.Errorf("SpendPortalToken = %+v, want %+v used at %v", got, want, micro(now))
	}
	cases := []struct{ name, hash string }{
		{"spent a second time", "tok_live"},
		{"expired", "tok_expired"},
		{"unknown", "tok_unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := spend(st, t, c.hash, now.Add(time.Minute))
			wantCode(t, err, accord.EUNAUTHORIZED, "SpendPortalToken("+c.hash+")")
		})
	}
}

func testPortalTokenRace(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	const rounds, racers = 10, 2
	for r := range rounds {
		hash := accord.NewID("tok")
		createToken(t, st, f, hash, T0.Add(time.Hour))
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, racers)
		)
		for i := range racers {
			wg.Go(func() {
				<-start
				_, errs[i] = spend(st, t, hash, T0)
			})
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case accord.ErrorCode(err) != accord.EUNAUTHORIZED:
				t.Errorf("round %d: a losing spend failed with %v, want %s", r, err, accord.EUNAUTHORIZED)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of %d concurrent spends of one token succeeded, want exactly 1 (errors %v)", r, ok, racers, errs)
		}
	}
}

func testClients(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st) // each comes with a client named Ana
	at := time.Date(2030, 1, 2, 3, 4, 5, 6007008, time.FixedZone("MSK", 3*3600))
	more := []accord.Client{ // inserted out of name order
		{ID: "cli_chen", WorkspaceID: a.Workspace.ID, Name: "Chen", Email: "chen@example.com", Language: "en", Timezone: "Asia/Shanghai", CreatedAt: at},
		{ID: "cli_bor", WorkspaceID: a.Workspace.ID, Name: "Borislava", Email: "bor@example.bg", Language: "bg", Timezone: "Europe/Sofia", CreatedAt: T0},
		{ID: "cli_dmitri", WorkspaceID: b.Workspace.ID, Name: "Dmitri", Email: "d@example.ru", Language: "ru", Timezone: "Europe/Moscow", CreatedAt: T0},
	}
	write(t, st, func(tx accord.Tx) error {
		for _, c := range more {
			if err := tx.CreateClient(c); err != nil {
				return err
			}
		}
		return nil
	})
	same := func(got, want accord.Client) bool {
		return got.ID == want.ID && got.WorkspaceID == want.WorkspaceID && got.Name == want.Name && got.Email == want.Email &&
			got.Language == want.Language && got.Timezone == want.Timezone && sameTime(got.CreatedAt, want.CreatedAt)
	}
	read(t, st, func(tx accord.Tx) error {
		for _, want := range append([]accord.Client{a.Client, b.Client}, more...) {
			got, err := tx.Client(want.WorkspaceID, want.ID)
			if err != nil || !same(got, want) {
				t.Errorf("Client(%s, %s) = %+v, %v; want %+v", want.WorkspaceID, want.ID, got, err, want)
			}
		}
		_, err := tx.Client(b.Workspace.ID, "cli_chen")
		wantCode(t, err, accord.ENOTFOUND, "Client of another workspace")
		_, err = tx.Client(a.Workspace.ID, "cli_nobody")
		wantCode(t, err, accord.ENOTFOUND, "Client(unknown)")

		lists := []struct {
			ws   string
			want []accord.Client
		}{
			{a.Workspace.ID, []accord.Client{a.Client, more[1], more[0]}}, // Ana, Borislava, Chen
			{b.Workspace.ID, []accord.Client{b.Client, more[2]}},          // Ana, Dmitri
			{"ws_empty", nil},
		}
		for _, l := range lists {
			got, err := tx.Clients(l.ws)
			if err != nil {
				t.Errorf("Clients(%s): %v", l.ws, err)
				continue
			}
			ok := len(got) == len(l.want)
			for i := 0; ok && i < len(got); i++ {
				ok = same(got[i], l.want[i])
			}
			if !ok {
				t.Errorf("Clients(%s) = %+v\nwant %+v", l.ws, got, l.want)
			}
		}
		return nil
	})
}
