package storetest

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func createSessions(t *testing.T, st accord.Store, ss ...accord.Session) {
	t.Helper()
	write(t, st, func(tx accord.Tx) error {
		for _, s := range ss {
			if err := tx.CreateSession(s); err != nil {
				return err
			}
		}
		return nil
	})
}

// live says which of hashes a session lookup at the given time still finds.
func live(t *testing.T, st accord.Store, at time.Time, hashes ...string) []string {
	t.Helper()
	var found []string
	read(t, st, func(tx accord.Tx) error {
		for _, h := range hashes {
			_, err := tx.Session(h, at)
			if err == nil {
				found = append(found, h)
			} else if accord.ErrorCode(err) != accord.ENOTFOUND {
				return err
			}
		}
		return nil
	})
	return found
}

func hashesOf(ss []accord.Session) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Hash)
	}
	return out
}

func testUserSessions(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	now := T0
	web := func(hash string, u Fixture, created, expires time.Time) accord.Session {
		return accord.Session{Hash: hash, Kind: accord.SessionWeb, UserID: u.User.ID, WorkspaceID: u.Workspace.ID,
			CreatedAt: created, ExpiresAt: expires}
	}
	ss := []accord.Session{ // created out of time order
		web("a_old", a, now.Add(-3*time.Hour), now.Add(time.Hour)),
		web("a_new", a, now.Add(-time.Minute), now.Add(2*time.Hour)),
		web("a_mid", a, now.Add(-2*time.Hour), now.Add(time.Hour)),
		web("a_expired", a, now.Add(-time.Minute/2), now.Add(-time.Microsecond)),
		{Hash: "a_api", Kind: accord.SessionAPI, UserID: a.User.ID, WorkspaceID: a.Workspace.ID, CreatedAt: now.Add(-48 * time.Hour)},
		web("b_web", b, now.Add(-time.Hour), now.Add(time.Hour)),
		{Hash: "portal", Kind: accord.SessionPortal, WorkspaceID: a.Workspace.ID, EngagementID: "eng_x",
			Email: "ana@example.com", CreatedAt: now, ExpiresAt: now.Add(time.Hour)},
	}
	createSessions(t, st, ss...)
	list := func(user, kind string, at time.Time) []accord.Session {
		t.Helper()
		var got []accord.Session
		read(t, st, func(tx accord.Tx) (err error) {
			got, err = tx.Sessions(user, kind, at)
			return err
		})
		return got
	}
	cases := []struct {
		name, user, kind string
		at               time.Time
		want             []string
	}{
		{"web sessions, newest first, expired left out", a.User.ID, accord.SessionWeb, now, []string{"a_new", "a_mid", "a_old"}},
		{"later, only the longest-lived", a.User.ID, accord.SessionWeb, now.Add(90 * time.Minute), []string{"a_new"}},
		{"api tokens never expire", a.User.ID, accord.SessionAPI, now.AddDate(50, 0, 0), []string{"a_api"}},
		{"another user's", b.User.ID, accord.SessionWeb, now, []string{"b_web"}},
		{"no such kind for the user", b.User.ID, accord.SessionAPI, now, nil},
		{"portal sessions belong to no user", "", accord.SessionPortal, now, nil},
		{"unknown user", "usr_nobody", accord.SessionWeb, now, nil},
	}
	for _, c := range cases {
		got := list(c.user, c.kind, c.at)
		if !slices.Equal(hashesOf(got), c.want) {
			t.Errorf("%s: Sessions(%s, %s) = %v, want %v", c.name, c.user, c.kind, hashesOf(got), c.want)
		}
	}
	got, w := list(a.User.ID, accord.SessionAPI, now), ss[4]
	if len(got) != 1 || got[0].Hash != w.Hash || got[0].Kind != w.Kind || got[0].UserID != w.UserID ||
		got[0].WorkspaceID != w.WorkspaceID || !sameTime(got[0].CreatedAt, w.CreatedAt) || !got[0].ExpiresAt.IsZero() {
		t.Errorf("Sessions(api) = %+v, want %+v", got, w)
	}

	del := func(user, hash string) error {
		return st.Write(opCtx(t), func(tx accord.Tx) error { return tx.DeleteUserSession(user, hash) })
	}
	wantNotFound(t, del(b.User.ID, "a_old"), "session.not_found", "DeleteUserSession of another user's session")
	wantNotFound(t, del("", "portal"), "session.not_found", "DeleteUserSession with no user")
	wantNotFound(t, del(a.User.ID, "h_nope"), "session.not_found", "DeleteUserSession(unknown)")
	all := hashesOf(ss)
	if got := live(t, st, now.Add(-time.Hour), all...); !slices.Equal(got, all) {
		t.Errorf("after refused deletes, live sessions = %v, want all %v", got, all)
	}
	if err := del(a.User.ID, "a_mid"); err != nil {
		t.Fatalf("DeleteUserSession(a_mid): %v", err)
	}
	wantNotFound(t, del(a.User.ID, "a_mid"), "session.not_found", "DeleteUserSession a second time")
	if err := del(a.User.ID, "a_expired"); err != nil {
		t.Errorf("DeleteUserSession of an expired session: %v", err)
	}
	want := []string{"a_old", "a_new", "a_api", "b_web", "portal"}
	if got := live(t, st, now.Add(-time.Hour), all...); !slices.Equal(got, want) {
		t.Errorf("after deleting a_mid and a_expired, sessions = %v, want %v", got, want)
	}
}

