package server

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

type engagementData struct {
	E      *accord.Engagement
	Client accord.Client
	Next   app.NextAction
	// Nudge is what Accord does next if the client stays silent, and when.
	Nudge    accord.Due
	HasNudge bool
	Current  *accord.Agreement
	Messages []messageView
	Events   []app.TimelineEntry
	// MessagePages and EventPages lead to earlier messages and events, and back to the newest.
	MessagePages, EventPages pager
	Deliveries               []deliveryView
	Invoices                 []invoiceView
	Receipts                 []receiptView
	Link                     string // a portal link just made, shown this once
	Today                    string
	// Questions are the brief editor's rows: the brief's questions and room for more.
	Questions []accord.Question
	// Plan is the agreement editor's starting point: the newest version, or sensible defaults.
	Plan accord.Agreement
	// Rows are how many deliverable and milestone rows the agreement editor offers.
	DeliverableRows, MilestoneRows int
	// Report is a status report drafted from the record, in the client's language: the one
	// drafted on the agreed cadence while it waits, or one drafted now.
	Report string
	// ReportAt is when the next report is drafted on the agreed cadence, if HasReport.
	ReportAt  time.Time
	HasReport bool
	// Templates are the workspace's saved brief templates, for a lesson's question.
	Templates []accord.BriefTemplate
	// Settlements are what ending early would come to by each option, while it can; Settled
	// is what it came to.
	Settlements []settlementView
	Settled     *settlementView
	// Info are the information requests shown: every open one and the latest answered ones;
	// InfoEarlier counts the answered ones left to the record.
	Info        []accord.InfoRequest
	InfoEarlier int
	// Timeline is the page of the record shown, rendered (see timelines).
	Timeline template.HTML
}

// answeredShown is how many answered information requests the engagement page shows, the
// latest; the record keeps them all.
const answeredShown = 5

// infoShown picks the information requests the engagement page shows, in the order asked:
// every open one and the latest answered ones. It says how many answered ones it left out.
func infoShown(rs []accord.InfoRequest) ([]accord.InfoRequest, int) {
	answered := 0
	for _, r := range rs {
		if !r.Open() {
			answered++
		}
	}
	skip := max(answered-answeredShown, 0)
	out := make([]accord.InfoRequest, 0, len(rs)-skip)
	left := skip
	for _, r := range rs {
		if !r.Open() && left > 0 {
			left--
			continue
		}
		out = append(out, r)
	}
	return out, skip
}

