package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// The agenda follows one engagement from draft to paid: each step, who owes it, since when and
// until when, live and as the events fold back.
func TestWaiting(t *testing.T) {
	min := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	days := func(at time.Time, n int) time.Time { return at.AddDate(0, 0, n) }
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	var evs []accord.Event
	check := func(name string, step accord.Step, owner string, since, until time.Time, amount string) {
		t.Helper()
		evs = append(evs, e.Uncommitted()...)
		e.MarkCommitted()
		for _, got := range []accord.Wait{e.Waiting(5), accord.Replay(evs).Waiting(5)} {
			if got.Step != step || got.Owner != owner || !got.Since.Equal(since) || !got.Until.Equal(until) {
				t.Errorf("%s: %s by %q since %v until %v; want %s by %q since %v until %v",
					name, got.Step, got.Owner, got.Since, got.Until, step, owner, since, until)
			}
			if amount != "" && got.Amount != eur(amount) {
				t.Errorf("%s: amount %v, want %s", name, got.Amount, amount)
			}
		}
	}
	check("new", accord.StepWriteBrief, accord.OwnerFreelancer, t0, time.Time{}, "")
	mustOK(t, e.WriteBrief(fl(1), questions()))
	check("brief written", accord.StepSendBrief, accord.OwnerFreelancer, t0, time.Time{}, "")
	mustOK(t, e.SendBrief(fl(2)))
	check("sent to no one yet", accord.StepInvite, accord.OwnerFreelancer, min(2), time.Time{}, "")
	e.RecordInvitation(fl(3), "bob@example.com", min(3).Add(72*time.Hour))
	// Before an agreement the workspace's response time counts: 5 days here.
	check("brief sent", accord.StepAnswerBrief, accord.OwnerClient, min(2), days(min(2), 5), "")
	mustOK(t, e.AnswerBrief(cl(4), answers()))
	check("brief answered", accord.StepWriteAgreement, accord.OwnerFreelancer, min(4), time.Time{}, "")
	a, err := e.WriteAgreement(fl(5), agreement(), "en", keyOnly)
	mustOK(t, err)
	mustOK(t, e.ProposeAgreement(fl(6), a.Version))
	check("proposed", accord.StepAcceptAgreement, accord.OwnerClient, min(6), days(min(6), 5), "")
	mustOK(t, e.AcceptAgreement(cl(7), a.Version, termIDs(e.Current())))
	// From now on the agreed response time counts: 3 days; reviews take 5.
	check("agreed", accord.StepPrepay, accord.OwnerClient, min(7), days(min(7), 3), "500.00")
	_, err = e.RecordPayment(fl(8), e.Milestones[0].ID, eur("200.00"), "part")
	mustOK(t, err)
	check("part of the prepayment", accord.StepPrepay, accord.OwnerClient, min(7), days(min(7), 3), "300.00")
	_, err = e.RecordPayment(fl(9), e.Milestones[0].ID, eur("300.00"), "rest")
	mustOK(t, err)
	check("prepaid", accord.StepStart, accord.OwnerFreelancer, min(7), time.Time{}, "")
	mustOK(t, e.StartMilestone(fl(10), e.Milestones[0].ID))
	due, _ := e.Milestones[0].DueDate.Time()
	check("started", accord.StepDeliver, accord.OwnerFreelancer, min(10), due, "")
	did, err := e.Deliver(fl(11), e.Milestones[0].ID, "here", []accord.File{{Name: "logo.png", Size: 3, SHA256: "abc"}})
	mustOK(t, err)
	check("delivered", accord.StepReview, accord.OwnerClient, min(11), days(min(11), 5), "")
	mustOK(t, e.RequestChanges(cl(12), did, "too cold", "warmer colours", 20*time.Minute))
	check("sent back", accord.StepRework, accord.OwnerFreelancer, min(12), time.Time{}, "")
	mustOK(t, e.StartMilestone(fl(13), e.Milestones[0].ID))
	did, err = e.Deliver(fl(14), e.Milestones[0].ID, "warmer", []accord.File{{Name: "logo2.png", Size: 3, SHA256: "abd"}})
	mustOK(t, err)
	check("delivered again", accord.StepReview, accord.OwnerClient, min(14), days(min(14), 5), "")
	mustOK(t, e.AcceptDelivery(cl(15), did))
	check("accepted", accord.StepPay, accord.OwnerClient, min(15), days(min(15), 3), "500.00")
	_, err = e.RecordPayment(fl(16), e.Milestones[0].ID, eur("500.00"), "balance")
	mustOK(t, err)
	check("milestone 1 paid", accord.StepPrepay, accord.OwnerClient, min(16), days(min(16), 3), "1000.00")
	if w := e.Waiting(5); w.Milestone == nil || w.Milestone.N != 2 {
		t.Errorf("the next step is about milestone %v, want 2", w.Milestone)
	}
}