func testDeleteUserSessions(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	now := T0
	s := func(hash, kind string, u Fixture, expires time.Time) accord.Session {
		return accord.Session{Hash: hash, Kind: kind, UserID: u.User.ID, WorkspaceID: u.Workspace.ID, CreatedAt: now, ExpiresAt: expires}
	}
	ss := []accord.Session{
		s("a_web1", accord.SessionWeb, a, now.Add(time.Hour)),
		s("a_web2", accord.SessionWeb, a, now.Add(time.Hour)),
		s("a_web_expired", accord.SessionWeb, a, now.Add(-time.Hour)),
		s("a_api", accord.SessionAPI, a, time.Time{}),
		s("b_web", accord.SessionWeb, b, now.Add(time.Hour)),
		{Hash: "portal", Kind: accord.SessionWeb, WorkspaceID: a.Workspace.ID, EngagementID: "eng_x",
			Email: "ana@example.com", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, // no user, even of kind web
	}
	createSessions(t, st, ss...)
	delAll := func(user, kind string) int {
		t.Helper()
		var n int
		write(t, st, func(tx accord.Tx) (err error) {
			n, err = tx.DeleteUserSessions(user, kind)
			return err
		})
		return n
	}
	if n := delAll(a.User.ID, accord.SessionWeb); n != 3 {
		t.Errorf("DeleteUserSessions(a, web) = %d, want 3 (the expired one too)", n)
	}
	if n := delAll(a.User.ID, accord.SessionWeb); n != 0 {
		t.Errorf("DeleteUserSessions(a, web) a second time = %d, want 0", n)
	}
	if n := delAll("", accord.SessionWeb); n != 0 {
		t.Errorf("DeleteUserSessions with no user = %d, want 0", n)
	}
	want := []string{"a_api", "b_web", "portal"}
	if got := live(t, st, now.Add(-2*time.Hour), hashesOf(ss)...); !slices.Equal(got, want) {
		t.Errorf("sessions left = %v, want %v", got, want)
	}
	if n := delAll(a.User.ID, accord.SessionAPI); n != 1 {
		t.Errorf("DeleteUserSessions(a, api) = %d, want 1", n)
	}
}

func testPruneExpired(t *testing.T, st accord.Store, raw *sql.DB) {
	f := NewFixture(t, st)
	now := T0
	s := func(hash string, expires time.Time) accord.Session {
		return accord.Session{Hash: hash, Kind: accord.SessionWeb, UserID: f.User.ID, WorkspaceID: f.Workspace.ID,
			CreatedAt: now.Add(-time.Hour), ExpiresAt: expires}
	}
	createSessions(t, st,
		s("s_expired", now.Add(-time.Microsecond)),
		s("s_at_now", now), // expires at now, not before it
		s("s_live", now.Add(time.Hour)),
		accord.Session{Hash: "s_api", Kind: accord.SessionAPI, UserID: f.User.ID, WorkspaceID: f.Workspace.ID,
			CreatedAt: now.AddDate(-10, 0, 0)},
		accord.Session{Hash: "s_portal_expired", Kind: accord.SessionPortal, WorkspaceID: f.Workspace.ID,
			EngagementID: "eng_x", Email: "ana@example.com", CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(-time.Second)},
	)
	createToken(t, st, f, "t_expired", now.Add(-time.Microsecond))
	createToken(t, st, f, "t_used_expired", now.Add(-time.Second))
	if _, err := spend(st, t, "t_used_expired", now.Add(-time.Minute)); err != nil {
		t.Fatalf("spend t_used_expired: %v", err)
	}
	// Two links for one engagement and contact: the older one goes once expired, the newest
	// stays, as the memory that the contact was invited.
	for i, hash := range []string{"t_old", "t_new"} {
		p := accord.PortalToken{Hash: hash, WorkspaceID: f.Workspace.ID, EngagementID: "eng_shared", Email: "ana@example.com",
			CreatedAt: now.Add(time.Duration(i-3) * time.Hour), ExpiresAt: now.Add(time.Duration(i-2) * time.Hour)}
		write(t, st, func(tx accord.Tx) error { return tx.CreatePortalToken(p) })
	}
	write(t, st, func(tx accord.Tx) error {
		if err := tx.PutFlash("fl_old", "", []byte("x"), now.Add(-time.Second)); err != nil {
			return err
		}
		return tx.PutFlash("fl_live", "", []byte("y"), now.Add(time.Minute))
	})
	createToken(t, st, f, "t_at_now", now)
	createToken(t, st, f, "t_live", now.Add(time.Hour))
	createToken(t, st, f, "t_used_live", now.Add(time.Hour))
	if _, err := spend(st, t, "t_used_live", now); err != nil {
		t.Fatalf("spend t_used_live: %v", err)
	}

	prune := func(at time.Time) int {
		t.Helper()
		var n int
		write(t, st, func(tx accord.Tx) (err error) {
			n, err = tx.PruneExpired(at)
			return err
		})
		return n
	}
	if n := prune(now); n != 4 {
		t.Errorf("PruneExpired = %d, want 4 (2 sessions, 1 superseded token, 1 flash)", n)
	}
	if got, want := rawHashes(t, raw, "sessions"), []string{"s_api", "s_at_now", "s_live"}; !slices.Equal(got, want) {
		t.Errorf("sessions after PruneExpired = %v, want %v", got, want)
	}
	wantTokens := []string{"t_at_now", "t_expired", "t_live", "t_new", "t_used_expired", "t_used_live"}
	if got := rawHashes(t, raw, "portal_tokens"); !slices.Equal(got, wantTokens) {
		t.Errorf("portal tokens after PruneExpired = %v, want %v", got, wantTokens)
	}
	write(t, st, func(tx accord.Tx) error {
		if _, err := tx.TakeFlash("fl_old", "", now.Add(-time.Hour)); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("a pruned flash: %v, want not found", err)
		}
		return nil
	})
	if n := prune(now); n != 0 {
		t.Errorf("PruneExpired a second time = %d, want 0", n)
	}
	if n := prune(now.AddDate(100, 0, 0)); n != 3 {
		t.Errorf("PruneExpired in a century = %d, want 3 (2 sessions, 1 flash; never the api token nor a contact's newest link)", n)
	}
	if got, want := rawHashes(t, raw, "sessions"), []string{"s_api"}; !slices.Equal(got, want) {
		t.Errorf("sessions after PruneExpired in a century = %v, want %v", got, want)
	}
	if got := rawHashes(t, raw, "portal_tokens"); !slices.Equal(got, wantTokens) {
		t.Errorf("portal tokens after PruneExpired in a century = %v, want %v", got, wantTokens)
	}
}

