package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/jobs"
)

// JobNudge takes the nudges due on one engagement: the steps time takes when the client is silent.
const JobNudge = "nudge"

type nudgeArgs struct {
	WorkspaceID  string    `json:"workspace_id"`
	EngagementID string    `json:"engagement_id"`
	At           time.Time `json:"at"`
}

// JobReport drafts a status report on the agreed cadence, and sends it as drafted when the
// freelancer has not sent one by its time.
const JobReport = "report"

// schedule schedules the engagement's next nudge and next report, once for each time one falls due.
func (a *App) schedule(tx accord.Tx, e *accord.Engagement) error {
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return err
	}
	js := a.steps(e, ws, a.Clock.Now())
	if len(js) == 0 {
		return nil
	}
	return a.enqueue(tx, js...)
}

// steps are the jobs of the engagement's next nudge and next report as of now: each runs at the
// time its step falls due, and is unique by that time.
func (a *App) steps(e *accord.Engagement, ws accord.Workspace, now time.Time) []jobs.Job {
	z := zone(ws.Timezone)
	var js []jobs.Job
	if d, ok := e.NextDue(now, ws.ResponseDays, z); ok {
		js = append(js, jobs.Job{Kind: JobNudge, At: d.At, Unique: true,
			Args: nudgeArgs{WorkspaceID: e.WorkspaceID, EngagementID: e.ID, At: d.At.UTC()}})
	}
	if at, _, ok := e.NextReport(z); ok {
		js = append(js, jobs.Job{Kind: JobReport, At: at, Unique: true,
			Args: nudgeArgs{WorkspaceID: e.WorkspaceID, EngagementID: e.ID, At: at.UTC()}})
	}
	return js
}

// newSteps are the steps of after that need a job of their own: all of them but one that a
// change left where it was, or moved later, from a time still to come. That one's job, for the
// earlier time, is still waiting: it comes first, finds nothing due and schedules the step
// where it is then (see onTime). So a client who writes every day does not add a nudge job a
// message. A step whose time has passed gets its job again, unique by its time, in case the
// one it had failed every try.
func newSteps(before, after []jobs.Job, now time.Time) []jobs.Job {
	var out []jobs.Job
	for _, j := range after {
		if !slices.ContainsFunc(before, func(b jobs.Job) bool { return b.Kind == j.Kind && b.At.After(now) && !j.At.Before(b.At) }) {
			out = append(out, j)
		}
	}
	return out
}

// report drafts the report that is due, or sends as drafted the one whose time has come.
func (a *App) report(ctx context.Context, raw json.RawMessage, _ jobs.Try) error {
	return a.onTime(ctx, raw, func(tx accord.Tx, e *accord.Engagement, ws accord.Workspace, z *time.Location) error {
		now := a.Clock.Now()
		at, send, ok := e.NextReport(z)
		if !ok || at.After(now) {
			return nil // sent by hand meanwhile, or no longer due
		}
		owner, err := tx.UserByID(ws.OwnerID)
		if err != nil {
			return err
		}
		c := accord.Cmd{Now: now, By: Freelancer{UserID: owner.ID, Name: owner.Name}.actor(), Zone: z}
		if send {
			_, err := a.postMessage(tx, e, c, e.Report.Body, accord.ReportChannel, ws, screening{})
			return err
		}
		cl, err := tx.Client(e.WorkspaceID, e.ClientID)
		if err != nil {
			return err
		}
		loc, err := a.contactLocale(tx, e.WorkspaceID, e.ID, cl.Email)
		if err != nil {
			return err
		}
		l := now.In(z)
		sendAt := time.Date(l.Year(), l.Month(), l.Day(), accord.ReportSendHour, 0, 0, 0, z)
		if sendAt.Before(now.Add(time.Hour)) { // drafted late: the freelancer still gets a working day
			sendAt = now.Add(8 * time.Hour)
		}
		body := a.StatusReport(loc, e, ws.ResponseDays, accord.Date(now.In(loc.Zone).Format(time.DateOnly)))
		c.By = accord.System
		if err := e.DraftReport(c, body, sendAt); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyReportDrafted, map[string]any{"send": sendAt})
	})
}

