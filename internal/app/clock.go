package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
)

// StartTestClock sets a test clock to the time the store kept, when it is later than the clock's.
func (a *App) StartTestClock(ctx context.Context, c *accord.TestClock) error {
	return a.Store.Read(ctx, func(tx accord.Tx) error {
		at, err := tx.ClockTime()
		if err == nil {
			c.Set(at)
		}
		return err
	})
}

// AdvanceClock moves a test clock forward by d, running every job due by then in the order they
// fall due (d = 0 runs what is due now), and keeps its time in the store.
func (a *App) AdvanceClock(ctx context.Context, c *accord.TestClock, d time.Duration) (time.Time, error) {
	a.advance.Lock()
	defer a.advance.Unlock()
	until := c.Now().Add(d)
	if a.Jobs != nil {
		if err := a.Jobs.RunDue(ctx, c, until); err != nil {
			return c.Now(), err
		}
	}
	now := c.Set(until)
	return now, a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetClockTime(now) })
}
