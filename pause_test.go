package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// Paused, work waits; resumed on the freelancer's word, the engagement goes back to where it was
// and the unfinished milestones' due dates move by the whole days paused.
func TestPauseAndResume(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "100.00", 50), plan("Final", 20, "200.00", 50))
	pay(t, e, 1, "50.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	checkErrCode(t, "resume a running engagement", e.Resume(fl(12)), accord.ECONFLICT, "engagement.not_paused")
	pausedAt := accord.Cmd{Now: t0.AddDate(0, 0, 9), By: accord.Actor{Kind: "system", ID: "accord"}}
	mustOK(t, e.Pause(pausedAt, "silence"))
	if e.State != accord.Paused {
		t.Fatalf("state %s after pausing", e.State)
	}
	_, err := e.Deliver(fl(13), e.Milestones[0].ID, "x", []accord.File{{Name: "a.png", Size: 1, SHA256: "a"}})
	checkErrCode(t, "deliver while paused", err, accord.ECONFLICT, "engagement.not_running")
	before := []accord.Date{e.Milestones[0].DueDate, e.Milestones[1].DueDate}
	mustOK(t, e.Resume(accord.Cmd{Now: t0.AddDate(0, 0, 13).Add(5 * time.Hour), By: ana})) // 4 whole days and some hours
	if e.State != accord.Active || e.Milestones[0].DueDate != before[0].AddDays(4) || e.Milestones[1].DueDate != before[1].AddDays(4) {
		t.Errorf("after resuming: %s, due %s and %s", e.State, e.Milestones[0].DueDate, e.Milestones[1].DueDate)
	}
	if got := accord.Replay(e.Uncommitted()); got.State != e.State || jsonOf(t, got.Milestones) != jsonOf(t, e.Milestones) {
		t.Errorf("the fold differs from the engagement")
	}
}