// onTime runs fn on the engagement a timed job names, with its workspace and zone, in one
// change; an engagement that is gone owes nothing any more.
func (a *App) onTime(ctx context.Context, raw json.RawMessage, fn func(tx accord.Tx, e *accord.Engagement, ws accord.Workspace, z *time.Location) error) error {
	var args nudgeArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return err
	}
	// Every step is scheduled again: this job may have come before its step, which a change
	// moved later without a job of its own (newSteps).
	_, err := a.changeAll(ctx, args.WorkspaceID, args.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		ws, err := tx.Workspace(e.WorkspaceID)
		if err != nil {
			return err
		}
		return fn(tx, e, ws, zone(ws.Timezone))
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return nil
	}
	return err
}

// nudge takes every nudge of the engagement that is due by now. Run twice, it finds them taken.
func (a *App) nudge(ctx context.Context, raw json.RawMessage, _ jobs.Try) error {
	return a.onTime(ctx, raw, func(tx accord.Tx, e *accord.Engagement, ws accord.Workspace, z *time.Location) error {
		c := accord.Cmd{Now: a.Clock.Now(), By: accord.System, Zone: z}
		for range 4 { // each nudge taken makes the next one of the same moment due, if any
			d, ok := e.NextDue(c.Now, ws.ResponseDays, z)
			if !ok || d.At.After(c.Now) {
				return nil
			}
			before := e.Waiting(ws.ResponseDays)
			if err := e.TakeNudge(c, d, ws.ResponseDays, z); err != nil {
				return err
			}
			if err := a.tellNudge(tx, e, c, d, before, ws); err != nil {
				return err
			}
		}
		return nil
	})
}

// tellNudge tells the client, and the freelancer, of a nudge just taken.
func (a *App) tellNudge(tx accord.Tx, e *accord.Engagement, c accord.Cmd, d accord.Due, before accord.Wait, ws accord.Workspace) error {
	w := d.Wait
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return err
	}
	loc, err := a.contactLocale(tx, e.WorkspaceID, e.ID, cl.Email)
	if err != nil {
		return err
	}
	data := map[string]any{"owed": a.owed(loc, w), "since": w.Since, "details": ws.PaymentDetails}
	if w.Milestone != nil {
		data["num"], data["milestone"] = w.Milestone.N, w.Milestone.Title
	}
	if w.Amount.Currency != "" {
		data["amount"] = w.Amount
	}
	if w.Info != nil {
		data["request"], data["due"], data["blocked"] = w.Info.Title, w.Info.DueDate, a.blocked(loc, e, w.Info)
	}
	if w.Step == accord.StepReview {
		data["until"] = w.Until
		if !e.Nudges.WarnedAt.IsZero() {
			data["until"] = d.At
		}
	}
	kind := string(d.Nudge)
	switch d.Nudge {
	case accord.NudgeReminder:
		if kind = reminders[w.Step]; kind == "" {
			return fmt.Errorf("no reminder is written for %s", w.Step)
		}
	case accord.NudgeCheckIn:
		if accord.PausesOnSilence(w.Step) {
			data["pause"] = d.At.AddDate(0, 0, a.responseDays(e, ws))
		}
	case accord.NudgePause:
		kind = "paused"
	case accord.NudgeReviewWarning:
		data["until"] = d.At.AddDate(0, 0, accord.ReviewWarningDays)
	case accord.NudgeAutoAccept:
		kind = "auto_accepted"
		data["until"] = d.At
	}
	if err := a.askMail(tx, e, c, kind, data); err != nil {
		return err
	}
	if d.Nudge == accord.NudgeAutoAccept {
		if err := a.askPayment(tx, e, c, before); err != nil {
			return err
		}
	}
	flang := i18n.Locale{Lang: "en", Zone: zone(ws.Timezone)}
	if owner, err := tx.UserByID(ws.OwnerID); err == nil && owner.Language != "" {
		flang.Lang = owner.Language
	}
	return a.notify(tx, e, accord.NotifyClientSilent, map[string]any{"since": w.Since, "owed": a.owed(flang, w),
		"nudge": a.Catalog.In(flang, "nudge."+string(d.Nudge), nil)})
}

