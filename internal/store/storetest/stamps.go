package storetest

import (
	"database/sql"
	"testing"

	"github.com/accordapp/accord"
)

// testEngagementStamp checks that an engagement's stamp moves with its every event and with
// every change to its workspace's settings, clients, billing details and brief templates, and
// with nothing of another workspace's.
func testEngagementStamp(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	c := accord.Cmd{Now: T0, By: a.Freelancer()}
	e, err := accord.NewEngagement(c, a.Workspace.ID, a.Client.ID, "Logo", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	write(t, st, func(tx accord.Tx) error { return tx.SaveEngagement(e) })
	stamp := func() accord.Stamp {
		t.Helper()
		var s accord.Stamp
		read(t, st, func(tx accord.Tx) error {
			var err error
			s, err = tx.EngagementStamp(a.Workspace.ID, e.ID)
			return err
		})
		return s
	}
	last := stamp()
	if last.Seq != e.Seq {
		t.Fatalf("stamp %+v, want the engagement's seq %d", last, e.Seq)
	}
	moves := func(what string, wantSeq bool, fn func(tx accord.Tx) error) {
		t.Helper()
		write(t, st, fn)
		now := stamp()
		if wantSeq && (now.Seq <= last.Seq || now.Settings != last.Settings) {
			t.Errorf("%s: stamp %+v after %+v, want a later seq and the same settings", what, now, last)
		}
		if !wantSeq && (now.Settings <= last.Settings || now.Seq != last.Seq) {
			t.Errorf("%s: stamp %+v after %+v, want the same seq and later settings", what, now, last)
		}
		last = now
	}
	moves("an event", true, func(tx accord.Tx) error {
		e.RecordPortalOpened(c)
		return tx.SaveEngagement(e)
	})
	moves("the workspace's settings", false, func(tx accord.Tx) error {
		w := a.Workspace
		w.Name = "Studio Nord"
		return tx.UpdateWorkspace(w)
	})
	moves("a client's details", false, func(tx accord.Tx) error {
		cl := a.Client
		cl.Name = "Ana Petrova"
		return tx.UpdateClient(cl)
	})
	moves("a client's red flags", false, func(tx accord.Tx) error {
		return tx.SetRedFlags(a.Workspace.ID, a.Client.ID, nil)
	})
	moves("a new client", false, func(tx accord.Tx) error {
		return tx.CreateClient(accord.Client{ID: accord.NewID("cli"), WorkspaceID: a.Workspace.ID, Name: "Boris",
			Email: "boris@example.com", Language: "bg", Timezone: "Europe/Sofia", CreatedAt: T0})
	})
	moves("the billing settings", false, func(tx accord.Tx) error { return tx.SetBilling(a.Workspace.ID, accord.Billing{}) })
	moves("them again", false, func(tx accord.Tx) error { return tx.SetBilling(a.Workspace.ID, accord.Billing{}) })
	moves("a client's billing details", false, func(tx accord.Tx) error {
		return tx.SetClientBilling(a.Workspace.ID, a.Client.ID, accord.ClientBilling{})
	})
	tpl := accord.BriefTemplate{ID: accord.NewID("tpl"), WorkspaceID: a.Workspace.ID, Name: "Logo", CreatedAt: T0}
	moves("a new brief template", false, func(tx accord.Tx) error { return tx.CreateBriefTemplate(tpl) })
	moves("a template's questions", false, func(tx accord.Tx) error {
		return tx.SetTemplateQuestions(a.Workspace.ID, tpl.ID, []accord.Question{{ID: "goal", Text: "What is it for?"}})
	})
	moves("a template deleted", false, func(tx accord.Tx) error { return tx.DeleteBriefTemplate(a.Workspace.ID, tpl.ID) })

	write(t, st, func(tx accord.Tx) error { // another workspace's changes leave this one's stamp
		w := b.Workspace
		w.Name = "Elsewhere"
		if err := tx.UpdateWorkspace(w); err != nil {
			return err
		}
		cl := b.Client
		cl.Name = "Someone else"
		return tx.UpdateClient(cl)
	})
	if now := stamp(); now != last {
		t.Errorf("another workspace's changes moved the stamp from %+v to %+v", last, now)
	}
	read(t, st, func(tx accord.Tx) error {
		if _, err := tx.EngagementStamp(b.Workspace.ID, e.ID); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("another workspace's engagement: %v, want not found", err)
		}
		if _, err := tx.EngagementStamp(a.Workspace.ID, "eng_unknown"); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("an unknown engagement: %v, want not found", err)
		}
		return nil
	})
}

// testReadsCannotWrite checks that a read transaction refuses a write and leaves nothing of it.
func testReadsCannotWrite(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	c := accord.Client{ID: accord.NewID("cli"), WorkspaceID: f.Workspace.ID, Name: "Boris",
		Email: "boris@example.com", Language: "bg", Timezone: "Europe/Sofia", CreatedAt: T0}
	if err := st.Read(opCtx(t), func(tx accord.Tx) error { return tx.CreateClient(c) }); err == nil {
		t.Fatal("a read transaction wrote a client")
	}
	read(t, st, func(tx accord.Tx) error {
		if _, err := tx.Client(f.Workspace.ID, c.ID); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("the client a read tried to write: %v, want not found", err)
		}
		return nil
	})
}
