package app

import (
	"context"
	"fmt"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// CreateClient adds a client to the freelancer's workspace.
func (a *App) CreateClient(ctx context.Context, f Freelancer, name, email, language, timezone string) (accord.Client, error) {
	c, err := accord.NewClient(a.cmd(f.actor()), f.WorkspaceID, name, email, language, timezone)
	if err != nil {
		return c, err
	}
	return c, a.Store.Write(ctx, func(tx accord.Tx) error { return tx.CreateClient(c) })
}

// Clients lists the workspace's clients.
func (a *App) Clients(ctx context.Context, f Freelancer) ([]accord.Client, error) {
	var out []accord.Client
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		out, err = tx.Clients(f.WorkspaceID)
		return err
	})
	return out, err
}

// CreateEngagement opens a draft engagement for one of the workspace's clients.
func (a *App) CreateEngagement(ctx context.Context, f Freelancer, clientID, title, currency string) (*accord.Engagement, error) {
	return a.CreateEngagementFrom(ctx, f, clientID, title, currency, "")
}

// CreateEngagementFrom opens a draft engagement whose brief starts from a template ("" for none).
func (a *App) CreateEngagementFrom(ctx context.Context, f Freelancer, clientID, title, currency, templateID string) (*accord.Engagement, error) {
	c := a.cmd(f.actor())
	e, err := accord.NewEngagement(c, f.WorkspaceID, clientID, title, currency)
	if err != nil {
		return nil, err
	}
	err = a.Store.Write(ctx, func(tx accord.Tx) error {
		if _, err := tx.Client(f.WorkspaceID, clientID); err != nil {
			if accord.ErrorCode(err) == accord.ENOTFOUND {
				var v accord.Invalid
				v.Add("client_id", "client.not_found")
				return v.Err()
			}
			return err
		}
		if templateID != "" {
			t, err := a.briefTemplate(tx, f, templateID)
			if accord.ErrorCode(err) == accord.ENOTFOUND {
				var v accord.Invalid
				v.Add("template_id", "brief_template.not_found")
				return v.Err()
			}
			if err != nil {
				return err
			}
			if err := e.WriteBrief(c, t.Questions); err != nil {
				return err
			}
		}
		return a.save(tx, e)
	})
	return e, err
}

// Engagement returns one of the workspace's engagements.
func (a *App) Engagement(ctx context.Context, f Freelancer, id string) (*accord.Engagement, error) {
	var e *accord.Engagement
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		e, err = tx.Engagement(f.WorkspaceID, id)
		return err
	})
	return e, err
}

// CalendarDays is how far back the calendar feed reaches, and CalendarLimit how many
// engagements' deadlines it carries at most, the nearest first.
const (
	CalendarDays  = 90
	CalendarLimit = 1000
)

// CalendarEngagements lists the engagements whose deadlines the workspace's calendar feed
// carries: those still running with a milestone not yet paid that is due in the last
// CalendarDays days or later, those whose last such deadline comes soonest first.
func (a *App) CalendarEngagements(ctx context.Context, f Freelancer) ([]*accord.Engagement, error) {
	from := a.Today(i18n.Locale{Zone: f.Zone}).AddDays(-CalendarDays)
	var out []*accord.Engagement
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		out, err = tx.DueFrom(f.WorkspaceID, from, CalendarLimit)
		return err
	})
	return out, err
}

// Engagements lists the workspace's engagements, most recently changed first.
func (a *App) Engagements(ctx context.Context, f Freelancer) ([]*accord.Engagement, error) {
	var out []*accord.Engagement
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		out, err = tx.Engagements(f.WorkspaceID)
		return err
	})
	return out, err
}

// Events returns an engagement's record.
func (a *App) Events(ctx context.Context, ws, id string) ([]accord.Event, error) {
	var out []accord.Event
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		if _, err := tx.Engagement(ws, id); err != nil {
			return err
		}
		var err error
		out, err = tx.Events(id)
		return err
	})
	return out, err
}

// Invitation is a portal link for a client contact.
type Invitation struct {
	URL       string
	Token     string
	ExpiresAt time.Time
}

