package accord

import "fmt"

// validateAmendment checks a new version against the milestones under way: none that has begun
// may go, and none may cost less than has been paid for it.
func (e *Engagement) validateAmendment(plans []MilestonePlan, v *Invalid) {
	for i, m := range e.Milestones {
		if m.State == MilestonePending || m.State == MilestoneAwaitingPrepayment && m.Paid.Amount == 0 {
			continue
		}
		if i >= len(plans) {
			v.Add("milestones", "amendment.milestone_kept", "num", m.N, "title", m.Title)
			continue
		}
		if plans[i].Price.Currency == m.Paid.Currency && plans[i].Price.Amount < m.Paid.Amount {
			v.Add(fmt.Sprintf("milestones[%d].price", i), "amendment.price_below_paid", "paid", m.Paid)
		}
	}
}

// DeclineAgreement is the client's no to a proposed amendment: the accepted version holds.
func (e *Engagement) DeclineAgreement(c Cmd, version int) error {
	a := e.Proposed()
	if a == nil || e.Accepted() == nil {
		return Errorf(ECONFLICT, "agreement.nothing_to_decline", "state", string(e.State))
	}
	if a.Version != version {
		return Errorf(ECONFLICT, "agreement.superseded", "version", version, "current", a.Version)
	}
	e.record(c, AgreementDeclined{Version: version})
	return nil
}

// Amending reports whether a new version would amend an accepted agreement.
func (e *Engagement) Amending() bool { return e.Accepted() != nil }
