package accord_test

import (
	"testing"

	"github.com/accordapp/accord"
)

// Work sent back: the freelancer names the cause with the terms and record entries that show
// it; the options follow the documented rules with one recommended; the client's choice is on
// the record, once.
func TestCauseAndOptions(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "1000.00", 50)) // 2 revisions
	e.RecordInvitation(fl(7), "bob@example.com", day(7))
	pay(t, e, 1, "500.00")
	m := &e.Milestones[0]
	mustOK(t, e.StartMilestone(fl(11), m.ID))
	did := deliver(t, e, 1)
	mustOK(t, e.RequestChanges(cl(21), did, "Not what I imagined", "Something else", 0))
	if e.Options(m.ID) != nil {
		t.Fatal("options before the cause is named")
	}
	checkErr(t, e.ClassifyCause(fl(22), m.ID, "weather", nil, nil), accord.EINVALID, "", "cause=cause.unknown")
	checkErr(t, e.ClassifyCause(fl(22), m.ID, accord.CauseOutOfScope, []string{"t_nope"}, []int64{9999}), accord.EINVALID, "",
		"terms=cause.unknown_term", "events=cause.unknown_event")
	scope := e.Accepted().Terms[0].ID
	mustOK(t, e.ClassifyCause(fl(23), m.ID, accord.CauseOutOfScope, []string{scope}, []int64{1}))
	opts := e.Options(m.ID)
	if len(opts) != 2 || opts[0].Kind != accord.OptionPaidChange || !opts[0].Recommended || opts[1].Kind != accord.OptionTerminate || opts[1].Recommended {
		t.Fatalf("out of scope: %+v", opts)
	}
	if w := e.Waiting(3); w.Step != accord.StepChooseOption || w.Owner != accord.OwnerClient {
		t.Fatalf("waiting for %s by %s, want the client's choice", w.Step, w.Owner)
	}
	checkErr(t, e.ChooseOption(cl(24), m.ID, accord.OptionRework), accord.EINVALID, "", "option=cause.unknown_option")
	mustOK(t, e.ChooseOption(cl(25), m.ID, accord.OptionPaidChange))
	checkErrCode(t, "choosing twice", e.ChooseOption(cl(26), m.ID, accord.OptionTerminate), accord.ECONFLICT, "cause.chosen_already")
	if w := e.Waiting(3); w.Step != accord.StepQuoteChange {
		t.Fatalf("after choosing a paid change, waiting for %s", w.Step)
	}

	// Our fault: rework at no cost is recommended, even past the revisions.
	ours := agreed(t, plan("Sketches", 8, "1000.00", 50))
	pay(t, ours, 1, "500.00")
	om := &ours.Milestones[0]
	mustOK(t, ours.StartMilestone(fl(11), om.ID))
	for round := range 3 {
		d := deliver(t, ours, 1)
		mustOK(t, ours.RequestChanges(cl(30+round), d, "Wrong colours", "The brief's colours", 0))
		if round < 2 {
			mustOK(t, ours.StartMilestone(fl(40+round), om.ID))
		}
	}
	checkErrCode(t, "past the revisions", ours.StartMilestone(fl(50), om.ID), accord.ECONFLICT, "paid_change.pending")
	mustOK(t, ours.ClassifyCause(fl(51), om.ID, accord.CauseOurs, nil, nil))
	if o := ours.Options(om.ID); len(o) != 3 || o[0].Kind != accord.OptionRework || !o[0].Recommended {
		t.Fatalf("our fault: %+v", o)
	}
	mustOK(t, ours.ChooseOption(cl(52), om.ID, accord.OptionRework))
	mustOK(t, ours.StartMilestone(fl(53), om.ID)) // free: the fault was ours
	for _, x := range []*accord.Engagement{e, ours} {
		if got := accord.Replay(x.Uncommitted()); jsonOf(t, got) != jsonOf(t, x) {
			t.Errorf("the fold differs from the engagement")
		}
	}
}
