package accord_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// The freelancer writes the points of a call; the client confirms some and corrects others; the
// engagement shows each answer beside its point, live, replayed and decoded from the record.
func TestCallSummaryConfirmedAndCorrected(t *testing.T) {
	e := started(t)
	s, err := e.WriteCallSummary(fl(30), []string{" Three logo variants ", "Delivery on Friday", "Blue as the main colour"})
	mustOK(t, err)
	if !strings.HasPrefix(s.ID, "sum_") || len(s.Points) != 3 || s.Points[0].ID != "p1" || s.Points[0].Text != "Three logo variants" || !s.At.Equal(fl(30).Now) {
		t.Fatalf("the summary written: %+v", s)
	}
	if p := e.PendingSummaries(); len(p) != 1 || p[0].ID != s.ID {
		t.Fatalf("pending summaries: %+v", p)
	}
	id := s.ID
	mustOK(t, e.AnswerCallSummary(cl(40), id, map[string]accord.PointAnswer{
		"p1": {Confirmed: true},
		"p2": {Correction: "  Delivery on Monday, not Friday  "},
		"p3": {Confirmed: true},
	}))
	got := e.CallSummary(id)
	want := []accord.SummaryPoint{
		{ID: "p1", Text: "Three logo variants", Confirmed: true},
		{ID: "p2", Text: "Delivery on Friday", Correction: "Delivery on Monday, not Friday"},
		{ID: "p3", Text: "Blue as the main colour", Confirmed: true},
	}
	if jsonOf(t, got.Points) != jsonOf(t, want) || !got.AnsweredAt.Equal(cl(40).Now) || got.Open() {
		t.Errorf("the answered summary: %+v", got)
	}
	if len(e.PendingSummaries()) != 0 || !e.HeardAt.Equal(cl(40).Now) {
		t.Errorf("after the answer: pending %v, heard at %v", e.PendingSummaries(), e.HeardAt)
	}
	evs := e.Uncommitted()
	if n := len(evs); evs[n-2].Type != "call_summary.written" || evs[n-1].Type != "call_summary.answered" || evs[n-1].Actor != "client:bob@example.com" {
		t.Errorf("the record ends with %s, %s by %s", evs[n-2].Type, evs[n-1].Type, evs[n-1].Actor)
	}
	if r := accord.Replay(evs); jsonOf(t, r) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement:\n%s\n%s", jsonOf(t, r), jsonOf(t, e))
	}
	prev, decoded := "", make([]accord.Event, 0, len(evs))
	for _, ev := range evs {
		d, err := accord.DecodeEvent(ev.Body, prev, ev.Hash)
		mustOK(t, err)
		decoded, prev = append(decoded, d), ev.Hash
	}
	if r := accord.Replay(decoded); jsonOf(t, r) != jsonOf(t, e) || jsonOf(t, e.Clone()) != jsonOf(t, e) {
		t.Errorf("the decoded record, or the stored snapshot, differs from the engagement")
	}
}

func TestWriteCallSummaryRefusals(t *testing.T) {
	fifty := make([]string, 51)
	for i := range fifty {
		fifty[i] = "point"
	}
	tests := []struct {
		name      string
		cmd       accord.Cmd
		points    []string
		code, key string
		fields    []string
	}{
		{"no points", fl(30), nil, accord.EINVALID, "error.invalid", []string{"points=call_summary.points_count"}},
		{"51 points", fl(30), fifty, accord.EINVALID, "error.invalid", []string{"points=call_summary.points_count"}},
		{"an empty point", fl(30), []string{"Logo", "   "}, accord.EINVALID, "error.invalid", []string{"points[1]=field.required_short"}},
		{"a point too long", fl(30), []string{strings.Repeat("é", 2001)}, accord.EINVALID, "error.invalid", []string{"points[0]=field.too_long"}},
		{"a point that is not text", fl(30), []string{"a\x00b"}, accord.EINVALID, "error.invalid", []string{"points[0]=field.text"}},
		{"by the client", cl(30), []string{"Logo"}, accord.EFORBIDDEN, "call_summary.freelancer_only", nil},
		{"2000 characters", fl(30), []string{strings.Repeat("é", 2000)}, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := started(t)
			before := len(e.Uncommitted())
			_, err := e.WriteCallSummary(tt.cmd, tt.points)
			checkErr(t, err, tt.code, tt.key, tt.fields...)
			if tt.code != "" && len(e.Uncommitted()) != before {
				t.Errorf("a refused summary recorded %d events", len(e.Uncommitted())-before)
			}
		})
	}
	// Any state but a closed engagement takes a summary: in draft, and not once completed.
	draft, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	_, err = draft.WriteCallSummary(fl(1), []string{"A logo"})
	mustOK(t, err)
	done := record(t).e
	_, err = done.WriteCallSummary(fl(60), []string{"A logo"})
	checkErr(t, err, accord.ECONFLICT, "call_summary.closed")
}

