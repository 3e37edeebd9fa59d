package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// Information answered D whole days after its date moves each blocked milestone and every later
// one by D days; on time it moves nothing; the moves are on the record as such.
func TestLateInformationMovesDeadlines(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "100.00", 50), plan("Layout", 20, "200.00", 50), plan("Print", 30, "300.00", 0))
	e.RecordInvitation(fl(6), "bob@example.com", t0.AddDate(0, 0, 7))
	due := accord.Date(t0.AddDate(0, 0, 10).Format(time.DateOnly))
	_, err := e.RequestInfo(fl(7), "Texts for the layout", "2020-01-01", nil)
	checkErr(t, err, accord.EINVALID, "error.invalid", "due_date=agreement.date_past")
	_, err = e.RequestInfo(fl(7), "Texts", due, []string{"ms_nope"})
	checkErr(t, err, accord.EINVALID, "error.invalid", "blocks=info.unknown_milestone")
	id, err := e.RequestInfo(fl(7), "Texts for the layout", due, []string{e.Milestones[1].ID})
	mustOK(t, err)
	if w := e.Waiting(3); w.Step != accord.StepAnswerInfo || w.Owner != accord.OwnerClient || w.Until.Format(time.DateOnly) != string(due) {
		t.Errorf("while the information is asked the agenda says %s by %s until %v", w.Step, w.Owner, w.Until)
	}
	before := []accord.Date{e.Milestones[0].DueDate, e.Milestones[1].DueDate, e.Milestones[2].DueDate}
	late := accord.Cmd{Now: t0.AddDate(0, 0, 13).Add(2 * time.Hour), By: bob} // 3 whole days after the date
	checkErrCode(t, "answer nothing", e.AnswerInfo(late, id, "  "), accord.EINVALID, "error.invalid")
	mustOK(t, e.AnswerInfo(late, id, "Here are the texts."))
	want := []accord.Date{before[0], before[1].AddDays(3), before[2].AddDays(3)}
	for i, m := range e.Milestones {
		if m.DueDate != want[i] {
			t.Errorf("milestone %d is due %s, want %s", i+1, m.DueDate, want[i])
		}
	}
	if r := e.InfoRequest(id); r.DaysLate != 3 || r.Answer != "Here are the texts." {
		t.Errorf("the request after the answer: %+v", r)
	}
	checkErrCode(t, "answer twice", e.AnswerInfo(late, id, "again"), accord.ECONFLICT, "info.answered")
	checkErrCode(t, "answer what was not asked", e.AnswerInfo(late, "inf_nope", "x"), accord.ENOTFOUND, "info.not_found")

	onTime, err := e.RequestInfo(fl(8), "Photos", accord.Date(t0.AddDate(0, 0, 20).Format(time.DateOnly)), []string{e.Milestones[2].ID})
	mustOK(t, err)
	mustOK(t, e.AnswerInfo(cl(9), onTime, "Photos attached."))
	if e.Milestones[2].DueDate != want[2] {
		t.Errorf("an answer on time moved a deadline: %s", e.Milestones[2].DueDate)
	}
	if got := accord.Replay(e.Uncommitted()); jsonOf(t, got.Milestones) != jsonOf(t, e.Milestones) {
		t.Errorf("the fold differs from the engagement")
	}
}
