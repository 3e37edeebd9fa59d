package app

import (
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// StatusReport drafts a status report from the record, in the client's words: what is done,
// what is under way, what waits on the client and since when, and what comes next.
func (a *App) StatusReport(l i18n.Locale, e *accord.Engagement, responseDays int, today accord.Date) string {
	t := func(key string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		return a.Catalog.In(l, key, data)
	}
	var b strings.Builder
	b.WriteString(t("report.heading", "title", e.Title, "date", today))
	var done, doing []string
	for _, m := range e.Milestones {
		switch m.State {
		case accord.MilestonePaid, accord.MilestoneAccepted:
			done = append(done, t("report.milestone_done", "num", m.N, "title", m.Title))
		case accord.MilestoneInProgress, accord.MilestoneChangesRequested:
			doing = append(doing, t("report.milestone_doing", "num", m.N, "title", m.Title, "due", m.DueDate))
		case accord.MilestoneDelivered:
			doing = append(doing, t("report.milestone_delivered", "num", m.N, "title", m.Title))
		}
	}
	section := func(heading string, lines []string) {
		if len(lines) == 0 {
			return
		}
		b.WriteString("\n\n" + t(heading))
		for _, line := range lines {
			b.WriteString("\n— " + line)
		}
	}
	section("report.done", done)
	section("report.doing", doing)
	n := NextStep(e, true, responseDays)
	if n.Owner == accord.OwnerClient {
		section("report.waiting", []string{a.Catalog.In(l, n.Key, n.Data) + " " + t("report.since", "since", n.Since)})
	} else if w := e.Waiting(responseDays); w.Step != accord.StepNone {
		section("report.next", []string{a.Catalog.In(l, n.Key, n.Data)})
	}
	return b.String()
}
