package accord_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func TestStartMilestone(t *testing.T) {
	tests := []struct {
		name   string
		plans  []accord.MilestonePlan
		before func(t *testing.T, e *accord.Engagement)
		n      int
		code   string
		key    string
		data   map[string]any
		ms     []accord.MilestoneState
		active bool // the engagement is already active before the command
	}{
		{name: "no prepayment", n: 1, code: accord.ECONFLICT, key: "milestone.prepayment_missing",
			data: map[string]any{"num": 1, "prepayment": "500.00 EUR", "received": "0.00 EUR"}, ms: []accord.MilestoneState{awaiting, pending}},
		{name: "prepayment partly paid", before: func(t *testing.T, e *accord.Engagement) { pay(t, e, 1, "499.99") },
			n: 1, code: accord.ECONFLICT, key: "milestone.prepayment_missing",
			data: map[string]any{"num": 1, "prepayment": "500.00 EUR", "received": "499.99 EUR"}, ms: []accord.MilestoneState{awaiting, pending}},
		{name: "prepayment paid", before: func(t *testing.T, e *accord.Engagement) { pay(t, e, 1, "500.00") },
			n: 1, ms: []accord.MilestoneState{working, pending}},
		{name: "prepayment overpaid within the price", before: func(t *testing.T, e *accord.Engagement) { pay(t, e, 1, "700.00") },
			n: 1, ms: []accord.MilestoneState{working, pending}},
		{name: "no prepayment asked", plans: []accord.MilestonePlan{plan("A", 1, "100.00", 0), plan("B", 2, "100.00", 0)},
			n: 1, ms: []accord.MilestoneState{working, pending}},
		{name: "milestone 2 before 1 is paid", before: func(t *testing.T, e *accord.Engagement) { pay(t, e, 2, "1000.00") },
			n: 2, code: accord.ECONFLICT, key: "milestone.previous_unpaid",
			data: map[string]any{"num": 2, "prev": 1, "due": "1000.00 EUR"}, ms: []accord.MilestoneState{awaiting, pending}},
		{name: "milestone 2 with 1 half paid", before: func(t *testing.T, e *accord.Engagement) {
			pay(t, e, 1, "500.00")
			pay(t, e, 2, "1000.00")
		}, n: 2, code: accord.ECONFLICT, key: "milestone.previous_unpaid",
			data: map[string]any{"num": 2, "prev": 1, "due": "500.00 EUR"}, ms: []accord.MilestoneState{awaiting, pending}},
		{name: "milestone 2 of free prepayments, 1 unpaid", plans: []accord.MilestonePlan{plan("A", 1, "100.00", 0), plan("B", 2, "100.00", 0)},
			n: 2, code: accord.ECONFLICT, key: "milestone.previous_unpaid", ms: []accord.MilestoneState{awaiting, pending}},
		{name: "milestone 2 while 1, paid up front, is still in progress", before: func(t *testing.T, e *accord.Engagement) {
			pay(t, e, 1, "1000.00")
			mustOK(t, e.StartMilestone(fl(10), e.Milestones[0].ID))
			pay(t, e, 2, "1000.00")
		}, n: 2, code: accord.ECONFLICT, key: "milestone.previous_open",
			data: map[string]any{"num": 2, "prev": 1, "state": "in_progress"}, ms: []accord.MilestoneState{working, pending}, active: true},
		{name: "unknown milestone", n: 0, code: accord.ENOTFOUND, key: "milestone.not_found", ms: []accord.MilestoneState{awaiting, pending}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := agreed(t, tt.plans...)
			if tt.before != nil {
				tt.before(t, e)
			}
			id := "ms_unknown"
			if tt.n > 0 {
				id = e.Milestones[tt.n-1].ID
			}
			n := len(e.Uncommitted())
			err := e.StartMilestone(fl(11), id)
			ae := checkErr(t, err, tt.code, tt.key)
			for k, v := range tt.data {
				if fmt.Sprint(ae.Data[k]) != fmt.Sprint(v) {
					t.Errorf("data[%s] = %v, want %v (all: %v)", k, ae.Data[k], v, ae.Data)
				}
			}
			if got := msStates(e); !slices.Equal(got, tt.ms) {
				t.Errorf("milestones = %v, want %v", got, tt.ms)
			}
			wantState, wantEvents := accord.Agreed, n
			if tt.active {
				wantState = accord.Active
			}
			if tt.code == "" {
				wantState, wantEvents = accord.Active, n+1
			}
			if e.State != wantState || len(e.Uncommitted()) != wantEvents {
				t.Errorf("state %s with %d events, want %s with %d", e.State, len(e.Uncommitted()), wantState, wantEvents)
			}
		})
	}
}