// Invite creates a single-use portal link for a contact, records it, and mails it.
func (a *App) Invite(ctx context.Context, f Freelancer, id, email string) (Invitation, error) {
	email, err := accord.NormalizeEmail(email)
	if err != nil {
		var v accord.Invalid
		v.Add("email", "field.email")
		return Invitation{}, v.Err()
	}
	var inv Invitation
	_, err = a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		var err error
		if inv, err = a.newLink(tx, e, a.cmd(f.actor()), email); err != nil {
			return err
		}
		return a.mail(tx, e, email, "invitation", map[string]any{"url": inv.URL, "expires": inv.ExpiresAt})
	})
	return inv, err
}

// WriteBrief sets the brief's questions.
func (a *App) WriteBrief(ctx context.Context, f Freelancer, id string, qs []accord.Question) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(_ accord.Tx, e *accord.Engagement) error {
		return e.WriteBrief(a.cmd(f.actor()), qs)
	})
}

// SendBrief sends the brief to the client.
func (a *App) SendBrief(ctx context.Context, f Freelancer, id string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmd(f.actor())
		if err := e.SendBrief(c); err != nil {
			return err
		}
		return a.askMail(tx, e, c, "brief", nil)
	})
}

// WriteAgreement adds an agreement version, its terms written in the client's language.
func (a *App) WriteAgreement(ctx context.Context, f Freelancer, id string, ag accord.Agreement) (*accord.Agreement, error) {
	var out *accord.Agreement
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		cl, err := tx.Client(e.WorkspaceID, e.ClientID)
		if err != nil {
			return err
		}
		ws, err := tx.Workspace(e.WorkspaceID)
		if err != nil {
			return err
		}
		if err := accord.ApplyPolicy(&ag, ws, cl); err != nil {
			return err
		}
		out, err = e.WriteAgreement(a.cmdOf(f), ag, cl.Language, a.Catalog.Translator(cl.Language))
		return err
	})
	return out, err
}

// ProposeAgreement sends an agreement version to the client.
func (a *App) ProposeAgreement(ctx context.Context, f Freelancer, id string, version int) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		if err := e.ProposeAgreement(a.cmd(f.actor()), version); err != nil {
			return err
		}
		return a.askMail(tx, e, a.cmd(f.actor()), "agreement", map[string]any{"version": version})
	})
}

// RecordPayment records money received for a milestone.
func (a *App) RecordPayment(ctx context.Context, f Freelancer, id, milestoneID string, amount accord.Money, ref string) (string, error) {
	var pid string
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) (err error) {
		pid, err = a.recordPayment(ctx, tx, e, a.cmd(f.actor()), f.ResponseDays, milestoneID, amount, ref)
		return err
	})
	return pid, err
}

// recordPayment records a payment of a milestone, by the freelancer or confirmed by Stripe: the
// client gets its receipt, and is asked for what falls due next.
func (a *App) recordPayment(ctx context.Context, tx accord.Tx, e *accord.Engagement, c accord.Cmd, responseDays int, milestoneID string, amount accord.Money, ref string) (string, error) {
	before := e.Waiting(responseDays)
	pid, err := e.RecordPayment(c, milestoneID, amount, ref)
	if err != nil {
		return "", err
	}
	m := e.Milestone(milestoneID)
	if p := e.Payments[len(e.Payments)-1]; p.Settlement || m == nil {
		return pid, a.mailFiles(tx, e, "", "settlement_payment", map[string]any{"amount": amount, "reference": ref,
			"owed": e.SettlementOwed(), "still_owed": e.SettlementOwed().Amount > 0, "url": a.BaseURL + "/portal"}, a.receiptFile(ctx, tx, e, pid))
	}
	released := false // this payment completes a milestone whose work was delivered
	for _, d := range e.Deliveries {
		released = released || d.MilestoneID == m.ID && m.PaidInFull()
	}
	if err := a.mailFiles(tx, e, "", "payment_received", map[string]any{"amount": amount, "num": m.N,
		"milestone": m.Title, "reference": ref, "url": a.BaseURL + "/portal", "released": released}, a.receiptFile(ctx, tx, e, pid)); err != nil {
		return "", err
	}
	return pid, a.askPayment(tx, e, c, before)
}

// Resume takes a paused engagement back to where it was; unfinished milestones' due dates move by
// the whole days it was paused.
func (a *App) Resume(ctx context.Context, f Freelancer, id string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(_ accord.Tx, e *accord.Engagement) error {
		return e.Resume(a.cmdOf(f))
	})
}

