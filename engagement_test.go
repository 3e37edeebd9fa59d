package accord_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// t0 is the fixed time every test starts from.
var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

var (
	ana = accord.Actor{Kind: "freelancer", ID: "usr_1", Name: "Ana"}
	bob = accord.Actor{Kind: "client", ID: "bob@example.com", Name: "Bob"}
)

// fl and cl are commands by the freelancer and the client, min minutes after t0.
func fl(min int) accord.Cmd {
	return accord.Cmd{Now: t0.Add(time.Duration(min) * time.Minute), By: ana}
}
func cl(min int) accord.Cmd {
	return accord.Cmd{Now: t0.Add(time.Duration(min) * time.Minute), By: bob}
}

func keyOnly(k string, _ map[string]any) string { return k }

func eur(s string) accord.Money {
	m, err := accord.ParseMoney(s, "EUR")
	if err != nil {
		panic(err)
	}
	return m
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// checkErr asserts err has code and key (when not empty) and exactly the fields, each as
// "field=key"; code "" asserts no error.
func checkErr(t *testing.T, err error, code, key string, fields ...string) *accord.Error {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return nil
	}
	var e *accord.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *accord.Error %s %s", err, code, key)
	}
	if e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("error = %s %s, want %s %s", e.Code, e.Key, code, key)
	}
	var got []string
	for _, f := range e.Fields {
		got = append(got, f.Field+"="+f.Key)
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("fields = %v, want %v", got, want)
	}
	return e
}

func questions() []accord.Question {
	return []accord.Question{
		{ID: "goal", Text: "What is the goal?", Required: true},
		{ID: "audience", Text: "Who is the audience?", Required: true},
		{ID: "examples", Text: "Any examples you like?"},
	}
}

func answers() map[string]string {
	return map[string]string{"goal": "A new logo", "audience": "Bakers"}
}

// plan is a milestone of price (EUR) and prepayment percent, due days after t0.
func plan(title string, days int, price string, pct int) accord.MilestonePlan {
	return accord.MilestonePlan{Title: title, DueDate: accord.Date(t0.AddDate(0, 0, days).Format(time.DateOnly)),
		Price: eur(price), PrepaymentPercent: pct}
}

func agreement(plans ...accord.MilestonePlan) accord.Agreement {
	if plans == nil {
		plans = []accord.MilestonePlan{plan("Sketches", 8, "1000.00", 50), plan("Final", 22, "2000.00", 50)}
	}
	return accord.Agreement{
		Scope:        "A logo and a short brand book",
		Deliverables: []accord.Deliverable{{Title: "Logo", Volume: "3 variants"}},
		Milestones:   plans, Revisions: 2, KillFeePercent: 30, ResponseDays: 3, ReviewDays: 5,
		Channel: "email", ReportCadence: "weekly",
	}
}

func termIDs(a *accord.Agreement) []string {
	var ids []string
	for _, t := range a.Terms {
		ids = append(ids, t.ID)
	}
	return ids
}

// briefed returns an engagement whose brief the client has answered.
func briefed(t *testing.T) *accord.Engagement {
	t.Helper()
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	mustOK(t, e.WriteBrief(fl(1), questions()))
	mustOK(t, e.SendBrief(fl(2)))
	mustOK(t, e.AnswerBrief(cl(3), answers()))
	return e
}

// agreed returns an engagement whose agreement (of plans, or two default milestones) is accepted.
func agreed(t *testing.T, plans ...accord.MilestonePlan) *accord.Engagement {
	t.Helper()
	e := briefed(t)
	a, err := e.WriteAgreement(fl(4), agreement(plans...), "en", keyOnly)
	mustOK(t, err)
	mustOK(t, e.ProposeAgreement(fl(5), a.Version))
	mustOK(t, e.AcceptAgreement(cl(6), a.Version, termIDs(e.Current())))
	return e
}

func pay(t *testing.T, e *accord.Engagement, n int, amount string) {
	t.Helper()
	_, err := e.RecordPayment(fl(10), e.Milestones[n-1].ID, eur(amount), "bank")
	mustOK(t, err)
}

