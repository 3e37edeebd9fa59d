package accord_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// randomEngagement is an accepted engagement in a random currency, whose milestones went as far
// as chance took them (each one only once the previous was paid), with a random refund.
func randomEngagement(t *testing.T, r *rand.Rand) *accord.Engagement {
	t.Helper()
	cur := []string{"EUR", "JPY", "KWD"}[r.IntN(3)]
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Work", cur)
	mustOK(t, err)
	mustOK(t, e.WriteBrief(fl(1), questions()))
	mustOK(t, e.SendBrief(fl(2)))
	mustOK(t, e.AnswerBrief(cl(3), answers()))
	var plans []accord.MilestonePlan
	for i := range 1 + r.IntN(4) {
		plans = append(plans, accord.MilestonePlan{Title: "M", DueDate: accord.Date(t0.AddDate(0, 0, 10*(i+1)).Format(time.DateOnly)),
			Price: accord.Money{Amount: 1 + r.Int64N(10_000_000), Currency: cur}, PrepaymentPercent: r.IntN(101)})
	}
	ag := agreement(plans...)
	ag.KillFeePercent = r.IntN(101)
	a, err := e.WriteAgreement(fl(4), ag, "en", keyOnly)
	mustOK(t, err)
	mustOK(t, e.ProposeAgreement(fl(5), a.Version))
	mustOK(t, e.AcceptAgreement(cl(6), a.Version, termIDs(e.Current())))
	payUp := func(m *accord.Milestone, to accord.Money) {
		if d := to.Sub(m.Paid); d.Amount > 0 {
			_, err := e.RecordPayment(fl(10), m.ID, d, "")
			mustOK(t, err)
		}
	}
	for i := range e.Milestones {
		m := &e.Milestones[i]
		stage := r.IntN(6) // 0 nothing, 1 prepaid, 2 started, 3 delivered, 4 accepted, 5 paid in full
		if stage == 0 {
			break
		}
		payUp(m, m.Prepayment)
		if stage >= 2 {
			mustOK(t, e.StartMilestone(fl(11), m.ID))
		}
		if stage >= 3 {
			id, err := e.Deliver(fl(12), m.ID, "", []accord.File{{Name: "a.png", Size: 1, SHA256: "a"}})
			mustOK(t, err)
			if stage >= 4 {
				mustOK(t, e.AcceptDelivery(cl(13), id))
			}
		}
		if stage >= 5 {
			payUp(&e.Milestones[i], e.Milestones[i].Price)
		}
		if stage < 5 {
			break
		}
	}
	if got := e.Received(); got.Amount > 0 && r.IntN(3) == 0 {
		_, err := e.RecordRefund(fl(14), accord.Money{Amount: 1 + r.Int64N(got.Amount), Currency: cur}, "bank")
		mustOK(t, err)
	}
	return e
}

// No settlement creates or loses money: what the freelancer keeps and what is refunded add up to
// what was paid when it covers what was earned; what is kept and what is owed add up to what was
// earned otherwise; the kill fee is rounded half up to the currency's minor unit.
func TestSettlementKeepsTheMoney(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 7))
	var refunded, owed, underWay int
	for i := range 400 {
		e := randomEngagement(t, r)
		if e.State == accord.Completed {
			if _, err := e.Settle(accord.SettleKillFee); accord.ErrorCode(err) != accord.ECONFLICT {
				t.Fatalf("case %d: a completed engagement settled: %v", i, err)
			}
			continue
		}
		paid := e.Received()
		earned := int64(0)
		for _, m := range e.Milestones {
			if m.State == accord.MilestoneAccepted || m.State == accord.MilestonePaid {
				earned += m.Price.Amount
			}
		}
		if u := e.UnderWay(); u != nil {
			// Half up, computed apart from the code under test: the remainder decides.
			p, k := u.Price.Amount, int64(e.Accepted().KillFeePercent)
			fee := p * k / 100
			if rem := p * k % 100; rem >= 50 {
				fee++
			}
			earned += fee
			underWay++
		}
		s, err := e.Settle(accord.SettleKillFee)
		mustOK(t, err)
		for _, m := range []accord.Money{s.FreelancerKeeps, s.RefundDue, s.ClientOwes} {
			if m.Amount < 0 || m.Currency != e.Currency {
				t.Fatalf("case %d: a negative or foreign amount %v in %+v", i, m, s)
			}
		}
		if s.RefundDue.Amount > 0 {
			refunded++
		}
		if s.ClientOwes.Amount > 0 {
			owed++
		}
		if paid.Amount >= earned {
			if s.FreelancerKeeps.Amount != earned || s.FreelancerKeeps.Amount+s.RefundDue.Amount != paid.Amount || s.ClientOwes.Amount != 0 {
				t.Fatalf("case %d: paid %d, earned %d, settled %+v", i, paid.Amount, earned, s)
			}
		} else if s.FreelancerKeeps != paid || s.FreelancerKeeps.Amount+s.ClientOwes.Amount != earned || s.RefundDue.Amount != 0 {
			t.Fatalf("case %d: paid %d, earned %d, settled %+v", i, paid.Amount, earned, s)
		}
		k, err := e.Settle(accord.SettleKeepPrepayment)
		mustOK(t, err)
		if k.FreelancerKeeps != paid || k.RefundDue.Amount != 0 || k.ClientOwes.Amount != 0 {
			t.Fatalf("case %d: keep_prepayment settled %+v with %v paid", i, k, paid)
		}
	}
	if refunded < 20 || owed < 20 || underWay < 50 {
		t.Errorf("the cases do not cover the rule: %d refunds, %d owed, %d with a milestone under way", refunded, owed, underWay)
	}
}

