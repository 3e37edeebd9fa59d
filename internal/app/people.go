package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// Freelancer is an authenticated user acting in their workspace.
type Freelancer struct {
	UserID      string
	WorkspaceID string
	Name        string
	Email       string
	// Lang is the language the freelancer chose, "" to follow the browser.
	Lang string
	// Zone is the workspace's time zone, the one the freelancer reads times in.
	Zone *time.Location
	// ResponseDays is the workspace's time for a client to answer before an agreement sets one.
	ResponseDays int
}

// Contact is a client contact acting through the portal on one engagement.
type Contact struct {
	WorkspaceID  string
	EngagementID string
	Email        string
	// Locale is how the contact reads: the language they chose in the portal, else the client's,
	// and the client's time zone.
	Locale i18n.Locale
}

// Freelancer returns who a freelancer session acts as.
func (a *App) Freelancer(ctx context.Context, s accord.Session) (Freelancer, error) {
	var u accord.User
	var ws accord.Workspace
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		if u, err = tx.UserByID(s.UserID); err != nil {
			return err
		}
		ws, err = tx.Workspace(s.WorkspaceID)
		return err
	})
	return Freelancer{UserID: u.ID, WorkspaceID: s.WorkspaceID, Name: u.Name, Email: u.Email,
		Lang: u.Language, Zone: zone(ws.Timezone), ResponseDays: ws.ResponseDays}, err
}

// FreelancerOf returns a user as the freelancer of the workspace they own, for the demo and the
// command line, which act without a session.
func (a *App) FreelancerOf(ctx context.Context, u accord.User) (Freelancer, error) {
	var ws string
	if err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		ws, err = a.workspaceOf(tx, u)
		return err
	}); err != nil {
		return Freelancer{}, err
	}
	return a.Freelancer(ctx, accord.Session{UserID: u.ID, WorkspaceID: ws})
}

// Contact returns who a portal session acts as.
func (a *App) Contact(ctx context.Context, s accord.Session) (Contact, error) {
	if s.Kind != accord.SessionPortal {
		return Contact{}, accord.Errorf(accord.EUNAUTHORIZED, "error.unauthorized")
	}
	c := Contact{WorkspaceID: s.WorkspaceID, EngagementID: s.EngagementID, Email: s.Email}
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		c.Locale, err = a.contactLocale(tx, s.WorkspaceID, s.EngagementID, s.Email)
		return err
	})
	return c, err
}

// contactLocale is how a contact of an engagement reads: the language they chose, else the
// client's; the client's zone.
func (a *App) contactLocale(tx accord.Tx, ws, engagementID, email string) (i18n.Locale, error) {
	p, err := tx.ContactPlace(ws, engagementID, email)
	return i18n.Locale{Lang: p.Language, Zone: zone(p.Timezone)}, err
}

// SetContactLanguage remembers the language a contact chose in the portal; their emails follow it.
func (a *App) SetContactLanguage(ctx context.Context, c Contact, lang string) error {
	if !accord.ValidLanguage(lang) {
		var v accord.Invalid
		v.Add("language", "field.language")
		return v.Err()
	}
	return a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetContactLanguage(c.WorkspaceID, c.Email, lang) })
}

// zone loads a stored IANA zone; what cannot be loaded reads as UTC.
func zone(name string) *time.Location {
	if loc, err := accord.LoadZone(name); err == nil {
		return loc
	}
	return time.UTC
}
