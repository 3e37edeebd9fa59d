package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
)

// flashTTL is how long a page's one-time message waits for the browser to come back for it.
const flashTTL = 10 * time.Minute

// PutFlash keeps a one-time message for the next page its owner loads (a confirmation, or a
// refused form with what was typed); owner is a hash of the session it belongs to, "" for none.
func (a *App) PutFlash(ctx context.Context, owner string, body []byte) (string, error) {
	id := accord.NewID("fl")
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		return tx.PutFlash(id, owner, body, a.Clock.Now().Add(flashTTL))
	})
	return id, err
}

// TakeFlash returns a one-time message once and forgets it.
func (a *App) TakeFlash(ctx context.Context, id, owner string) ([]byte, error) {
	var body []byte
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		var err error
		body, err = tx.TakeFlash(id, owner, a.Clock.Now())
		return err
	})
	return body, err
}