// Terminated, the engagement is closed with its settlement on the record; a refund is never more
// than was paid and not yet refunded.
func TestTerminateAndRefund(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "1000.00", 50), plan("Final", 20, "2000.00", 50)) // kill fee 30 %
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	if _, err := e.Settle("halve_it"); accord.ErrorCode(err) != accord.EINVALID {
		t.Fatalf("an unknown option: %v", err)
	}
	s, err := e.Terminate(fl(15), accord.SettleKillFee, "")
	mustOK(t, err)
	if s.FreelancerKeeps != eur("300.00") || s.RefundDue != eur("200.00") || s.ClientOwes != eur("0.00") {
		t.Fatalf("kill fee settlement: %+v", s)
	}
	if e.State != accord.Terminated || e.Settlement == nil || e.Settlement.RefundDue != eur("200.00") {
		t.Fatalf("after termination: %s %+v", e.State, e.Settlement)
	}
	if _, err := e.Terminate(fl(16), accord.SettleKillFee, ""); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Fatalf("terminated twice: %v", err)
	}
	_, err = e.RecordRefund(fl(17), eur("500.01"), "")
	checkErr(t, err, accord.EINVALID, "", "amount=refund.too_much")
	_, err = e.RecordRefund(fl(17), eur("200.00"), "SEPA 7")
	mustOK(t, err)
	if b := e.Balance(); b.Refunded != eur("200.00") || e.Received() != eur("300.00") {
		t.Errorf("after the refund: balance %+v, received %v", b, e.Received())
	}
	_, err = e.RecordRefund(fl(18), eur("300.01"), "")
	checkErr(t, err, accord.EINVALID, "", "amount=refund.too_much")
	if got := accord.Replay(e.Uncommitted()); jsonOf(t, got) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement")
	}
}

// Going on without the rest of the milestone under way creates or loses no money either: with
// credit, what is kept and credited (or refunded, with no next milestone) adds up to what was paid
// on it, or what is kept and owed to what was worked; absorbed, the milestone closes at what was
// paid. Applied, the money received stays the same and the next milestone holds the credit.
func TestContinueKeepsTheMoney(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	tried := 0
	for i := range 400 {
		e := randomEngagement(t, r)
		u := e.UnderWay()
		if e.State == accord.Completed || u == nil {
			continue
		}
		tried++
		paidT := u.Paid.Amount
		p, k := u.Price.Amount, int64(e.Accepted().KillFeePercent)
		worked := p * k / 100
		if p*k%100 >= 50 {
			worked++
		}
		s, err := e.SettleWith(accord.SettleContinue, accord.UnusedCredit)
		mustOK(t, err)
		if paidT >= worked {
			if s.FreelancerKeeps.Amount != worked || s.FreelancerKeeps.Amount+s.Credit.Amount+s.RefundDue.Amount != paidT || s.ClientOwes.Amount != 0 {
				t.Fatalf("case %d: paid %d on a milestone worked %d, settled %+v", i, paidT, worked, s)
			}
		} else if s.FreelancerKeeps.Amount != paidT || s.FreelancerKeeps.Amount+s.ClientOwes.Amount != worked || s.Credit.Amount != 0 {
			t.Fatalf("case %d: paid %d on a milestone worked %d, settled %+v", i, paidT, worked, s)
		}
		a, err := e.SettleWith(accord.SettleContinue, accord.UnusedAbsorb)
		mustOK(t, err)
		if a.FreelancerKeeps.Amount != paidT || a.ClosesAt.Amount != paidT || a.Credit.Amount != 0 {
			t.Fatalf("case %d: absorbed %+v with %d paid", i, a, paidT)
		}
		before := e.Received()
		nextPaid := int64(-1)
		if n := i; n >= 0 {
			for j := range e.Milestones {
				if e.Milestones[j].ID == u.ID && j+1 < len(e.Milestones) {
					nextPaid = e.Milestones[j+1].Paid.Amount
				}
			}
		}
		id := u.ID
		_, err = e.Terminate(fl(60), accord.SettleContinue, accord.UnusedCredit)
		mustOK(t, err)
		if e.Received() != before || e.State == accord.Terminated {
			t.Fatalf("case %d: after going on, received %v (was %v), state %s", i, e.Received(), before, e.State)
		}
		m := e.Milestone(id)
		if m.Price.Amount != s.ClosesAt.Amount || (m.State != accord.MilestoneAccepted && m.State != accord.MilestonePaid) {
			t.Fatalf("case %d: the closed milestone is %s at %v", i, m.State, m.Price)
		}
		for j := range e.Milestones {
			if e.Milestones[j].ID == id && j+1 < len(e.Milestones) && e.Milestones[j+1].Paid.Amount != nextPaid+s.Credit.Amount {
				t.Fatalf("case %d: the next milestone holds %v, want %d more than %d", i, e.Milestones[j+1].Paid, s.Credit.Amount, nextPaid)
			}
		}
		if got := accord.Replay(e.Uncommitted()); jsonOf(t, got) != jsonOf(t, e) {
			t.Fatalf("case %d: the fold differs from the engagement", i)
		}
	}
	if tried < 50 {
		t.Errorf("only %d cases had a milestone under way", tried)
	}
	e := agreed(t)
	if _, err := e.SettleWith(accord.SettleContinue, "keep"); accord.ErrorCode(err) != accord.EINVALID {
		t.Errorf("an unknown fate of the unused work: %v", err)
	}
	if _, err := e.SettleWith(accord.SettleContinue, accord.UnusedCredit); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Errorf("going on with nothing under way: %v", err)
	}
}
