package server

import (
	"net/http"
	"sort"
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
	Summary     summary
	// Failed are the steps Accord could not take after every try; FailedMails the emails.
	Failed      []app.FailedStep
	FailedMails int
}

// summary is the dashboard's first glance: who waits on whom, money by currency, what is due next.
type summary struct {
	OnClient, OnYou int
	Money           []accord.Balance
	Deadlines       []deadline
}

type deadline struct {
	Engagement *accord.Engagement
	Milestone  accord.Milestone
}

func summarize(rows []engagementRow) summary {
	var s summary
	byCur := map[string]*accord.Balance{}
	var order []string
	for _, r := range rows {
		switch r.Next.Owner {
		case "client":
			s.OnClient++
		case "freelancer":
			s.OnYou++
		}
		b, t := r.E.Balance(), byCur[r.E.Currency]
		if t == nil {
			zero := accord.Money{Currency: r.E.Currency}
			t = &accord.Balance{Invoiced: zero, Paid: zero, Due: zero}
			byCur[r.E.Currency], order = t, append(order, r.E.Currency)
		}
		t.Invoiced, t.Paid, t.Due = t.Invoiced.Add(b.Invoiced), t.Paid.Add(b.Paid), t.Due.Add(b.Due)
		for _, m := range r.E.Milestones {
			if m.State != accord.MilestonePaid && m.State != accord.MilestoneAccepted {
				s.Deadlines = append(s.Deadlines, deadline{r.E, m})
			}
		}
	}
	for _, c := range order {
		s.Money = append(s.Money, *byCur[c])
	}
	sort.Slice(s.Deadlines, func(i, j int) bool { return s.Deadlines[i].Milestone.DueDate < s.Deadlines[j].Milestone.DueDate })
	if len(s.Deadlines) > 5 {
		s.Deadlines = s.Deadlines[:5]
	}
	return s
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
	d.Summary = summarize(d.Engagements)
	if d.Failed, err = s.App.FailedSteps(r.Context(), f); err != nil {
		return err
	}
	mails, err := s.App.Outbox(r.Context(), f)
	if err != nil {
		return err
	}
	for _, m := range mails {
		if m.State == accord.MailFailed {
			d.FailedMails++
		}
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
