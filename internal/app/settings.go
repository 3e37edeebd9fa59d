package app

import (
	"context"

	"github.com/accordapp/accord"
)

// Workspace returns the freelancer's workspace.
func (a *App) Workspace(ctx context.Context, f Freelancer) (accord.Workspace, error) {
	var ws accord.Workspace
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		ws, err = tx.Workspace(f.WorkspaceID)
		return err
	})
	return ws, err
}

// Settings is what the settings page changes: the workspace's and the freelancer's own.
type Settings struct {
	WorkspaceName     string
	Timezone          string
	CoolingOffMinutes int
	PaymentDetails    string
	// ResponseDays is the client's time to answer before an agreement; 0 keeps it as it is.
	ResponseDays int
	// Language is the freelancer's own, "" to follow the browser.
	Language string
	// Muted are the notifications turned off; nil keeps them as they are.
	Muted []string
	// Policy is what every agreement must meet unless its client is trusted; nil keeps it.
	Policy *accord.Policy
}

// SaveSettings changes the workspace's settings and the freelancer's language together.
func (a *App) SaveSettings(ctx context.Context, f Freelancer, s Settings) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error {
		ws, err := tx.Workspace(f.WorkspaceID)
		if err != nil {
			return err
		}
		if s.ResponseDays == 0 {
			s.ResponseDays = ws.ResponseDays
		}
		if s.Muted != nil {
			ws.Muted = s.Muted
		}
		ws, err = ws.Edit(s.WorkspaceName, s.Timezone, s.CoolingOffMinutes, s.PaymentDetails, s.ResponseDays)
		if s.Policy != nil && err == nil {
			ws, err = ws.WithPolicy(*s.Policy)
		}
		if s.Language != "" && !accord.ValidLanguage(s.Language) {
			err = joinInvalid(err, "language", "field.language")
		}
		if err != nil {
			return err
		}
		u, err := tx.UserByID(f.UserID)
		if err != nil {
			return err
		}
		u.Language = s.Language
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		return tx.UpdateWorkspace(ws)
	})
}

// joinInvalid adds one field's problem to an invalid-input error, or starts one.
func joinInvalid(err error, field, key string) error {
	e, ok := err.(*accord.Error)
	if err != nil && (!ok || e.Code != accord.EINVALID) {
		return err
	}
	var v accord.Invalid
	if ok {
		for _, fe := range e.Fields {
			v.Add(fe.Field, fe.Key, flatten(fe.Data)...)
		}
	}
	v.Add(field, key)
	return v.Err()
}

func flatten(m map[string]any) []any {
	var kv []any
	for k, v := range m {
		kv = append(kv, k, v)
	}
	return kv
}

// Client returns one of the workspace's clients.
func (a *App) Client(ctx context.Context, f Freelancer, id string) (accord.Client, error) {
	var c accord.Client
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		c, err = tx.Client(f.WorkspaceID, id)
		return err
	})
	return c, err
}

// UpdateClient changes a client's details.
func (a *App) UpdateClient(ctx context.Context, f Freelancer, id, name, email, language, timezone string) (accord.Client, error) {
	var c accord.Client
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		old, err := tx.Client(f.WorkspaceID, id)
		if err != nil {
			return err
		}
		if c, err = old.Edit(name, email, language, timezone); err != nil {
			return err
		}
		return tx.UpdateClient(c)
	})
	return c, err
}

// Tokens lists the freelancer's API tokens (never their secrets).
func (a *App) Tokens(ctx context.Context, f Freelancer) ([]accord.Session, error) {
	var out []accord.Session
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		out, err = tx.Sessions(f.UserID, accord.SessionAPI, a.Clock.Now())
		return err
	})
	return out, err
}

// RevokeToken ends one of the freelancer's API tokens, named by its stored hash.
func (a *App) RevokeToken(ctx context.Context, f Freelancer, hash string) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error {
		ss, err := tx.Sessions(f.UserID, accord.SessionAPI, a.Clock.Now())
		if err != nil {
			return err
		}
		for _, s := range ss {
			if s.Hash == hash {
				return tx.DeleteUserSession(f.UserID, hash)
			}
		}
		return accord.Errorf(accord.ENOTFOUND, "token.not_found")
	})
}

// CalendarLink makes the secret address of the workspace's deadlines feed; the one made before
// stops working.
func (a *App) CalendarLink(ctx context.Context, f Freelancer) (string, error) {
	secret, hash := newSecret("ics")
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		if _, err := tx.DeleteUserSessions(f.UserID, accord.SessionICS); err != nil {
			return err
		}
		return tx.CreateSession(accord.Session{Hash: hash, Kind: accord.SessionICS, UserID: f.UserID,
			WorkspaceID: f.WorkspaceID, CreatedAt: a.Clock.Now(), Hint: secret[len(secret)-4:]})
	})
	return a.BaseURL + "/calendar/" + secret + ".ics", err
}

// CalendarOf is who a feed's secret belongs to.
func (a *App) CalendarOf(ctx context.Context, secret string) (Freelancer, error) {
	s, err := a.Authenticate(ctx, secret)
	if err != nil {
		return Freelancer{}, err
	}
	if s.Kind != accord.SessionICS {
		return Freelancer{}, accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}
	return a.Freelancer(ctx, s)
}

// SignOutEverywhere ends every browser session of the freelancer, this one too.
func (a *App) SignOutEverywhere(ctx context.Context, f Freelancer) (int, error) {
	var n int
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		var err error
		n, err = tx.DeleteUserSessions(f.UserID, accord.SessionWeb)
		return err
	})
	return n, err
}

// Prune removes expired sessions and portal links; serve runs it now and then, and so may the CLI.
func (a *App) Prune(ctx context.Context) (int, error) {
	var n int
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		var err error
		n, err = tx.PruneExpired(a.Clock.Now())
		return err
	})
	return n, err
}

// SignupOpen reports whether someone may sign up now, so the pages offer it only then.
func (a *App) SignupOpen(ctx context.Context) bool {
	return a.Store.Read(ctx, a.signupAllowed) == nil
}
