package app

import (
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// TimelineEntry is one event of the record as a person reads it: when, what, who, and its detail.
type TimelineEntry struct {
	Seq    int64
	Type   string
	At     time.Time
	What   string
	Who    string
	Detail string
}

// Timeline words the record for a reader: amounts, excerpts and file names, not ids.
func (a *App) Timeline(l i18n.Locale, evs []accord.Event, e *accord.Engagement) []TimelineEntry {
	out := make([]TimelineEntry, 0, len(evs))
	for _, ev := range evs {
		out = append(out, TimelineEntry{Seq: ev.Seq, Type: ev.Type, At: ev.At, What: a.Catalog.In(l, "event."+ev.Type, nil),
			Who: a.actorName(l, ev.Actor), Detail: a.eventDetail(l, ev.Data, e)})
	}
	return out
}

func (a *App) actorName(l i18n.Locale, actor string) string {
	kind, id, _ := strings.Cut(actor, ":")
	if kind == "client" {
		return id
	}
	return a.Catalog.In(l, "actor."+kind, nil)
}

// eventDetail is the part of an event a person needs to recognise it.
func (a *App) eventDetail(l i18n.Locale, data accord.EventData, e *accord.Engagement) string {
	t := func(key string, kv ...any) string { return a.Catalog.In(l, key, pairs(kv)) }
	milestone := func(id string) (int, string) {
		if m := e.Milestone(id); m != nil {
			return m.N, m.Title
		}
		return 0, ""
	}
	if v := reflect.ValueOf(data); v.Kind() == reflect.Pointer && !v.IsNil() {
		data, _ = v.Elem().Interface().(accord.EventData) // stored events come back as pointers
	}
	switch d := data.(type) {
	case accord.BriefWritten:
		return t("timeline.questions", "count", len(d.Questions))
	case accord.BriefAnswered:
		return t("timeline.answers", "count", len(d.Answers))
	case accord.AgreementWritten:
		return t("timeline.version", "version", d.Agreement.Version)
	case accord.AgreementProposed:
		return t("timeline.version", "version", d.Version)
	case accord.AgreementAccepted:
		return t("timeline.accepted", "version", d.Version, "count", len(d.AcknowledgedTerms))
	case accord.PaymentRecorded:
		n, title := milestone(d.MilestoneID)
		if d.Reference != "" {
			return t("timeline.payment_ref", "amount", d.Amount, "num", n, "title", title, "reference", d.Reference)
		}
		return t("timeline.payment", "amount", d.Amount, "num", n, "title", title)
	case accord.MilestoneStarted:
		n, title := milestone(d.MilestoneID)
		return t("timeline.milestone", "num", n, "title", title)
	case accord.DeliverySubmittedEvent:
		names := make([]string, len(d.Files))
		for i, f := range d.Files {
			names[i] = f.Name + " (" + a.Catalog.Size(l.Lang, f.Size) + ")"
		}
		return strings.Join(names, ", ")
	case accord.ChangesRequested:
		return excerpt(d.WhatIsWrong)
	case accord.MessageSent:
		return excerpt(d.Body)
	case accord.MessageReleased:
		return ""
	case accord.FileDownloaded:
		return d.Name
	case accord.PreviewMade:
		name := fileName(e, d.FileID)
		if d.Preview == "" {
			return t("timeline.no_preview", "file", name)
		}
		return t("timeline.preview", "file", name, "count", max(1, len(d.Pages)))
	case accord.CommentPinned:
		return t("timeline.comment", "file", fileName(e, d.FileID), "page", d.Page, "text", excerpt(d.Text))
	case accord.CommentAnswered:
		return excerpt(d.Text)
	case accord.SettlementPaid:
		return t("timeline.settlement_paid", "amount", d.Amount)
	case accord.InvoiceIssued:
		if d.Invoice.Kind == accord.InvoiceCreditNote {
			corrects := ""
			if orig := e.Invoice(d.Invoice.Corrects); orig != nil {
				corrects = orig.Number
			}
			return t("timeline.credit_note", "number", d.Invoice.Number, "corrects", corrects)
		}
		return t("timeline.invoice", "number", d.Invoice.Number, "amount", d.Invoice.Total)
	case accord.ClientInvited:
		return d.Email
	case accord.InfoRequested:
		return t("timeline.info", "title", d.Title, "due", d.DueDate)
	case accord.EngagementTerminated:
		st := d.Settlement
		return t("settlement.result", "keeps", st.FreelancerKeeps, "refund", st.RefundDue, "owes", st.ClientOwes)
	case accord.RefundRecorded:
		if d.Reference != "" {
			return t("timeline.refund_ref", "amount", d.Amount, "reference", d.Reference)
		}
		return t("timeline.refund", "amount", d.Amount)
	case accord.ClientNudged:
		return t("nudge." + string(d.Nudge))
	case accord.InfoAnswered:
		var moved []string
		for _, mv := range d.Moves {
			n, title := milestone(mv.MilestoneID)
			moved = append(moved, t("timeline.moved", "num", n, "title", title, "from", mv.From, "to", mv.To))
		}
		return strings.Join(moved, "; ")
	}
	return ""
}

// fileName is the name of a delivered file, "" if the engagement has none of that id.
func fileName(e *accord.Engagement, id string) string {
	if f, _ := e.File(id); f != nil {
		return f.Name
	}
	return ""
}

// excerpt is the start of a text, on one line, cut at a word near 120 characters.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 120 {
		return s
	}
	r := []rune(s)[:120]
	if i := strings.LastIndexByte(string(r), ' '); i > 60 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// pairs makes template-style key, value arguments a catalog's data.
func pairs(kv []any) map[string]any {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return data
}