func (s *Server) engagementPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	id := r.PathValue("id")
	messages, err := pageCursor(r, "messages")
	if err != nil {
		return err
	}
	events, err := pageCursor(r, "events")
	if err != nil {
		return err
	}
	now := s.App.Clock.Now()
	keptAs := ""
	if !p.oneTime() {
		keptAs = pageKey("engagement", f.WorkspaceID, id, f.UserID, f.Name, p.L.Lang, zoneKey(p.L.Zone), zoneKey(f.Zone),
			strconv.Itoa(f.ResponseDays), cursorKey(messages), cursorKey(events))
		if st, err := s.App.EngagementStamp(r.Context(), f.WorkspaceID, id); err == nil && s.kept.serve(w, r, keptAs, st, now) {
			return nil
		}
	}
	var tl timelineView
	cached := false
	v, err := s.App.EngagementView(r.Context(), f, id, messages, events, func(e *accord.Engagement) bool {
		if citesEvents(e) {
			return false
		}
		tl, cached = s.timelines.get(timelineKey(e, events, p.L))
		return cached
	})
	if err != nil {
		return err
	}
	e, base := v.E, "/app/engagements/"+id
	d := engagementData{E: e, Client: v.Client, Next: app.NextStep(e, false, f.ResponseDays), Current: e.Current(), Today: now.In(f.Zone).Format("2006-01-02"),
		Templates: v.Templates, MessagePages: newPager(base, "messages", messages, v.Messages), EventPages: tl.Pages, Timeline: tl.HTML}
	d.Nudge, d.HasNudge = e.NextDue(now, f.ResponseDays, f.Zone)
	d.Info, d.InfoEarlier = infoShown(e.InfoRequests)
	d.Messages = viewMessages(v.Messages.Items, now)
	lang, complaint := s.replyContext(e, d.Client, now)
	for i := range d.Messages {
		if m := &d.Messages[i]; m.Held {
			v := s.viewCoach(p.L, m.Body, lang, complaint)
			m.Coach = &v
		}
	}
	if !cached {
		d.Events, d.EventPages = s.App.Timeline(p.L, v.Events.Items, e), newPager(base, "events", events, v.Events)
		html, err := s.renderPart("engagement", "timeline", p.L, d.Events)
		if err != nil {
			return err
		}
		d.Timeline = html
		if !citesEvents(e) {
			s.timelines.put(timelineKey(e, events, p.L), timelineView{HTML: html, Pages: d.EventPages})
		}
	}
	for i := len(e.Deliveries) - 1; i >= 0; i-- {
		d.Deliveries = append(d.Deliveries, viewDelivery(e, &e.Deliveries[i], "/app/engagements/"+e.ID, true, nil))
	}
	d.Invoices = viewInvoices(e, s.App.Today(p.L), "/app/engagements/"+e.ID, "/app/engagements/"+e.ID)
	d.Receipts = viewReceipts(e, "/app/engagements/"+e.ID)
	if e.Accepted() != nil { // the report is for the client: in the client's language and zone
		zone, err := accord.LoadZone(d.Client.Timezone)
		if err != nil {
			zone = time.UTC
		}
		loc := i18n.Locale{Lang: d.Client.Language, Zone: zone}
		d.Report = s.App.StatusReport(loc, e, f.ResponseDays, accord.Date(s.App.Clock.Now().In(zone).Format(time.DateOnly)))
		if e.Report != nil {
			d.Report = e.Report.Body
		}
		d.ReportAt, _, d.HasReport = e.NextReport(f.Zone)
	}
	for _, o := range []struct{ option, unused string }{{accord.SettleKillFee, ""}, {accord.SettleKeepPrepayment, ""},
		{accord.SettleContinue, accord.UnusedCredit}, {accord.SettleContinue, accord.UnusedAbsorb}} {
		if st, err := e.SettleWith(o.option, o.unused); err == nil {
			d.Settlements = append(d.Settlements, s.viewSettlement(p.L, st))
		}
	}
	if e.Settlement != nil {
		v := s.viewSettlement(p.L, *e.Settlement)
		d.Settled = &v
	}
	d.Questions = editorQuestions(p.Form, e.Brief.Questions)
	d.Plan = planDefaults(e)
	d.DeliverableRows = rows(p.Form, "agreement", "deliverables", len(d.Plan.Deliverables))
	d.MilestoneRows = rows(p.Form, "agreement", "milestones", len(d.Plan.Milestones))
	if p.Link != "" {
		d.Link = p.Link
	}
	p.Data, p.Title = d, e.Title
	var keep func([]byte)
	if keptAs != "" {
		keep = s.kept.keep(keptAs, v.Stamp, now, heldUntil(v.Messages.Items, now))
	}
	s.renderKept(w, r, http.StatusOK, "engagement", p, keep)
	return nil
}

// heldUntil is the soonest time after now at which one of the messages stops being held back,
// zero if none is held.
func heldUntil(ms []accord.Message, now time.Time) time.Time {
	var t time.Time
	for _, m := range ms {
		if m.Held(now) && (t.IsZero() || m.SendAt.Before(t)) {
			t = m.SendAt
		}
	}
	return t
}

// editorQuestions are the rows the brief editor shows: as typed when refused, else the brief's,
// and two empty rows to add more.
func editorQuestions(f *form, qs []accord.Question) []accord.Question {
	if f.Refused("brief") {
		qs = nil
		for i := 0; ; i++ {
			k := fmt.Sprintf("questions[%d].text", i)
			if _, ok := f.Values[k]; !ok {
				break
			}
			qs = append(qs, accord.Question{Text: f.Values[k][0], Required: len(f.Values[fmt.Sprintf("questions[%d].required", i)]) > 0})
		}
	}
	return append(append([]accord.Question(nil), qs...), accord.Question{}, accord.Question{})
}

