package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/openapi"
)

func (s *Server) routesAPI() {
	m := s.mux
	m.HandleFunc("POST /api/v1/auth/signup", s.public(s.apiSignup))
	m.HandleFunc("POST /api/v1/auth/tokens", s.public(s.apiToken))
	m.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi.Document())
	})
	m.HandleFunc("POST /api/v1/clients", s.api(s.apiCreateClient))
	m.HandleFunc("GET /api/v1/clients", s.api(s.apiClients))
	m.HandleFunc("POST /api/v1/engagements", s.api(s.apiCreateEngagement))
	m.HandleFunc("GET /api/v1/engagements", s.api(s.apiEngagements))
	m.HandleFunc("GET /api/v1/engagements/{id}", s.api(s.apiEngagement))
	m.HandleFunc("POST /api/v1/engagements/{id}/invitations", s.api(s.apiInvite))
	m.HandleFunc("GET /api/v1/engagements/{id}/brief", s.api(s.apiBrief))
	m.HandleFunc("PUT /api/v1/engagements/{id}/brief", s.api(s.apiWriteBrief))
	m.HandleFunc("POST /api/v1/engagements/{id}/brief/send", s.api(s.apiSendBrief))
	m.HandleFunc("POST /api/v1/engagements/{id}/agreements", s.api(s.apiWriteAgreement))
	m.HandleFunc("GET /api/v1/engagements/{id}/agreements/{version}", s.api(s.apiAgreement))
	m.HandleFunc("POST /api/v1/engagements/{id}/agreements/{version}/propose", s.api(s.apiPropose))
	m.HandleFunc("POST /api/v1/engagements/{id}/payments", s.api(s.apiPayment))
	m.HandleFunc("POST /api/v1/engagements/{id}/info-requests", s.api(s.apiRequestInfo))
	m.HandleFunc("POST /api/v1/engagements/{id}/milestones/{mid}/start", s.api(s.apiStart))
	s.handleUpload("POST /api/v1/engagements/{id}/milestones/{mid}/deliveries", s.api(s.apiDeliver))
	m.HandleFunc("GET /api/v1/engagements/{id}/deliveries/{did}", s.api(s.apiDelivery))
	m.HandleFunc("GET /api/v1/engagements/{id}/files/{fid}/{kind}", s.api(s.apiFile))
	m.HandleFunc("GET /api/v1/engagements/{id}/events", s.api(s.apiEvents))
	m.HandleFunc("GET /api/v1/engagements/{id}/messages", s.api(s.apiMessages))
	m.HandleFunc("POST /api/v1/engagements/{id}/messages", s.api(s.apiSendMessage))
	m.HandleFunc("POST /api/v1/engagements/{id}/messages/{mid}/send-now", s.api(s.apiSendNow))
	m.HandleFunc("GET /api/v1/outbox", s.api(s.apiOutbox))
	m.HandleFunc("POST /api/v1/test-clock/advance", s.public(s.apiAdvanceClock))
	m.HandleFunc("/api/", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}))
}

func (s *Server) apiSignup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, err := s.App.Signup(r.Context(), in.Email, in.Password, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"user_id": res.User.ID, "workspace_id": res.Workspace.ID, "token": res.Token})
	return nil
}

func (s *Server) apiToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	token, err := s.App.CreateToken(r.Context(), in.Email, in.Password, clientAddr(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": token})
	return nil
}

type clientView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Language string `json:"language"`
	Timezone string `json:"timezone"`
}

