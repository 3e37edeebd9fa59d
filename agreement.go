package accord

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Agreement is one version of the terms the client accepts point by point.
type Agreement struct {
	Version        int             `json:"version"`
	Scope          string          `json:"scope"`
	Deliverables   []Deliverable   `json:"deliverables"`
	Milestones     []MilestonePlan `json:"milestones"`
	Revisions      int             `json:"revisions"`
	KillFeePercent int             `json:"kill_fee_percent"`
	// PolicyRelaxed is why this version asks less prepayment than the workspace's policy: the
	// reason the freelancer trusts the client, kept on the record with the version.
	PolicyRelaxed string `json:"policy_relaxed,omitempty"`
	ResponseDays  int    `json:"response_days"`
	ReviewDays    int    `json:"review_days"`
	Channel       string `json:"channel"`
	ReportCadence string `json:"report_cadence"`
	Terms         []Term `json:"terms"`
	State         string `json:"state"` // written, proposed, accepted, superseded
	// Language is the client's language, the one the terms are written in.
	Language string `json:"language,omitempty"`
	// Since is when the version reached its state (when it was proposed, while it is).
	Since     time.Time `json:"since,omitzero"`
	WrittenAt time.Time `json:"written_at"`
}

// Deliverable is one thing the freelancer hands over, with its volume ("12 pages", "3 logos").
type Deliverable struct {
	Title  string `json:"title"`
	Volume string `json:"volume"`
}

// MilestonePlan is a milestone as the agreement sets it: a calendar date, a price, a prepayment share.
type MilestonePlan struct {
	Title             string `json:"title"`
	DueDate           Date   `json:"due_date"`
	Price             Money  `json:"price"`
	PrepaymentPercent int    `json:"prepayment_percent"`
}

// Term is one key term the client must acknowledge; Text is fixed when the version is written.
type Term struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Date is a calendar date, "YYYY-MM-DD": agreements hold dates, never "in two weeks".
type Date string

// Time returns the date at midnight UTC, or false when it is not a valid date.
func (d Date) Time() (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, string(d))
	return t, err == nil
}

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date {
	t, _ := d.Time()
	return Date(t.AddDate(0, 0, n).Format(time.DateOnly))
}

// Translator renders a catalog message in the client's language; terms are written with it.
type Translator func(key string, data map[string]any) string

// Agreement returns the version, or nil.
func (e *Engagement) Agreement(version int) *Agreement {
	for i := range e.Agreements {
		if e.Agreements[i].Version == version {
			return &e.Agreements[i]
		}
	}
	return nil
}

// Current returns the newest agreement version, or nil.
func (e *Engagement) Current() *Agreement {
	if len(e.Agreements) == 0 {
		return nil
	}
	return &e.Agreements[len(e.Agreements)-1]
}

// WriteAgreement adds a new version of the agreement; it needs the client's answered brief. Once
// a version is accepted, a new one is an amendment: it is offered to the client while the
// accepted version holds.
func (e *Engagement) WriteAgreement(c Cmd, a Agreement, lang string, t Translator) (*Agreement, error) {
	if !e.AgreementOpen() {
		return nil, Errorf(ECONFLICT, "agreement.needs_brief", "state", string(e.State))
	}
	if err := e.validateAgreement(c, &a); err != nil {
		return nil, err
	}
	a.Version = len(e.Agreements) + 1
	a.Terms, a.Language = a.buildTerms(t), lang
	a.WrittenAt = c.Now.UTC()
	e.record(c, AgreementWritten{Agreement: a})
	return e.Current(), nil
}

// CheckAgreement says everything that is wrong with a version, without writing it: a form that
// found problems of its own still shows the rule's problems beside them.
func (e *Engagement) CheckAgreement(c Cmd, a Agreement) error {
	a.Deliverables, a.Milestones = slices.Clone(a.Deliverables), slices.Clone(a.Milestones)
	return e.validateAgreement(c, &a)
}

// AgreementOpen reports whether a version may be written and proposed now: before the first
// acceptance once the brief is answered, and after it (an amendment) while the engagement runs.
func (e *Engagement) AgreementOpen() bool {
	if e.Accepted() != nil {
		return e.Running()
	}
	return e.State == BriefReceived || e.State == Proposed
}

func (e *Engagement) validateAgreement(c Cmd, a *Agreement) error {
	var v Invalid
	a.Scope = v.Text("scope", a.Scope, true, 20000)
	if len(a.Deliverables) == 0 || len(a.Deliverables) > 50 {
		v.Add("deliverables", "agreement.deliverables_count", "max", 50)
	}
	for i, d := range a.Deliverables {
		a.Deliverables[i].Title = v.Text(fmt.Sprintf("deliverables[%d].title", i), d.Title, true, 200)
		if strings.TrimSpace(d.Volume) == "" {
			v.Add(fmt.Sprintf("deliverables[%d].volume", i), "agreement.volume_required")
		} else {
			a.Deliverables[i].Volume = v.Text(fmt.Sprintf("deliverables[%d].volume", i), d.Volume, true, 200)
		}
	}
	e.validatePlans(c, a.Milestones, &v)
	e.validateAmendment(a.Milestones, &v)
	checkRange(&v, "revisions", a.Revisions, 0, 100)
	checkRange(&v, "kill_fee_percent", a.KillFeePercent, 0, 100)
	checkRange(&v, "response_days", a.ResponseDays, 1, 90)
	checkRange(&v, "review_days", a.ReviewDays, 1, 90)
	a.Channel = v.Text("channel", a.Channel, true, 200)
	a.ReportCadence = v.Text("report_cadence", a.ReportCadence, true, 200)
	return v.Err()
}