// planDefaults is what the agreement editor starts from: the newest version, else common terms.
func planDefaults(e *accord.Engagement) accord.Agreement {
	if a := e.Current(); a != nil {
		return *a
	}
	return accord.Agreement{Revisions: 2, KillFeePercent: 30, ResponseDays: 3, ReviewDays: 14}
}

// rows is how many rows of a list a form offers: what it holds (or held when refused), plus one.
func rows(f *form, name, list string, have int) int {
	if f.Refused(name) {
		have = 0
		for k := range f.Values {
			rest, ok := strings.CutPrefix(k, list+"[")
			n, _, closed := strings.Cut(rest, "]")
			if i, err := strconv.Atoi(n); ok && closed && err == nil && i >= 0 && i < 1000 && i+1 > have {
				have = i + 1
			}
		}
	}
	return max(have+1, 2)
}

// back returns the engagement page's address at one of its sections.
func back(section string) func(*http.Request) string {
	return func(r *http.Request) string { return "/app/engagements/" + r.PathValue("id") + "#" + section }
}

func (s *Server) routesEngagementForms() {
	m, base := s.mux, "POST /app/engagements/{id}/"
	m.HandleFunc(base+"invite", s.webForm("invite", back("invite"), s.webInvite))
	m.HandleFunc(base+"brief", s.webForm("brief", back("brief"), s.webWriteBrief))
	m.HandleFunc(base+"brief/send", s.webForm("brief", back("brief"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.SendBrief(r.Context(), f, r.PathValue("id"))
		return done{Notice: s.Catalog.In(l, "notice.brief_sent", nil)}, err
	}))
	m.HandleFunc(base+"brief/template", s.webForm("brief-template", back("brief"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		t, err := s.App.SaveBriefTemplate(r.Context(), f, r.PathValue("id"), r.PostFormValue("template_name"))
		return done{Notice: s.Catalog.In(l, "notice.template_saved", map[string]any{"name": t.Name})}, err
	}))
	m.HandleFunc(base+"agreement", s.webForm("agreement", back("agreement"), s.webWriteAgreement))
	m.HandleFunc(base+"agreement/{version}/propose", s.webForm("propose", back("agreement"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		v := atoi(r.PathValue("version"))
		_, err := s.App.ProposeAgreement(r.Context(), f, r.PathValue("id"), v)
		return done{Notice: s.Catalog.In(l, "notice.agreement_proposed", map[string]any{"version": v})}, err
	}))
	m.HandleFunc(base+"payments", s.webForm("payment", back("payments"), s.webPayment))
	m.HandleFunc(base+"refunds", s.webForm("refund", back("settle"), s.webRefund))
	m.HandleFunc(base+"retrospective", s.webForm("retro", back("retrospective"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.WriteRetrospective(r.Context(), f, r.PathValue("id"), accord.Retrospective{WentWell: r.PostFormValue("went_well"),
			BriefMissed: r.PostFormValue("brief_missed"), AskNext: r.PostFormValue("ask_next")})
		return done{Notice: s.Catalog.In(l, "notice.retrospective_saved", nil)}, err
	}))
	m.HandleFunc(base+"retrospective/learn", s.webForm("learn", back("retrospective"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		t, err := s.App.LearnQuestion(r.Context(), f, r.PathValue("id"), r.PostFormValue("template_id"))
		return done{Notice: s.Catalog.In(l, "notice.question_learned", map[string]any{"template": t.Name})}, err
	}))
	m.HandleFunc(base+"milestones/{mid}/cause", s.webForm("cause", back("milestones"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		var events []int64
		for _, v := range r.PostForm["events"] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				n = -1 // not an entry: refused beside the field
			}
			events = append(events, n)
		}
		_, err := s.App.ClassifyCause(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), r.PostFormValue("cause"), r.PostForm["terms"], events)
		return done{Notice: s.Catalog.In(l, "notice.cause_sent", nil)}, err
	}))
	m.HandleFunc(base+"milestones/{mid}/paid-change", s.webForm("paid-change", back("milestones"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		price, err := s.formMoney(r, f, l, "price")
		if err != nil {
			return done{}, err
		}
		_, err = s.App.QuotePaidChange(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), price, accord.Date(r.PostFormValue("due_date")))
		return done{Notice: s.Catalog.In(l, "notice.paid_change_quoted", nil)}, err
	}))
	m.HandleFunc(base+"terminate", s.webForm("terminate", back("settle"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		option := r.PostFormValue("option")
		_, err := s.App.Terminate(r.Context(), f, r.PathValue("id"), option, r.PostFormValue("unused"))
		if option == accord.SettleContinue {
			return done{Notice: s.Catalog.In(l, "notice.closed_early", nil)}, err
		}
		return done{Notice: s.Catalog.In(l, "notice.terminated", nil)}, err
	}))
	m.HandleFunc(base+"resume", s.webForm("resume", back("header"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.Resume(r.Context(), f, r.PathValue("id"))
		return done{Notice: s.Catalog.In(l, "notice.resumed", nil)}, err
	}))
	m.HandleFunc(base+"info-requests", s.webForm("info", back("info"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.RequestInfo(r.Context(), f, r.PathValue("id"), r.PostFormValue("title"), accord.Date(r.PostFormValue("due_date")), r.PostForm["blocks"])
		return done{Notice: s.Catalog.In(l, "notice.info_requested", nil)}, err
	}))
	m.HandleFunc(base+"milestones/{mid}/start", s.webForm("start", back("milestones"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		e, err := s.App.StartMilestone(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
		if err != nil {
			return done{}, err
		}
		return done{Notice: s.Catalog.In(l, "notice.milestone_started", map[string]any{"num": e.Milestone(r.PathValue("mid")).N})}, nil
	}))
	s.handleUpload(base+"milestones/{mid}/deliver", s.webForm("deliver", back("milestones"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, files, err := s.deliver(w, r, f)
		return done{Notice: s.Catalog.In(l, "notice.delivered", map[string]any{"count": len(files)})}, err
	}))
	m.HandleFunc(base+"messages", s.webForm("messages", back("messages"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		msg, err := s.App.SendMessage(r.Context(), f, r.PathValue("id"), r.PostFormValue("body"), "web")
		if err != nil {
			return done{}, err
		}
		if msg.Held(s.App.Clock.Now()) {
			return done{Notice: s.Catalog.In(l, "notice.message_held", map[string]any{"at": msg.SendAt})}, nil
		}
		return done{Notice: s.Catalog.In(l, "notice.message_sent", nil)}, nil
	}))
	m.HandleFunc(base+"report", s.webForm("report", back("report"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.SendMessage(r.Context(), f, r.PathValue("id"), r.PostFormValue("body"), "report")
		return done{Notice: s.Catalog.In(l, "notice.report_sent", nil)}, err
	}))
	m.HandleFunc(base+"messages/{mid}/edit", s.webForm("held", back("messages"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.EditHeld(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), r.PostFormValue("body"))
		return done{Notice: s.Catalog.In(l, "notice.held_edited", nil)}, err
	}))
	m.HandleFunc(base+"messages/{mid}/cancel", s.webForm("held", back("messages"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		err := s.App.CancelHeld(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
		return done{Notice: s.Catalog.In(l, "notice.held_cancelled", nil)}, err
	}))
	m.HandleFunc(base+"messages/{mid}/send-now", s.webForm("send-now", back("messages"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.SendNow(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
		return done{Notice: s.Catalog.In(l, "notice.message_sent", nil)}, err
	}))
	m.HandleFunc("GET /app/engagements/{id}/files/{fid}/{kind}", s.web(s.webFile))
	m.HandleFunc("GET /app/engagements/{id}/messages/{mid}/files/{fid}", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, _ page) error {
		return s.apiMessageFile(w, r, f)
	}))
	m.HandleFunc("GET /app/engagements/{id}/evidence", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, _ page) error {
		return s.sendEvidence(w, r, f)
	}))
}