func TestAnswerCallSummaryRefusals(t *testing.T) {
	type answers = map[string]accord.PointAnswer
	all := answers{"p1": {Confirmed: true}, "p2": {Confirmed: true}}
	tests := []struct {
		name      string
		cmd       accord.Cmd
		id        string // "" for the summary written
		answers   answers
		code, key string
		fields    []string
	}{
		{"a point missing", cl(40), "", answers{"p1": {Confirmed: true}}, accord.EINVALID, "error.invalid",
			[]string{"points.p2=call_summary.point_unanswered"}},
		{"neither confirmed nor corrected", cl(40), "", answers{"p1": {Confirmed: true}, "p2": {Correction: "  "}}, accord.EINVALID, "error.invalid",
			[]string{"points.p2=call_summary.point_unanswered"}},
		{"both confirmed and corrected", cl(40), "", answers{"p1": {Confirmed: true, Correction: "No"}, "p2": {Confirmed: true}}, accord.EINVALID, "error.invalid",
			[]string{"points.p1=call_summary.point_both"}},
		{"an unknown point", cl(40), "", answers{"p1": {Confirmed: true}, "p2": {Confirmed: true}, "p9": {Confirmed: true}}, accord.EINVALID, "error.invalid",
			[]string{"points.p9=call_summary.unknown_point"}},
		{"a correction too long", cl(40), "", answers{"p1": {Confirmed: true}, "p2": {Correction: strings.Repeat("x", 2001)}}, accord.EINVALID, "error.invalid",
			[]string{"points.p2=field.too_long"}},
		{"a correction that is not text", cl(40), "", answers{"p1": {Confirmed: true}, "p2": {Correction: "a\x00b"}}, accord.EINVALID, "error.invalid",
			[]string{"points.p2=field.text"}},
		{"nothing answered", cl(40), "", nil, accord.EINVALID, "error.invalid",
			[]string{"points.p1=call_summary.point_unanswered", "points.p2=call_summary.point_unanswered"}},
		{"by the freelancer", fl(40), "", all, accord.EFORBIDDEN, "call_summary.client_only", nil},
		{"a summary that is not there", cl(40), "sum_nope", all, accord.ENOTFOUND, "call_summary.not_found", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := started(t)
			s, err := e.WriteCallSummary(fl(30), []string{"Three variants", "Friday"})
			mustOK(t, err)
			id := tt.id
			if id == "" {
				id = s.ID
			}
			before := len(e.Uncommitted())
			checkErr(t, e.AnswerCallSummary(tt.cmd, id, tt.answers), tt.code, tt.key, tt.fields...)
			if len(e.Uncommitted()) != before || !e.CallSummary(s.ID).Open() {
				t.Errorf("a refused answer was recorded")
			}
		})
	}
	e := started(t)
	s, err := e.WriteCallSummary(fl(30), []string{"Three variants", "Friday"})
	mustOK(t, err)
	mustOK(t, e.AnswerCallSummary(cl(40), s.ID, all))
	checkErr(t, e.AnswerCallSummary(cl(41), s.ID, all), accord.ECONFLICT, "call_summary.answered")
}

// summarized is a started engagement (the freelancer owes the delivery) with a call summary
// written a day after t0, and the summary's time.
func summarized(t *testing.T) (*accord.Engagement, string, time.Time) {
	t.Helper()
	e := started(t)
	e.RecordInvitation(fl(12), "bob@example.com", day(7))
	c := accord.Cmd{Now: day(1), By: ana}
	s, err := e.WriteCallSummary(c, []string{"Three variants", "Friday"})
	mustOK(t, err)
	return e, s.ID, c.Now
}

