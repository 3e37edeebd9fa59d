package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
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
		return tx.SaveEngagement(e)
	})
	return secret, expires, err
}

// Contact returns who a portal session acts as.
func (a *App) Contact(s accord.Session) (Contact, error) {
	if s.Kind != accord.SessionPortal {
		return Contact{}, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	return Contact{WorkspaceID: s.WorkspaceID, EngagementID: s.EngagementID, Email: s.Email}, nil
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
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(_ accord.Tx, e *accord.Engagement) error {
		return e.AnswerBrief(a.cmd(c.actor()), answers)
	})
}

// AcceptAgreement is the client's acceptance of the proposed agreement, term by term.
func (a *App) AcceptAgreement(ctx context.Context, c Contact, version int, acknowledged []string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(_ accord.Tx, e *accord.Engagement) error {
		return e.AcceptAgreement(a.cmd(c.actor()), version, acknowledged)
	})
}

// AcceptDelivery is the client's acceptance of a delivery.
func (a *App) AcceptDelivery(ctx context.Context, c Contact, deliveryID string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(_ accord.Tx, e *accord.Engagement) error {
		return e.AcceptDelivery(a.cmd(c.actor()), deliveryID)
	})
}

// RequestChanges sends a delivery back; the freelancer's replies are held for the workspace's cooling-off.
func (a *App) RequestChanges(ctx context.Context, c Contact, deliveryID, whatIsWrong, desired string) (*accord.Engagement, error) {
	return a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		ws, err := tx.Workspace(c.WorkspaceID)
		if err != nil {
			return err
		}
		return e.RequestChanges(a.cmd(c.actor()), deliveryID, whatIsWrong, desired, ws.CoolingOff)
	})
}
