package accord

import (
	"regexp"
	"strings"
	"time"
)

// Cadence is how often the agreement says the client hears how the work goes: every so many
// days, or every week on a weekday.
type Cadence struct {
	Days      int
	Weekday   time.Weekday
	OnWeekday bool
}

// The hours, in the workspace's zone, at which a report is drafted and, unless the freelancer
// sends it first, sent as drafted.
const (
	ReportDraftHour = 9
	ReportSendHour  = 17
)

var (
	weekdays = map[time.Weekday][]string{
		time.Monday:    {"monday", "понедельник", "понеделник"},
		time.Tuesday:   {"tuesday", "вторник"},
		time.Wednesday: {"wednesday", "сред", "сряда"},
		time.Thursday:  {"thursday", "четверг", "четвъртък"},
		time.Friday:    {"friday", "пятниц", "петък"},
		time.Saturday:  {"saturday", "суббот", "събота"},
		time.Sunday:    {"sunday", "воскресень", "неделя"},
	}
	// Each cadence by the stems that say it in en, ru and bg; the first match wins, so the
	// longer periods ("every two weeks") come before the words they contain ("week").
	cadences = []struct {
		days int
		re   *regexp.Regexp
	}{
		{14, regexp.MustCompile(`biweekly|fortnight|(two|2) weeks|(две|2) недел|(две|2) седмиц`)},
		{30, regexp.MustCompile(`month|месяц|месячн|месец|месечн`)},
		{7, regexp.MustCompile(`week|недел|седмиц|седмичн`)},
		{1, regexp.MustCompile(`daily|every day|each day|ежедневн|каждый день|всеки ден|всекидневн`)},
	}
)

// ParseCadence reads an agreement's report cadence, as people write it in en, ru or bg
// ("every Friday", "еженедельно", "всяка седмица", "monthly"); false when it names no period
// Accord can keep, and then reports are drafted on the freelancer's request only.
func ParseCadence(s string) (Cadence, bool) {
	s = strings.ToLower(s)
	for d, stems := range weekdays {
		for _, stem := range stems {
			if strings.Contains(s, stem) {
				return Cadence{Days: 7, Weekday: d, OnWeekday: true}, true
			}
		}
	}
	for _, c := range cadences {
		if c.re.MatchString(s) {
			return Cadence{Days: c.days}, true
		}
	}
	return Cadence{}, false
}

// After is when the next report is drafted after one at from: the next such weekday, or so
// many days on, at the drafting hour in zone.
func (c Cadence) After(from time.Time, zone *time.Location) time.Time {
	l := from.In(zone)
	day := time.Date(l.Year(), l.Month(), l.Day(), ReportDraftHour, 0, 0, 0, zone)
	if !c.OnWeekday {
		return day.AddDate(0, 0, c.Days)
	}
	day = day.AddDate(0, 0, 1)
	for day.Weekday() != c.Weekday {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// ReportDraft is a status report Accord drafted on the agreed cadence, waiting for the
// freelancer to edit and send it; at SendAt it goes as drafted.
type ReportDraft struct {
	Body   string    `json:"body"`
	At     time.Time `json:"at"`
	SendAt time.Time `json:"send_at"`
}

// NextReport says when the engagement's next report falls due: drafted, or, with a draft
// waiting, sent as drafted; false while no cadence Accord can keep applies or work is not running.
func (e *Engagement) NextReport(zone *time.Location) (at time.Time, send, ok bool) {
	a := e.Accepted()
	if a == nil || !e.Running() {
		return time.Time{}, false, false
	}
	if e.Report != nil {
		return e.Report.SendAt, true, true
	}
	c, ok := ParseCadence(a.ReportCadence)
	if !ok {
		return time.Time{}, false, false
	}
	return c.After(latest(e.ReportedAt, a.Since), zone), false, true
}

// DraftReport keeps a drafted status report until SendAt, when it goes as drafted unless the
// freelancer sends a report first.
func (e *Engagement) DraftReport(c Cmd, body string, sendAt time.Time) error {
	if err := e.requireRunning(); err != nil {
		return err
	}
	if e.Report != nil {
		return Errorf(ECONFLICT, "report.drafted_already")
	}
	e.record(c, ReportDrafted{Body: body, SendAt: sendAt.UTC()})
	return nil
}

// ReportDrafted keeps a status report drafted on the agreed cadence.
type ReportDrafted struct {
	Body   string    `json:"body"`
	SendAt time.Time `json:"send_at"`
}

func (ReportDrafted) EventType() string { return "report.drafted" }
func (d ReportDrafted) apply(e *Engagement, ev Event) {
	e.Report = &ReportDraft{Body: d.Body, At: ev.At, SendAt: d.SendAt}
}