// webInvite makes a portal link and shows it once, on the page the form goes back to.
func (s *Server) webInvite(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	inv, err := s.App.Invite(r.Context(), f, r.PathValue("id"), r.PostFormValue("email"))
	if err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.invited", map[string]any{"email": r.PostFormValue("email")}), Link: inv.URL}, nil
}

// webWriteBrief saves the brief editor's rows: a row can be moved up or down or removed (each
// button names its row as shown), and empty rows are left out; the rows are then renumbered, so
// every problem lands beside its own row.
func (s *Server) webWriteBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	var shown []accord.Question
	for i := 0; i < 1000; i++ {
		k := fmt.Sprintf("questions[%d]", i)
		vs, ok := r.PostForm[k+".text"]
		if !ok {
			break
		}
		text := vs[0]
		if r.PostFormValue("remove") == strconv.Itoa(i) {
			text = ""
		}
		shown = append(shown, accord.Question{Text: text, Required: r.PostFormValue(k+".required") != ""})
	}
	if mv := r.PostFormValue("move"); mv != "" {
		shown = move(shown, mv)
	}
	var qs []accord.Question
	for _, q := range shown {
		if strings.TrimSpace(q.Text) != "" {
			qs = append(qs, q)
		}
	}
	r.PostForm = url.Values{}
	for i, q := range qs {
		r.PostForm.Set(fmt.Sprintf("questions[%d].text", i), q.Text)
		if q.Required {
			r.PostForm.Set(fmt.Sprintf("questions[%d].required", i), "on")
		}
	}
	if _, err := s.App.WriteBrief(r.Context(), f, r.PathValue("id"), qs); err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.brief_saved", map[string]any{"count": len(qs)})}, nil
}

