package server

import (
	"time"

	"github.com/accordapp/accord"
)

// nextAction is the engagement's agenda as a catalog message: the one thing that moves it
// forward, who owes it, since when and by when.
type nextAction struct {
	Key   string
	Data  []any // key, value pairs for the catalog
	Owner string
	Since time.Time
	Until time.Time
}

// next words what the engagement waits for (the domain's answer); forClient words it for the client.
func next(e *accord.Engagement, forClient bool, responseDays int) nextAction {
	if responseDays <= 0 {
		responseDays = accord.DefaultResponseDays
	}
	w := e.Waiting(responseDays)
	side := "next."
	if forClient {
		side = "ask."
	}
	n := nextAction{Key: side + string(w.Step), Owner: w.Owner, Since: w.Since, Until: w.Until}
	if m := w.Milestone; m != nil {
		n.Data = []any{"num", m.N, "title", m.Title}
		switch w.Step {
		case accord.StepPrepay, accord.StepPay:
			n.Data = append(n.Data, "amount", w.Amount)
		case accord.StepDeliver:
			n.Data = append(n.Data, "due", m.DueDate)
		}
	}
	if w.Step == accord.StepNone {
		n.Data = []any{"state", string(e.State)}
	}
	return n
}
