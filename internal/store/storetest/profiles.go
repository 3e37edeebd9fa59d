package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func testUpdateUser(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	changed := a.User
	changed.Name, changed.Language = "Ана «Петрова»", "ru"
	// Only name and language are saved: the rest of the struct must not reach the row.
	changed.Email, changed.PasswordHash, changed.CreatedAt = "taken@example.com", "x", T0.Add(time.Hour)
	write(t, st, func(tx accord.Tx) error { return tx.UpdateUser(changed) })
	want := a.User
	want.Name, want.Language = changed.Name, changed.Language
	check := func(what string, want accord.User) {
		t.Helper()
		read(t, st, func(tx accord.Tx) error {
			got, err := tx.UserByID(want.ID)
			if err != nil || got.Name != want.Name || got.Language != want.Language || got.Email != want.Email ||
				got.PasswordHash != want.PasswordHash || !sameTime(got.CreatedAt, want.CreatedAt) {
				t.Errorf("%s: UserByID = %+v, %v; want %+v", what, got, err, want)
			}
			return nil
		})
	}
	check("updated user", want)
	check("other user", b.User)

	changed.Language = ""
	write(t, st, func(tx accord.Tx) error { return tx.UpdateUser(changed) })
	want.Language = ""
	check("language cleared", want)

	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		return tx.UpdateUser(accord.User{ID: "usr_nobody", Name: "Ghost", Language: "en"})
	})
	wantNotFound(t, err, "user.not_found", "UpdateUser(unknown)")
}

func testUpdateWorkspace(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	changed := a.Workspace
	changed.Name, changed.CoolingOff, changed.Timezone = "Студия «А»", 45*time.Minute, "America/New_York"
	changed.PaymentDetails = "IBAN DE89 3704 0044 0532 0130 00\nReference: the milestone title"
	changed.OwnerID, changed.CreatedAt = b.User.ID, T0.Add(time.Hour) // not saved
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(changed) })
	want := a.Workspace
	want.Name, want.CoolingOff, want.Timezone, want.PaymentDetails = changed.Name, changed.CoolingOff, changed.Timezone, changed.PaymentDetails
	check := func(what string, want accord.Workspace) {
		t.Helper()
		read(t, st, func(tx accord.Tx) error {
			got, err := tx.Workspace(want.ID)
			if err != nil || got.Name != want.Name || got.OwnerID != want.OwnerID || got.CoolingOff != want.CoolingOff ||
				got.Timezone != want.Timezone || got.PaymentDetails != want.PaymentDetails || !sameTime(got.CreatedAt, want.CreatedAt) {
				t.Errorf("%s: Workspace = %+v, %v; want %+v", what, got, err, want)
			}
			return nil
		})
	}
	check("updated workspace", want)
	check("other workspace", b.Workspace)

	changed.CoolingOff, changed.PaymentDetails = 0, ""
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(changed) })
	want.CoolingOff, want.PaymentDetails = 0, ""
	check("cooling-off and payment details cleared", want)

	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		return tx.UpdateWorkspace(accord.Workspace{ID: "ws_nowhere", Name: "X", Timezone: "UTC"})
	})
	wantNotFound(t, err, "workspace.not_found", "UpdateWorkspace(unknown)")
}

func testUpdateClient(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	changed := a.Client
	changed.Name, changed.Email, changed.Language, changed.Timezone = "Ана Иванова", "ana.i@example.bg", "bg", "Europe/Sofia"
	changed.CreatedAt = T0.Add(time.Hour) // not saved
	write(t, st, func(tx accord.Tx) error { return tx.UpdateClient(changed) })
	want := a.Client
	want.Name, want.Email, want.Language, want.Timezone = changed.Name, changed.Email, changed.Language, changed.Timezone
	check := func(what string, want accord.Client) {
		t.Helper()
		read(t, st, func(tx accord.Tx) error {
			got, err := tx.Client(want.WorkspaceID, want.ID)
			if err != nil || got.Name != want.Name || got.Email != want.Email || got.Language != want.Language ||
				got.Timezone != want.Timezone || !sameTime(got.CreatedAt, want.CreatedAt) {
				t.Errorf("%s: Client = %+v, %v; want %+v", what, got, err, want)
			}
			return nil
		})
	}
	check("updated client", want)
	check("other workspace's client", b.Client)

	// Through the other workspace, a's client is not found and stays as it is.
	through := changed
	through.WorkspaceID, through.Name = b.Workspace.ID, "Hijacked"
	err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.UpdateClient(through) })
	wantNotFound(t, err, "client.not_found", "UpdateClient through another workspace")
	check("client after an update through another workspace", want)

	err = st.Write(opCtx(t), func(tx accord.Tx) error {
		return tx.UpdateClient(accord.Client{ID: "cli_nobody", WorkspaceID: a.Workspace.ID, Name: "X"})
	})
	wantNotFound(t, err, "client.not_found", "UpdateClient(unknown)")
}