// move applies "N:up" or "N:down" to row N as shown, past any empty rows to the next question.
func move(qs []accord.Question, mv string) []accord.Question {
	n, dir, _ := strings.Cut(mv, ":")
	i, step := atoi(n), -1
	if dir == "down" {
		step = 1
	}
	if i < 0 || i >= len(qs) {
		return qs
	}
	for j := i + step; j >= 0 && j < len(qs); j += step {
		if strings.TrimSpace(qs[j].Text) != "" {
			qs[i], qs[j] = qs[j], qs[i]
			break
		}
	}
	return qs
}

func (s *Server) webWriteAgreement(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	id := r.PathValue("id")
	e, err := s.App.Engagement(r.Context(), f, id)
	if err != nil {
		return done{}, err
	}
	in := r.PostForm
	a := accord.Agreement{Scope: in.Get("scope"), Channel: in.Get("channel"), ReportCadence: in.Get("report_cadence")}
	out := url.Values{}
	for _, k := range []string{"scope", "channel", "report_cadence", "revisions", "kill_fee_percent", "response_days", "review_days"} {
		out[k] = in[k]
	}
	var v accord.Invalid
	num := func(field string, dst *int) { // the rule's own range check speaks for a number out of range
		n, err := strconv.Atoi(strings.TrimSpace(in.Get(field)))
		switch {
		case strings.TrimSpace(in.Get(field)) == "":
			v.Add(field, "field.required")
		case err != nil:
			v.Add(field, "field.whole_number")
		}
		*dst = n
	}
	num("revisions", &a.Revisions)
	num("kill_fee_percent", &a.KillFeePercent)
	num("response_days", &a.ResponseDays)
	num("review_days", &a.ReviewDays)
	for i := 0; i < 1000; i++ {
		p := fmt.Sprintf("deliverables[%d].", i)
		t, ok := in[p+"title"]
		if !ok {
			break
		}
		vol := in.Get(p + "volume")
		if strings.TrimSpace(t[0]+vol) == "" {
			continue
		}
		q := fmt.Sprintf("deliverables[%d].", len(a.Deliverables))
		out.Set(q+"title", t[0])
		out.Set(q+"volume", vol)
		a.Deliverables = append(a.Deliverables, accord.Deliverable{Title: t[0], Volume: vol})
	}
	for i := 0; i < 1000; i++ {
		p := fmt.Sprintf("milestones[%d].", i)
		t, ok := in[p+"title"]
		if !ok {
			break
		}
		due, price, pct := in.Get(p+"due_date"), in.Get(p+"price"), in.Get(p+"prepayment_percent")
		if strings.TrimSpace(t[0]+due+price) == "" {
			continue
		}
		q := fmt.Sprintf("milestones[%d].", len(a.Milestones))
		out.Set(q+"title", t[0])
		out.Set(q+"due_date", due)
		out.Set(q+"price", price)
		out.Set(q+"prepayment_percent", pct)
		m, err := accord.ParseMoney(i18n.ParseAmount(l.Lang, price), e.Currency)
		if err != nil {
			v.Add(q+"price", "field.amount", "currency", e.Currency)
		}
		a.Milestones = append(a.Milestones, accord.MilestonePlan{Title: t[0], DueDate: accord.Date(due), Price: m, PrepaymentPercent: atoi(pct)})
	}
	r.PostForm = out
	if v.Err() != nil { // the form's own problems, and the rules' beside them
		v.Merge(e.CheckAgreement(accord.Cmd{Now: s.App.Clock.Now(), Zone: f.Zone}, a))
		return done{}, v.Err()
	}
	ag, err := s.App.WriteAgreement(r.Context(), f, id, a)
	if err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.agreement_written", map[string]any{"version": ag.Version})}, nil
}

