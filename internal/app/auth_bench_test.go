package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// benchApp is the demo on SQLite, with a freelancer's session and a portal session of its
// delivered engagement.
func benchApp(b testing.TB) (a *app.App, freelancer, portal string) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	blobs, err := blob.NewDir(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	a = app.New(st, blobs, accord.NewTestClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)), i18n.New())
	if err := a.OpenJobs(ctx, time.Second); err != nil {
		b.Fatal(err)
	}
	res, err := demo.Seed(ctx, a)
	if err != nil {
		b.Fatal(err)
	}
	u, err := a.Login(ctx, demo.Email, demo.Password, "bench")
	if err != nil {
		b.Fatal(err)
	}
	if freelancer, err = a.StartWebSession(ctx, u); err != nil {
		b.Fatal(err)
	}
	token := strings.TrimPrefix(res.PortalURL, a.BaseURL+"/p/")
	if portal, _, err = a.OpenPortal(ctx, token); err != nil {
		b.Fatal(err)
	}
	return a, freelancer, portal
}

// What each freelancer's request costs before its page: the session to the freelancer.
func BenchmarkAuthFreelancer(b *testing.B) {
	a, secret, _ := benchApp(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := a.AuthFreelancer(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}

// What each portal request costs before its page: the session to the contact and its locale.
func BenchmarkAuthContact(b *testing.B) {
	a, _, secret := benchApp(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := a.AuthContact(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}

// The same in two read transactions, as a request authenticated before: for the side by side.
func BenchmarkAuthFreelancerTwoReads(b *testing.B) {
	a, secret, _ := benchApp(b)
	ctx := context.Background()
	for b.Loop() {
		s, err := a.Authenticate(ctx, secret)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.Freelancer(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}

// A portal request's contact as it was found before: two read transactions, the second one
// decoding the engagement's whole snapshot to learn its client.
func BenchmarkAuthContactDecodingTheSnapshot(b *testing.B) {
	a, _, secret := benchApp(b)
	ctx := context.Background()
	for b.Loop() {
		s, err := a.Authenticate(ctx, secret)
		if err != nil {
			b.Fatal(err)
		}
		if err := a.Store.Read(ctx, func(tx accord.Tx) error {
			e, err := tx.Engagement(s.WorkspaceID, s.EngagementID)
			if err != nil {
				return err
			}
			if _, err := tx.Client(s.WorkspaceID, e.ClientID); err != nil {
				return err
			}
			_, err = tx.ContactLanguage(s.WorkspaceID, s.Email)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
}

// Each kind of session answers only as its own kind; no secret, or an unknown one, as none.
func TestSessionsAnswerAsTheirKind(t *testing.T) {
	a, freelancer, portal := benchApp(t)
	ctx := context.Background()
	if f, err := a.AuthFreelancer(ctx, freelancer); err != nil || f.Email != demo.Email || f.WorkspaceID == "" {
		t.Fatalf("the freelancer's session: %+v, %v", f, err)
	}
	if c, err := a.AuthContact(ctx, portal); err != nil || c.EngagementID == "" || c.Locale.Lang == "" {
		t.Fatalf("the portal session: %+v, %v", c, err)
	}
	for name, err := range map[string]error{
		"a portal session as a freelancer":    second(a.AuthFreelancer(ctx, portal)),
		"a freelancer's session as a contact": second(a.AuthContact(ctx, freelancer)),
		"no secret":                           second(a.AuthFreelancer(ctx, "")),
		"no secret, portal":                   second(a.AuthContact(ctx, "")),
		"an unknown secret":                   second(a.AuthContact(ctx, "prt_unknown")),
	} {
		if accord.ErrorCode(err) != accord.EUNAUTHORIZED {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }
