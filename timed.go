package accord

import (
	"slices"
	"time"
)

// Nudge is a step Accord takes on its own when time passes and the client has not acted.
type Nudge string

// The nudges.
const (
	// NudgeReminder, after R days of silence, says why the answer matters; for a payment it
	// assumes good faith (the transfer may not have arrived).
	NudgeReminder Nudge = "reminder"
	// NudgeCheckIn, after 2R, asks whether everything is all right.
	NudgeCheckIn Nudge = "check_in"
	// NudgePause, after 3R, suspends the work: the engagement is paused, its deadlines wait.
	NudgePause Nudge = "pause"
	// NudgeInfoOverdue warns, once the due date of requested information has passed, what
	// the delay does to the work.
	NudgeInfoOverdue Nudge = "info_overdue"
	// NudgeReviewWarning, two days before the review time ends, says the delivery will then
	// count as accepted.
	NudgeReviewWarning Nudge = "review_warning"
	// NudgeAutoAccept accepts a delivery neither accepted nor sent back within the review time.
	NudgeAutoAccept Nudge = "auto_accept"
)

// ReviewWarningDays is how long before a delivery counts as accepted the client is warned.
const ReviewWarningDays = 2

// System is the actor of what Accord does on its own.
var System = Actor{Kind: "system", ID: "accord", Name: "Accord"}

// Due is a nudge the engagement waits for: which, when, and the wait it concerns.
type Due struct {
	Nudge Nudge
	At    time.Time
	Wait  Wait
	// Key names the nudge within its wait, with the silence it belongs to, so each is taken once.
	Key string
}

// Nudged remembers the nudges taken while the engagement waits for one thing of the client.
type Nudged struct {
	Wait string   `json:"wait"`           // what is owed, of which milestone, request or version
	Done []string `json:"done,omitempty"` // each nudge taken, with the silence it belonged to
	// WarnedAt is when the client was warned that the delivery would count as accepted.
	WarnedAt time.Time `json:"warned_at,omitzero"`
}

// NextDue answers the nudge the engagement waits for: the one due by now that comes last in
// its ladder (a reminder missed while the server was down is passed over for the check-in
// that replaces it; never a warning before a delivery counts as accepted), or else the next one
// to fall due; false when none will. r is the
// workspace's response time before an agreement sets one; zone is the workspace's, for dates.
func (e *Engagement) NextDue(now time.Time, r int, zone *time.Location) (Due, bool) {
	w := e.Waiting(r)
	if w.Owner != OwnerClient || w.Since.IsZero() {
		return Due{}, false
	}
	if a := e.Accepted(); a != nil {
		r = a.ResponseDays
	}
	if zone == nil {
		zone = time.UTC
	}
	// The silence starts when the client was asked, or last acted, or the work last resumed.
	quiet := latest(w.Since, e.HeardAt, e.ResumedAt)
	var ladder []Due
	switch w.Step {
	case StepReview:
		until := w.Since.AddDate(0, 0, e.Accepted().ReviewDays)
		if warned := e.Nudges.WarnedAt; e.Nudges.Wait == waitKey(w) && !warned.IsZero() {
			// Warned, the client has the days the warning gave, however late it came.
			ladder = []Due{{Nudge: NudgeAutoAccept, At: latest(until, warned.AddDate(0, 0, ReviewWarningDays))}}
			break
		}
		ladder = e.steps(w, quiet, r, NudgeReminder, NudgeCheckIn)
		ladder = append(ladder, Due{Nudge: NudgeReviewWarning, At: until.AddDate(0, 0, -ReviewWarningDays)},
			Due{Nudge: NudgeAutoAccept, At: until})
	case StepAnswerInfo:
		d, _ := w.Info.DueDate.Time()
		end := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, zone)
		ladder = append([]Due{{Nudge: NudgeInfoOverdue, At: end}}, e.steps(w, latest(quiet, end), r, NudgeReminder, NudgeCheckIn, NudgePause)...)
	default:
		nudges := []Nudge{NudgeReminder, NudgeCheckIn}
		if PausesOnSilence(w.Step) {
			nudges = append(nudges, NudgePause)
		}
		ladder = e.steps(w, quiet, r, nudges...)
	}
	for i := range ladder {
		d := &ladder[i]
		d.Wait, d.Key = w, string(d.Nudge)+"@"+quiet.UTC().Format(time.RFC3339Nano)
		if d.Nudge == NudgeReviewWarning || d.Nudge == NudgeAutoAccept { // the review time runs from the delivery
			d.Key = string(d.Nudge)
		}
	}
	slices.SortStableFunc(ladder, func(a, b Due) int { return a.At.Compare(b.At) })
	same := e.Nudges.Wait == waitKey(w)
	start := 0 // the nudges before the last one taken are passed over
	for i, d := range ladder {
		if same && slices.Contains(e.Nudges.Done, d.Key) {
			start = i + 1
		}
	}
	var due *Due
	for i := start; i < len(ladder); i++ {
		d := &ladder[i]
		if d.Nudge == NudgeAutoAccept && due != nil && due.Nudge == NudgeReviewWarning {
			break // the client is warned first, and then has the days the warning gives
		}
		if d.At.After(now) {
			if due == nil {
				return *d, true
			}
			break
		}
		due = d
	}
	if due != nil {
		return *due, true
	}
	return Due{}, false
}

// PausesOnSilence reports whether the ladder for what the client owes ends in a pause. It does
// not while the agreed terms hold without the client (a change to the agreement, a paid
// change, a choice among options) nor for a review, which ends in acceptance instead.
func PausesOnSilence(s Step) bool {
	switch s {
	case StepReview, StepAcceptAmendment, StepAcceptChange, StepChooseOption:
		return false
	}
	return true
}

// steps are the ladder's nudges for a wait, r days apart from quiet.
func (e *Engagement) steps(w Wait, quiet time.Time, r int, nudges ...Nudge) []Due {
	out := make([]Due, len(nudges))
	for i, n := range nudges {
		out[i] = Due{Nudge: n, At: quiet.AddDate(0, 0, r*(i+1))}
	}
	return out
}

// waitKey names what is owed: the step, and of which milestone, request, summary or agreement version.
func waitKey(w Wait) string {
	k := string(w.Step)
	switch {
	case w.Info != nil:
		k += ":" + w.Info.ID
	case w.Summary != nil:
		k += ":" + w.Summary.ID
	case w.Milestone != nil:
		k += ":" + w.Milestone.ID
	}
	return k + "@" + w.Since.UTC().Format(time.RFC3339Nano)
}

func latest(ts ...time.Time) time.Time {
	var l time.Time
	for _, t := range ts {
		if t.After(l) {
			l = t
		}
	}
	return l
}

// TakeNudge takes a nudge that is due: it goes on the record and, for a pause or an acceptance
// by silence, changes the engagement. A nudge already taken, or not yet due, is refused.
func (e *Engagement) TakeNudge(c Cmd, d Due, r int, zone *time.Location) error {
	cur, ok := e.NextDue(c.Now, r, zone)
	if !ok || cur.Key != d.Key || cur.Nudge != d.Nudge || cur.At.After(c.Now) {
		return Errorf(ECONFLICT, "engagement.nudge_not_due")
	}
	ev := ClientNudged{Nudge: d.Nudge, Step: d.Wait.Step, Wait: waitKey(d.Wait), Key: d.Key, DueAt: d.At}
	if d.Wait.Milestone != nil {
		ev.MilestoneID = d.Wait.Milestone.ID
	}
	if d.Wait.Info != nil {
		ev.RequestID = d.Wait.Info.ID
	}
	if d.Wait.Summary != nil {
		ev.SummaryID = d.Wait.Summary.ID
	}
	switch d.Nudge {
	case NudgePause:
		if !e.Pausable() {
			return Errorf(ECONFLICT, "engagement.not_running", "state", string(e.State))
		}
		e.record(c, ev)
		e.record(c, EngagementPaused{Reason: "silence", From: e.State})
	case NudgeAutoAccept:
		dl := e.lastDelivery(d.Wait.Milestone.ID)
		if dl == nil {
			return Errorf(ENOTFOUND, "delivery.not_found")
		}
		e.record(c, ev)
		return e.AcceptDelivery(c, dl.ID)
	default:
		e.record(c, ev)
	}
	return nil
}

// lastDelivery is the newest delivery of a milestone, or nil.
func (e *Engagement) lastDelivery(milestoneID string) *Delivery {
	for i := len(e.Deliveries) - 1; i >= 0; i-- {
		if e.Deliveries[i].MilestoneID == milestoneID {
			return &e.Deliveries[i]
		}
	}
	return nil
}

// ClientNudged is a nudge taken because the client had not acted.
type ClientNudged struct {
	Nudge       Nudge     `json:"nudge"`
	Step        Step      `json:"step"` // what the client owed
	Wait        string    `json:"wait"`
	Key         string    `json:"key"`
	DueAt       time.Time `json:"due_at"`
	MilestoneID string    `json:"milestone_id,omitempty"`
	RequestID   string    `json:"request_id,omitempty"`
	SummaryID   string    `json:"summary_id,omitempty"`
}

func (ClientNudged) EventType() string { return "client.nudged" }
func (d ClientNudged) apply(e *Engagement, ev Event) {
	if e.Nudges.Wait != d.Wait {
		e.Nudges = Nudged{Wait: d.Wait}
	}
	e.Nudges.Done = append(e.Nudges.Done, d.Key)
	if d.Nudge == NudgeReviewWarning {
		e.Nudges.WarnedAt = ev.At
	}
}
