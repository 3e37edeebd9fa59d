package storetest

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func sameMail(g, w accord.Mail) bool {
	return g.ID == w.ID && g.WorkspaceID == w.WorkspaceID && g.EngagementID == w.EngagementID && g.To == w.To &&
		g.Subject == w.Subject && g.Body == w.Body && sameTime(g.At, w.At) && g.Kind == w.Kind && g.State == w.State &&
		g.Error == w.Error && sameTime(g.SentAt, w.SentAt) && sameTime(g.RetryAt, w.RetryAt) &&
		slices.EqualFunc(g.Attachments, w.Attachments, func(a, b accord.Attachment) bool {
			return a.Name == b.Name && a.ContentType == b.ContentType && a.SHA256 == b.SHA256 && a.Data == nil
		})
}

func checkOutbox(t *testing.T, st accord.Store, ws string, want ...accord.Mail) {
	t.Helper()
	read(t, st, func(tx accord.Tx) error {
		got, err := tx.Outbox(ws)
		if err != nil {
			return err
		}
		ok := len(got) == len(want)
		for i := 0; ok && i < len(got); i++ {
			ok = sameMail(got[i], want[i])
		}
		if !ok {
			t.Errorf("Outbox(%s) = %+v\nwant %+v", ws, got, want)
		}
		return nil
	})
}

func testOutbox(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	mails := []accord.Mail{ // inserted neither in time order nor in id order
		{ID: "mail_1", WorkspaceID: a.Workspace.ID, EngagementID: "eng_a", To: "ana@example.com", Subject: "Second", Body: "Hello\nline «2»",
			At: T0.Add(2*time.Minute + 5), Kind: "invitation", State: accord.MailQueued,
			Attachments: []accord.Attachment{{Name: "квитанция-1.pdf", ContentType: "application/pdf", SHA256: "ab12"}, {Name: "b.pdf", ContentType: "application/pdf", SHA256: "cd34"}}},
		{ID: "mail_2", WorkspaceID: a.Workspace.ID, EngagementID: "", To: "bor@example.bg", Subject: "First", Body: "",
			At: T0.Add(time.Minute), Kind: "portal_link"}, // no state: queued
		{ID: "mail_0", WorkspaceID: b.Workspace.ID, EngagementID: "eng_b", To: "d@example.ru", Subject: "Other", Body: "x", At: T0,
			Kind: "message", State: accord.MailSent, SentAt: T0.Add(time.Second + 7)},
		{ID: "mail_3", WorkspaceID: b.Workspace.ID, To: "e@example.com", Subject: "Failed", At: T0.Add(time.Hour),
			State: accord.MailFailed, Error: "550 5.1.1 «no such user»"},
	}
	write(t, st, func(tx accord.Tx) error {
		for _, m := range mails {
			if err := tx.AddMail(m); err != nil {
				return err
			}
		}
		return nil
	})
	queued := mails[1]
	queued.State = accord.MailQueued
	checkOutbox(t, st, a.Workspace.ID, queued, mails[0])
	checkOutbox(t, st, b.Workspace.ID, mails[2], mails[3])
	checkOutbox(t, st, "ws_none")
}

func testMailState(t *testing.T, st accord.Store, _ *sql.DB) {
	a, b := NewFixture(t, st), NewFixture(t, st)
	m1 := accord.Mail{ID: "mail_1", WorkspaceID: a.Workspace.ID, To: "ana@example.com", Subject: "One", At: T0, Kind: "brief"}
	m2 := accord.Mail{ID: "mail_2", WorkspaceID: a.Workspace.ID, To: "bor@example.bg", Subject: "Two", At: T0.Add(time.Second), Kind: "message"}
	m3 := accord.Mail{ID: "mail_3", WorkspaceID: b.Workspace.ID, To: "d@example.ru", Subject: "Three", At: T0, Kind: "delivery"}
	write(t, st, func(tx accord.Tx) error {
		for _, m := range []accord.Mail{m1, m2, m3} {
			if err := tx.AddMail(m); err != nil {
				return err
			}
		}
		return nil
	})
	set := func(id string, try accord.MailTry) {
		t.Helper()
		write(t, st, func(tx accord.Tx) error { return tx.SetMailState(id, try) })
	}
	sentAt := time.Date(2030, 3, 1, 12, 0, 0, 999999999, time.FixedZone("EET", 2*3600))
	retryAt := sentAt.Add(5 * time.Minute)
	set("mail_1", accord.MailTry{State: accord.MailSent, SentAt: sentAt})
	set("mail_2", accord.MailTry{State: accord.MailQueued, Error: "dial tcp: connection refused", RetryAt: retryAt})
	m1.State, m1.SentAt = accord.MailSent, sentAt
	m2.State, m2.Error, m2.RetryAt = accord.MailQueued, "dial tcp: connection refused", retryAt
	m3.State = accord.MailQueued
	checkOutbox(t, st, a.Workspace.ID, m1, m2)
	checkOutbox(t, st, b.Workspace.ID, m3)
	var got accord.Mail
	read(t, st, func(tx accord.Tx) (err error) { got, err = tx.Mail("mail_2"); return err })
	if !sameMail(got, m2) {
		t.Errorf("Mail(mail_2) = %+v, want %+v", got, m2)
	}

	// The last try fails for good; a later one that succeeds clears the error it records over.
	set("mail_2", accord.MailTry{State: accord.MailFailed, Error: "550 no such user"})
	m2.State, m2.Error, m2.RetryAt = accord.MailFailed, "550 no such user", time.Time{}
	checkOutbox(t, st, a.Workspace.ID, m1, m2)
	set("mail_2", accord.MailTry{State: accord.MailSent, SentAt: sentAt.Add(time.Minute)})
	m2.State, m2.Error, m2.SentAt = accord.MailSent, "", sentAt.Add(time.Minute)
	checkOutbox(t, st, a.Workspace.ID, m1, m2)
	checkOutbox(t, st, b.Workspace.ID, m3)

	err := st.Write(opCtx(t), func(tx accord.Tx) error {
		return tx.SetMailState("mail_nope", accord.MailTry{State: accord.MailSent, SentAt: T0})
	})
	wantCode(t, err, accord.ENOTFOUND, "SetMailState(unknown)")
	err = st.Read(opCtx(t), func(tx accord.Tx) error { _, err := tx.Mail("mail_nope"); return err })
	wantCode(t, err, accord.ENOTFOUND, "Mail(unknown)")
}