func deliver(t *testing.T, e *accord.Engagement, n int) string {
	t.Helper()
	id, err := e.Deliver(fl(20), e.Milestones[n-1].ID, "here", []accord.File{{Name: "logo.png", Size: 3, SHA256: "abc"}})
	mustOK(t, err)
	return id
}

func msStates(e *accord.Engagement) []accord.MilestoneState {
	var s []accord.MilestoneState
	for _, m := range e.Milestones {
		s = append(s, m.State)
	}
	return s
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	mustOK(t, err)
	return string(b)
}

// step is one command of a scenario and what must follow from it.
type step struct {
	name   string
	do     func(e *accord.Engagement) error
	code   string // "" when the command must succeed
	key    string
	fields []string
	state  accord.EngagementState
	ms     []accord.MilestoneState
}

// runSteps runs each step in order on e, stopping at the first that fails; a refused command
// must record nothing.
func runSteps(t *testing.T, e *accord.Engagement, steps []step) {
	t.Helper()
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			before := len(e.Uncommitted())
			checkErr(t, s.do(e), s.code, s.key, s.fields...)
			if s.code != "" && len(e.Uncommitted()) != before {
				t.Fatalf("refused command recorded %d events", len(e.Uncommitted())-before)
			}
			if e.State != s.state {
				t.Fatalf("state = %s, want %s", e.State, s.state)
			}
			if got := msStates(e); !slices.Equal(got, s.ms) {
				t.Fatalf("milestones = %v, want %v", got, s.ms)
			}
		})
		if !ok {
			t.FailNow()
		}
	}
}

const (
	pending  = accord.MilestonePending
	awaiting = accord.MilestoneAwaitingPrepayment
	working  = accord.MilestoneInProgress
	handed   = accord.MilestoneDelivered
	sentBack = accord.MilestoneChangesRequested
	accepted = accord.MilestoneAccepted
	paid     = accord.MilestonePaid
)

