package storetest

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// walk reads a list page by page of size n, from its start or with newest from its end, and
// returns the ids in the order read, how many pages it took and the list's Total, which every
// page must give alike.
func walk[T any](t *testing.T, st accord.Store, n int, newest bool, get func(tx accord.Tx, p accord.Page) (accord.Paged[T], error), id func(T) string) (ids []string, pages int, total int) {
	t.Helper()
	p := accord.Page{Size: n, Newest: newest}
	for {
		var got accord.Paged[T]
		read(t, st, func(tx accord.Tx) (err error) { got, err = get(tx, p); return err })
		if len(got.Items) > n {
			t.Fatalf("a page of %d holds %d items", n, len(got.Items))
		}
		if pages > 0 && got.Total != total {
			t.Errorf("page %d says the list holds %d, the first said %d", pages+1, got.Total, total)
		}
		total = got.Total
		for _, v := range got.Items {
			ids = append(ids, id(v))
		}
		pages++
		if got.Next == nil {
			return ids, pages, total
		}
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		p.After = got.Next
	}
}

// pastTheEnd asks for the page after a cursor and wants it empty and last.
func pastTheEnd[T any](t *testing.T, st accord.Store, c accord.Cursor, newest bool, get func(tx accord.Tx, p accord.Page) (accord.Paged[T], error)) {
	t.Helper()
	var got accord.Paged[T]
	read(t, st, func(tx accord.Tx) (err error) {
		got, err = get(tx, accord.Page{Size: 3, After: &c, Newest: newest})
		return err
	})
	if len(got.Items) != 0 || got.Next != nil {
		t.Errorf("past the end: %d items, next %v; want none", len(got.Items), got.Next)
	}
}

