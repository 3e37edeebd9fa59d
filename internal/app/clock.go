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

// AdvanceClock moves a test clock forward by d (0 runs nothing new but answers the time) and
// keeps its time in the store.
func (a *App) AdvanceClock(ctx context.Context, c *accord.TestClock, d time.Duration) (time.Time, error) {
	now := c.Advance(d)
	return now, a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetClockTime(now) })
}
