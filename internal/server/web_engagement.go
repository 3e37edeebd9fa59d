package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

type engagementData struct {
	E          *accord.Engagement
	Client     accord.Client
	Next       nextAction
	Current    *accord.Agreement
	Messages   []messageView
	Events     []eventView
	Deliveries []deliveryView
	Invitation *app.Invitation
	Today      string
}

func (s *Server) engagementView(w http.ResponseWriter, r *http.Request, f app.Freelancer, status int, p page) error {
	id := r.PathValue("id")
	e, err := s.App.Engagement(r.Context(), f, id)
	if err != nil {
		return err
	}
	d, _ := p.Data.(engagementData)
	d.E, d.Next, d.Current, d.Today = e, next(e, false), e.Current(), s.App.Clock.Now().Format("2006-01-02")
	cs, err := s.App.Clients(r.Context(), f)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == e.ClientID {
			d.Client = c
		}
	}
	ms, err := s.App.Messages(r.Context(), f, id)
	if err != nil {
		return err
	}
	d.Messages = viewMessages(ms, s.App.Clock.Now())
	evs, err := s.App.Events(r.Context(), f.WorkspaceID, id)
	if err != nil {
		return err
	}
	d.Events = viewEvents(evs)
	for i := len(e.Deliveries) - 1; i >= 0; i-- {
		d.Deliveries = append(d.Deliveries, viewDelivery(e, &e.Deliveries[i], "/api/v1/engagements/"+e.ID, true))
	}
	p.User, p.Data, p.Title = f.Name, d, e.Title
	s.render(w, r, status, "engagement", p)
	return nil
}

func (s *Server) engagementPage(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	return s.engagementView(w, r, f, http.StatusOK, page{})
}

type engagementForm func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error

// engagementForm wraps one form of the engagement page: on success back to the page (at the
// form's section), on a refused action the page again with the refusal in the API's words.
func (s *Server) engagementForm(section string, h engagementForm) http.HandlerFunc {
	return s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
		id := r.PathValue("id")
		if err := h(w, r, f, id); err != nil {
			status, d := s.describe(r, err)
			if status == http.StatusInternalServerError {
				return err
			}
			return s.engagementView(w, r, f, status, page{Error: &d})
		}
		http.Redirect(w, r, "/app/engagements/"+id+"#"+section, http.StatusSeeOther)
		return nil
	})
}

func (s *Server) routesEngagementForms() {
	m, base := s.mux, "POST /app/engagements/{id}/"
	m.HandleFunc(base+"invite", s.web(s.webInvite))
	m.HandleFunc(base+"brief", s.engagementForm("brief", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.WriteBrief(r.Context(), f, id, formQuestions(r))
		return err
	}))
	m.HandleFunc(base+"brief/send", s.engagementForm("brief", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.SendBrief(r.Context(), f, id)
		return err
	}))
	m.HandleFunc(base+"agreement", s.engagementForm("agreement", s.webWriteAgreement))
	m.HandleFunc(base+"agreement/{version}/propose", s.engagementForm("agreement", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.ProposeAgreement(r.Context(), f, id, atoi(r.PathValue("version")))
		return err
	}))
	m.HandleFunc(base+"payments", s.engagementForm("milestones", s.webPayment))
	m.HandleFunc(base+"milestones/{mid}/start", s.engagementForm("milestones", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.StartMilestone(r.Context(), f, id, r.PathValue("mid"))
		return err
	}))
	m.HandleFunc(base+"milestones/{mid}/deliver", s.engagementForm("deliveries", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, _, err := s.deliver(w, r, f)
		return err
	}))
	m.HandleFunc(base+"messages", s.engagementForm("messages", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.SendMessage(r.Context(), f, id, r.PostFormValue("body"), "web")
		return err
	}))
	m.HandleFunc(base+"messages/{mid}/send-now", s.engagementForm("messages", func(w http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
		_, err := s.App.SendNow(r.Context(), f, id, r.PathValue("mid"))
		return err
	}))
}

// webInvite shows the new portal link on the page, once.
func (s *Server) webInvite(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	inv, err := s.App.Invite(r.Context(), f, r.PathValue("id"), r.PostFormValue("email"))
	if err != nil {
		status, d := s.describe(r, err)
		if status == http.StatusInternalServerError {
			return err
		}
		return s.engagementView(w, r, f, status, page{Error: &d})
	}
	return s.engagementView(w, r, f, http.StatusCreated, page{Data: engagementData{Invitation: &inv}})
}

// formQuestions reads the brief editor's rows; empty rows are left out.
func formQuestions(r *http.Request) []accord.Question {
	r.ParseForm()
	var qs []accord.Question
	for i, text := range r.PostForm["question"] {
		if strings.TrimSpace(text) == "" {
			continue
		}
		qs = append(qs, accord.Question{Text: text, Required: r.PostFormValue(fmt.Sprintf("required_%d", i)) != ""})
	}
	return qs
}

func (s *Server) webWriteAgreement(_ http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
	e, err := s.App.Engagement(r.Context(), f, id)
	if err != nil {
		return err
	}
	r.ParseForm()
	a := accord.Agreement{Scope: r.PostFormValue("scope"), Revisions: atoi(r.PostFormValue("revisions")),
		KillFeePercent: atoi(r.PostFormValue("kill_fee_percent")), ResponseDays: atoi(r.PostFormValue("response_days")),
		ReviewDays: atoi(r.PostFormValue("review_days")), Channel: r.PostFormValue("channel"),
		ReportCadence: r.PostFormValue("report_cadence")}
	for i, t := range r.PostForm["deliverable_title"] {
		vol := formAt(r, "deliverable_volume", i)
		if strings.TrimSpace(t) != "" || strings.TrimSpace(vol) != "" {
			a.Deliverables = append(a.Deliverables, accord.Deliverable{Title: t, Volume: vol})
		}
	}
	var v accord.Invalid
	for i, t := range r.PostForm["milestone_title"] {
		due, price, pct := formAt(r, "milestone_due", i), formAt(r, "milestone_price", i), formAt(r, "milestone_prepayment", i)
		if strings.TrimSpace(t+due+price) == "" {
			continue
		}
		m, err := accord.ParseMoney(price, e.Currency)
		if err != nil {
			v.Add(fmt.Sprintf("milestones[%d].price", len(a.Milestones)), "field.amount", "currency", e.Currency)
		}
		a.Milestones = append(a.Milestones, accord.MilestonePlan{Title: t, DueDate: accord.Date(due), Price: m, PrepaymentPercent: atoi(pct)})
	}
	if err := v.Err(); err != nil {
		return err
	}
	_, err = s.App.WriteAgreement(r.Context(), f, id, a)
	return err
}

func formAt(r *http.Request, name string, i int) string {
	if vs := r.PostForm[name]; i < len(vs) {
		return vs[i]
	}
	return ""
}

func (s *Server) webPayment(_ http.ResponseWriter, r *http.Request, f app.Freelancer, id string) error {
	e, err := s.App.Engagement(r.Context(), f, id)
	if err != nil {
		return err
	}
	m, err := accord.ParseMoney(r.PostFormValue("amount"), e.Currency)
	if err != nil {
		var v accord.Invalid
		v.Add("amount", "field.amount", "currency", e.Currency)
		return v.Err()
	}
	_, err = s.App.RecordPayment(r.Context(), f, id, r.PostFormValue("milestone_id"), m, r.PostFormValue("reference"))
	return err
}
