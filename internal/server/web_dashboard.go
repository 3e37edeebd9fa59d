package server

import (
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

type dashboardData struct {
	Engagements []engagementRow
	Clients     []accord.Client
	Templates   []accord.BriefTemplate
	Currency    string // what a new engagement is in unless changed: the last one's
	Summary     accord.Summary
	// Failed are the steps Accord could not take after every try; FailedMails the emails.
	Failed      []app.FailedStep
	FailedMails int
	// Broken is the record's last check when it did not hold.
	Broken *accord.RecordCheck
}

type engagementRow struct {
	E      *accord.Engagement
	Client string
	Next   app.NextAction
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	es, err := s.App.Engagements(r.Context(), f)
	if err != nil {
		return err
	}
	cs, err := s.App.Clients(r.Context(), f)
	if err != nil {
		return err
	}
	saved, err := s.App.BriefTemplates(r.Context(), f)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	d := dashboardData{Clients: cs, Currency: "EUR", Templates: append(s.App.StarterTemplates(p.L.Lang), saved...)}
	for _, e := range es {
		d.Engagements = append(d.Engagements, engagementRow{e, names[e.ClientID], app.NextStep(e, false, f.ResponseDays)})
	}
	if len(es) > 0 {
		d.Currency = es[0].Currency
	}
	d.Summary = accord.Summarize(es, f.ResponseDays, 5)
	if d.Failed, err = s.App.FailedSteps(r.Context(), f); err != nil {
		return err
	}
	if d.FailedMails, err = s.App.FailedMails(r.Context(), f); err != nil {
		return err
	}
	if d.Broken, err = s.App.BrokenRecord(r.Context(), f); err != nil {
		return err
	}
	p.Data, p.Title = d, s.Catalog.In(p.L, "dashboard.title", nil)
	s.render(w, r, http.StatusOK, "dashboard", p)
	return nil
}

func (s *Server) webCreateEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	e, err := s.App.CreateEngagementFrom(r.Context(), f, r.PostFormValue("client_id"), r.PostFormValue("title"),
		strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))), r.PostFormValue("template_id"))
	if err != nil {
		return done{}, err
	}
	return done{To: "/app/engagements/" + e.ID, Notice: s.Catalog.In(l, "notice.engagement_created", map[string]any{"title": e.Title})}, nil
}
