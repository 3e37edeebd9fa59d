package app

import (
	"context"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// A change reads a client once, and sees its own changes to it: each of them forgets the
// client kept, and what a read returns can be changed without changing what is kept.
func TestChangeKeepsTheClientsItReads(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := New(st, nil, accord.NewTestClock(time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)), i18n.New())
	acc, err := a.CreateAccount(ctx, "ana@studio.example", "correct horse battery", "Ana")
	if err != nil {
		t.Fatal(err)
	}
	f := Freelancer{UserID: acc.User.ID, WorkspaceID: acc.Workspace.ID, Name: "Ana"}
	cl, err := a.CreateClient(ctx, f, "Maria", "maria@client.example", "bg", "Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	flag := accord.RedFlag{Code: "pressure", FoundIn: "manual", At: a.Clock.Now()}
	err = st.Write(ctx, func(tx accord.Tx) error {
		b := &batchTx{Tx: tx}
		read := func() accord.Client {
			t.Helper()
			c, err := b.Client(f.WorkspaceID, cl.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		c := read()
		c.RedFlags = append(c.RedFlags, flag)
		c.Name = "Changed in memory only"
		if c := read(); len(c.RedFlags) != 0 || c.Name != "Maria" {
			t.Errorf("a change to what a read returned reached the kept client: %+v", c)
		}
		if err := b.SetRedFlags(f.WorkspaceID, cl.ID, []accord.RedFlag{flag}); err != nil {
			return err
		}
		if c := read(); len(c.RedFlags) != 1 {
			t.Errorf("after SetRedFlags the change reads %+v", c.RedFlags)
		}
		if err := b.SetClientTrust(f.WorkspaceID, cl.ID, "paid on time for years"); err != nil {
			return err
		}
		if c := read(); c.TrustedReason != "paid on time for years" {
			t.Errorf("after SetClientTrust the change reads %q", c.TrustedReason)
		}
		c = read()
		c.Name = "Maria Petrova"
		if err := b.UpdateClient(c); err != nil {
			return err
		}
		if c := read(); c.Name != "Maria Petrova" {
			t.Errorf("after UpdateClient the change reads %q", c.Name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
