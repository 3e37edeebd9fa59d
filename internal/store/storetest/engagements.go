package storetest

import (
	"bytes"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func save(t *testing.T, st accord.Store, e *accord.Engagement) {
	t.Helper()
	write(t, st, func(tx accord.Tx) error { return tx.SaveEngagement(e) })
	if n := len(e.Uncommitted()); n != 0 {
		t.Fatalf("after SaveEngagement %d events are still uncommitted", n)
	}
}

// newEngagement creates an engagement at the given time and saves it.
func newEngagement(t *testing.T, st accord.Store, f Fixture, title string, at time.Time) *accord.Engagement {
	t.Helper()
	e, err := accord.NewEngagement(accord.Cmd{Now: at, By: f.Freelancer()}, f.Workspace.ID, f.Client.ID, title, "EUR")
	must(t, err)
	save(t, st, e)
	return e
}

func load(t *testing.T, st accord.Store, workspaceID, id string) *accord.Engagement {
	t.Helper()
	var e *accord.Engagement
	read(t, st, func(tx accord.Tx) (err error) {
		e, err = tx.Engagement(workspaceID, id)
		return err
	})
	return e
}

func events(t *testing.T, st accord.Store, id string) []accord.Event {
	t.Helper()
	var evs []accord.Event
	read(t, st, func(tx accord.Tx) (err error) {
		evs, err = tx.Events(id)
		return err
	})
	return evs
}

// story takes an engagement through the domain from draft to a paid first milestone, saving it
// after some of the commands, each time in a write transaction of its own. It returns the
// engagement as it stands in memory and every event the domain produced, in order.
func story(t *testing.T, st accord.Store, f Fixture) (*accord.Engagement, []accord.Event) {
	t.Helper()
	clock := accord.NewTestClock(T0)
	cmd := func(by accord.Actor) accord.Cmd {
		return accord.Cmd{Now: clock.Advance(time.Minute + 1001*time.Nanosecond), By: by}
	}
	free, client := f.Freelancer(), f.ClientActor()
	var produced []accord.Event
	e, err := accord.NewEngagement(cmd(free), f.Workspace.ID, f.Client.ID, "Brand identity «Ёлка»", "EUR")
	must(t, err)
	saveStep := func() {
		t.Helper()
		for _, ev := range e.Uncommitted() {
			ev.Body = bytes.Clone(ev.Body)
			produced = append(produced, ev)
		}
		save(t, st, e)
	}
	saveStep()

	must(t, e.WriteBrief(cmd(free), []accord.Question{
		{ID: "goal", Text: "What is the logo for?", Required: true},
		{Text: "Colours you <like> & \"dislike\"?"},
	}))
	must(t, e.SendBrief(cmd(free)))
	saveStep()

	must(t, e.AnswerBrief(cmd(client), map[string]string{"goal": "A bakery in Plovdiv", "q2": "Тёплые цвета ✓\nno neon"}))
	saveStep()

	_, err = e.WriteAgreement(cmd(free), accord.Agreement{
		Scope:        "A logo and its guide",
		Deliverables: []accord.Deliverable{{Title: "Logo", Volume: "3 variants"}, {Title: "Guide", Volume: "12 pages"}},
		Milestones: []accord.MilestonePlan{
			{Title: "Concepts", DueDate: "2030-03-15", Price: accord.Money{Amount: 100000, Currency: "EUR"}, PrepaymentPercent: 50},
			{Title: "Final files", DueDate: "2030-04-01", Price: accord.Money{Amount: 150050, Currency: "EUR"}, PrepaymentPercent: 30},
		},
		Revisions: 2, KillFeePercent: 25, ResponseDays: 2, ReviewDays: 5, Channel: "email", ReportCadence: "weekly",
	}, "en", tr)
	must(t, err)
	must(t, e.ProposeAgreement(cmd(free), 1))
	saveStep()

	var terms []string
	for _, term := range e.Proposed().Terms {
		terms = append(terms, term.ID)
	}
	must(t, e.AcceptAgreement(cmd(client), 1, terms))
	saveStep()

	e.RecordInvitation(cmd(free), f.Client.Email, T0.Add(7*24*time.Hour))
	e.RecordPortalOpened(cmd(client))
	ms1 := e.Milestones[0]
	_, err = e.RecordPayment(cmd(free), ms1.ID, ms1.Prepayment, "INV-2030-001")
	must(t, err)
	must(t, e.StartMilestone(cmd(free), ms1.ID))
	_, err = e.SendMessage(cmd(free), "Started on the concepts.", "portal", f.Workspace.CoolingOff)
	must(t, err)
	saveStep()

	files := []accord.File{{Name: "concepts.pdf", Size: 1234, SHA256: strings.Repeat("ab", 32), ContentType: "application/pdf"}}
	dlv, err := e.Deliver(cmd(free), ms1.ID, "Three directions", files)
	must(t, err)
	must(t, e.RequestChanges(cmd(client), dlv, "Too cold", "Warmer colours", f.Workspace.CoolingOff))
	saveStep()

	must(t, e.StartMilestone(cmd(free), ms1.ID))
	dlv, err = e.Deliver(cmd(free), ms1.ID, "Warmer", []accord.File{{Name: "v2.pdf", Size: 99, SHA256: strings.Repeat("cd", 32), ContentType: "application/pdf"}})
	must(t, err)
	must(t, e.AcceptDelivery(cmd(client), dlv))
	_, err = e.RecordPayment(cmd(free), ms1.ID, ms1.Price.Sub(ms1.Prepayment), "INV-2030-002")
	must(t, err)
	saveStep()

	if e.State != accord.Active || e.Milestones[0].State != accord.MilestonePaid ||
		e.Milestones[1].State != accord.MilestoneAwaitingPrepayment || e.CoolingOffUntil.IsZero() {
		t.Fatalf("the story did not end where expected: state %s, milestones %+v", e.State, e.Milestones)
	}
	return e, produced
}

func testEngagement(t *testing.T, st accord.Store, _ *sql.DB) {
	f, other := NewFixture(t, st), NewFixture(t, st)
	e, produced := story(t, st, f)
	want := jsonOf(t, e)

	loaded := load(t, st, f.Workspace.ID, e.ID)
	if got := jsonOf(t, loaded); got != want {
		t.Errorf("Engagement differs from the one in memory:\n got %s\nwant %s", got, want)
	}
	if loaded.Seq != int64(len(produced)) || loaded.Head != produced[len(produced)-1].Hash {
		t.Errorf("loaded Seq, Head = %d, %s; want %d, %s", loaded.Seq, loaded.Head, len(produced), produced[len(produced)-1].Hash)
	}
	if n := len(loaded.Uncommitted()); n != 0 {
		t.Errorf("a loaded engagement has %d uncommitted events", n)
	}
	read(t, st, func(tx accord.Tx) error {
		_, err := tx.Engagement(other.Workspace.ID, e.ID)
		wantCode(t, err, accord.ENOTFOUND, "Engagement through another workspace")
		_, err = tx.Engagement(f.Workspace.ID, "eng_nowhere")
		wantCode(t, err, accord.ENOTFOUND, "Engagement(unknown)")
		evs, err := tx.Events("eng_nowhere")
		if err != nil || len(evs) != 0 {
			t.Errorf("Events(unknown) = %d events, %v; want none", len(evs), err)
		}
		return nil
	})

	evs := events(t, st, e.ID)
	if len(evs) != len(produced) {
		t.Fatalf("Events returned %d events, the domain produced %d", len(evs), len(produced))
	}
	prev := ""
	for i, ev := range evs {
		p := produced[i]
		if ev.Seq != int64(i+1) || ev.Seq != p.Seq {
			t.Errorf("event %d has seq %d, want %d", i, ev.Seq, i+1)
		}
		if ev.EngagementID != e.ID || ev.WorkspaceID != f.Workspace.ID || ev.Type != p.Type || ev.Actor != p.Actor || !ev.At.Equal(p.At) {
			t.Errorf("event %d = %s %s %s %s at %v; want %s %s %s %s at %v", i, ev.EngagementID, ev.WorkspaceID, ev.Type, ev.Actor, ev.At,
				e.ID, f.Workspace.ID, p.Type, p.Actor, p.At)
		}
		if !bytes.Equal(ev.Body, p.Body) {
			t.Errorf("event %d body changed in the store:\n got %s\nwant %s", i, ev.Body, p.Body)
		}
		if ev.Hash != p.Hash || ev.Hash != accord.ChainHash(prev, ev.Body) {
			t.Errorf("event %d hash = %s, want %s (chained %s)", i, ev.Hash, p.Hash, accord.ChainHash(prev, ev.Body))
		}
		if ev.Data == nil || ev.Data.EventType() != ev.Type {
			t.Errorf("event %d (%s) decoded to data %T", i, ev.Type, ev.Data)
		}
		prev = ev.Hash
	}
	if got := jsonOf(t, accord.Replay(evs)); got != jsonOf(t, loaded) {
		t.Errorf("the fold of the log differs from the snapshot:\nreplay %s\n  snap %s", got, jsonOf(t, loaded))
	}
}

func testEngagements(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	e1 := newEngagement(t, st, a, "One", T0.Add(1*time.Minute))
	e2 := newEngagement(t, st, a, "Two", T0.Add(2*time.Minute))
	e3 := newEngagement(t, st, a, "Three", T0.Add(3*time.Minute))
	eb := newEngagement(t, st, b, "Elsewhere", T0.Add(10*time.Minute))
	// Changing e2 makes it the most recently changed of a's.
	must(t, e2.WriteBrief(accord.Cmd{Now: T0.Add(4 * time.Minute), By: a.Freelancer()}, []accord.Question{{Text: "Why?"}}))
	save(t, st, e2)

	cases := []struct {
		ws   string
		want []*accord.Engagement
	}{
		{a.Workspace.ID, []*accord.Engagement{e2, e3, e1}},
		{b.Workspace.ID, []*accord.Engagement{eb}},
		{"ws_empty", nil},
	}
	read(t, st, func(tx accord.Tx) error {
		for _, c := range cases {
			got, err := tx.Engagements(c.ws)
			if err != nil {
				t.Errorf("Engagements(%s): %v", c.ws, err)
				continue
			}
			var gotIDs, wantIDs []string
			for _, e := range got {
				gotIDs = append(gotIDs, e.ID)
			}
			for _, e := range c.want {
				wantIDs = append(wantIDs, e.ID)
			}
			if strings.Join(gotIDs, " ") != strings.Join(wantIDs, " ") {
				t.Errorf("Engagements(%s) = %v, want %v (most recently changed first)", c.ws, gotIDs, wantIDs)
				continue
			}
			for i := range got {
				if g, w := jsonOf(t, got[i]), jsonOf(t, c.want[i]); g != w {
					t.Errorf("Engagements(%s)[%d] = %s, want %s", c.ws, i, g, w)
				}
			}
		}
		return nil
	})
}

func testAppendOnly(t *testing.T, st accord.Store, raw *sql.DB) {
	f := NewFixture(t, st)
	e := newEngagement(t, st, f, "Kept", T0)
	must(t, e.WriteBrief(accord.Cmd{Now: T0.Add(time.Minute), By: f.Freelancer()}, []accord.Question{{Text: "Why?"}}))
	must(t, e.SendBrief(accord.Cmd{Now: T0.Add(2 * time.Minute), By: f.Freelancer()}))
	save(t, st, e)
	before := events(t, st, e.ID)
	if len(before) != 3 {
		t.Fatalf("have %d events, want 3", len(before))
	}

	for _, stmt := range []string{
		`UPDATE events SET type = 'x'`,
		`UPDATE events SET hash = 'x' WHERE seq = 2`,
		`DELETE FROM events`,
		`DELETE FROM events WHERE seq = 3`,
	} {
		for _, inTx := range []bool{true, false} {
			name := stmt
			if inTx {
				name += " in a transaction"
			}
			t.Run(name, func(t *testing.T) {
				var err error
				if inTx {
					tx, berr := raw.BeginTx(opCtx(t), nil)
					must(t, berr)
					if _, err = tx.ExecContext(opCtx(t), `INSERT INTO outbox (id, workspace_id, engagement_id, recipient, subject, body, at)
						VALUES ('`+accord.NewID("mail")+`', 'ws', 'eng', 'a@example.com', 's', 'b', 1)`); err != nil {
						tx.Rollback()
						t.Fatalf("insert before the forbidden statement: %v", err)
					}
					_, err = tx.ExecContext(opCtx(t), stmt)
					if err == nil {
						err = tx.Commit()
					} else {
						tx.Rollback()
					}
				} else {
					_, err = raw.ExecContext(opCtx(t), stmt)
				}
				if err == nil {
					t.Errorf("%s succeeded; events must be append-only", stmt)
				} else if !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s failed, but not for being append-only: %v", stmt, err)
				}
			})
		}
	}

	after := events(t, st, e.ID)
	if len(after) != len(before) {
		t.Fatalf("after the attempts there are %d events, want %d", len(after), len(before))
	}
	for i := range after {
		if after[i].Type != before[i].Type || after[i].Hash != before[i].Hash || !bytes.Equal(after[i].Body, before[i].Body) {
			t.Errorf("event %d changed: %s %s, was %s %s", i, after[i].Type, after[i].Hash, before[i].Type, before[i].Hash)
		}
	}
}

