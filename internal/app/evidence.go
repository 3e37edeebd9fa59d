package app

import (
	"bytes"
	"encoding/hex"
	"html/template"
	"reflect"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/pdfdoc"
	"github.com/accordapp/accord/internal/record"
)

// Report is an evidence bundle's report for people: the engagement's timeline in full, in one
// reader's language, beside the record's signed head and key.
type Report struct {
	Lang    string
	Title   string
	Parties []string
	Record  []string // what the bundle's checkpoint and key say, in words
	Head    string   // heading of the timeline
	Columns [3]string
	Entries []ReportEntry
	Footer  string
	Created time.Time
}

// ReportEntry is one event: when, who, what, and its words in full.
type ReportEntry struct {
	Seq   int64
	At    string
	Who   string
	What  string
	Lines []string
	Mono  []string // hashes and ids, set apart
}

func (a *App) evidenceReport(tx accord.Tx, e *accord.Engagement, l i18n.Locale, b *record.Bundle) (*Report, error) {
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return nil, err
	}
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return nil, err
	}
	evs := b.Recorded
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	root := b.Checkpoint.Root
	r := &Report{Lang: l.Lang, Title: t("evidence.title", "title", e.Title),
		Parties: []string{t("evidence.freelancer", "name", ws.Name), t("evidence.client", "name", cl.Name, "email", cl.Email),
			t("evidence.made", "at", a.Clock.Now())},
		Record: []string{t("evidence.record", "origin", b.Checkpoint.Origin, "size", int(b.Checkpoint.Size)),
			t("evidence.root", "root", hex.EncodeToString(root[:])), t("evidence.key", "fingerprint", record.Fingerprint(b.Key)),
			t("evidence.how")},
		Head:    t("evidence.timeline", "count", len(evs)),
		Columns: [3]string{t("evidence.col.when"), t("evidence.col.who"), t("evidence.col.what")},
		Footer:  t("evidence.footer", "title", e.Title),
		Created: a.Clock.Now(),
	}
	for _, ev := range evs {
		who := a.actorName(l, ev.Actor)
		if strings.HasPrefix(ev.Actor, "freelancer:") {
			who = ws.Name // the report is read by others than the freelancer: not "you"
		}
		entry := ReportEntry{Seq: ev.Seq, At: l.Time(ev.At), Who: who, What: a.Catalog.In(l, "event."+ev.Type, nil)}
		if d := a.eventDetail(l, ev.Data, e); d != "" {
			entry.Lines = append(entry.Lines, d)
		}
		a.reportDetail(l, ev, e, &entry)
		r.Entries = append(r.Entries, entry)
	}
	return r, nil
}

