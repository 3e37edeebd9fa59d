package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/jobs"
	"github.com/accordapp/accord/internal/store/postgres"
	"github.com/accordapp/accord/internal/store/sqlite"
)

// kinds counts the outbox's emails by kind, and checks each went to want's address.
func (h *harness) kinds(token string) map[string]int {
	h.t.Helper()
	n := map[string]int{}
	for _, m := range h.outbox(token) {
		n[m["kind"].(string)]++
	}
	return n
}

// mailOf is the newest email of a kind in the outbox.
func (h *harness) mailOf(token, kind string) map[string]any {
	h.t.Helper()
	var last map[string]any
	for _, m := range h.outbox(token) {
		if m["kind"] == kind {
			last = m
		}
	}
	if last == nil {
		h.t.Fatalf("no %s email in the outbox", kind)
	}
	return last
}

// A client silent about the prepayment: a reminder in good faith after 3 days, a check-in after
// 6, the work paused after 9, each once and on the record; resumed on the freelancer's word, the
// due dates move by the days paused and the silence counts again from then.
func TestSilentClientIsRemindedThenPaused(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, _, _ := h.agreed(token, "1000.00", "600.00") // due 3 and 13 December 2026
		base := "/api/v1/engagements/" + id
		h.advance(token, "71h")
		if n := h.kinds(token); n["reminder.prepay"] != 0 {
			t.Fatalf("a reminder before its time: %v", n)
		}
		h.advance(token, "1h")
		r := h.mailOf(token, "reminder.prepay")
		if r["to"] != "maria@client.example" || !strings.Contains(r["body"].(string), "Perhaps the transfer is simply still on its way") ||
			!strings.Contains(r["body"].(string), "500.00") || !strings.Contains(r["body"].(string), h.url+"/p/") {
			t.Errorf("the reminder: %v", r)
		}
		h.advance(token, "72h")
		h.advance(token, "72h")
		if got := h.call("GET", base, token, nil, 200).json(t)["state"]; got != "paused" {
			t.Fatalf("after 9 silent days the engagement is %v, want paused", got)
		}
		h.advance(token, "240h") // paused: nothing more is sent
		n := h.kinds(token)
		if n["reminder.prepay"] != 1 || n["check_in"] != 1 || n["paused"] != 1 || n["notify_client_silent"] != 3 {
			t.Fatalf("the outbox after the ladder: %v", n)
		}
		if p := h.mailOf(token, "paused")["body"].(string); !strings.Contains(p, "is not refunded") || !strings.Contains(p, "the prepayment of €500.00 for milestone 1") {
			t.Errorf("the suspension notice: %s", p)
		}
		evs := h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any)
		var nudges []string
		for _, e := range evs {
			ev := e.(map[string]any)
			if ev["type"] == "client.nudged" {
				nudges = append(nudges, ev["data"].(map[string]any)["nudge"].(string))
			}
			if ev["type"] == "engagement.paused" && ev["actor"] != "system:accord" {
				t.Errorf("the pause is on the record by %v", ev["actor"])
			}
		}
		if strings.Join(nudges, ",") != "reminder,check_in,pause" {
			t.Errorf("the record's nudges: %v", nudges)
		}

		h.call("POST", base+"/resume", token, nil, 200) // 19 December: paused 10 whole days
		e := h.call("GET", base, token, nil, 200).json(t)
		m := e["milestones"].([]any)
		if e["state"] != "agreed" || m[0].(map[string]any)["due_date"] != "2026-12-13" || m[1].(map[string]any)["due_date"] != "2026-12-23" {
			t.Errorf("after resuming: %v, due %v and %v", e["state"], m[0].(map[string]any)["due_date"], m[1].(map[string]any)["due_date"])
		}
		h.advance(token, "72h")
		if n := h.kinds(token); n["reminder.prepay"] != 2 {
			t.Errorf("after resuming the silence did not count again: %v", n)
		}
	})
}