// reminders are the reminder emails, by what the client owes: each says why the answer matters.
var reminders = map[accord.Step]string{
	accord.StepAnswerBrief:     "reminder.answer_brief",
	accord.StepAcceptAgreement: "reminder.accept_agreement",
	accord.StepAcceptAmendment: "reminder.accept_amendment",
	accord.StepAnswerInfo:      "reminder.answer_info",
	accord.StepPrepay:          "reminder.prepay",
	accord.StepPay:             "reminder.pay",
	accord.StepReview:          "reminder.review",
	accord.StepAcceptChange:    "reminder.accept_change",
	accord.StepChooseOption:    "reminder.choose_option",
	accord.StepConfirmSummary:  "reminder.confirm_summary",
}

// responseDays is the client's response time: the agreement's, or the workspace's before one.
func (a *App) responseDays(e *accord.Engagement, ws accord.Workspace) int {
	if ag := e.Accepted(); ag != nil {
		return ag.ResponseDays
	}
	return ws.ResponseDays
}

// owed says, in loc's language, what the client owes.
func (a *App) owed(loc i18n.Locale, w accord.Wait) string {
	d := map[string]any{}
	if w.Amount.Currency != "" {
		d["amount"] = w.Amount
	}
	if w.Milestone != nil {
		d["num"] = w.Milestone.N
	}
	if w.Info != nil {
		d["request"] = w.Info.Title
	}
	return a.Catalog.In(loc, "owed."+string(w.Step), d)
}

// blocked names the milestones an information request holds up, quoted in loc's language.
func (a *App) blocked(loc i18n.Locale, e *accord.Engagement, r *accord.InfoRequest) string {
	var names []string
	for _, id := range r.Blocks {
		if m := e.Milestone(id); m != nil {
			names = append(names, a.Catalog.In(loc, "quoted", map[string]any{"text": m.Title}))
		}
	}
	return strings.Join(names, ", ")
}

// FailedStep is a nudge or a report Accord could not take after every try.
type FailedStep struct {
	Kind         string // JobNudge or JobReport
	EngagementID string
	Title        string
	Error        string
	At           time.Time
}

// FailedSteps lists the workspace's nudges and reports whose every try failed, newest first,
// so that the freelancer can take the step by hand.
func (a *App) FailedSteps(ctx context.Context, f Freelancer) ([]FailedStep, error) {
	if a.Jobs == nil {
		return nil, nil
	}
	failed, err := a.Jobs.Failed(ctx, 200, JobNudge, JobReport)
	if err != nil {
		return nil, err
	}
	var out []FailedStep
	err = a.Store.Read(ctx, func(tx accord.Tx) error {
		for _, j := range failed {
			var args struct {
				WorkspaceID  string `json:"workspace_id"`
				EngagementID any    `json:"engagement_id"`
			}
			if json.Unmarshal(j.Args, &args) != nil || args.WorkspaceID != f.WorkspaceID {
				continue
			}
			s := FailedStep{Kind: j.Kind, Error: j.Error, At: j.At}
			if id, ok := args.EngagementID.(string); ok {
				if e, err := tx.Engagement(f.WorkspaceID, id); err == nil {
					s.EngagementID, s.Title = e.ID, e.Title
				}
			}
			out = append(out, s)
		}
		return nil
	})
	return out, err
}

// FailedMails counts the workspace's emails that could not be sent after every try.
func (a *App) FailedMails(ctx context.Context, f Freelancer) (int, error) {
	var n int
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { n, err = tx.CountMails(f.WorkspaceID, accord.MailFailed); return err })
	return n, err
}
