package accord_test

import (
	"testing"

	"github.com/accordapp/accord"
)

// The policy holds for every client but a trusted one, and a relaxed version keeps why.
func TestApplyPolicy(t *testing.T) {
	ws := accord.Workspace{MinPrepayment: 50, MinKillFee: 30, MaxRevisions: 2}
	ag := agreement(plan("Sketches", 8, "1000.00", 20))
	ag.KillFeePercent, ag.Revisions = 10, 5
	checkErr(t, accord.ApplyPolicy(&ag, ws, accord.Client{}), accord.EINVALID, "",
		"milestones[0].prepayment_percent=agreement.prepayment_policy", "kill_fee_percent=agreement.kill_fee_policy", "revisions=agreement.revisions_policy")
	flagged := accord.Client{TrustedReason: "Old friend", RedFlags: []accord.RedFlag{{Code: "pressure"}}}
	if accord.ApplyPolicy(&ag, ws, flagged) == nil {
		t.Fatal("a flagged client passed the policy")
	}
	trusted := accord.Client{TrustedReason: "Ten projects paid on time"}
	mustOK(t, accord.ApplyPolicy(&ag, ws, trusted))
	if ag.PolicyRelaxed != "Ten projects paid on time" {
		t.Errorf("the relaxed version keeps %q", ag.PolicyRelaxed)
	}
	within := agreement()
	mustOK(t, accord.ApplyPolicy(&within, ws, trusted))
	if within.PolicyRelaxed != "" {
		t.Errorf("a version within the policy says it was relaxed: %q", within.PolicyRelaxed)
	}
	if err := accord.TrustClient(&flagged, "x"); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Errorf("a flagged client was trusted: %v", err)
	}
}
