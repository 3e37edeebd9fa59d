package app

import (
	"context"
	"time"

	"github.com/accordapp/accord"
)

// StartTestClock sets a test clock to the time the store kept, when it is later than the clock's,
// and makes the jobs a killed server left running available again: a test clock's database has
// one server.
func (a *App) StartTestClock(ctx context.Context, c *accord.TestClock) error {
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		at, err := tx.ClockTime()
		if err == nil {
			c.Set(at)
		}
		return err
	})
	if err != nil || a.Jobs == nil {
		return err
	}
	if n, err := a.Jobs.RequeueAbandoned(ctx); err != nil {
		return err
	} else if n > 0 {
		a.Log.Info("jobs left running by a stopped server are queued again", "count", n)
	}
	return nil
}

// AdvanceClock moves a test clock forward by d, running every job due by then in the order they
// fall due (d = 0 runs what is due now), and keeps its time in the store.
func (a *App) AdvanceClock(ctx context.Context, c *accord.TestClock, d time.Duration) (time.Time, error) {
	a.advance.Lock()
	defer a.advance.Unlock()
	until := c.Now().Add(d)
	keep := func(t time.Time) error {
		return a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetClockTime(t) })
	}
	if a.Jobs != nil {
		if err := a.Jobs.RunDue(ctx, c, until, keep); err != nil { // kept as it goes: a crash resumes from there
			return c.Now(), err
		}
	}
	now := c.Set(until)
	return now, keep(now)
}