func testPages(t *testing.T, st accord.Store, _ *sql.DB) {
	f, other := NewFixture(t, st), NewFixture(t, st)
	at := func(m int) time.Time { return T0.Add(time.Duration(m)*time.Minute + 777*time.Nanosecond) }
	e := newEngagement(t, st, f, "Big", T0)
	newEngagement(t, st, other, "Elsewhere", T0)
	// Eleven messages, two at the same instant (the id breaks the tie), one held till later.
	var want []string
	write(t, st, func(tx accord.Tx) error {
		for i := 10; i >= 0; i-- {
			m := accord.Message{ID: fmt.Sprintf("msg_%02d", i), EngagementID: e.ID, Author: "client", AuthorName: "Ana",
				Body: "m", At: at(min(i, 9)), SendAt: at(min(i, 9)), Channel: "portal"}
			if i == 4 {
				m.SendAt = at(100)
			}
			if err := tx.CreateMessage(m); err != nil {
				return err
			}
		}
		return nil
	})
	for i := 0; i <= 10; i++ {
		want = append(want, fmt.Sprintf("msg_%02d", i))
	}
	msgs := func(visible time.Time) func(tx accord.Tx, p accord.Page) (accord.Paged[accord.Message], error) {
		return func(tx accord.Tx, p accord.Page) (accord.Paged[accord.Message], error) {
			return tx.MessagePage(e.ID, visible, p)
		}
	}
	msgID := func(m accord.Message) string { return m.ID }
	for _, n := range []int{1, 3, 4, 11, 50} {
		got, pages, total := walk(t, st, n, false, msgs(time.Time{}), msgID)
		if !slices.Equal(got, want) || total != 11 || pages != max(1, (11+n-1)/n) {
			t.Errorf("messages by %d: %v in %d pages, total %d; want %v in %d, total 11", n, got, pages, total, want, (11+n-1)/n)
		}
		back, _, _ := walk(t, st, n, true, msgs(time.Time{}), msgID)
		rev := slices.Clone(want)
		slices.Reverse(rev)
		if !slices.Equal(back, rev) {
			t.Errorf("messages newest first by %d: %v; want %v", n, back, rev)
		}
	}
	visible, _, total := walk(t, st, 4, false, msgs(at(50)), msgID)
	if slices.Contains(visible, "msg_04") || len(visible) != 10 || total != -1 {
		t.Errorf("visible at 50: %v (total %d); want all but the held msg_04, uncounted", visible, total)
	}
	pastTheEnd(t, st, accord.Cursor{Key: at(9).UnixMicro(), ID: "msg_10"}, false, msgs(time.Time{}))
	pastTheEnd(t, st, accord.Cursor{Key: at(0).UnixMicro(), ID: "msg_00"}, true, msgs(time.Time{}))
	write(t, st, func(tx accord.Tx) error { return tx.DeleteMessage(e.ID, "msg_04") })
	if _, _, total := walk(t, st, 5, false, msgs(time.Time{}), msgID); total != 10 {
		t.Errorf("after one is withdrawn the list counts %d; want 10", total)
	}
	// A message written with its engagement's save is counted as it saves, and read back in the
	// same transaction; one whose write fails is not counted.
	g := NewFixture(t, st)
	second := newEngagement(t, st, g, "Second", T0)
	write(t, st, func(tx accord.Tx) error {
		count := func(when string, want int) error {
			page, err := tx.MessagePage(second.ID, time.Time{}, accord.Page{Size: 5})
			if err == nil && (page.Total != want || len(page.Items) != want) {
				t.Errorf("%s the list counts %d of %d messages; want %d", when, page.Total, len(page.Items), want)
			}
			return err
		}
		for i, when := range []string{"within the write, before the save,", "within the write that saved it"} {
			if err := tx.CreateMessage(accord.Message{ID: fmt.Sprintf("msg_s%d", i), EngagementID: second.ID, Author: "client",
				AuthorName: "Ana", Body: "m", At: at(11 + i), SendAt: at(11 + i), Channel: "portal"}); err != nil {
				return err
			}
			if i == 1 {
				second.RecordPortalOpened(accord.Cmd{Now: at(12), By: g.ClientActor()})
				if err := tx.SaveEngagement(second); err != nil {
					return err
				}
			}
			if err := count(when, i+1); err != nil {
				return err
			}
		}
		return nil
	})
	refused := errors.New("refused")
	if err := st.Write(opCtx(t), func(tx accord.Tx) error {
		if err := tx.CreateMessage(accord.Message{ID: "msg_12", EngagementID: e.ID, Author: "client", AuthorName: "Ana",
			Body: "m", At: at(12), SendAt: at(12), Channel: "portal"}); err != nil {
			return err
		}
		return refused
	}); err != refused {
		t.Fatalf("the refused write: %v", err)
	}
	if _, _, total := walk(t, st, 5, false, msgs(time.Time{}), msgID); total != 10 {
		t.Errorf("after a refused write the list counts %d; want 10", total)
	}
	read(t, st, func(tx accord.Tx) error {
		page, err := tx.MessagePage(second.ID, time.Time{}, accord.Page{Size: 5})
		if err == nil && page.Total != 2 {
			t.Errorf("after the commit the second engagement's list counts %d; want 2", page.Total)
		}
		return err
	})
	var otherMsgs accord.Paged[accord.Message]
	read(t, st, func(tx accord.Tx) (err error) {
		otherMsgs, err = tx.MessagePage("eng_none", time.Time{}, accord.Page{Size: 5})
		return err
	})
	if len(otherMsgs.Items) != 0 {
		t.Errorf("an unknown engagement's messages: %v", otherMsgs.Items)
	}

	// Events: the engagement's own, by seq, both ways.
	c := accord.Cmd{Now: at(1), By: f.Freelancer()}
	for i := range 6 {
		c.Now = at(2 + i)
		must(t, e.WriteBrief(c, []accord.Question{{ID: fmt.Sprintf("q%d", i), Text: "What?"}}))
	}
	save(t, st, e)
	all := events(t, st, e.ID)
	var seqs []string
	for _, ev := range all {
		seqs = append(seqs, fmt.Sprint(ev.Seq))
	}
	evs := func(tx accord.Tx, p accord.Page) (accord.Paged[accord.Event], error) { return tx.EventPage(e.ID, p) }
	evSeq := func(ev accord.Event) string { return fmt.Sprint(ev.Seq) }
	got, _, _ := walk(t, st, 2, false, evs, evSeq)
	if !slices.Equal(got, seqs) || len(seqs) != 7 {
		t.Errorf("events by 2: %v; want %v (7)", got, seqs)
	}
	back, _, _ := walk(t, st, 3, true, evs, evSeq)
	if slices.Reverse(back); !slices.Equal(back, seqs) {
		t.Errorf("events newest first by 3, reversed: %v; want %v", back, seqs)
	}
	var first accord.Paged[accord.Event]
	read(t, st, func(tx accord.Tx) (err error) { first, err = tx.EventPage(e.ID, accord.Page{Size: 1}); return err })
	if len(first.Items) != 1 || first.Items[0].Hash != all[0].Hash || first.Items[0].Type != all[0].Type || first.Items[0].Data == nil {
		t.Errorf("the first event paged: %+v; want %+v decoded", first.Items, all[0])
	}
	pastTheEnd(t, st, accord.Cursor{Key: 7}, false, evs)

	// Engagements, most recently changed first; another workspace's never.
	var engs []string
	for i := range 5 {
		x := newEngagement(t, st, f, fmt.Sprint("E", i), at(20+i/2)) // pairs share a time
		engs = append(engs, x.ID)
	}
	var wantEngs []string
	read(t, st, func(tx accord.Tx) error {
		es, err := tx.Engagements(f.Workspace.ID)
		for _, x := range es {
			wantEngs = append(wantEngs, x.ID)
		}
		return err
	})
	engPage := func(tx accord.Tx, p accord.Page) (accord.Paged[*accord.Engagement], error) {
		return tx.EngagementPage(f.Workspace.ID, p)
	}
	gotEngs, _, _ := walk(t, st, 2, false, engPage, func(x *accord.Engagement) string { return x.ID })
	if !slices.Equal(gotEngs, wantEngs) || len(wantEngs) != 6 {
		t.Errorf("engagements by 2: %v; want %v", gotEngs, wantEngs)
	}
	if gotEngs[len(gotEngs)-1] != e.ID {
		t.Errorf("the least recently changed engagement %s should come last: %v", e.ID, gotEngs)
	}

	// Clients by name, ties by id.
	write(t, st, func(tx accord.Tx) error {
		for _, name := range []string{"Zoë", "Ana", "Борис", "Ana", "Mia"} {
			if err := tx.CreateClient(accord.Client{ID: accord.NewID("cli"), WorkspaceID: f.Workspace.ID, Name: name, Email: "c@example.com", Language: "en", Timezone: "UTC", CreatedAt: T0}); err != nil {
				return err
			}
		}
		return nil
	})
	var wantClients []string
	read(t, st, func(tx accord.Tx) error {
		cs, err := tx.Clients(f.Workspace.ID)
		for _, x := range cs {
			wantClients = append(wantClients, x.ID)
		}
		return err
	})
	clientPage := func(tx accord.Tx, p accord.Page) (accord.Paged[accord.Client], error) {
		return tx.ClientPage(f.Workspace.ID, p)
	}
	gotClients, _, _ := walk(t, st, 2, false, clientPage, func(c accord.Client) string { return c.ID })
	if !slices.Equal(gotClients, wantClients) || len(wantClients) != 6 {
		t.Errorf("clients by 2: %v; want %v", gotClients, wantClients)
	}

	// The outbox, oldest first.
	write(t, st, func(tx accord.Tx) error {
		for i := range 7 {
			if err := tx.AddMail(accord.Mail{ID: fmt.Sprintf("mail_%d", 6-i), WorkspaceID: f.Workspace.ID, To: "a@example.com", Subject: "s", At: at(i / 2), Kind: "message"}); err != nil {
				return err
			}
		}
		return tx.AddMail(accord.Mail{ID: "mail_x", WorkspaceID: other.Workspace.ID, To: "b@example.com", Subject: "s", At: at(0)})
	})
	var wantMails []string
	read(t, st, func(tx accord.Tx) error {
		ms, err := tx.Outbox(f.Workspace.ID)
		for _, m := range ms {
			wantMails = append(wantMails, m.ID)
		}
		return err
	})
	mailPage := func(tx accord.Tx, p accord.Page) (accord.Paged[accord.Mail], error) {
		return tx.MailPage(f.Workspace.ID, p)
	}
	gotMails, _, _ := walk(t, st, 3, false, mailPage, func(m accord.Mail) string { return m.ID })
	if !slices.Equal(gotMails, wantMails) || len(wantMails) != 7 {
		t.Errorf("outbox by 3: %v; want %v", gotMails, wantMails)
	}
}
