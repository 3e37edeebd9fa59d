package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

var sys = accord.System

// invitedAgreed is an accepted engagement whose client has a portal link.
func invitedAgreed(t *testing.T) *accord.Engagement {
	t.Helper()
	e := agreed(t)
	e.RecordInvitation(fl(7), "bob@example.com", day(7))
	return e
}

// take takes the nudge NextDue offers at now, checking it is the one wanted.
func take(t *testing.T, e *accord.Engagement, now time.Time, want accord.Nudge, wantAt time.Time) {
	t.Helper()
	d, ok := e.NextDue(now, 3, time.UTC)
	if !ok || d.Nudge != want || !d.At.Equal(wantAt) {
		t.Fatalf("at %s NextDue = %s at %s (%v), want %s at %s", now, d.Nudge, d.At, ok, want, wantAt)
	}
	mustOK(t, e.TakeNudge(accord.Cmd{Now: now, By: sys}, d, 3, time.UTC))
}

// A brief left unanswered: a reminder after R days, a check-in after 2R, the pause after 3R;
// each once, and never before its time.
func TestSilentClientLadder(t *testing.T) {
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	mustOK(t, e.WriteBrief(fl(1), questions()))
	e.RecordInvitation(fl(1), "bob@example.com", day(7))
	mustOK(t, e.SendBrief(fl(2)))
	sent := t0.Add(2 * time.Minute)
	d, ok := e.NextDue(sent, 3, time.UTC)
	if !ok || d.Nudge != accord.NudgeReminder || !d.At.Equal(sent.AddDate(0, 0, 3)) {
		t.Fatalf("NextDue right after sending: %+v %v", d, ok)
	}
	if err := e.TakeNudge(accord.Cmd{Now: sent.AddDate(0, 0, 2), By: sys}, d, 3, time.UTC); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Fatalf("a reminder taken early: %v", err)
	}
	take(t, e, sent.AddDate(0, 0, 3), accord.NudgeReminder, sent.AddDate(0, 0, 3))
	if err := e.TakeNudge(accord.Cmd{Now: sent.AddDate(0, 0, 3), By: sys}, d, 3, time.UTC); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Fatalf("the same reminder taken twice: %v", err)
	}
	take(t, e, sent.AddDate(0, 0, 6), accord.NudgeCheckIn, sent.AddDate(0, 0, 6))
	take(t, e, sent.AddDate(0, 0, 9), accord.NudgePause, sent.AddDate(0, 0, 9))
	if e.State != accord.Paused || e.PausedFrom != accord.BriefSent {
		t.Fatalf("after the pause: %s from %s", e.State, e.PausedFrom)
	}
	if d, ok := e.NextDue(day(30), 3, time.UTC); ok {
		t.Fatalf("paused, yet %s is due", d.Nudge)
	}
	// Resumed, the silence starts again from the resumption.
	mustOK(t, e.Resume(accord.Cmd{Now: day(12), By: ana}))
	take(t, e, day(15), accord.NudgeReminder, day(15))
	if got := accord.Replay(e.Uncommitted()); jsonOf(t, got) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement:\n%s\n%s", jsonOf(t, got), jsonOf(t, e))
	}
}

// Any client action ends the silence: the ladder starts again from it.
func TestClientActionEndsTheSilence(t *testing.T) {
	e := invitedAgreed(t) // accepted 6 minutes after t0; the first prepayment is owed
	accepted := t0.Add(6 * time.Minute)
	take(t, e, accepted.AddDate(0, 0, 3), accord.NudgeReminder, accepted.AddDate(0, 0, 3))
	if _, err := e.SendMessage(accord.Cmd{Now: day(4), By: bob}, "The transfer is on its way", "portal", 0); err != nil {
		t.Fatal(err)
	}
	take(t, e, day(7), accord.NudgeReminder, day(7))
	take(t, e, day(10), accord.NudgeCheckIn, day(10))
}

// A server down through the reminder and the check-in sends the check-in alone, late.
func TestMissedNudgesArePassedOver(t *testing.T) {
	e := invitedAgreed(t)
	accepted := t0.Add(6 * time.Minute)
	take(t, e, day(8), accord.NudgeCheckIn, accepted.AddDate(0, 0, 6))
	take(t, e, day(10), accord.NudgePause, accepted.AddDate(0, 0, 9))
}

// A delivery left unreviewed: a warning two days before the review time ends, then
// acceptance; a warning that came late still gives its two days.
func TestUnreviewedDeliveryIsAccepted(t *testing.T) {
	e := invitedAgreed(t) // review_days 5, response_days 3
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	deliver(t, e, 1)
	at := t0.Add(20 * time.Minute)
	// The reminder falls on the warning's day: the warning, which says more, goes alone.
	take(t, e, at.AddDate(0, 0, 3), accord.NudgeReviewWarning, at.AddDate(0, 0, 3))
	take(t, e, at.AddDate(0, 0, 5), accord.NudgeAutoAccept, at.AddDate(0, 0, 5))
	if m := e.Milestones[0]; m.State != accord.MilestoneAccepted {
		t.Fatalf("after the review time the milestone is %s", m.State)
	}
	evs := e.Uncommitted()
	if last := evs[len(evs)-1]; last.Type != "delivery.accepted" || last.Actor != "system:accord" {
		t.Errorf("the acceptance is on the record as %s by %s", last.Type, last.Actor)
	}

	late := invitedAgreed(t)
	pay(t, late, 1, "500.00")
	mustOK(t, late.StartMilestone(fl(11), late.Milestones[0].ID))
	deliver(t, late, 1)
	// Nothing ran until after the review time: the warning goes first, the acceptance two days on.
	take(t, late, day(9), accord.NudgeReviewWarning, at.AddDate(0, 0, 3))
	take(t, late, day(11), accord.NudgeAutoAccept, day(11))
}

// Information not given by its due date: a warning once the date has passed in the
// workspace's zone, then the ladder from there.
func TestOverdueInformation(t *testing.T) {
	e := invitedAgreed(t)
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	sofia, _ := time.LoadLocation("Europe/Sofia")
	_, err := e.RequestInfo(accord.Cmd{Now: t0.Add(12 * time.Minute), By: ana, Zone: sofia}, "Brand colours", accord.Date("2026-11-25"), []string{e.Milestones[0].ID})
	mustOK(t, err)
	end := time.Date(2026, 11, 26, 0, 0, 0, 0, sofia)
	d, ok := e.NextDue(t0, 3, sofia)
	if !ok || d.Nudge != accord.NudgeInfoOverdue || !d.At.Equal(end) {
		t.Fatalf("NextDue for an open request: %+v", d)
	}
	take2 := func(now time.Time, want accord.Nudge, wantAt time.Time) {
		t.Helper()
		d, ok := e.NextDue(now, 3, sofia)
		if !ok || d.Nudge != want || !d.At.Equal(wantAt) {
			t.Fatalf("at %s NextDue = %s at %s, want %s at %s", now, d.Nudge, d.At, want, wantAt)
		}
		mustOK(t, e.TakeNudge(accord.Cmd{Now: now, By: sys}, d, 3, sofia))
	}
	take2(end, accord.NudgeInfoOverdue, end)
	take2(end.AddDate(0, 0, 3), accord.NudgeReminder, end.AddDate(0, 0, 3))
}
