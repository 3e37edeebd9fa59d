package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// A cadence is read as people write it, in each language; what names no period is not kept.
func TestParseCadence(t *testing.T) {
	week := func(d time.Weekday) accord.Cadence { return accord.Cadence{Days: 7, Weekday: d, OnWeekday: true} }
	cases := map[string]accord.Cadence{
		"every Friday": week(time.Friday), "каждую пятницу": week(time.Friday), "всеки петък": week(time.Friday),
		"по понедельникам": week(time.Monday), "в сряда": week(time.Wednesday), "Wednesday mornings": week(time.Wednesday),
		"weekly": {Days: 7}, "еженедельно": {Days: 7}, "раз в неделю": {Days: 7}, "всяка седмица": {Days: 7}, "седмично": {Days: 7},
		"every two weeks": {Days: 14}, "раз в две недели": {Days: 14}, "на всеки 2 седмици": {Days: 14}, "fortnightly": {Days: 14},
		"monthly": {Days: 30}, "ежемесячно": {Days: 30}, "всеки месец": {Days: 30},
		"daily": {Days: 1}, "ежедневно": {Days: 1}, "всеки ден": {Days: 1},
	}
	for s, want := range cases {
		if got, ok := accord.ParseCadence(s); !ok || got != want {
			t.Errorf("ParseCadence(%q) = %+v %v, want %+v", s, got, ok, want)
		}
	}
	for _, s := range []string{"when needed", "по запросу", "при нужда", ""} {
		if got, ok := accord.ParseCadence(s); ok {
			t.Errorf("ParseCadence(%q) = %+v, want no cadence", s, got)
		}
	}
}

// Reports fall due on the agreed cadence, at the drafting hour in the workspace's zone; a
// draft goes as drafted at its time unless a report is sent first, and the next one counts
// from the last sent.
func TestReportsOnTheCadence(t *testing.T) {
	e := agreed(t) // "weekly", accepted on Monday 23 November 2026 at 10:06
	sofia, _ := time.LoadLocation("Europe/Sofia")
	at, send, ok := e.NextReport(sofia)
	if want := time.Date(2026, 11, 30, accord.ReportDraftHour, 0, 0, 0, sofia); !ok || send || !at.Equal(want) {
		t.Fatalf("NextReport = %s %v %v, want a draft at %s", at, send, ok, want)
	}
	sendAt := time.Date(2026, 11, 30, accord.ReportSendHour, 0, 0, 0, sofia)
	mustOK(t, e.DraftReport(accord.Cmd{Now: at, By: accord.System}, "Done: sketches.", sendAt))
	if err := e.DraftReport(accord.Cmd{Now: at, By: accord.System}, "Again", sendAt); accord.ErrorCode(err) != accord.ECONFLICT {
		t.Fatalf("a second draft: %v", err)
	}
	if got, send, _ := e.NextReport(sofia); !send || !got.Equal(sendAt) {
		t.Fatalf("with a draft waiting NextReport = %s %v, want it sent at %s", got, send, sendAt)
	}
	sentAt := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	_, err := e.SendMessage(accord.Cmd{Now: sentAt, By: ana}, "My own words", accord.ReportChannel, 0)
	mustOK(t, err)
	if e.Report != nil || !e.ReportedAt.Equal(sentAt) {
		t.Fatalf("a report sent by hand left %+v, reported at %s", e.Report, e.ReportedAt)
	}
	if got, _, _ := e.NextReport(sofia); !got.Equal(time.Date(2026, 12, 8, accord.ReportDraftHour, 0, 0, 0, sofia)) {
		t.Errorf("the next report after one sent on 1 December: %s", got)
	}
	friday := accord.Cadence{Days: 7, Weekday: time.Friday, OnWeekday: true}
	if got := friday.After(time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), time.UTC); !got.Equal(time.Date(2026, 12, 11, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("the Friday after a Friday's report: %s", got)
	}
	if got := accord.Replay(e.Uncommitted()); jsonOf(t, got) != jsonOf(t, e) {
		t.Errorf("the fold differs from the engagement")
	}
}
