package accord

// Retrospective is what the freelancer learned from a closed engagement: what went well, what
// the brief missed, and what to ask next time.
type Retrospective struct {
	WentWell    string `json:"went_well"`
	BriefMissed string `json:"brief_missed"`
	AskNext     string `json:"ask_next"`
}

// WriteRetrospective keeps the lesson of a completed or terminated engagement; it can be
// written again, the record keeps every version.
func (e *Engagement) WriteRetrospective(c Cmd, r Retrospective) error {
	if e.State != Completed && e.State != Terminated {
		return Errorf(ECONFLICT, "retrospective.open", "state", string(e.State))
	}
	var v Invalid
	r.WentWell = v.Text("went_well", r.WentWell, false, 5000)
	r.BriefMissed = v.Text("brief_missed", r.BriefMissed, false, 5000)
	r.AskNext = v.Text("ask_next", r.AskNext, false, 1000)
	if r.WentWell == "" && r.BriefMissed == "" && r.AskNext == "" {
		v.Add("went_well", "retrospective.empty")
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, RetrospectiveWritten{r})
	return nil
}

// RetrospectiveWritten keeps the lesson of a closed engagement.
type RetrospectiveWritten struct {
	Retrospective
}

func (RetrospectiveWritten) EventType() string { return "retrospective.written" }
func (d RetrospectiveWritten) apply(e *Engagement, _ Event) {
	r := d.Retrospective
	e.Retrospective = &r
}
