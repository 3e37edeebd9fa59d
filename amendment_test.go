package accord_test

import (
	"testing"

	"github.com/accordapp/accord"
)

// After acceptance a new version is an amendment: proposed while the accepted one holds, accepted
// term by term or declined, and the milestones under way keep their money and state.
func TestAmendment(t *testing.T) {
	e := agreed(t)
	e.RecordInvitation(fl(6), "bob@example.com", t0.AddDate(0, 0, 7))
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	first, second := e.Milestones[0].ID, e.Milestones[1].ID

	// A milestone under way cannot go, nor cost less than was paid for it.
	_, err := e.WriteAgreement(fl(12), agreement(plan("Sketches", 8, "400.00", 50)), "en", keyOnly)
	checkErr(t, err, accord.EINVALID, "error.invalid", "milestones[0].price=amendment.price_below_paid")
	_, err = e.WriteAgreement(fl(12), agreement(plan("Sketches", 8, "1000.00", 50), plan("Final", 22, "2000.00", 50)), "en", keyOnly)
	mustOK(t, err)

	// The amendment: milestone 2 later and dearer, a milestone 3 added.
	v3, err := e.WriteAgreement(fl(13), agreement(plan("Sketches", 8, "1000.00", 50), plan("Final", 30, "2500.00", 50),
		plan("Print files", 40, "300.00", 0)), "en", keyOnly)
	mustOK(t, err)
	mustOK(t, e.ProposeAgreement(fl(14), v3.Version))
	if e.State != accord.Active || e.Accepted().Version != 1 || e.Proposed() == nil || e.Proposed().Version != v3.Version {
		t.Fatalf("after proposing the amendment: state %s, accepted %v, proposed %v", e.State, e.Accepted(), e.Proposed())
	}
	if w := e.Waiting(3); w.Step != accord.StepAcceptAmendment || w.Owner != accord.OwnerClient {
		t.Errorf("while the amendment waits the agenda says %s by %s", w.Step, w.Owner)
	}
	if len(e.Milestones) != 2 || e.Milestones[1].Price != eur("2000.00") {
		t.Fatalf("the proposal changed the milestones in force: %+v", e.Milestones)
	}
	err = e.AcceptAgreement(cl(15), v3.Version, termIDs(v3)[:2])
	checkErrCode(t, "accept with terms unticked", err, accord.EINVALID, "error.invalid")
	mustOK(t, e.AcceptAgreement(cl(16), v3.Version, termIDs(v3)))
	if e.State != accord.Active || e.Accepted().Version != v3.Version || e.Agreement(1).State != "superseded" {
		t.Fatalf("after accepting: state %s, accepted %d, v1 %s", e.State, e.Accepted().Version, e.Agreement(1).State)
	}
	m := e.Milestones
	if len(m) != 3 || m[0].ID != first || m[0].State != accord.MilestoneInProgress || m[0].Paid != eur("500.00") ||
		m[1].ID != second || m[1].Price != eur("2500.00") || m[1].Prepayment != eur("1250.00") || m[2].State != accord.MilestonePending {
		t.Fatalf("the milestones after the amendment: %+v", m)
	}

	// Declined: the accepted version holds.
	v4, err := e.WriteAgreement(fl(17), agreement(plan("Sketches", 8, "1000.00", 50), plan("Final", 30, "9999.00", 50),
		plan("Print files", 40, "300.00", 0)), "en", keyOnly)
	mustOK(t, err)
	checkErrCode(t, "decline what was not proposed", e.DeclineAgreement(cl(18), v4.Version), accord.ECONFLICT, "agreement.nothing_to_decline")
	mustOK(t, e.ProposeAgreement(fl(18), v4.Version))
	checkErrCode(t, "decline another version", e.DeclineAgreement(cl(19), v3.Version), accord.ECONFLICT, "agreement.superseded")
	mustOK(t, e.DeclineAgreement(cl(19), v4.Version))
	if e.Accepted().Version != v3.Version || e.Proposed() != nil || e.Agreement(v4.Version).State != "declined" || e.Milestones[1].Price != eur("2500.00") {
		t.Fatalf("after declining: accepted %d, proposed %v, v4 %s", e.Accepted().Version, e.Proposed(), e.Agreement(v4.Version).State)
	}
	if got := accord.Replay(append([]accord.Event(nil), e.Uncommitted()...)); jsonOf(t, got.Milestones) != jsonOf(t, e.Milestones) {
		t.Errorf("the fold of the events differs from the engagement:\n%s\n%s", jsonOf(t, got.Milestones), jsonOf(t, e.Milestones))
	}
}