func TestNewEngagement(t *testing.T) {
	tests := []struct {
		name, client, title, cur string
		fields                   []string
	}{
		{"ok", "cli_1", "Logo", "EUR", nil},
		{"jpy", "cli_1", "Logo", "JPY", nil},
		{"title trimmed", "cli_1", "  Logo  ", "EUR", nil},
		{"all bad", "", "", "XXX", []string{"title=field.required_short", "currency=field.currency", "client_id=field.required"}},
		{"long title", "cli_1", strings.Repeat("я", 201), "EUR", []string{"title=field.too_long"}},
		{"lowercase currency", "cli_1", "Logo", "eur", []string{"currency=field.currency"}},
		{"blank title", "cli_1", " \t ", "EUR", []string{"title=field.required_short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := accord.NewEngagement(fl(0), "ws_1", tt.client, tt.title, tt.cur)
			if tt.fields != nil {
				checkErr(t, err, accord.EINVALID, "error.invalid", tt.fields...)
				return
			}
			mustOK(t, err)
			if e.State != accord.Draft || e.Currency != tt.cur || e.Title != strings.TrimSpace(tt.title) || e.ClientID != tt.client ||
				e.WorkspaceID != "ws_1" || !strings.HasPrefix(e.ID, "eng_") || !e.CreatedAt.Equal(t0) || e.Seq != 1 {
				t.Fatalf("new engagement: id %s state %s title %q currency %s client %s created %v seq %d", e.ID, e.State, e.Title, e.Currency, e.ClientID, e.CreatedAt, e.Seq)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	past := agreement(plan("Sketches", -1, "1000.00", 50))
	disordered := agreement(plan("Sketches", 10, "1000.00", 50), plan("Final", 9, "2000.00", 50))
	wrongCur := agreement(plan("Sketches", 8, "1000.00", 50))
	wrongCur.Milestones[0].Price = accord.Money{Amount: 100000, Currency: "USD"}
	tooMuch := agreement(plan("Sketches", 8, "1000.00", 101))
	noMilestones := agreement(plan("x", 1, "1", 0))
	noMilestones.Milestones = nil
	noVolume := agreement()
	noVolume.Deliverables = []accord.Deliverable{{Title: "Logo", Volume: "  "}}
	write := func(a accord.Agreement) func(*accord.Engagement) error {
		return func(e *accord.Engagement) error { _, err := e.WriteAgreement(fl(4), a, "en", keyOnly); return err }
	}
	allBut := func(skip ...string) []string {
		return slices.DeleteFunc(termIDs(e.Current()), func(id string) bool { return slices.Contains(skip, id) })
	}
	runSteps(t, e, []step{
		{name: "send an empty brief", do: func(e *accord.Engagement) error { return e.SendBrief(fl(1)) },
			code: accord.ECONFLICT, key: "brief.empty", state: accord.Draft},
		{name: "answer a draft brief", do: func(e *accord.Engagement) error { return e.AnswerBrief(cl(1), answers()) },
			code: accord.ECONFLICT, key: "brief.not_open", state: accord.Draft},
		{name: "write an agreement without a brief", do: write(agreement()),
			code: accord.ECONFLICT, key: "agreement.needs_brief", state: accord.Draft},
		{name: "write a brief with duplicate ids and no text", do: func(e *accord.Engagement) error {
			return e.WriteBrief(fl(1), []accord.Question{{ID: "a", Text: "x"}, {ID: "a", Text: " "}})
		}, code: accord.EINVALID, fields: []string{"questions[1].id=brief.question_id", "questions[1].text=field.required_short"},
			state: accord.Draft},
		{name: "write the brief", do: func(e *accord.Engagement) error { return e.WriteBrief(fl(1), questions()) },
			state: accord.Draft},
		{name: "send the brief", do: func(e *accord.Engagement) error { return e.SendBrief(fl(2)) },
			state: accord.BriefSent},
		{name: "resend a sent brief", do: func(e *accord.Engagement) error { return e.SendBrief(fl(2)) },
			code: accord.ECONFLICT, key: "brief.not_draft", state: accord.BriefSent},
		{name: "rewrite a sent brief before it is answered", do: func(e *accord.Engagement) error { return e.WriteBrief(fl(2), questions()) },
			state: accord.BriefSent},
		{name: "answer without a required answer", do: func(e *accord.Engagement) error {
			return e.AnswerBrief(cl(3), map[string]string{"goal": "A logo", "audience": "  "})
		}, code: accord.EINVALID, fields: []string{"answers.audience=brief.answer_required"}, state: accord.BriefSent},
		{name: "answer an unknown question", do: func(e *accord.Engagement) error {
			a := answers()
			a["colour"] = "blue"
			return e.AnswerBrief(cl(3), a)
		}, code: accord.EINVALID, fields: []string{"answers.colour=brief.unknown_question"}, state: accord.BriefSent},
		{name: "answer nothing", do: func(e *accord.Engagement) error { return e.AnswerBrief(cl(3), nil) },
			code: accord.EINVALID, fields: []string{"answers.goal=brief.answer_required", "answers.audience=brief.answer_required"},
			state: accord.BriefSent},
		{name: "answer the brief", do: func(e *accord.Engagement) error { return e.AnswerBrief(cl(3), answers()) },
			state: accord.BriefReceived},
		{name: "rewrite an answered brief", do: func(e *accord.Engagement) error { return e.WriteBrief(fl(2), questions()) },
			code: accord.ECONFLICT, key: "brief.answered", state: accord.BriefReceived},
		{name: "propose a version not written", do: func(e *accord.Engagement) error { return e.ProposeAgreement(fl(4), 1) },
			code: accord.ENOTFOUND, key: "agreement.not_found", state: accord.BriefReceived},
		{name: "due date in the past", do: write(past), code: accord.EINVALID,
			fields: []string{"milestones[0].due_date=agreement.date_past"}, state: accord.BriefReceived},
		{name: "due dates out of order", do: write(disordered), code: accord.EINVALID,
			fields: []string{"milestones[1].due_date=agreement.date_order"}, state: accord.BriefReceived},
		{name: "price in a wrong currency", do: write(wrongCur), code: accord.EINVALID,
			fields: []string{"milestones[0].price=agreement.price"}, state: accord.BriefReceived},
		{name: "prepayment of 101 %", do: write(tooMuch), code: accord.EINVALID,
			fields: []string{"milestones[0].prepayment_percent=field.range"}, state: accord.BriefReceived},
		{name: "no milestones", do: write(noMilestones), code: accord.EINVALID,
			fields: []string{"milestones=agreement.milestones_count"}, state: accord.BriefReceived},
		{name: "empty volume", do: write(noVolume), code: accord.EINVALID,
			fields: []string{"deliverables[0].volume=agreement.volume_required"}, state: accord.BriefReceived},
		{name: "write version 1", do: write(agreement()), state: accord.BriefReceived},
		{name: "accept before it is proposed", do: func(e *accord.Engagement) error {
			return e.AcceptAgreement(cl(5), 1, termIDs(e.Current()))
		}, code: accord.ECONFLICT, key: "agreement.nothing_proposed", state: accord.BriefReceived},
		{name: "write version 2", do: write(agreement()), state: accord.BriefReceived},
		{name: "propose superseded version 1", do: func(e *accord.Engagement) error { return e.ProposeAgreement(fl(5), 1) },
			code: accord.ECONFLICT, key: "agreement.superseded", state: accord.BriefReceived},
		{name: "propose version 2", do: func(e *accord.Engagement) error { return e.ProposeAgreement(fl(5), 2) },
			state: accord.Proposed},
		{name: "propose version 2 again", do: func(e *accord.Engagement) error { return e.ProposeAgreement(fl(5), 2) },
			code: accord.ECONFLICT, key: "agreement.already_proposed", state: accord.Proposed},
		{name: "accept the wrong version", do: func(e *accord.Engagement) error {
			return e.AcceptAgreement(cl(6), 1, termIDs(e.Current()))
		}, code: accord.ECONFLICT, key: "agreement.superseded", state: accord.Proposed},
		{name: "accept without two terms", do: func(e *accord.Engagement) error {
			return e.AcceptAgreement(cl(6), 2, allBut("kill_fee", "milestone-2"))
		}, code: accord.EINVALID, fields: []string{"acknowledged_terms.kill_fee=agreement.term_not_acknowledged",
			"acknowledged_terms.milestone-2=agreement.term_not_acknowledged"}, state: accord.Proposed},
		{name: "pay before acceptance", do: func(e *accord.Engagement) error {
			_, err := e.RecordPayment(fl(6), "ms_x", eur("1.00"), "")
			return err
		}, code: accord.ECONFLICT, key: "payment.no_agreement", state: accord.Proposed},
		{name: "accept version 2", do: func(e *accord.Engagement) error {
			return e.AcceptAgreement(cl(6), 2, termIDs(e.Current()))
		}, state: accord.Agreed, ms: []accord.MilestoneState{awaiting, pending}},
		{name: "accept again", do: func(e *accord.Engagement) error {
			return e.AcceptAgreement(cl(6), 2, termIDs(e.Current()))
		}, code: accord.ECONFLICT, key: "agreement.nothing_proposed", state: accord.Agreed,
			ms: []accord.MilestoneState{awaiting, pending}},
	})
	if got := []string{e.Agreements[0].State, e.Agreements[1].State}; !slices.Equal(got, []string{"superseded", "accepted"}) {
		t.Errorf("agreement states = %v", got)
	}
	if e.Accepted() != e.Agreement(2) || e.Proposed() != nil {
		t.Errorf("accepted = %v, proposed = %v", e.Accepted(), e.Proposed())
	}
	m1, m2 := e.Milestones[0], e.Milestones[1]
	if m1.N != 1 || m2.N != 2 || m1.Title != "Sketches" || m1.DueDate != "2026-12-01" || m1.Price != eur("1000.00") ||
		m1.Prepayment != eur("500.00") || m1.Paid != eur("0") || m2.Prepayment != eur("1000.00") || m1.ID == m2.ID {
		t.Errorf("milestones = %+v", e.Milestones)
	}
	if e.Brief.Answers["goal"] != "A new logo" || len(e.Brief.Answers) != 2 || !e.Brief.AnsweredAt.Equal(t0.Add(3*time.Minute)) {
		t.Errorf("brief = %+v", e.Brief)
	}
}

// The whole way to completed: each milestone prepaid, started, delivered, accepted and paid.
func TestLifecycleToCompletion(t *testing.T) {
	e := agreed(t)
	id := func(n int) string { return e.Milestones[n-1].ID }
	var d1, d2 string
	payStep := func(n int, amount string) func(*accord.Engagement) error {
		return func(e *accord.Engagement) error {
			_, err := e.RecordPayment(fl(9), id(n), eur(amount), "bank")
			return err
		}
	}
	start := func(n int) func(*accord.Engagement) error {
		return func(e *accord.Engagement) error { return e.StartMilestone(fl(10), id(n)) }
	}
	files := []accord.File{{Name: "a.png"}}
	ms := func(s ...accord.MilestoneState) []accord.MilestoneState { return s }
	runSteps(t, e, []step{
		{name: "start 1 unpaid", do: start(1), code: accord.ECONFLICT, key: "milestone.prepayment_missing",
			state: accord.Agreed, ms: ms(awaiting, pending)},
		{name: "prepay 1", do: payStep(1, "500.00"), state: accord.Agreed, ms: ms(awaiting, pending)},
		{name: "start 1", do: start(1), state: accord.Active, ms: ms(working, pending)},
		{name: "start 1 twice", do: start(1), code: accord.ECONFLICT, key: "milestone.cannot_start_state",
			state: accord.Active, ms: ms(working, pending)},
		{name: "deliver 1", do: func(e *accord.Engagement) (err error) { d1, err = e.Deliver(fl(11), id(1), "", files); return err },
			state: accord.Active, ms: ms(handed, pending)},
		{name: "accept 1", do: func(e *accord.Engagement) error { return e.AcceptDelivery(cl(12), d1) },
			state: accord.Active, ms: ms(accepted, pending)},
		{name: "start 2 with 1 half paid", do: start(2), code: accord.ECONFLICT, key: "milestone.previous_unpaid",
			state: accord.Active, ms: ms(accepted, pending)},
		{name: "pay the rest of 1", do: payStep(1, "500.00"), state: accord.Active, ms: ms(paid, awaiting)},
		{name: "pay 1 once more", do: payStep(1, "0.01"), code: accord.EINVALID,
			fields: []string{"amount=payment.overpaid"}, state: accord.Active, ms: ms(paid, awaiting)},
		{name: "prepay 2", do: payStep(2, "1000.00"), state: accord.Active, ms: ms(paid, awaiting)},
		{name: "start 2", do: start(2), state: accord.Active, ms: ms(paid, working)},
		{name: "deliver 2", do: func(e *accord.Engagement) (err error) { d2, err = e.Deliver(fl(13), id(2), "", files); return err },
			state: accord.Active, ms: ms(paid, handed)},
		{name: "accept 2", do: func(e *accord.Engagement) error { return e.AcceptDelivery(cl(14), d2) },
			state: accord.Active, ms: ms(paid, accepted)},
		{name: "pay the rest of 2", do: payStep(2, "1000.00"), state: accord.Completed, ms: ms(paid, paid)},
		{name: "pay after completion", do: payStep(2, "1.00"), code: accord.ECONFLICT, key: "payment.closed",
			state: accord.Completed, ms: ms(paid, paid)},
		{name: "start after completion", do: start(2), code: accord.ECONFLICT, key: "engagement.not_running",
			state: accord.Completed, ms: ms(paid, paid)},
	})
	if b := e.Balance(); b != (accord.Balance{Invoiced: eur("3000.00"), Paid: eur("3000.00"), Due: eur("0"), Refunded: eur("0")}) {
		t.Errorf("balance = %+v", b)
	}
}

func TestBalance(t *testing.T) {
	e := agreed(t)
	var d string
	tests := []struct {
		name                 string
		do                   func()
		invoiced, paid, owed string
	}{
		{"agreed: the first prepayment is asked", func() {}, "500.00", "0.00", "500.00"},
		{"part of the prepayment in", func() { pay(t, e, 1, "200.00") }, "500.00", "200.00", "300.00"},
		{"more than the prepayment in", func() { pay(t, e, 1, "500.00") }, "500.00", "700.00", "0.00"},
		{"in progress", func() { mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID)) }, "500.00", "700.00", "0.00"},
		{"delivered", func() { d = deliver(t, e, 1) }, "500.00", "700.00", "0.00"},
		{"accepted: the whole price is asked", func() { mustOK(t, e.AcceptDelivery(cl(21), d)) }, "1000.00", "700.00", "300.00"},
		{"paid: the next prepayment is asked", func() { pay(t, e, 1, "300.00") }, "2000.00", "1000.00", "1000.00"},
		{"next prepayment in", func() { pay(t, e, 2, "1000.00") }, "2000.00", "2000.00", "0.00"},
	}
	for _, tt := range tests {
		tt.do()
		want := accord.Balance{Invoiced: eur(tt.invoiced), Paid: eur(tt.paid), Due: eur(tt.owed), Refunded: eur("0")}
		if got := e.Balance(); got != want {
			t.Fatalf("%s: balance = %+v, want %+v", tt.name, got, want)
		}
	}
	got := jsonOf(t, e.Balance())
	want := `{"invoiced":{"amount":"2000.00","currency":"EUR"},"paid":{"amount":"2000.00","currency":"EUR"},"due":{"amount":"0.00","currency":"EUR"},"refunded":{"amount":"0.00","currency":"EUR"}}`
	if got != want {
		t.Errorf("balance json = %s, want %s", got, want)
	}
}

// Money paid ahead on one milestone does not hide what another owes.
func TestBalanceDueCountsEachMilestone(t *testing.T) {
	e := agreed(t)
	pay(t, e, 1, "500.00")
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	mustOK(t, e.AcceptDelivery(cl(21), deliver(t, e, 1)))
	pay(t, e, 2, "1000.00")
	want := accord.Balance{Invoiced: eur("1000.00"), Paid: eur("1500.00"), Due: eur("500.00"), Refunded: eur("0")}
	if got := e.Balance(); got != want {
		t.Fatalf("balance = %+v, want %+v", got, want)
	}
}

func TestBalanceOfDraft(t *testing.T) {
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "JPY")
	mustOK(t, err)
	zero := accord.Money{Amount: 0, Currency: "JPY"}
	if got := e.Balance(); got != (accord.Balance{Invoiced: zero, Paid: zero, Due: zero, Refunded: zero}) {
		t.Errorf("draft balance = %+v", got)
	}
}

func TestClone(t *testing.T) {
	e := agreed(t)
	pay(t, e, 1, "500.00")
	before := jsonOf(t, e)
	c := e.Clone()
	if got := jsonOf(t, c); got != before {
		t.Fatalf("clone = %s\nwant %s", got, before)
	}
	if len(c.Uncommitted()) != 0 {
		t.Errorf("clone carries %d uncommitted events", len(c.Uncommitted()))
	}
	mustOK(t, c.StartMilestone(fl(11), c.Milestones[0].ID))
	deliver(t, c, 1)
	c.Milestones[1].Title = "changed"
	c.Agreements[0].Terms[0].Text = "changed"
	c.Brief.Answers["goal"] = "changed"
	c.Brief.Questions[0].Text = "changed"
	if got := jsonOf(t, e); got != before {
		t.Fatalf("original changed through its clone:\n%s\nwant %s", got, before)
	}
	if c.Seq != e.Seq+2 || c.Milestones[0].State != handed || e.Milestones[0].State != awaiting {
		t.Errorf("clone seq %d state %s; original seq %d state %s", c.Seq, c.Milestones[0].State, e.Seq, e.Milestones[0].State)
	}
	// The clone continues the same chain: the same command gives the same event on both.
	e2 := e.Clone()
	mustOK(t, e.StartMilestone(fl(11), e.Milestones[0].ID))
	mustOK(t, e2.StartMilestone(fl(11), e2.Milestones[0].ID))
	if e.Head != e2.Head || e.Seq != e2.Seq {
		t.Errorf("head after the same command: %s/%d vs clone %s/%d", e.Head, e.Seq, e2.Head, e2.Seq)
	}
}