func testOptimisticGuard(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	by := f.Freelancer()
	cases := []struct {
		name  string
		stale func(e *accord.Engagement) error // the change made on the stale copy
	}{
		{"one event", func(e *accord.Engagement) error {
			return e.WriteBrief(accord.Cmd{Now: T0.Add(2 * time.Minute), By: by}, []accord.Question{{Text: "Stale?"}})
		}},
		{"several events", func(e *accord.Engagement) error {
			if err := e.WriteBrief(accord.Cmd{Now: T0.Add(2 * time.Minute), By: by}, []accord.Question{{Text: "Stale?"}}); err != nil {
				return err
			}
			return e.SendBrief(accord.Cmd{Now: T0.Add(3 * time.Minute), By: by})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEngagement(t, st, f, "Contested", T0)
			first := load(t, st, f.Workspace.ID, e.ID)  // one snapshot
			second := load(t, st, f.Workspace.ID, e.ID) // another
			must(t, first.WriteBrief(accord.Cmd{Now: T0.Add(time.Minute), By: by}, []accord.Question{{Text: "First?"}}))
			save(t, st, first)

			must(t, c.stale(second))
			err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SaveEngagement(second) })
			wantCode(t, err, accord.ECONFLICT, "saving a stale copy")

			if evs := events(t, st, e.ID); len(evs) != int(first.Seq) {
				t.Errorf("after the refused save there are %d events, want %d", len(evs), first.Seq)
			}
			if got, want := jsonOf(t, load(t, st, f.Workspace.ID, e.ID)), jsonOf(t, first); got != want {
				t.Errorf("the refused save changed the snapshot:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func testRollback(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	errBoom := errors.New("boom")
	cases := []struct {
		name string
		fail func() error
	}{
		{"error", func() error { return errBoom }},
		{"panic", func() error { panic(errBoom) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := accord.NewEngagement(accord.Cmd{Now: T0, By: f.Freelancer()}, f.Workspace.ID, f.Client.ID, "Never", "EUR")
			must(t, err)
			must(t, e.WriteBrief(accord.Cmd{Now: T0.Add(time.Minute), By: f.Freelancer()}, []accord.Question{{Text: "Why?"}}))
			cli := f.Client
			cli.ID = "cli_rollback_" + c.name
			var recovered any
			func() {
				defer func() { recovered = recover() }()
				err = st.Write(opCtx(t), func(tx accord.Tx) error {
					if err := tx.SaveEngagement(e); err != nil {
						return err
					}
					if err := tx.CreateClient(cli); err != nil {
						return err
					}
					if err := tx.AddMail(accord.Mail{ID: "mail_" + c.name, WorkspaceID: f.Workspace.ID, EngagementID: e.ID,
						To: "ana@example.com", Subject: "s", Body: "b", At: T0}); err != nil {
						return err
					}
					return c.fail()
				})
			}()
			if c.name == "panic" {
				if recovered != errBoom {
					t.Errorf("Write recovered %v; want the panic to go on to the caller", recovered)
				}
			} else if !errors.Is(err, errBoom) {
				t.Errorf("Write returned %v, want fn's error", err)
			}

			// The store must still take writes, even of the rows the failed write had inserted: a
			// transaction left open (say, by a panicking fn) would hold the writer or those rows' locks.
			err = st.Write(ctxTimeout(t, 10*time.Second), func(tx accord.Tx) error { return tx.CreateClient(cli) })
			if err != nil {
				t.Fatalf("a write after the failed one: %v", err)
			}
			read(t, st, func(tx accord.Tx) error {
				_, err := tx.Engagement(f.Workspace.ID, e.ID)
				wantCode(t, err, accord.ENOTFOUND, "Engagement saved in a rolled-back write")
				evs, err := tx.Events(e.ID)
				if err != nil || len(evs) != 0 {
					t.Errorf("Events of the rolled-back engagement = %d events, %v; want none", len(evs), err)
				}
				mails, err := tx.Outbox(f.Workspace.ID)
				for _, m := range mails {
					if m.ID == "mail_"+c.name {
						t.Errorf("the rolled-back write's mail is in the outbox")
					}
				}
				return err
			})
		})
	}
}

func testMessages(t *testing.T, st accord.Store, _ *sql.DB) {
	f := NewFixture(t, st)
	e1 := newEngagement(t, st, f, "One", T0)
	e2 := newEngagement(t, st, f, "Two", T0)
	at := func(m int) time.Time { return T0.Add(time.Duration(m)*time.Minute + 777*time.Nanosecond) }
	// Inserted neither in time order nor in id order.
	msgs := []accord.Message{
		{ID: "msg_a", EngagementID: e1.ID, Author: "client", AuthorName: "Ana", Body: "Third, «unicode» ✓", At: at(3), SendAt: at(3), Channel: "portal"},
		{ID: "msg_c", EngagementID: e1.ID, Author: "freelancer", AuthorName: "Me", Body: "Second", At: at(2), SendAt: at(2), Channel: "email"},
		{ID: "msg_b", EngagementID: e1.ID, Author: "freelancer", AuthorName: "Me", Body: "First, held", At: at(1), SendAt: at(21), Channel: "portal"},
		{ID: "msg_z", EngagementID: e2.ID, Author: "client", AuthorName: "Ana", Body: "Elsewhere", At: at(0), SendAt: at(0), Channel: "portal"},
	}
	write(t, st, func(tx accord.Tx) error {
		for _, m := range msgs {
			if err := tx.CreateMessage(m); err != nil {
				return err
			}
		}
		return nil
	})
	same := func(got, want accord.Message) bool {
		return got.ID == want.ID && got.EngagementID == want.EngagementID && got.Author == want.Author &&
			got.AuthorName == want.AuthorName && got.Body == want.Body && got.Channel == want.Channel &&
			sameTime(got.At, want.At) && sameTime(got.SendAt, want.SendAt)
	}
	byID := map[string]accord.Message{}
	for _, m := range msgs {
		byID[m.ID] = m
	}
	checkList := func(engagementID string, want ...string) {
		t.Helper()
		read(t, st, func(tx accord.Tx) error {
			got, err := tx.Messages(engagementID)
			if err != nil {
				return err
			}
			ok := len(got) == len(want)
			for i := 0; ok && i < len(got); i++ {
				ok = same(got[i], byID[want[i]])
			}
			if !ok {
				t.Errorf("Messages(%s) = %+v\nwant %v in that order, as created", engagementID, got, want)
			}
			return nil
		})
	}
	checkList(e1.ID, "msg_b", "msg_c", "msg_a")
	checkList(e2.ID, "msg_z")
	checkList("eng_none")

	read(t, st, func(tx accord.Tx) error {
		for _, want := range msgs {
			got, err := tx.Message(want.EngagementID, want.ID)
			if err != nil || !same(got, want) {
				t.Errorf("Message(%s) = %+v, %v; want %+v", want.ID, got, err, want)
			}
		}
		_, err := tx.Message(e2.ID, "msg_a")
		wantCode(t, err, accord.ENOTFOUND, "Message through another engagement")
		_, err = tx.Message(e1.ID, "msg_nope")
		wantCode(t, err, accord.ENOTFOUND, "Message(unknown)")
		return nil
	})

	released := T0.Add(5*time.Minute + 999*time.Nanosecond)
	write(t, st, func(tx accord.Tx) error { return tx.SetMessageSendAt(e1.ID, "msg_b", released) })
	// Through another engagement it changes nothing and says the message is not found.
	err := st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SetMessageSendAt(e2.ID, "msg_a", released) })
	wantCode(t, err, accord.ENOTFOUND, "SetMessageSendAt through another engagement")
	m := byID["msg_b"]
	m.SendAt = released
	byID["msg_b"] = m
	checkList(e1.ID, "msg_b", "msg_c", "msg_a")
	checkList(e2.ID, "msg_z")

	// A held message edited, then withdrawn; never through another engagement.
	write(t, st, func(tx accord.Tx) error { return tx.SetMessageBody(e1.ID, "msg_b", "First, calmer") })
	err = st.Write(opCtx(t), func(tx accord.Tx) error { return tx.SetMessageBody(e2.ID, "msg_b", "Hijacked") })
	wantCode(t, err, accord.ENOTFOUND, "SetMessageBody through another engagement")
	m.Body = "First, calmer"
	byID["msg_b"] = m
	checkList(e1.ID, "msg_b", "msg_c", "msg_a")
	err = st.Write(opCtx(t), func(tx accord.Tx) error { return tx.DeleteMessage(e2.ID, "msg_b") })
	wantCode(t, err, accord.ENOTFOUND, "DeleteMessage through another engagement")
	write(t, st, func(tx accord.Tx) error { return tx.DeleteMessage(e1.ID, "msg_b") })
	checkList(e1.ID, "msg_c", "msg_a")
	checkList(e2.ID, "msg_z")
}
