package accord_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func TestWriteAgreementInvalid(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *accord.Agreement)
		fields []string
	}{
		{"due yesterday", func(a *accord.Agreement) { a.Milestones[0].DueDate = "2026-11-22" },
			[]string{"milestones[0].due_date=agreement.date_past"}},
		{"due date not a date", func(a *accord.Agreement) { a.Milestones[1].DueDate = "in two weeks" },
			[]string{"milestones[1].due_date=field.date"}},
		{"first due date not a date", func(a *accord.Agreement) { a.Milestones[0].DueDate = "in two weeks" },
			[]string{"milestones[0].due_date=field.date"}},
		{"a bad date between good ones", func(a *accord.Agreement) {
			a.Milestones = append(a.Milestones, plan("Extra", 7, "10.00", 0))
			a.Milestones[1].DueDate = ""
		}, []string{"milestones[1].due_date=field.date", "milestones[2].due_date=agreement.date_order"}},
		{"due date impossible", func(a *accord.Agreement) { a.Milestones[1].DueDate = "2026-02-30" },
			[]string{"milestones[1].due_date=field.date"}},
		{"dates out of order", func(a *accord.Agreement) { a.Milestones[1].DueDate = "2026-11-30" },
			[]string{"milestones[1].due_date=agreement.date_order"}},
		{"price in USD", func(a *accord.Agreement) { a.Milestones[0].Price = accord.Money{Amount: 100, Currency: "USD"} },
			[]string{"milestones[0].price=agreement.price"}},
		{"price zero", func(a *accord.Agreement) { a.Milestones[1].Price = eur("0") },
			[]string{"milestones[1].price=agreement.price"}},
		{"prepayment 101 %", func(a *accord.Agreement) { a.Milestones[0].PrepaymentPercent = 101 },
			[]string{"milestones[0].prepayment_percent=field.range"}},
		{"prepayment -1 %", func(a *accord.Agreement) { a.Milestones[0].PrepaymentPercent = -1 },
			[]string{"milestones[0].prepayment_percent=field.range"}},
		{"milestone without title", func(a *accord.Agreement) { a.Milestones[0].Title = " " },
			[]string{"milestones[0].title=field.required_short"}},
		{"no milestones", func(a *accord.Agreement) { a.Milestones = nil },
			[]string{"milestones=agreement.milestones_count"}},
		{"51 milestones", func(a *accord.Agreement) {
			a.Milestones = nil
			for range 51 {
				a.Milestones = append(a.Milestones, plan("m", 1, "1.00", 0))
			}
		}, []string{"milestones=agreement.milestones_count"}},
		{"empty volume", func(a *accord.Agreement) { a.Deliverables[0].Volume = "" },
			[]string{"deliverables[0].volume=agreement.volume_required"}},
		{"no deliverables", func(a *accord.Agreement) { a.Deliverables = nil },
			[]string{"deliverables=agreement.deliverables_count"}},
		{"no scope", func(a *accord.Agreement) { a.Scope = "  " }, []string{"scope=field.required_short"}},
		{"ranges", func(a *accord.Agreement) {
			a.Revisions, a.KillFeePercent, a.ResponseDays, a.ReviewDays = -1, 101, 0, 91
		}, []string{"revisions=field.range", "kill_fee_percent=field.range", "response_days=field.range", "review_days=field.range"}},
		{"no channel nor cadence", func(a *accord.Agreement) { a.Channel, a.ReportCadence = "", " " },
			[]string{"channel=field.required_short", "report_cadence=field.required_short"}},
		{"every milestone field at once", func(a *accord.Agreement) {
			a.Milestones[0] = accord.MilestonePlan{Title: "", DueDate: "2020-01-01",
				Price: accord.Money{Amount: 5, Currency: "JPY"}, PrepaymentPercent: 101}
			a.Deliverables = append(a.Deliverables, accord.Deliverable{})
		}, []string{"milestones[0].title=field.required_short", "milestones[0].due_date=agreement.date_past",
			"milestones[0].price=agreement.price", "milestones[0].prepayment_percent=field.range",
			"deliverables[1].title=field.required_short", "deliverables[1].volume=agreement.volume_required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := briefed(t)
			a := agreement()
			tt.edit(&a)
			n := len(e.Uncommitted())
			got, err := e.WriteAgreement(fl(4), a, "en", keyOnly)
			checkErr(t, err, accord.EINVALID, "error.invalid", tt.fields...)
			if got != nil || len(e.Agreements) != 0 || len(e.Uncommitted()) != n {
				t.Errorf("refused agreement left a trace: %v, %d versions", got, len(e.Agreements))
			}
		})
	}
}