func testContactLanguage(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	const email = "ana@example.com" // a contact of both workspaces
	lang := func(ws, email string) string {
		t.Helper()
		var l string
		read(t, st, func(tx accord.Tx) (err error) {
			l, err = tx.ContactLanguage(ws, email)
			return err
		})
		return l
	}
	set := func(ws, email, l string) {
		t.Helper()
		write(t, st, func(tx accord.Tx) error { return tx.SetContactLanguage(ws, email, l) })
	}
	if got := lang(a.Workspace.ID, email); got != "" {
		t.Errorf("ContactLanguage before any choice = %q, want empty", got)
	}
	set(a.Workspace.ID, email, "ru")
	set(a.Workspace.ID, "bor@example.bg", "bg")
	set(a.Workspace.ID, email, "bg") // a second choice replaces the first
	set(b.Workspace.ID, email, "en")
	cases := []struct{ ws, email, want string }{
		{a.Workspace.ID, email, "bg"},
		{a.Workspace.ID, "bor@example.bg", "bg"},
		{b.Workspace.ID, email, "en"},
		{b.Workspace.ID, "bor@example.bg", ""},
		{a.Workspace.ID, "nobody@example.com", ""},
		{"ws_nowhere", email, ""},
	}
	for _, c := range cases {
		if got := lang(c.ws, c.email); got != c.want {
			t.Errorf("ContactLanguage(%s, %s) = %q, want %q", c.ws, c.email, got, c.want)
		}
	}
}

// testColumnDefaults inserts rows as the first schema would have, without the columns added
// later, and reads them back through the store: what a row written before the upgrade becomes.
func testColumnDefaults(t *testing.T, st accord.Store, raw *sql.DB) {
	for _, q := range []string{
		`INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('usr_old', 'old@example.com', 'Old', 'h', 1)`,
		`INSERT INTO workspaces (id, name, owner_id, cooling_off_seconds, created_at) VALUES ('ws_old', 'Old', 'usr_old', 60, 1)`,
		`INSERT INTO outbox (id, workspace_id, engagement_id, recipient, subject, body, at) VALUES ('mail_old', 'ws_old', '', 'a@example.com', 'S', 'B', 1)`,
	} {
		if _, err := raw.ExecContext(opCtx(t), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	read(t, st, func(tx accord.Tx) error {
		u, err := tx.UserByID("usr_old")
		if err != nil || u.Language != "" {
			t.Errorf("old user = %+v, %v; want Language empty", u, err)
		}
		w, err := tx.Workspace("ws_old")
		if err != nil || w.Timezone != "UTC" || w.PaymentDetails != "" {
			t.Errorf("old workspace = %+v, %v; want Timezone UTC, no payment details", w, err)
		}
		ms, err := tx.Outbox("ws_old")
		if err != nil || len(ms) != 1 || ms[0].State != accord.MailQueued || ms[0].Kind != "" || ms[0].Error != "" || !ms[0].SentAt.IsZero() {
			t.Errorf("old outbox = %+v, %v; want one queued mail, no kind, error or sent time", ms, err)
		}
		return nil
	})
}

func testRedFlags(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	flags := []accord.RedFlag{{Code: "card_details", FoundIn: "message", At: T0, EngagementID: "eng_1"}, {Code: "pressure", FoundIn: "manual", At: T0.Add(time.Minute)}}
	write(t, st, func(tx accord.Tx) error { return tx.SetRedFlags(a.Workspace.ID, a.Client.ID, flags) })
	read(t, st, func(tx accord.Tx) error {
		got, err := tx.Client(a.Workspace.ID, a.Client.ID)
		if err != nil || len(got.RedFlags) != 2 || got.RedFlags[0].Code != "card_details" || got.RedFlags[0].EngagementID != "eng_1" ||
			!sameTime(got.RedFlags[1].At, flags[1].At) || got.Trust() != "caution" {
			t.Errorf("red flags read back as %+v, %v", got.RedFlags, err)
		}
		other, err := tx.Client(b.Workspace.ID, b.Client.ID)
		if err != nil || len(other.RedFlags) != 0 || other.Trust() != "new" {
			t.Errorf("another client has %+v, %v", other.RedFlags, err)
		}
		return nil
	})
	err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SetRedFlags(b.Workspace.ID, a.Client.ID, flags) })
	wantNotFound(t, err, "client.not_found", "SetRedFlags through another workspace")

	// Trust with its reason, and the workspace's policy, read back as saved.
	write(t, st, func(tx accord.Tx) error {
		return tx.SetClientTrust(b.Workspace.ID, b.Client.ID, "Five years of paid invoices")
	})
	err = st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SetClientTrust(b.Workspace.ID, a.Client.ID, "x") })
	wantNotFound(t, err, "client.not_found", "SetClientTrust through another workspace")
	ws := b.Workspace
	ws.MinPrepayment = 20
	write(t, st, func(tx accord.Tx) error { return tx.UpdateWorkspace(ws) })
	read(t, st, func(tx accord.Tx) error {
		c, err := tx.Client(b.Workspace.ID, b.Client.ID)
		if err != nil || c.TrustedReason != "Five years of paid invoices" || c.Trust() != "trusted" {
			t.Errorf("trust read back as %q (%s), %v", c.TrustedReason, c.Trust(), err)
		}
		got, err := tx.Workspace(ws.ID)
		if err != nil || got.MinPrepayment != 20 {
			t.Errorf("the policy read back as %d, %v", got.MinPrepayment, err)
		}
		return nil
	})
}
