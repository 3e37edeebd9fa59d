package app

import (
	"time"

	"github.com/accordapp/accord"
)

// NextAction is the engagement's agenda as a catalog message: the one thing that moves it
// forward, who owes it, since when and by when.
type NextAction struct {
	Key   string
	Data  map[string]any // for the catalog
	Owner string
	Since time.Time
	Until time.Time
}

// NextStep words what the engagement waits for (the domain's answer); forClient words it for the client.
func NextStep(e *accord.Engagement, forClient bool, responseDays int) NextAction {
	if responseDays <= 0 {
		responseDays = accord.DefaultResponseDays
	}
	w := e.Waiting(responseDays)
	side := "next."
	if forClient {
		side = "ask."
	}
	n := NextAction{Key: side + string(w.Step), Data: map[string]any{}, Owner: w.Owner, Since: w.Since, Until: w.Until}
	if m := w.Milestone; m != nil {
		n.Data["num"], n.Data["title"] = m.N, m.Title
		switch w.Step {
		case accord.StepPrepay, accord.StepPay:
			n.Data["amount"] = w.Amount
		case accord.StepDeliver:
			n.Data["due"] = m.DueDate
		}
	}
	if w.Step == accord.StepNone {
		n.Data["state"] = string(e.State)
	}
	return n
}
