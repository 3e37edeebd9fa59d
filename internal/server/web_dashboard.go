package server

import (
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/chart"
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
	// Charts are the money over the last months, one per currency the engagements use, each
	// with its table; Overdue the invoices past their due date, the longest late first.
	Charts  []moneyChart
	Overdue []accord.OverdueInvoice
}

// moneyChart is one currency's money per month, drawn and as a table.
type moneyChart struct {
	Currency   string
	SVG, Table template.HTML
}

// chartMonths is how many months the dashboard's chart shows, the next one included.
const chartMonths = 12

// moneyCharts draws the money per month in each currency the engagements use, in the reader's
// language and money format; a currency with nothing to show is left out.
func (s *Server) moneyCharts(l i18n.Locale, es []*accord.Engagement, today accord.Date) ([]moneyChart, error) {
	var currencies []string
	for _, e := range es {
		if len(e.Payments) > 0 || len(e.Invoices) > 0 {
			if !slices.Contains(currencies, e.Currency) {
				currencies = append(currencies, e.Currency)
			}
		}
	}
	slices.Sort(currencies)
	var out []moneyChart
	for _, cur := range currencies {
		var months []chart.Month
		for _, m := range accord.MoneyByMonth(es, cur, chartMonths, today, l.Zone) {
			months = append(months, chart.Month{Label: i18n.FormatMonth(l.Lang, m.Month), Received: m.Received, Due: m.Due, Overdue: m.Overdue})
		}
		opt := chart.Options{
			Title:  s.Catalog.In(l, "dashboard.chart.title", map[string]any{"currency": cur}),
			Desc:   s.Catalog.In(l, "dashboard.chart.desc", map[string]any{"count": chartMonths}),
			Series: [3]string{s.Catalog.In(l, "dashboard.chart.received", nil), s.Catalog.In(l, "dashboard.chart.due", nil), s.Catalog.In(l, "dashboard.chart.overdue", nil)},
			Format: func(minor int64) string { return i18n.FormatMoney(l.Lang, accord.Money{Amount: minor, Currency: cur}) },
		}
		svg, err := chart.Bars(months, opt)
		if err != nil {
			return nil, err
		}
		table, err := chart.Table(months, opt)
		if err != nil {
			return nil, err
		}
		out = append(out, moneyChart{Currency: cur, SVG: svg, Table: table})
	}
	return out, nil
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
	today := s.App.Today(p.L)
	if d.Charts, err = s.moneyCharts(p.L, es, today); err != nil {
		return err
	}
	d.Overdue = accord.Overdue(es, today)
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
