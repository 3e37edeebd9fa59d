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
	Pages       pager
	Clients     []accord.Client
	// MoreClients is true when there are more clients than the picker offers: the others start
	// an engagement from the clients page.
	MoreClients bool
	Picked      string // the client a new engagement is for unless changed
	Templates   []accord.BriefTemplate
	Currency    string // what a new engagement is in unless changed: what most are in
	Summary     accord.Summary
	// Failed are the steps Accord could not take after every try; FailedMails the emails.
	Failed      []app.FailedStep
	FailedMails int
	// Broken is the record's last check when it did not hold.
	Broken *accord.RecordCheck
	// Charts are the money over the last months, one per currency that has some, each with its
	// table; Overdue the first invoices past their due date, the longest late first, of
	// OverdueCount.
	Charts       []moneyChart
	Overdue      []accord.OverdueInvoice
	OverdueCount int
}

// moneyChart is one currency's money per month, drawn and as a table.
type moneyChart struct {
	Currency   string
	SVG, Table template.HTML
}

// chartMonths is how many months the dashboard's chart shows, the next one included.
const chartMonths = 12

// moneyCharts draws the money per month in each currency the tallies show money received or
// owed in, in the reader's language and money format.
func (s *Server) moneyCharts(l i18n.Locale, ts []accord.Tally, today accord.Date) ([]moneyChart, error) {
	var out []moneyChart
	for _, cur := range accord.Currencies(ts) {
		var months []chart.Month
		for _, m := range accord.MoneyByMonth(ts, cur, chartMonths, today, l.Zone) {
			months = append(months, chart.Month{Label: i18n.FormatMonth(l.Lang, m.Month), Received: m.Received, Due: m.Due, Overdue: m.Overdue})
		}
		if !slices.ContainsFunc(months, func(m chart.Month) bool { return m.Received != 0 || m.Due != 0 || m.Overdue != 0 }) {
			continue // money only outside these months
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

// dashboard shows the workspace at a glance and a page of its engagements, what needs the
// freelancer first (?engagements= pages on); ?client= picks that client for a new engagement.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	after, err := pageCursor(r, "engagements")
	if err != nil {
		return err
	}
	today := s.App.Today(p.L)
	v, err := s.App.Dashboard(r.Context(), f, after, chartMonths, today, p.L.Zone)
	if err != nil {
		return err
	}
	d := dashboardData{Clients: v.Clients.Items, MoreClients: v.Clients.Next != nil, Currency: v.Currency,
		Templates: append(s.App.StarterTemplates(p.L.Lang), v.Templates...), Summary: v.Summary,
		Overdue: v.Overdue, OverdueCount: v.OverdueCount, Pages: newPager("/app", "engagements", after, v.Engagements)}
	for _, e := range v.Engagements.Items {
		d.Engagements = append(d.Engagements, engagementRow{e, v.ClientNames[e.ClientID], app.NextStep(e, false, f.ResponseDays)})
	}
	if id := r.URL.Query().Get("client"); id != "" {
		if !slices.ContainsFunc(d.Clients, func(c accord.Client) bool { return c.ID == id }) {
			c, err := s.App.Client(r.Context(), f, id)
			if err != nil {
				return err // another workspace's client is not found
			}
			d.Clients = append([]accord.Client{c}, d.Clients...)
		}
		d.Picked = id
	}
	if d.Failed, err = s.App.FailedSteps(r.Context(), f); err != nil {
		return err
	}
	if d.FailedMails, err = s.App.FailedMails(r.Context(), f); err != nil {
		return err
	}
	if d.Broken, err = s.App.BrokenRecord(r.Context(), f); err != nil {
		return err
	}
	if d.Charts, err = s.moneyCharts(p.L, v.Money, today); err != nil {
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