// A delivery neither accepted nor sent back within review_days: a warning two days before, then
// it counts as accepted, on the record as Accord's, and the balance is asked for.
func TestUnreviewedDeliveryIsAccepted(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00") // review_days 14
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "first concepts", map[string][]byte{"a.png": pngImage(t, 40, 30)})
		h.advance(token, "287h") // 12 days less an hour
		if n := h.kinds(token); n["review_warning"] != 0 || n["reminder.review"] != 1 || n["check_in"] != 1 {
			t.Fatalf("before the warning: %v", n)
		}
		h.advance(token, "1h")
		w := h.mailOf(token, "review_warning")["body"].(string)
		if !strings.Contains(w, "counts as accepted") || !strings.Contains(w, "7 December 2026") {
			t.Errorf("the warning: %s", w)
		}
		h.advance(token, "47h")
		if s := h.call("GET", base, token, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any)["state"]; s != "delivered" {
			t.Fatalf("an hour before the review time ends the milestone is %v", s)
		}
		h.advance(token, "1h")
		if s := h.call("GET", base, token, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any)["state"]; s != string(accord.MilestoneAccepted) {
			t.Fatalf("after the review time the milestone is %v, want accepted", s)
		}
		n := h.kinds(token)
		if n["review_warning"] != 1 || n["auto_accepted"] != 1 || n["balance"] != 1 {
			t.Errorf("the outbox: %v", n)
		}
		h.call("POST", "/portal/api/deliveries/"+ms[0]+"/accept", session, nil, 404) // nothing left to review
	})
}

// Information not given by its due date: the client is warned once, in words that name the
// milestone waiting for it; the freelancer is told too.
func TestOverdueInformationIsWarnedOnce(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, _, ms := h.agreed(token, "1000.00", "600.00")
		h.call("POST", "/api/v1/engagements/"+id+"/info-requests", token, map[string]any{"title": "Texts for the book",
			"due_date": "2026-11-25", "blocks": []string{ms[0]}}, 201)
		h.advance(token, "61h") // 25 November, 23:00: not late yet
		if n := h.kinds(token); n["info_overdue"] != 0 {
			t.Fatalf("warned before the due date ended: %v", n)
		}
		h.advance(token, "1h")
		w := h.mailOf(token, "info_overdue")
		if w["to"] != "maria@client.example" || !strings.Contains(w["body"].(string), `("Part A")`) ||
			!strings.Contains(w["body"].(string), "25 November 2026") {
			t.Errorf("the warning: %v", w["body"])
		}
		h.advance(token, "48h")
		if n := h.kinds(token); n["info_overdue"] != 1 || n["notify_client_silent"] != 1 {
			t.Errorf("the outbox: %v", n)
		}
	})
}

// On the agreed cadence ("weekly") a report is drafted from the record at 9:00, the freelancer
// is told, and at 17:00 it goes to the client as drafted; a report the freelancer sends first
// is the one that goes, and the draft is not sent after it.
func TestReportsGoOnTheCadence(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, _ := h.agreed(token, "1000.00") // accepted on Monday 23 November, 10:00 UTC
		h.advance(token, "166h")                     // 30 November, 8:00
		if n := h.kinds(token); n["notify_report_drafted"] != 0 {
			t.Fatalf("a report drafted early: %v", n)
		}
		h.advance(token, "1h")
		if n := h.kinds(token); n["notify_report_drafted"] != 1 || n["message"] != 0 {
			t.Fatalf("at 9:00 on 30 November: %v", n)
		}
		b := h.browser("en")
		b.login("ana@studio.example")
		p := b.get("/app/engagements/" + id)
		if !strings.Contains(p.text(), "it goes to the client as it stands at 30 November 2026, 17:00 (UTC)") ||
			!strings.Contains(p.value(t, "report-body"), `Status of "Brand book" on 30 November 2026`) {
			t.Errorf("the engagement page does not show the waiting draft:\n%s", p.text())
		}
		h.advance(token, "8h")
		msgs := h.call("GET", "/portal/api/messages", session, nil, 200).json(t)["messages"].([]any)
		if len(msgs) != 1 || !strings.Contains(msgs[0].(map[string]any)["body"].(string), `Status of "Brand book" on 30 November 2026`) {
			t.Fatalf("at 17:00 the client has %v", msgs)
		}

		h.advance(token, "160h") // 7 December, 9:00: the next draft
		b.post("/app/engagements/"+id+"/report", url.Values{"body": {"My own words this week."}})
		h.advance(token, "24h")
		msgs = h.call("GET", "/portal/api/messages", session, nil, 200).json(t)["messages"].([]any)
		if len(msgs) != 2 || msgs[1].(map[string]any)["body"] != "My own words this week." {
			t.Errorf("after a report sent by hand the client has %v", msgs)
		}
	})
}

