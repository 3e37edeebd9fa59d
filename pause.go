package accord

import "time"

// The silence ladder: with R the days a client has to answer, a reminder after R days of
// silence, a check-in after 2R, and after 3R the engagement is paused.
const (
	SilenceNone     = 0
	SilenceReminder = 1
	SilenceCheckIn  = 2
	SilencePause    = 3
)

// Silence says which step of the ladder is due for what the client owes, counted from since
// with r days a step, and when the next one falls due (zero after the last).
func Silence(since, now time.Time, r int) (step int, next time.Time) {
	if since.IsZero() || r <= 0 {
		return SilenceNone, time.Time{}
	}
	for step = SilenceNone; step < SilencePause; step++ {
		due := since.AddDate(0, 0, r*(step+1))
		if now.Before(due) {
			return step, due
		}
	}
	return SilencePause, time.Time{}
}

// Pause suspends a running engagement (the client has gone silent); work and deadlines wait.
func (e *Engagement) Pause(c Cmd, reason string) error {
	if !e.Running() {
		return Errorf(ECONFLICT, "engagement.not_running", "state", string(e.State))
	}
	e.record(c, EngagementPaused{Reason: reason, From: e.State})
	return nil
}

// Resume takes a paused engagement back to where it was, on the freelancer's word; the due dates
// of unfinished milestones move by the whole days it was paused.
func (e *Engagement) Resume(c Cmd) error {
	if e.State != Paused {
		return Errorf(ECONFLICT, "engagement.not_paused", "state", string(e.State))
	}
	days := int(c.Now.Sub(e.StateSince).Hours() / 24)
	e.record(c, EngagementResumed{To: e.PausedFrom, DaysPaused: days, Moves: e.moveDueDates(0, days)})
	return nil
}

// EngagementPaused suspends the work.
type EngagementPaused struct {
	Reason string          `json:"reason"`
	From   EngagementState `json:"from"`
}

func (EngagementPaused) EventType() string { return "engagement.paused" }
func (d EngagementPaused) apply(e *Engagement, _ Event) {
	e.PausedFrom, e.State = d.From, Paused
}

// EngagementResumed takes the work up again, with the due dates it moved.
type EngagementResumed struct {
	To         EngagementState `json:"to"`
	DaysPaused int             `json:"days_paused"`
	Moves      []MilestoneMove `json:"moves,omitempty"`
}

func (EngagementResumed) EventType() string { return "engagement.resumed" }
func (d EngagementResumed) apply(e *Engagement, _ Event) {
	e.State, e.PausedFrom = d.To, ""
	e.applyMoves(d.Moves)
}