// StartMilestone starts (or resumes) work on a milestone.
func (a *App) StartMilestone(ctx context.Context, f Freelancer, id, milestoneID string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(_ accord.Tx, e *accord.Engagement) error {
		return e.StartMilestone(a.cmd(f.actor()), milestoneID)
	})
}

// RebuildSnapshots folds anew, from their events, the stored engagements an older fold wrote;
// serve runs it on start. It says how many it rebuilt.
func (a *App) RebuildSnapshots(ctx context.Context) (int, error) {
	var stale []accord.EngagementRef
	if err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		stale, err = tx.StaleEngagements(accord.FoldVersion)
		return err
	}); err != nil {
		return 0, err
	}
	for _, ref := range stale {
		err := a.Store.Write(ctx, func(tx accord.Tx) error {
			if _, err := tx.Engagement(ref.WorkspaceID, ref.ID); err != nil { // locks the row
				return err
			}
			evs, err := tx.Events(ref.ID)
			if err != nil {
				return err
			}
			e := accord.Replay(evs)
			if err := tx.RewriteSnapshot(e); err != nil {
				return err
			}
			return a.schedule(tx, e) // a corrected rule may bring a nudge or a report due
		})
		if err != nil {
			return 0, fmt.Errorf("rebuild engagement %s: %w", ref.ID, err)
		}
	}
	return len(stale), nil
}

// RequestInfo asks the client for information by a date, blocking milestones; the client is told
// by email with a fresh portal link.
func (a *App) RequestInfo(ctx context.Context, f Freelancer, id, title string, due accord.Date, blocks []string) (string, error) {
	var rid string
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		var err error
		if rid, err = e.RequestInfo(c, title, due, blocks); err != nil {
			return err
		}
		return a.askMail(tx, e, c, "info", map[string]any{"request": title, "due": due})
	})
	return rid, err
}

// QuotePaidChange prices a change the client asked for beyond the agreed revisions, with its
// new due date; the client is asked to accept it.
func (a *App) QuotePaidChange(ctx context.Context, f Freelancer, id, milestoneID string, price accord.Money, due accord.Date) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		if err := e.QuotePaidChange(c, milestoneID, price, due); err != nil {
			return err
		}
		m := e.Milestone(milestoneID)
		return a.askMail(tx, e, c, "paid_change", map[string]any{"num": m.N, "milestone": m.Title, "price": price, "due": due})
	})
}

// ClassifyCause records why work was sent back, with the terms and record entries that show
// it; the client is asked to choose among the options.
func (a *App) ClassifyCause(ctx context.Context, f Freelancer, id, milestoneID, cause string, terms []string, events []int64) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmdOf(f)
		if err := e.ClassifyCause(c, milestoneID, cause, terms, events); err != nil {
			return err
		}
		m := e.Milestone(milestoneID)
		return a.askMail(tx, e, c, "options", map[string]any{"num": m.N, "milestone": m.Title})
	})
}

// WriteRetrospective keeps the lesson of a closed engagement.
func (a *App) WriteRetrospective(ctx context.Context, f Freelancer, id string, r accord.Retrospective) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(_ accord.Tx, e *accord.Engagement) error {
		return e.WriteRetrospective(a.cmdOf(f), r)
	})
}

// LearnQuestion adds the retrospective's "ask next time" to one of the workspace's brief
// templates, as an optional question, so that the next brief asks it.
func (a *App) LearnQuestion(ctx context.Context, f Freelancer, id, templateID string) (accord.BriefTemplate, error) {
	var t accord.BriefTemplate
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(f.WorkspaceID, id)
		if err != nil {
			return err
		}
		if e.Retrospective == nil || e.Retrospective.AskNext == "" {
			return accord.Errorf(accord.ECONFLICT, "retrospective.no_question")
		}
		if t, err = tx.BriefTemplate(f.WorkspaceID, templateID); err != nil { // a saved one: starters do not change
			if accord.ErrorCode(err) == accord.ENOTFOUND {
				var v accord.Invalid
				v.Add("template_id", "brief_template.not_found")
				return v.Err()
			}
			return err
		}
		for _, q := range t.Questions {
			if q.Text == e.Retrospective.AskNext {
				return nil // asked already
			}
		}
		t.Questions = append(t.Questions, accord.Question{ID: accord.NewID("q"), Text: e.Retrospective.AskNext})
		return tx.SetTemplateQuestions(f.WorkspaceID, t.ID, t.Questions)
	})
	return t, err
}