func (s *Server) webPayment(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	id := r.PathValue("id")
	m, err := s.formMoney(r, f, l, "amount")
	if err != nil {
		return done{}, err
	}
	if _, err := s.App.RecordPayment(r.Context(), f, id, r.PostFormValue("milestone_id"), m, r.PostFormValue("reference")); err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.payment_recorded", map[string]any{"amount": m})}, nil
}

func (s *Server) webRefund(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	m, err := s.formMoney(r, f, l, "amount")
	if err != nil {
		return done{}, err
	}
	if _, err := s.App.RecordRefund(r.Context(), f, r.PathValue("id"), m, r.PostFormValue("reference")); err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.refund_recorded", map[string]any{"amount": m})}, nil
}

// formMoney reads the form's field as an amount, written as the reader writes numbers, in the
// engagement's currency.
func (s *Server) formMoney(r *http.Request, f app.Freelancer, l i18n.Locale, field string) (accord.Money, error) {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return accord.Money{}, err
	}
	m, err := accord.ParseMoney(i18n.ParseAmount(l.Lang, r.PostFormValue(field)), e.Currency)
	if err != nil {
		var v accord.Invalid
		v.Add(field, "field.amount", "currency", e.Currency)
		return accord.Money{}, v.Err()
	}
	return m, nil
}

// settlementView is a settlement worded for a reader, line by line.
type settlementView struct {
	Key   string // the option, with what becomes of the unused work for continue
	Lines []string
	accord.Settlement
}

func (s *Server) viewSettlement(l i18n.Locale, st accord.Settlement) settlementView {
	v := settlementView{Key: st.Option, Settlement: st}
	switch st.Unused {
	case accord.UnusedCredit:
		v.Key = "continue_credit"
	case accord.UnusedAbsorb:
		v.Key = "continue_absorb"
	}
	for _, line := range st.Lines {
		what := s.Catalog.In(l, line.Key, map[string]any{"num": line.Num, "title": line.Title, "percent": line.Pct})
		v.Lines = append(v.Lines, s.Catalog.In(l, "settlement.line", map[string]any{"what": what, "amount": line.Amount}))
	}
	return v
}

// webFile sends the freelancer a delivered file as the API does; a refusal is a page (s.web).
func (s *Server) webFile(w http.ResponseWriter, r *http.Request, f app.Freelancer, _ page) error {
	return s.apiFile(w, r, f)
}
