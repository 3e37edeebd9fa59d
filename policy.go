package accord

import "strconv"

// ApplyPolicy checks an agreement against the workspace's policy (each milestone's prepayment
// share and the kill fee at least the policy's, the revisions at most), unless the client is
// trusted, and then the reason goes on the record with the version.
func ApplyPolicy(a *Agreement, w Workspace, c Client) error {
	var v Invalid
	below := false
	for i, m := range a.Milestones {
		if m.PrepaymentPercent < w.MinPrepayment {
			below = true
			if c.Trust() != "trusted" {
				v.Add("milestones["+strconv.Itoa(i)+"].prepayment_percent", "agreement.prepayment_policy", "min", w.MinPrepayment)
			}
		}
	}
	trusted := c.Trust() == "trusted"
	if a.KillFeePercent < w.MinKillFee {
		below = true
		if !trusted {
			v.Add("kill_fee_percent", "agreement.kill_fee_policy", "min", w.MinKillFee)
		}
	}
	if w.MaxRevisions > 0 && a.Revisions > w.MaxRevisions {
		below = true
		if !trusted {
			v.Add("revisions", "agreement.revisions_policy", "max", w.MaxRevisions)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	a.PolicyRelaxed = ""
	if below {
		a.PolicyRelaxed = c.TrustedReason
	}
	return nil
}

// TrustClient relaxes the workspace's policy for a client, for the reason given; a client with
// a red flag cannot be trusted.
func TrustClient(c *Client, reason string) error {
	var v Invalid
	reason = v.Text("reason", reason, true, 500)
	if err := v.Err(); err != nil {
		return err
	}
	if len(c.RedFlags) > 0 {
		return Errorf(ECONFLICT, "client.flagged")
	}
	c.TrustedReason = reason
	return nil
}
