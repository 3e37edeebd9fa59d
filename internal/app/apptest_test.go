package app

import (
	"context"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// newTestApp is an app on a fresh embedded store in dir, on a test clock, with one account
// (Ana's) and her workspace; the store closes when the test ends.
func newTestApp(t *testing.T, dir string) (*App, Freelancer) {
	t.Helper()
	st, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := New(st, nil, accord.NewTestClock(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)), i18n.New())
	acc, err := a.CreateAccount(context.Background(), "ana@studio.example", "correct horse battery", "Ana")
	if err != nil {
		t.Fatal(err)
	}
	return a, Freelancer{UserID: acc.User.ID, WorkspaceID: acc.Workspace.ID, Name: "Ana"}
}