func (e *Engagement) validatePlans(c Cmd, plans []MilestonePlan, v *Invalid) {
	if len(plans) == 0 || len(plans) > 50 {
		v.Add("milestones", "agreement.milestones_count", "max", 50)
	}
	today := c.Today()
	var prev Date
	for i, m := range plans {
		f := fmt.Sprintf("milestones[%d]", i)
		plans[i].Title = v.Text(f+".title", m.Title, true, 200)
		_, ok := m.DueDate.Time()
		if !ok {
			v.Add(f+".due_date", "field.date")
		} else if m.DueDate < today {
			v.Add(f+".due_date", "agreement.date_past", "today", today)
		} else if m.DueDate < prev {
			v.Add(f+".due_date", "agreement.date_order")
		}
		if ok { // a malformed date orders nothing: the next one is compared with the last real date
			prev = m.DueDate
		}
		if m.Price.Currency != e.Currency || m.Price.Amount <= 0 {
			v.Add(f+".price", "agreement.price", "currency", e.Currency)
		}
		checkRange(v, f+".prepayment_percent", m.PrepaymentPercent, 0, 100)
	}
}

func checkRange(v *Invalid, field string, n, lo, hi int) {
	if n < lo || n > hi {
		v.Add(field, "field.range", "min", lo, "max", hi)
	}
}

// buildTerms lists the key terms the client must acknowledge one by one.
func (a *Agreement) buildTerms(t Translator) []Term {
	var total int64
	cur := ""
	for _, m := range a.Milestones {
		total += m.Price.Amount
		cur = m.Price.Currency
	}
	terms := []Term{{"scope", t("term.scope", map[string]any{"scope": a.Scope})}}
	var ds []string
	for _, d := range a.Deliverables {
		ds = append(ds, d.Title+" ("+d.Volume+")")
	}
	terms = append(terms, Term{"deliverables", t("term.deliverables", map[string]any{"list": strings.Join(ds, "; ")})})
	for i, m := range a.Milestones {
		terms = append(terms, Term{fmt.Sprintf("milestone-%d", i+1), t("term.milestone", map[string]any{
			"num": i + 1, "title": m.Title, "due": m.DueDate, "price": m.Price,
			"percent": m.PrepaymentPercent, "prepayment": m.Price.Percent(m.PrepaymentPercent),
		})})
	}
	return append(terms,
		Term{"price", t("term.price", map[string]any{"total": Money{total, cur}})},
		Term{"payment", t("term.payment", nil)},
		Term{"revisions", t("term.revisions", map[string]any{"count": a.Revisions})},
		Term{"kill_fee", t("term.kill_fee", map[string]any{"percent": a.KillFeePercent})},
		Term{"response", t("term.response", map[string]any{"count": a.ResponseDays})},
		Term{"review", t("term.review", map[string]any{"count": a.ReviewDays})},
		Term{"channel", t("term.channel", map[string]any{"channel": a.Channel, "cadence": a.ReportCadence})},
	)
}

// ProposeAgreement sends the newest version to the client for acceptance.
func (e *Engagement) ProposeAgreement(c Cmd, version int) error {
	a := e.Agreement(version)
	if a == nil {
		return Errorf(ENOTFOUND, "agreement.not_found", "version", version)
	}
	if !e.AgreementOpen() {
		return Errorf(ECONFLICT, "agreement.not_proposable", "state", string(e.State))
	}
	if a != e.Current() {
		return Errorf(ECONFLICT, "agreement.superseded", "version", version, "current", e.Current().Version)
	}
	if a.State == "proposed" {
		return Errorf(ECONFLICT, "agreement.already_proposed", "version", version)
	}
	if a.State != "written" {
		return Errorf(ECONFLICT, "agreement.already_accepted", "version", version)
	}
	e.record(c, AgreementProposed{Version: version})
	return nil
}

// Proposed returns the version waiting for the client's acceptance (the first agreement, or an
// amendment of the accepted one), or nil.
func (e *Engagement) Proposed() *Agreement {
	if a := e.Current(); a != nil && a.State == "proposed" && (e.State == Proposed || e.Accepted() != nil && e.Running()) {
		return a
	}
	return nil
}

// Accepted returns the agreement in force, or nil.
func (e *Engagement) Accepted() *Agreement {
	for i := range e.Agreements {
		if e.Agreements[i].State == "accepted" {
			return &e.Agreements[i]
		}
	}
	return nil
}

// AcceptAgreement is the client's acceptance; every key term must be acknowledged.
func (e *Engagement) AcceptAgreement(c Cmd, version int, acknowledged []string) error {
	a := e.Proposed()
	if a == nil {
		return Errorf(ECONFLICT, "agreement.nothing_proposed", "state", string(e.State))
	}
	if a.Version != version {
		return Errorf(ECONFLICT, "agreement.superseded", "version", version, "current", a.Version)
	}
	var v Invalid
	for _, t := range a.Terms {
		if !slices.Contains(acknowledged, t.ID) {
			v.Add("acknowledged_terms."+t.ID, "agreement.term_not_acknowledged", "term", t.Text)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	ids := make([]string, len(a.Milestones))
	for i := range ids {
		if i < len(e.Milestones) { // an amendment keeps the milestones under way, with their money
			ids[i] = e.Milestones[i].ID
		} else {
			ids[i] = NewID("ms")
		}
	}
	e.record(c, AgreementAccepted{Version: version, AcknowledgedTerms: acknowledged, MilestoneIDs: ids,
		Terms: slices.Clone(a.Terms), Language: a.Language})
	return nil
}