// A step that fails at every try is tried again with backoff and, after its last try, shown to
// the freelancer on the dashboard, as are the emails that never went.
func TestFailedStepsAreShownOnTheDashboard(t *testing.T) {
	h := newHarness(t)
	mailer := &switchMailer{fail: true}
	h.app.Mailer = mailer
	token := h.account("ana@studio.example")
	h.agreed(token, "1000.00")
	var ws string
	if err := h.app.Store.Write(context.Background(), func(tx accord.Tx) error {
		u, err := tx.UserByEmail("ana@studio.example")
		if err != nil {
			return err
		}
		if ws, err = tx.WorkspaceOfUser(u.ID); err != nil {
			return err
		}
		// Arguments no handler can read: every try fails.
		return h.app.Jobs.Enqueue(tx, jobs.Job{Kind: app.JobNudge, Args: map[string]any{"workspace_id": ws, "engagement_id": 42}})
	}); err != nil {
		t.Fatal(err)
	}
	b := h.browser("en")
	b.login("ana@studio.example")
	if p := b.get("/app"); strings.Contains(p.html, `id="failed"`) {
		t.Fatal("the dashboard shows failures before any try")
	}
	h.advance(token, "48h")
	p := b.get("/app")
	if !strings.Contains(p.html, `id="failed-steps"`) || !strings.Contains(p.text(), "the step due for a silent client failed at every try") ||
		!strings.Contains(p.text(), "cannot unmarshal") {
		t.Errorf("the dashboard does not show the failed step:\n%s", p.text())
	}
	failed := 0
	for _, m := range h.outbox(token) {
		if m["state"] == "failed" {
			failed++
		}
	}
	if failed == 0 || !strings.Contains(p.text(), cat.T("en", "dashboard.failed.mails", map[string]any{"count": failed})) {
		t.Errorf("the dashboard does not count the emails that never went:\n%s", p.text())
	}
	h.app.SignupPolicy = "open" // another workspace on the same server sees none of it
	h.account("bor@studio.example")
	ob := h.browser("en")
	ob.login("bor@studio.example")
	if p := ob.get("/app"); strings.Contains(p.html, `id="failed"`) {
		t.Error("another workspace's dashboard shows the failure")
	}
}

// waitingNudges is how many nudge jobs wait for their time, on either store.
func (h *harness) waitingNudges() int {
	h.t.Helper()
	const q = `SELECT count(*) FROM river_job WHERE kind = 'nudge' AND state IN ('scheduled', 'available')`
	var n int
	var err error
	switch st := h.app.Store.(type) {
	case *sqlite.Store:
		err = st.Writer.QueryRow(q).Scan(&n)
	case *postgres.Store:
		err = st.Pool.QueryRow(context.Background(), q).Scan(&n)
	default:
		h.t.Fatalf("no job table on a %T", st)
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// A client who writes every day moves the reminder later each time, without a nudge job a
// message: the job scheduled for the first reminder runs before its step, finds nothing due
// and schedules the reminder where it is then, three days after the client's last word.
func TestClientWhoWritesMovesTheReminder(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		_, session, _ := h.agreed(token, "1000.00") // the prepayment is due: a reminder in 72h
		waiting := h.waitingNudges()
		if waiting == 0 {
			t.Fatal("no nudge job waits for the prepayment's reminder")
		}
		for range 4 { // four days, a word a day: the reminder moves to 72h after the last
			h.advance(token, "24h")
			h.call("POST", "/portal/api/messages", session, map[string]string{"body": "The transfer goes out this week."}, 201)
			if n := h.waitingNudges(); n > waiting {
				t.Fatalf("a message added a nudge job: %d waiting, %d before", n, waiting)
			}
		}
		h.advance(token, "71h") // the first job ran at 72h, before its step
		if n := h.kinds(token); n["reminder.prepay"] != 0 {
			t.Fatalf("reminded while the client was writing: %v", n)
		}
		if h.waitingNudges() == 0 {
			t.Fatal("the job that came early left no job for the reminder")
		}
		h.advance(token, "1h")
		if n := h.kinds(token); n["reminder.prepay"] != 1 {
			t.Fatalf("three days after the client's last word: %v", n)
		}
	})
}