// "Today" is the calendar day where the one who acts lives: a due date of today's UTC date is
// already past in Kiritimati, and the refusal names the day as a date.
func TestTodayIsWhereThePersonLives(t *testing.T) {
	now := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	kiritimati, _ := time.LoadLocation("Pacific/Kiritimati")
	newYork, _ := time.LoadLocation("America/New_York")
	if got := (accord.Cmd{Now: now, Zone: kiritimati}).Today(); got != "2026-12-02" {
		t.Errorf("today in Kiritimati = %s", got)
	}
	if got := (accord.Cmd{Now: now, Zone: newYork}).Today(); got != "2026-12-01" {
		t.Errorf("today in New York = %s", got)
	}
	e := briefed(t)
	a := agreement(accord.MilestonePlan{Title: "Sketches", DueDate: "2026-12-01", Price: eur("100.00"), PrepaymentPercent: 50})
	err := e.CheckAgreement(accord.Cmd{Now: now, By: ana, Zone: kiritimati}, a)
	ae := checkErr(t, err, accord.EINVALID, "error.invalid", "milestones[0].due_date=agreement.date_past")
	if d, ok := ae.Fields[0].Data["today"].(accord.Date); !ok || d != "2026-12-02" {
		t.Errorf("the refusal names today as %#v, want the date 2026-12-02", ae.Fields[0].Data["today"])
	}
	mustOK(t, e.CheckAgreement(accord.Cmd{Now: now, By: ana, Zone: newYork}, a))
}

// The first glance sums who waits on whom and the money per currency from the engagements'
// digests, and takes the nearest unfinished due dates from the engagements nearest.
func TestSummarize(t *testing.T) {
	waiting := agreed(t, plan("Sketches", 8, "100.00", 50), plan("Final", 20, "200.00", 50)) // the prepayment: on the client
	waiting.RecordInvitation(fl(7), "bob@example.com", t0.AddDate(0, 0, 7))
	working := agreed(t, plan("Logo", 5, "300.00", 50))
	pay(t, working, 1, "150.00")
	draft, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Book", "BGN")
	mustOK(t, err)
	es := []*accord.Engagement{waiting, working, draft}
	ts, _ := sumDigests(es...)
	s := accord.Summarize(ts, es, 2)
	if s.OnClient != 1 || s.OnFreelancer != 2 {
		t.Errorf("waiting on the client %d, on the freelancer %d; want 1 and 2", s.OnClient, s.OnFreelancer)
	}
	if len(s.Money) != 2 || s.Money[1].Invoiced != eur("200.00") || s.Money[1].Paid != eur("150.00") || s.Money[1].Due != eur("50.00") || s.Money[0].Invoiced.Currency != "BGN" {
		t.Errorf("money: %+v", s.Money)
	}
	if len(s.Deadlines) != 2 || s.Deadlines[0].Milestone.Title != "Logo" || s.Deadlines[1].Milestone.Title != "Sketches" {
		t.Errorf("deadlines: %+v", s.Deadlines)
	}
}