// A summary left unconfirmed is what the client owes: a reminder after R days, a check-in after
// 2R, the pause after 3R, as for any other step of the client.
func TestUnconfirmedSummaryLadder(t *testing.T) {
	e, id, at := summarized(t)
	w := e.Waiting(5) // the agreed 3 days count, not the workspace's 5
	if w.Step != accord.StepConfirmSummary || w.Owner != accord.OwnerClient || !w.Since.Equal(at) ||
		!w.Until.Equal(at.AddDate(0, 0, 3)) || w.Summary == nil || w.Summary.ID != id {
		t.Fatalf("with a summary pending the agenda says %s by %s since %v until %v (%+v)", w.Step, w.Owner, w.Since, w.Until, w.Summary)
	}
	if !accord.PausesOnSilence(accord.StepConfirmSummary) {
		t.Fatal("an unconfirmed summary's ladder does not end in a pause")
	}
	take(t, e, at.AddDate(0, 0, 3), accord.NudgeReminder, at.AddDate(0, 0, 3))
	take(t, e, at.AddDate(0, 0, 6), accord.NudgeCheckIn, at.AddDate(0, 0, 6))
	take(t, e, at.AddDate(0, 0, 9), accord.NudgePause, at.AddDate(0, 0, 9))
	if e.State != accord.Paused || e.PausedFrom != accord.Active {
		t.Fatalf("after the pause: %s from %s", e.State, e.PausedFrom)
	}
	evs := e.Uncommitted()
	if n, ok := evs[len(evs)-2].Data.(accord.ClientNudged); !ok || n.Step != accord.StepConfirmSummary || n.SummaryID != id {
		t.Errorf("the pause's nudge is on the record as %+v", evs[len(evs)-2].Data)
	}
	if got := accord.Replay(evs); jsonOf(t, got) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement")
	}
}

// The client's answer to the summary ends the silence and the wait for it: the freelancer's
// delivery is what the engagement waits for again.
func TestConfirmingTheSummaryStopsTheLadder(t *testing.T) {
	e, id, at := summarized(t)
	take(t, e, at.AddDate(0, 0, 3), accord.NudgeReminder, at.AddDate(0, 0, 3))
	mustOK(t, e.AnswerCallSummary(accord.Cmd{Now: at.AddDate(0, 0, 4), By: bob}, id,
		map[string]accord.PointAnswer{"p1": {Confirmed: true}, "p2": {Correction: "Monday"}}))
	if w := e.Waiting(3); w.Step != accord.StepDeliver || w.Owner != accord.OwnerFreelancer {
		t.Errorf("after the answer the agenda says %s by %s", w.Step, w.Owner)
	}
	if d, ok := e.NextDue(day(30), 3, time.UTC); ok {
		t.Errorf("answered, yet %s for %s is due at %v", d.Nudge, d.Wait.Step, d.At)
	}
}

// Before an agreement a summary is owed too, and a silent client's engagement pauses in draft and
// goes back to it.
func TestUnconfirmedSummaryInDraft(t *testing.T) {
	e, err := accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	e.RecordInvitation(fl(1), "bob@example.com", day(7))
	if e.Pausable() {
		t.Fatal("a draft with nothing owed by the client is pausable")
	}
	_, err = e.WriteCallSummary(fl(2), []string{"A logo in three variants"})
	mustOK(t, err)
	at := fl(2).Now
	if w := e.Waiting(3); w.Step != accord.StepConfirmSummary || !w.Until.Equal(at.AddDate(0, 0, 3)) {
		t.Fatalf("a draft with a summary pending waits for %s until %v", w.Step, w.Until)
	}
	take(t, e, at.AddDate(0, 0, 3), accord.NudgeReminder, at.AddDate(0, 0, 3))
	take(t, e, at.AddDate(0, 0, 6), accord.NudgeCheckIn, at.AddDate(0, 0, 6))
	take(t, e, at.AddDate(0, 0, 9), accord.NudgePause, at.AddDate(0, 0, 9))
	if e.State != accord.Paused || e.PausedFrom != accord.Draft {
		t.Fatalf("after the pause: %s from %s", e.State, e.PausedFrom)
	}
	mustOK(t, e.Resume(accord.Cmd{Now: day(12), By: ana}))
	take(t, e, day(15), accord.NudgeReminder, day(15))
}
