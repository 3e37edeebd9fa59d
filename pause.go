package accord

// Pause suspends an engagement (the client has gone silent); work and deadlines wait.
func (e *Engagement) Pause(c Cmd, reason string) error {
	if !e.Pausable() {
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
func (d EngagementResumed) apply(e *Engagement, ev Event) {
	e.State, e.PausedFrom, e.ResumedAt = d.To, "", ev.At
	e.applyMoves(d.Moves)
}