func TestStartMilestoneBeforeAgreement(t *testing.T) {
	e := briefed(t)
	checkErr(t, e.StartMilestone(fl(5), "ms_x"), accord.ENOTFOUND, "milestone.not_found")
}

func TestRecordPayment(t *testing.T) {
	tests := []struct {
		name   string
		n      int // milestone; 0 for an unknown one
		amount accord.Money
		ref    string
		fields []string
		data   map[string]any
	}{
		{name: "prepayment", n: 1, amount: eur("500.00"), ref: "  SEPA 123  "},
		{name: "whole price", n: 1, amount: eur("1000.00")},
		{name: "one cent over", n: 1, amount: eur("1000.01"), fields: []string{"amount=payment.overpaid"},
			data: map[string]any{"num": 1, "open": "1000.00 EUR"}},
		{name: "wrong currency", n: 1, amount: accord.Money{Amount: 100, Currency: "USD"}, fields: []string{"amount=payment.amount"}},
		{name: "zero", n: 1, amount: eur("0"), fields: []string{"amount=payment.amount"}},
		{name: "negative", n: 1, amount: accord.Money{Amount: -100, Currency: "EUR"}, fields: []string{"amount=payment.amount"}},
		{name: "unknown milestone", n: 0, amount: eur("1.00"), fields: []string{"milestone_id=payment.unknown_milestone"}},
		{name: "long reference", n: 2, amount: eur("1.00"), ref: strings.Repeat("x", 201),
			fields: []string{"reference=field.too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := agreed(t)
			id := "ms_unknown"
			if tt.n > 0 {
				id = e.Milestones[tt.n-1].ID
			}
			n := len(e.Uncommitted())
			pid, err := e.RecordPayment(fl(10), id, tt.amount, tt.ref)
			if tt.fields != nil {
				ae := checkErr(t, err, accord.EINVALID, "error.invalid", tt.fields...)
				for k, v := range tt.data {
					if fmt.Sprint(ae.Fields[0].Data[k]) != fmt.Sprint(v) {
						t.Errorf("data[%s] = %v, want %v", k, ae.Fields[0].Data[k], v)
					}
				}
				if pid != "" || len(e.Payments) != 0 || len(e.Uncommitted()) != n {
					t.Errorf("refused payment left a trace")
				}
				return
			}
			mustOK(t, err)
			p := e.Payments[0]
			if p.ID != pid || p.MilestoneID != id || p.Amount != tt.amount || p.Reference != strings.TrimSpace(tt.ref) ||
				!p.At.Equal(t0.Add(10*time.Minute)) || e.Milestones[0].Paid != tt.amount {
				t.Errorf("payment = %+v, milestone paid %s", p, e.Milestones[0].Paid)
			}
		})
	}
}

func TestRecordPaymentInSteps(t *testing.T) {
	e := agreed(t)
	id := e.Milestones[0].ID
	for _, a := range []string{"300.00", "300.00", "400.00"} {
		_, err := e.RecordPayment(fl(10), id, eur(a), "")
		mustOK(t, err)
	}
	_, err := e.RecordPayment(fl(10), id, eur("0.01"), "")
	checkErr(t, err, accord.EINVALID, "error.invalid", "amount=payment.overpaid")
	if m := e.Milestones[0]; m.Paid != eur("1000.00") || !m.PaidInFull() || m.State != awaiting || len(e.Payments) != 3 {
		t.Errorf("milestone = %+v, %d payments", m, len(e.Payments))
	}
}

func TestRecordPaymentBeforeAgreement(t *testing.T) {
	for name, e := range map[string]*accord.Engagement{"draft": draft(t), "briefed": briefed(t)} {
		_, err := e.RecordPayment(fl(5), "ms_x", eur("1.00"), "")
		checkErr(t, err, accord.ECONFLICT, "payment.no_agreement")
		if len(e.Payments) != 0 {
			t.Errorf("%s: payment recorded", name)
		}
	}
}

func draft(t *testing.T) *accord.Engagement {
	t.Helper()
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	return e
}

func TestMilestoneInvoiced(t *testing.T) {
	price, pre := eur("1000.00"), eur("300.00")
	want := map[accord.MilestoneState]accord.Money{
		pending: eur("0"), awaiting: pre, working: pre, handed: pre, sentBack: pre, accepted: price, paid: price,
	}
	for s, w := range want {
		m := accord.Milestone{State: s, Price: price, Prepayment: pre, Paid: eur("0")}
		if got := m.Invoiced(); got != w {
			t.Errorf("%s invoiced = %s, want %s", s, got, w)
		}
	}
}