func (s *Server) apiCreateClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Language string `json:"language"`
		Timezone string `json:"timezone"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.CreateClient(r.Context(), f, in.Name, in.Email, in.Language, in.Timezone)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": c.ID})
	return nil
}

func (s *Server) apiClients(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	cs, err := s.App.Clients(r.Context(), f)
	if err != nil {
		return err
	}
	out := []clientView{}
	for _, c := range cs {
		out = append(out, clientView{c.ID, c.Name, c.Email, c.Language, c.Timezone})
	}
	writeJSON(w, http.StatusOK, map[string]any{"clients": out})
	return nil
}

func (s *Server) apiCreateEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		ClientID string `json:"client_id"`
		Title    string `json:"title"`
		Currency string `json:"currency"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.CreateEngagement(r.Context(), f, in.ClientID, in.Title, in.Currency)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": e.ID, "state": string(e.State)})
	return nil
}

func (s *Server) apiEngagements(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	es, err := s.App.Engagements(r.Context(), f)
	if err != nil {
		return err
	}
	out := []engagementView{}
	for _, e := range es {
		out = append(out, viewEngagement(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"engagements": out})
	return nil
}

func (s *Server) apiEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	inv, err := s.App.Invite(r.Context(), f, r.PathValue("id"), in.Email)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"portal_url": inv.URL, "portal_token": inv.Token, "expires_at": inv.ExpiresAt})
	return nil
}

func briefView(e *accord.Engagement) map[string]any {
	answers := e.Brief.Answers
	if answers == nil {
		answers = map[string]string{}
	}
	qs := e.Brief.Questions
	if qs == nil {
		qs = []accord.Question{}
	}
	return map[string]any{"questions": qs, "answers": answers, "state": e.State}
}

func (s *Server) apiBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) apiWriteBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Questions []accord.Question `json:"questions"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.WriteBrief(r.Context(), f, r.PathValue("id"), in.Questions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) apiSendBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.SendBrief(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

// agreementIn is the agreement as the API takes it. The numbers are pointers so that a missing
// or null one is refused as required rather than taken as 0.
type agreementIn struct {
	Scope        string               `json:"scope"`
	Deliverables []accord.Deliverable `json:"deliverables"`
	Milestones   []struct {
		Title             string `json:"title"`
		DueDate           string `json:"due_date"`
		Price             amount `json:"price"`
		PrepaymentPercent *int   `json:"prepayment_percent"`
	} `json:"milestones"`
	Revisions      *int   `json:"revisions"`
	KillFeePercent *int   `json:"kill_fee_percent"`
	ResponseDays   *int   `json:"response_days"`
	ReviewDays     *int   `json:"review_days"`
	Channel        string `json:"channel"`
	ReportCadence  string `json:"report_cadence"`
}

func (in agreementIn) agreement(currency string) (accord.Agreement, error) {
	var v accord.Invalid
	a := accord.Agreement{Scope: in.Scope, Deliverables: in.Deliverables,
		Revisions: required(&v, "revisions", in.Revisions), KillFeePercent: required(&v, "kill_fee_percent", in.KillFeePercent),
		ResponseDays: required(&v, "response_days", in.ResponseDays), ReviewDays: required(&v, "review_days", in.ReviewDays),
		Channel: in.Channel, ReportCadence: in.ReportCadence}
	for i, m := range in.Milestones {
		f := "milestones[" + strconv.Itoa(i) + "]"
		price := accord.Money{Currency: currency}
		if m.Price.raw != nil {
			price = m.Price.money(f+".price", currency, &v)
		}
		a.Milestones = append(a.Milestones, accord.MilestonePlan{Title: m.Title, DueDate: accord.Date(m.DueDate),
			Price: price, PrepaymentPercent: required(&v, f+".prepayment_percent", m.PrepaymentPercent)})
	}
	return a, v.Err()
}

// required returns the number sent for field, noting it as required when it was missing or null.
func required(v *accord.Invalid, field string, n *int) int {
	if n == nil {
		v.Add(field, "field.required")
		return 0
	}
	return *n
}

func (s *Server) apiWriteAgreement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in agreementIn
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	ag, err := in.agreement(e.Currency)
	if err != nil { // the body's own problems, and the rules' for the other fields: all at once
		var v accord.Invalid
		v.Merge(err)
		v.Merge(e.CheckAgreement(accord.Cmd{Now: s.App.Clock.Now(), Zone: f.Zone}, ag))
		return v.Err()
	}
	a, err := s.App.WriteAgreement(r.Context(), f, e.ID, ag)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) apiRequestInfo(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Title   string   `json:"title"`
		DueDate string   `json:"due_date"`
		Blocks  []string `json:"blocks"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id, err := s.App.RequestInfo(r.Context(), f, r.PathValue("id"), in.Title, accord.Date(in.DueDate), in.Blocks)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

