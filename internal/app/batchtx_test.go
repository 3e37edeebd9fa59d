package app

import (
	"context"
	"testing"

	"github.com/accordapp/accord"
)

// A change reads a client once, and sees its own changes to it: each of them forgets the
// client kept, and what a read returns can be changed without changing what is kept.
func TestChangeKeepsTheClientsItReads(t *testing.T) {
	ctx := context.Background()
	a, f := newTestApp(t, t.TempDir())
	st := a.Store
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