// reportDetail adds what a dispute turns on: the exact words agreed and acknowledged, the full
// messages and complaints, and the hashes of the files delivered.
func (a *App) reportDetail(l i18n.Locale, ev accord.Event, e *accord.Engagement, entry *ReportEntry) {
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	data := ev.Data
	if v := reflect.ValueOf(data); v.Kind() == reflect.Pointer && !v.IsNil() {
		data, _ = v.Elem().Interface().(accord.EventData)
	}
	switch d := data.(type) {
	case accord.AgreementWritten:
		for _, term := range d.Agreement.Terms {
			entry.Lines = append(entry.Lines, "• "+term.Text)
		}
	case accord.AgreementAccepted:
		for _, term := range d.Terms {
			entry.Lines = append(entry.Lines, "✓ "+term.Text)
		}
	case accord.DeliverySubmittedEvent:
		entry.Lines = entry.Lines[:0]
		if d.Note != "" {
			entry.Lines = append(entry.Lines, d.Note)
		}
		for _, f := range d.Files {
			entry.Lines = append(entry.Lines, f.Name+" ("+a.Catalog.Size(l.Lang, f.Size)+")")
			entry.Mono = append(entry.Mono, "SHA-256 "+f.SHA256)
		}
	case accord.ChangesRequested:
		entry.Lines = []string{t("evidence.wrong", "text", d.WhatIsWrong), t("evidence.desired", "text", d.DesiredResult)}
	case accord.MessageSent:
		entry.Lines = strings.Split(d.Body, "\n")
		for _, f := range d.Files {
			entry.Lines = append(entry.Lines, f.Name+" ("+a.Catalog.Size(l.Lang, f.Size)+")")
			entry.Mono = append(entry.Mono, "SHA-256 "+f.SHA256)
		}
		if d.Email != "" {
			entry.Mono = append(entry.Mono, t("evidence.email", "sha", d.Email))
		}
	case accord.CommentPinned:
		where := t("viewer.whole_page")
		if d.Spot != nil {
			where = t("viewer.at_spot", "x", (d.Spot.X+5)/10, "y", (d.Spot.Y+5)/10)
		}
		entry.Lines = append([]string{t("timeline.comment", "file", fileName(e, d.FileID), "page", d.Page, "text", where)},
			strings.Split(d.Text, "\n")...)
	case accord.CommentAnswered:
		entry.Lines = strings.Split(d.Text, "\n")
		if c := e.Comment(d.CommentID); c != nil {
			entry.Lines = append([]string{"› " + excerpt(c.Text)}, entry.Lines...)
		}
	case accord.CallSummaryWritten:
		for _, p := range d.Points {
			entry.Lines = append(entry.Lines, "• "+p.Text)
		}
	case accord.CallSummaryAnswered:
		sum := e.CallSummary(d.SummaryID)
		for _, ans := range d.Answers {
			text := ans.PointID
			if sum != nil {
				for _, p := range sum.Points {
					if p.ID == ans.PointID {
						text = p.Text
					}
				}
			}
			if ans.Confirmed {
				entry.Lines = append(entry.Lines, "✓ "+text)
			} else {
				entry.Lines = append(entry.Lines, "✎ "+text+" → "+ans.Correction)
			}
		}
	}
}

var reportHTML = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d232b}
h1{font-size:1.5rem;margin-bottom:.2rem} .parties p{margin:.1rem 0;color:#445}
.record{background:#f3f5f8;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
.record p{margin:.2rem 0;word-break:break-all}
table{border-collapse:collapse;width:100%} th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #dde}
td.when{white-space:nowrap;color:#445} td p{margin:0 0 .2rem} code{font-size:.8rem;word-break:break-all}
footer{margin-top:2rem;color:#667;font-size:.85rem}
</style></head><body>
<h1>{{.Title}}</h1>
<div class="parties">{{range .Parties}}<p>{{.}}</p>{{end}}</div>
<div class="record">{{range .Record}}<p>{{.}}</p>{{end}}</div>
<h2>{{.Head}}</h2>
<table><thead><tr><th>{{index .Columns 0}}</th><th>{{index .Columns 1}}</th><th>{{index .Columns 2}}</th></tr></thead><tbody>
{{range .Entries}}<tr id="event-{{.Seq}}"><td class="when">{{.At}}</td><td>{{.Who}}</td><td><p><strong>{{.What}}</strong></p>{{range .Lines}}<p>{{.}}</p>{{end}}{{range .Mono}}<p><code>{{.}}</code></p>{{end}}</td></tr>
{{end}}</tbody></table>
<footer>{{.Footer}}</footer>
</body></html>
`))

// HTML renders the report as a page that needs nothing else to be read.
func (r *Report) HTML() ([]byte, error) {
	var buf bytes.Buffer
	err := reportHTML.Execute(&buf, r)
	return buf.Bytes(), err
}

// PDF renders the report as a printable document.
func (r *Report) PDF() ([]byte, error) {
	rows := make([]pdfdoc.Row, 0, len(r.Entries)*2)
	for _, e := range r.Entries {
		rows = append(rows, pdfdoc.Row{Cells: []string{e.At, e.Who, strings.Join(append([]string{e.What}, e.Lines...), "\n")}})
		for _, m := range e.Mono {
			rows = append(rows, pdfdoc.Row{Cells: []string{"", "", m}, Mono: true})
		}
	}
	return pdfdoc.Render(pdfdoc.Doc{
		Title: r.Title, Subtitle: append(append([]string{}, r.Parties...), r.Record...), Footer: r.Footer, Created: r.Created,
		Sections: []pdfdoc.Section{{Heading: r.Head, Rows: append([]pdfdoc.Row{{Cells: r.Columns[:]}}, rows...), Widths: []int{3, 2, 7}}},
	})
}
