package server

import (
	"github.com/accordapp/accord"
)

// nextAction is the one thing that moves an engagement forward, and who owes it.
type nextAction struct {
	Key   string
	Data  []any // key, value pairs for the catalog
	Owner string
}

// next tells what the engagement waits for; forClient words it for the client. While the client
// owes something but no contact has a portal link yet, the freelancer's next step is to make one.
func next(e *accord.Engagement, forClient bool) nextAction {
	n := waitsFor(e, forClient)
	if !forClient && n.Owner == "client" && len(e.Contacts) == 0 {
		return nextAction{"next.invite", nil, "freelancer"}
	}
	return n
}

func waitsFor(e *accord.Engagement, forClient bool) nextAction {
	side := "next."
	if forClient {
		side = "ask."
	}
	switch e.State {
	case accord.Draft:
		if len(e.Brief.Questions) == 0 {
			return nextAction{side + "write_brief", nil, "freelancer"}
		}
		return nextAction{side + "send_brief", nil, "freelancer"}
	case accord.BriefSent:
		return nextAction{side + "answer_brief", nil, "client"}
	case accord.BriefReceived:
		return nextAction{side + "write_agreement", nil, "freelancer"}
	case accord.Proposed:
		return nextAction{side + "accept_agreement", nil, "client"}
	case accord.Agreed, accord.Active:
		return nextMilestone(e, side)
	}
	return nextAction{side + "none", []any{"state", string(e.State)}, ""}
}

func nextMilestone(e *accord.Engagement, side string) nextAction {
	for _, m := range e.Milestones {
		d := []any{"num", m.N, "title", m.Title}
		switch m.State {
		case accord.MilestonePending, accord.MilestoneAwaitingPrepayment:
			if m.Paid.Amount < m.Prepayment.Amount {
				return nextAction{side + "prepay", append(d, "amount", m.Prepayment.Sub(m.Paid)), "client"}
			}
			return nextAction{side + "start", d, "freelancer"}
		case accord.MilestoneInProgress:
			return nextAction{side + "deliver", append(d, "due", m.DueDate), "freelancer"}
		case accord.MilestoneDelivered:
			return nextAction{side + "review", d, "client"}
		case accord.MilestoneChangesRequested:
			return nextAction{side + "rework", d, "freelancer"}
		case accord.MilestoneAccepted:
			return nextAction{side + "pay", append(d, "amount", m.Price.Sub(m.Paid)), "client"}
		}
	}
	return nextAction{side + "none", []any{"state", string(e.State)}, ""}
}
