package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// OpenPortal spends a single-use invitation token and opens a portal session for its contact.
func (a *App) OpenPortal(ctx context.Context, token string) (secret string, expires time.Time, err error) {
	secret, hash := newSecret("cps")
	now := a.Clock.Now()
	expires = now.Add(a.SessionTTL)
	err = a.Store.Write(ctx, func(tx accord.Tx) error {
		p, err := tx.SpendPortalToken(HashSecret(token), now)
		if err != nil {
			return err
		}
		e, err := tx.Engagement(p.WorkspaceID, p.EngagementID)
		if err != nil {
			return err
		}
		if err := tx.CreateSession(accord.Session{Hash: hash, Kind: accord.SessionPortal, WorkspaceID: p.WorkspaceID,
			EngagementID: p.EngagementID, Email: p.Email, CreatedAt: now, ExpiresAt: expires}); err != nil {
			return err
		}
		e.RecordPortalOpened(accord.Cmd{Now: now, By: Contact{Email: p.Email}.actor()})
		return a.save(tx, e)
	})
	return secret, expires, err
}

// PortalEngagement returns the contact's engagement and the workspace it belongs to.
func (a *App) PortalEngagement(ctx context.Context, c Contact) (*accord.Engagement, accord.Workspace, error) {
	var e *accord.Engagement
	var ws accord.Workspace
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		if e, err = tx.Engagement(c.WorkspaceID, c.EngagementID); err != nil {
			return err
		}
		ws, err = tx.Workspace(c.WorkspaceID)
		return err
	})
	return e, ws, err
}

// AnswerBrief records the client's answers to the brief.
func (a *App) AnswerBrief(ctx context.Context, c Contact, answers map[string]string) (*accord.Engagement, error) {
	pre := screenOf(briefText(answers))
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		if err := e.AnswerBrief(a.cmd(c.actor()), answers); err != nil {
			return err
		}
		if err := a.screenText(tx, e, pre.text, "brief", pre); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyBriefAnswered, nil)
	})
}

// AcceptAgreement is the client's acceptance of the proposed agreement, term by term.
func (a *App) AcceptAgreement(ctx context.Context, c Contact, version int, acknowledged []string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		before, cmd := e.Waiting(accord.DefaultResponseDays), a.cmd(c.actor())
		if err := e.AcceptAgreement(cmd, version, acknowledged); err != nil {
			return err
		}
		if err := a.mail(tx, e, "", "accepted", map[string]any{"version": version, "url": a.BaseURL + "/portal"}); err != nil {
			return err
		}
		if err := a.askPayment(tx, e, cmd, before); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyAgreementAccepted, map[string]any{"version": version})
	})
}

// DeclineAgreement is the client's no to a proposed amendment; the accepted version holds.
func (a *App) DeclineAgreement(ctx context.Context, c Contact, version int) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		if err := e.DeclineAgreement(a.cmd(c.actor()), version); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyAmendmentDeclined, map[string]any{"version": version})
	})
}

// AcceptDelivery is the client's acceptance of a delivery.
func (a *App) AcceptDelivery(ctx context.Context, c Contact, deliveryID string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		before, cmd := e.Waiting(accord.DefaultResponseDays), a.cmd(c.actor())
		if err := e.AcceptDelivery(cmd, deliveryID); err != nil {
			return err
		}
		if err := a.askPayment(tx, e, cmd, before); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyDeliveryAccepted, nil)
	})
}

// RequestChanges sends a delivery back; the freelancer's replies are held for the workspace's cooling-off.
func (a *App) RequestChanges(ctx context.Context, c Contact, deliveryID, whatIsWrong, desired string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		ws, err := tx.Workspace(c.WorkspaceID)
		if err != nil {
			return err
		}
		if err := e.RequestChanges(a.cmd(c.actor()), deliveryID, whatIsWrong, desired, ws.CoolingOff); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyChangesRequested, map[string]any{"wrong": whatIsWrong, "desired": desired})
	})
}

// LinkInfo reads a portal link without spending it: how the contact it was made for reads (so
// the page it opens speaks their language before any session exists; fallback for an unknown
// link), and whether it can still open the portal (known, unspent, unexpired).
func (a *App) LinkInfo(ctx context.Context, token string, fallback i18n.Locale) (loc i18n.Locale, usable bool) {
	loc = fallback
	a.Store.Read(ctx, func(tx accord.Tx) error {
		p, err := tx.PortalToken(HashSecret(token))
		if err != nil {
			return err
		}
		usable = p.UsedAt.IsZero() && p.ExpiresAt.After(a.Clock.Now())
		if l, err := a.contactLocale(tx, p.WorkspaceID, p.EngagementID, p.Email); err == nil {
			loc = l
		}
		return nil
	})
	return loc, usable
}

// RequestPortalLink mails a fresh portal link to a contact for each open engagement they were
// invited to. It answers the same whether or not the address is known, so it tells no one who
// the clients are; it is limited per address and per email.
func (a *App) RequestPortalLink(ctx context.Context, email, addr string) error {
	now := a.Clock.Now()
	email, err := accord.NormalizeEmail(email)
	if err != nil {
		var v accord.Invalid
		v.Add("email", "field.email")
		return v.Err()
	}
	if !a.limiter.take(now, "link:"+HashSecret(email)[:32], "linkaddr:"+addr) {
		return accord.Errorf(accord.ERATELIMIT, "error.rate_limited", "count", int(a.limiter.window/time.Minute))
	}
	err = a.Store.Write(ctx, func(tx accord.Tx) error {
		invited, err := tx.InvitedEngagements(email)
		if err != nil {
			return err
		}
		for _, p := range invited {
			e, err := tx.Engagement(p.WorkspaceID, p.EngagementID)
			if err != nil {
				return err
			}
			if e.State == accord.Completed || e.State == accord.Terminated {
				continue
			}
			inv, err := a.newLink(tx, e, accord.Cmd{Now: now, By: Contact{Email: email}.actor()}, email)
			if err != nil {
				return err
			}
			if err := a.mail(tx, e, email, "portal_link", map[string]any{"url": inv.URL, "expires": inv.ExpiresAt}); err != nil {
				return err
			}
			if err := a.save(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// AnswerInfo is the client's answer to an information request, on the client's calendar day.
func (a *App) AnswerInfo(ctx context.Context, c Contact, requestID, text string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		cmd := a.cmd(c.actor())
		cmd.Zone = c.Locale.Zone
		if err := e.AnswerInfo(cmd, requestID, text); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyInfoAnswered, map[string]any{"request": e.InfoRequest(requestID).Title})
	})
}

// AnswerPaidChange is the client's answer to a change priced beyond the revisions; the
// freelancer is told.
func (a *App) AnswerPaidChange(ctx context.Context, c Contact, milestoneID string, accept bool) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		m := e.Milestone(milestoneID)
		if err := e.AnswerPaidChange(a.cmd(c.actor()), milestoneID, accept); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyPaidChange, map[string]any{"num": m.N, "milestone": m.Title, "accepted": accept})
	})
}

// ChooseOption is the client's choice of a way forward after sending work back; the freelancer
// is told.
func (a *App) ChooseOption(ctx context.Context, c Contact, milestoneID, option string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		if err := e.ChooseOption(a.cmd(c.actor()), milestoneID, option); err != nil {
			return err
		}
		m := e.Milestone(milestoneID)
		return a.notify(tx, e, accord.NotifyOptionChosen, map[string]any{"num": m.N, "milestone": m.Title})
	})
}
