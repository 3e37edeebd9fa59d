// Package storetest is the contract every accord.Store must keep, run against real databases:
// the SQLite and PostgreSQL packages each call Run with an opener of their own.
package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// Opener opens a fresh, empty store for one test, and a raw pool on the same database
// (for statements the store would never run). The opener closes both in t.Cleanup.
type Opener func(t *testing.T) (accord.Store, *sql.DB)

// Run runs the whole contract; every subtest opens its own fresh store.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st accord.Store, raw *sql.DB)
	}{
		{"Users", testUsers},
		{"Workspaces", testWorkspaces},
		{"Sessions", testSessions},
		{"PortalTokens", testPortalTokens},
		{"PortalTokenRace", testPortalTokenRace},
		{"Clients", testClients},
		{"Engagement", testEngagement},
		{"Engagements", testEngagements},
		{"AppendOnly", testAppendOnly},
		{"OptimisticGuard", testOptimisticGuard},
		{"Rollback", testRollback},
		{"Messages", testMessages},
		{"Outbox", testOutbox},
		{"UpdateUser", testUpdateUser},
		{"UpdateWorkspace", testUpdateWorkspace},
		{"UpdateClient", testUpdateClient},
		{"ContactLanguage", testContactLanguage},
		{"ColumnDefaults", testColumnDefaults},
		{"UserSessions", testUserSessions},
		{"DeleteUserSessions", testDeleteUserSessions},
		{"PruneExpired", testPruneExpired},
		{"Flashes", testFlashes},
		{"FoldVersions", testFoldVersions},
		{"ClockTime", testClockTime},
		{"SessionHints", testSessionHints},
		{"WorkspaceNotices", testWorkspaceNotices},
		{"PortalTokenLookup", testPortalTokenLookup},
		{"InvitedEngagements", testInvitedEngagements},
		{"MailState", testMailState},
		{"BriefTemplates", testBriefTemplates},
		{"RedFlags", testRedFlags},
		{"RecordTree", testRecordTree},
		{"RecordReadsItsOwnWrite", testRecordReadsItsOwnWrite},
		{"RecordConcurrent", testRecordConcurrent},
		{"RecordAppendOnly", testRecordAppendOnly},
		{"RecordChecks", testRecordChecks},
		{"Billing", testBilling},
		{"InvoiceSeq", testInvoiceSeq},
		{"StripeEvents", testStripeEvents},
		{"FindEngagement", testFindEngagement},
		{"EngagementStamp", testEngagementStamp},
		{"ReadsCannotWrite", testReadsCannotWrite},
		{"Pages", testPages},
		{"Digests", testDigests},
		{"AgendaPage", testAgendaPage},
		{"SessionsResolve", testSessionsResolve},
		{"WarmEngagements", testWarmEngagements},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, raw := open(t)
			tc.fn(t, st, raw)
		})
	}
}

// Require stops the test when ok is false: it fails under CI (env CI set), where what is
// missing is mandatory, and is skipped elsewhere, saying why.
func Require(t *testing.T, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (mandatory when CI is set)", why)
	}
	t.Skip(why)
}

// T0 is the suite's fixed "now"; it has nanoseconds, which the store keeps to the microsecond.
var T0 = time.Date(2030, 3, 1, 9, 30, 0, 123456789, time.UTC)

// Fixture is a user with a workspace and a client in it: the rows foreign keys need.
type Fixture struct {
	User      accord.User
	Workspace accord.Workspace
	Client    accord.Client
}

// NewFixture creates a user, a workspace and a client in one write transaction.
func NewFixture(t *testing.T, st accord.Store) Fixture {
	t.Helper()
	uid := accord.NewID("usr")
	f := Fixture{
		User: accord.User{ID: uid, Email: uid + "@example.com", Name: "Freelancer " + uid,
			PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", CreatedAt: T0},
	}
	f.Workspace = accord.Workspace{ID: accord.NewID("ws"), Name: "Studio", OwnerID: uid,
		CoolingOff: accord.DefaultCoolingOff, CreatedAt: T0}
	f.Client = accord.Client{ID: accord.NewID("cli"), WorkspaceID: f.Workspace.ID, Name: "Ana",
		Email: "ana@example.com", Language: "en", Timezone: "Europe/Sofia", CreatedAt: T0}
	write(t, st, func(tx accord.Tx) error {
		if err := tx.CreateUser(f.User); err != nil {
			return err
		}
		if err := tx.CreateWorkspace(f.Workspace); err != nil {
			return err
		}
		return tx.CreateClient(f.Client)
	})
	return f
}

// Freelancer is the fixture's user as an actor.
func (f Fixture) Freelancer() accord.Actor {
	return accord.Actor{Kind: "freelancer", ID: f.User.ID, Name: f.User.Name}
}

// ClientActor is the fixture's client contact as an actor.
func (f Fixture) ClientActor() accord.Actor {
	return accord.Actor{Kind: "client", ID: f.Client.Email, Name: f.Client.Name}
}

func write(t *testing.T, st accord.Store, fn func(accord.Tx) error) {
	t.Helper()
	if err := st.Write(opCtx(t), fn); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func read(t *testing.T, st accord.Store, fn func(accord.Tx) error) {
	t.Helper()
	if err := st.Read(opCtx(t), fn); err != nil {
		t.Fatalf("read: %v", err)
	}
}

func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %s", what, code)
	} else if got := accord.ErrorCode(err); got != code {
		t.Errorf("%s: error %v (code %s), want code %s", what, err, got, code)
	}
}

// wantNotFound checks that err is not_found with the catalog key key.
func wantNotFound(t *testing.T, err error, key, what string) {
	t.Helper()
	var e *accord.Error
	if !errors.As(err, &e) || e.Code != accord.ENOTFOUND || e.Key != key {
		t.Errorf("%s: error %v, want %s with key %s", what, err, accord.ENOTFOUND, key)
	}
}

// micro is t as the store gives it back: to the microsecond, in UTC.
func micro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

// sameTime reports whether got is want as the store keeps it, with got in UTC.
func sameTime(got, want time.Time) bool {
	want = micro(want)
	if want.IsZero() {
		return got.IsZero()
	}
	return got.Equal(want) && got.Location() == time.UTC
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %T: %v", v, err)
	}
	return string(b)
}

// tr is a Translator that renders the key and its data, enough to make terms distinct.
func tr(key string, data map[string]any) string { return key + " " + fmt.Sprint(data) }

// opCtx bounds one store call, so that a store that hangs fails the test instead.
func opCtx(t *testing.T) context.Context { return ctxTimeout(t, 30*time.Second) }

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