func TestWriteAgreementDates(t *testing.T) {
	tests := []struct {
		name string
		now  time.Time
		due  []accord.Date
		ok   bool
	}{
		{"due today", t0, []accord.Date{"2026-11-23"}, true},
		{"same day twice", t0, []accord.Date{"2026-11-24", "2026-11-24"}, true},
		{"due yesterday", t0, []accord.Date{"2026-11-22"}, false},
		// Cmd.Now decides "today", in UTC, whatever its location.
		{"late evening elsewhere", time.Date(2026, 11, 23, 23, 30, 0, 0, time.FixedZone("X", -5*3600)),
			[]accord.Date{"2026-11-23"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := briefed(t)
			a := agreement()
			a.Milestones = nil
			for _, d := range tt.due {
				a.Milestones = append(a.Milestones, accord.MilestonePlan{Title: "m", DueDate: d, Price: eur("1")})
			}
			_, err := e.WriteAgreement(accord.Cmd{Now: tt.now, By: ana}, a, "en", keyOnly)
			if tt.ok != (err == nil) {
				t.Fatalf("error = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

func TestAgreementTerms(t *testing.T) {
	e := briefed(t)
	var calls []string
	tr := func(k string, d map[string]any) string {
		s := k
		for _, name := range []string{"scope", "list", "num", "count", "title", "due", "price", "percent", "prepayment", "total", "channel", "cadence"} {
			if v, ok := d[name]; ok {
				s += fmt.Sprintf(" %s=%v", name, v)
			}
		}
		calls = append(calls, s)
		return s
	}
	a, err := e.WriteAgreement(fl(4), agreement(), "en", tr)
	mustOK(t, err)
	want := []accord.Term{
		{ID: "scope", Text: "term.scope scope=A logo and a short brand book"},
		{ID: "deliverables", Text: "term.deliverables list=Logo (3 variants)"},
		{ID: "milestone-1", Text: "term.milestone num=1 title=Sketches due=2026-12-01 price=1000.00 EUR percent=50 prepayment=500.00 EUR"},
		{ID: "milestone-2", Text: "term.milestone num=2 title=Final due=2026-12-15 price=2000.00 EUR percent=50 prepayment=1000.00 EUR"},
		{ID: "price", Text: "term.price total=3000.00 EUR"},
		{ID: "payment", Text: "term.payment"},
		{ID: "revisions", Text: "term.revisions count=2"},
		{ID: "kill_fee", Text: "term.kill_fee percent=30"},
		{ID: "response", Text: "term.response count=3"},
		{ID: "review", Text: "term.review count=5"},
		{ID: "channel", Text: "term.channel channel=email cadence=weekly"},
	}
	if !slices.Equal(a.Terms, want) {
		t.Errorf("terms =\n%v\nwant\n%v", a.Terms, want)
	}
	if a.Version != 1 || a.State != "written" || !a.WrittenAt.Equal(t0.Add(4*time.Minute)) || a != e.Current() {
		t.Errorf("agreement = %+v", a)
	}
	// Terms are fixed when written: the translator is not asked again.
	n := len(calls)
	mustOK(t, e.ProposeAgreement(fl(5), 1))
	mustOK(t, e.AcceptAgreement(cl(6), 1, termIDs(a)))
	if len(calls) != n || e.Accepted().Terms[0].Text != want[0].Text {
		t.Errorf("terms changed after writing")
	}
}

func TestAgreementVersions(t *testing.T) {
	e := briefed(t)
	write := func() int {
		a, err := e.WriteAgreement(fl(4), agreement(), "en", keyOnly)
		mustOK(t, err)
		return a.Version
	}
	states := func() string {
		var s []string
		for _, a := range e.Agreements {
			s = append(s, fmt.Sprintf("%d:%s", a.Version, a.State))
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name   string
		do     func() error
		code   string
		key    string
		state  accord.EngagementState
		agreed string
	}{
		{"write v1", func() error { write(); return nil }, "", "", accord.BriefReceived, "1:written"},
		{"propose v1", func() error { return e.ProposeAgreement(fl(5), 1) }, "", "", accord.Proposed, "1:proposed"},
		{"write v2 while v1 is proposed", func() error { write(); return nil }, "", "", accord.BriefReceived, "1:superseded 2:written"},
		{"client accepts v1 now", func() error { return e.AcceptAgreement(cl(6), 1, termIDs(e.Agreement(1))) },
			accord.ECONFLICT, "agreement.nothing_proposed", accord.BriefReceived, "1:superseded 2:written"},
		{"propose v1 again", func() error { return e.ProposeAgreement(fl(5), 1) },
			accord.ECONFLICT, "agreement.superseded", accord.BriefReceived, "1:superseded 2:written"},
		{"propose v3", func() error { return e.ProposeAgreement(fl(5), 3) },
			accord.ENOTFOUND, "agreement.not_found", accord.BriefReceived, "1:superseded 2:written"},
		{"propose v2", func() error { return e.ProposeAgreement(fl(5), 2) }, "", "", accord.Proposed, "1:superseded 2:proposed"},
		{"accept v3", func() error { return e.AcceptAgreement(cl(6), 3, termIDs(e.Current())) },
			accord.ECONFLICT, "agreement.superseded", accord.Proposed, "1:superseded 2:proposed"},
		{"accept v2 acknowledging nothing", func() error { return e.AcceptAgreement(cl(6), 2, nil) },
			accord.EINVALID, "error.invalid", accord.Proposed, "1:superseded 2:proposed"},
		{"accept v2", func() error { return e.AcceptAgreement(cl(6), 2, termIDs(e.Current())) }, "", "", accord.Agreed,
			"1:superseded 2:accepted"},
		{"propose after acceptance", func() error { return e.ProposeAgreement(fl(7), 2) },
			accord.ECONFLICT, "agreement.already_accepted", accord.Agreed, "1:superseded 2:accepted"},
	}
	for _, tt := range tests {
		checkErrCode(t, tt.name, tt.do(), tt.code, tt.key)
		if e.State != tt.state || states() != tt.agreed {
			t.Fatalf("%s: state %s, agreements %q; want %s, %q", tt.name, e.State, states(), tt.state, tt.agreed)
		}
	}
}

// checkErrCode checks only the code and key of err; code "" means no error.
func checkErrCode(t *testing.T, name string, err error, code, key string) {
	t.Helper()
	got, gotKey := "", ""
	if err != nil {
		got = accord.ErrorCode(err)
		if e, ok := err.(*accord.Error); ok {
			gotKey = e.Key
		}
	}
	if got != code || gotKey != key {
		t.Fatalf("%s: error = %v, want %q %q", name, err, code, key)
	}
}

func TestAcceptAgreementNamesEachTerm(t *testing.T) {
	e := briefed(t)
	a, err := e.WriteAgreement(fl(4), agreement(), "en", keyOnly)
	mustOK(t, err)
	mustOK(t, e.ProposeAgreement(fl(5), 1))
	all := termIDs(a)
	for _, missing := range all {
		ack := slices.DeleteFunc(slices.Clone(all), func(id string) bool { return id == missing })
		ack = append(ack, "unknown-term")
		ae := checkErr(t, e.AcceptAgreement(cl(6), 1, ack), accord.EINVALID, "error.invalid",
			"acknowledged_terms."+missing+"=agreement.term_not_acknowledged")
		if ae.Fields[0].Data["term"] == "" {
			t.Errorf("missing %s: no term text in %v", missing, ae.Fields[0].Data)
		}
	}
	if e.State != accord.Proposed || e.Accepted() != nil {
		t.Fatalf("state = %s after refused acceptances", e.State)
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		d    accord.Date
		ok   bool
		plus accord.Date
	}{
		{"2026-11-23", true, "2026-12-03"},
		{"2026-12-28", true, "2027-01-07"},
		{"2028-02-25", true, "2028-03-06"},
		{"2026-13-01", false, ""},
		{"23.11.2026", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		_, ok := tt.d.Time()
		if ok != tt.ok {
			t.Errorf("%q.Time() ok = %v, want %v", tt.d, ok, tt.ok)
		}
		if tt.ok && tt.d.AddDays(10) != tt.plus {
			t.Errorf("%q + 10 days = %q, want %q", tt.d, tt.d.AddDays(10), tt.plus)
		}
	}
}