func version(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v < 1 {
		return 0, accord.Errorf(accord.ENOTFOUND, "agreement.not_found", "version", r.PathValue("version"))
	}
	return v, nil
}

func (s *Server) apiAgreement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	a := e.Agreement(v)
	if a == nil {
		return accord.Errorf(accord.ENOTFOUND, "agreement.not_found", "version", v)
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiPropose(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	e, err := s.App.ProposeAgreement(r.Context(), f, r.PathValue("id"), v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiPayment(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		MilestoneID string `json:"milestone_id"`
		Amount      amount `json:"amount"`
		Reference   string `json:"reference"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	var v accord.Invalid
	m := in.Amount.money("amount", e.Currency, &v)
	if in.Amount.raw == nil {
		v.Add("amount", "field.amount", "currency", e.Currency)
	}
	if err := v.Err(); err != nil {
		return err
	}
	id, err := s.App.RecordPayment(r.Context(), f, e.ID, in.MilestoneID, m, in.Reference)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

func (s *Server) apiStart(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.StartMilestone(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiDeliver(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	did, files, err := s.deliver(w, r, f)
	if err != nil {
		return err
	}
	type out struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
	}
	res := []out{}
	for _, f := range files {
		res = append(res, out{f.ID, f.Name, f.Size, f.SHA256})
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": did, "files": res})
	return nil
}

func (s *Server) apiDelivery(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := e.Delivery(r.PathValue("did"))
	if d == nil {
		return accord.Errorf(accord.ENOTFOUND, "delivery.not_found")
	}
	writeJSON(w, http.StatusOK, viewDelivery(e, d, "/api/v1/engagements/"+e.ID, true))
	return nil
}

func (s *Server) apiFile(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	kind := r.PathValue("kind")
	if kind != "original" && kind != "preview" {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}
	fc, err := s.App.File(r.Context(), f, r.PathValue("id"), r.PathValue("fid"), kind == "original")
	if err != nil {
		return err
	}
	serveFile(w, r, fc, kind == "original")
	return nil
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	evs, err := s.App.Events(r.Context(), f.WorkspaceID, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": viewEvents(evs)})
	return nil
}

func (s *Server) apiMessages(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	ms, err := s.App.Messages(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": viewMessages(ms, s.App.Clock.Now())})
	return nil
}

func (s *Server) apiSendMessage(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := s.App.SendMessage(r.Context(), f, r.PathValue("id"), in.Body, "api")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if m.Held(s.App.Clock.Now()) {
		status = http.StatusAccepted
	}
	writeJSON(w, status, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) apiSendNow(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	m, err := s.App.SendNow(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	ms, err := s.App.Outbox(r.Context(), f)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []accord.Mail{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": ms})
	return nil
}

// apiAdvanceClock moves the test clock for a freelancer; without --test-clock the route is not
// there at all (404, before any credential is asked for).
func (s *Server) apiAdvanceClock(w http.ResponseWriter, r *http.Request) error {
	if s.TestClock == nil {
		return accord.Errorf(accord.ENOTFOUND, "error.test_clock_off")
	}
	if _, err := s.freelancerOf(r); err != nil {
		return err
	}
	var in struct {
		Duration string `json:"duration"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d < 0 {
		var v accord.Invalid
		v.Add("duration", "error.duration")
		return v.Err()
	}
	now, err := s.App.AdvanceClock(r.Context(), s.TestClock, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now})
	return nil
}