// rawHashes lists the hashes left in table, read past the store.
func rawHashes(t *testing.T, raw *sql.DB, table string) []string {
	t.Helper()
	rows, err := raw.QueryContext(opCtx(t), `SELECT hash FROM `+table+` ORDER BY hash`)
	if err != nil {
		t.Fatalf("list %s: %v", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func testInvitedEngagements(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	tok := func(hash string, f Fixture, eng, email string, created time.Time) accord.PortalToken {
		p := accord.PortalToken{Hash: hash, WorkspaceID: f.Workspace.ID, EngagementID: eng, Email: email,
			CreatedAt: created, ExpiresAt: created.Add(7 * 24 * time.Hour)}
		write(t, st, func(tx accord.Tx) error { return tx.CreatePortalToken(p) })
		return p
	}
	const ana = "ana@example.com"
	tok("e1_first", a, "eng_1", ana, T0.Add(-48*time.Hour))
	e1 := tok("e1_second", a, "eng_1", ana, T0.Add(-2*time.Hour))
	tok("e1_oldest", a, "eng_1", ana, T0.Add(-72*time.Hour)) // created last, yet the oldest
	e2 := tok("e2_only", b, "eng_2", ana, T0.Add(-time.Hour))
	tok("e3_other", a, "eng_3", "bor@example.bg", T0)
	e4 := tok("e4_spent", a, "eng_4", ana, T0.Add(-3*time.Hour))
	used, err := spend(st, t, "e4_spent", T0)
	if err != nil {
		t.Fatalf("spend e4: %v", err)
	}
	e4.UsedAt = used.UsedAt

	invited := func(email string) []accord.PortalToken {
		t.Helper()
		var got []accord.PortalToken
		read(t, st, func(tx accord.Tx) (err error) {
			got, err = tx.InvitedEngagements(email)
			return err
		})
		return got
	}
	got := invited(ana)
	want := []accord.PortalToken{e2, e1, e4} // newest first, across workspaces
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		g, w := got[i], want[i]
		ok = g.Hash == w.Hash && g.WorkspaceID == w.WorkspaceID && g.EngagementID == w.EngagementID && g.Email == w.Email &&
			sameTime(g.CreatedAt, w.CreatedAt) && sameTime(g.ExpiresAt, w.ExpiresAt) && sameTime(g.UsedAt, w.UsedAt)
	}
	if !ok {
		t.Errorf("InvitedEngagements(%s) = %+v\nwant %+v", ana, got, want)
	}
	if got := invited("bor@example.bg"); len(got) != 1 || got[0].Hash != "e3_other" {
		t.Errorf("InvitedEngagements(bor) = %+v, want only e3_other", got)
	}
	if got := invited("nobody@example.com"); len(got) != 0 {
		t.Errorf("InvitedEngagements(nobody) = %+v, want none", got)
	}
}

// A session resolves to who it acts as in one query: a freelancer's to the user and the
// workspace's zone and response days, a contact's to the language they chose (else their
// client's) and the client's zone, as ContactPlace gives for any contact. A session of the other kind, an expired one, and a portal
// session whose engagement is in another workspace are not found.
func testSessionsResolve(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	e := newEngagement(t, st, a, "Logo", T0)
	now := T0.Add(time.Hour)
	w := a.Workspace
	w.Timezone, w.ResponseDays = "Europe/Sofia", 4
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(w) })
	createSessions(t, st,
		accord.Session{Hash: "web", Kind: accord.SessionWeb, UserID: a.User.ID, WorkspaceID: w.ID, CreatedAt: T0},
		accord.Session{Hash: "api", Kind: accord.SessionAPI, UserID: a.User.ID, WorkspaceID: w.ID, CreatedAt: T0, Hint: "ab12", Label: "CI"},
		accord.Session{Hash: "web_old", Kind: accord.SessionWeb, UserID: a.User.ID, WorkspaceID: w.ID, CreatedAt: T0, ExpiresAt: now},
		accord.Session{Hash: "client", Kind: accord.SessionPortal, WorkspaceID: w.ID, EngagementID: e.ID, Email: a.Client.Email, CreatedAt: T0},
		accord.Session{Hash: "chose_ru", Kind: accord.SessionPortal, WorkspaceID: w.ID, EngagementID: e.ID, Email: "ivan@client.example", CreatedAt: T0},
		accord.Session{Hash: "portal_old", Kind: accord.SessionPortal, WorkspaceID: w.ID, EngagementID: e.ID, Email: a.Client.Email, CreatedAt: T0, ExpiresAt: now},
		accord.Session{Hash: "elsewhere", Kind: accord.SessionPortal, WorkspaceID: b.Workspace.ID, EngagementID: e.ID, Email: a.Client.Email, CreatedAt: T0},
	)
	write(t, st, func(tx accord.Tx) error { return tx.SetContactLanguage(w.ID, "ivan@client.example", "ru") })
	read(t, st, func(tx accord.Tx) error {
		for _, h := range []string{"web", "api"} {
			fs, err := tx.FreelancerSession(h, now)
			if err != nil {
				return err
			}
			if fs.Hash != h || fs.User.ID != a.User.ID || fs.User.Email != a.User.Email || fs.User.Name != a.User.Name ||
				fs.WorkspaceID != w.ID || fs.Timezone != "Europe/Sofia" || fs.ResponseDays != 4 || !fs.CreatedAt.Equal(T0.Truncate(time.Microsecond)) {
				t.Errorf("freelancer session %s: %+v", h, fs)
			}
		}
		if fs, _ := tx.FreelancerSession("api", now); fs.Hint != "ab12" || fs.Label != "CI" {
			t.Errorf("the API token's hint and label: %q %q", fs.Hint, fs.Label)
		}
		for h, lang := range map[string]string{"client": a.Client.Language, "chose_ru": "ru"} {
			cs, err := tx.ContactSession(h, now)
			if err != nil {
				return err
			}
			if cs.EngagementID != e.ID || cs.WorkspaceID != w.ID || cs.Language != lang || cs.Timezone != a.Client.Timezone {
				t.Errorf("contact session %s: %+v; want language %s, zone %s", h, cs, lang, a.Client.Timezone)
			}
		}
		for email, lang := range map[string]string{a.Client.Email: a.Client.Language, "ivan@client.example": "ru", "new@client.example": a.Client.Language} {
			if p, err := tx.ContactPlace(w.ID, e.ID, email); err != nil || p.Language != lang || p.Timezone != a.Client.Timezone {
				t.Errorf("ContactPlace(%s) = %+v, %v; want language %s, zone %s", email, p, err, lang, a.Client.Timezone)
			}
		}
		if _, err := tx.ContactPlace(b.Workspace.ID, e.ID, a.Client.Email); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("ContactPlace of another workspace's engagement: %v; want not found", err)
		}
		for _, h := range []string{"web_old", "client", "chose_ru", "nothing"} {
			if _, err := tx.FreelancerSession(h, now); accord.ErrorCode(err) != accord.ENOTFOUND {
				t.Errorf("FreelancerSession(%s): %v; want not found", h, err)
			}
		}
		for _, h := range []string{"portal_old", "elsewhere", "web", "api", "nothing"} {
			if _, err := tx.ContactSession(h, now); accord.ErrorCode(err) != accord.ENOTFOUND {
				t.Errorf("ContactSession(%s): %v; want not found", h, err)
			}
		}
		return nil
	})
}
