package server

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

func (s *Server) routesWeb() {
	m := s.mux
	s.routesStatic()
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.freelancerOf(r); err == nil {
			http.Redirect(w, r, "/app", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	})
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("GET /signup", s.signupPage)
	m.HandleFunc("POST /signup", s.signup)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /app", s.web(s.dashboard))
	m.HandleFunc("POST /app/clients", s.web(s.webCreateClient))
	m.HandleFunc("POST /app/engagements", s.web(s.webCreateEngagement))
	m.HandleFunc("POST /app/tokens", s.web(s.webCreateToken))
	m.HandleFunc("GET /app/engagements/{id}", s.web(s.engagementPage))
	s.routesEngagementForms()
}

type webHandler func(w http.ResponseWriter, r *http.Request, f app.Freelancer) error

// web wraps a page handler: no session sends the browser to the login page; an error is shown as a page.
func (s *Server) web(h webHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.freelancerOf(r)
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if err := h(w, r, f); err != nil {
			status, d := s.describe(r, err)
			s.render(w, r, status, "error", page{User: f.Name, Error: &d})
		}
	}
}

// setCookie sets a session cookie: HttpOnly, SameSite=Lax, and Secure under TLS.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.Secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", page{Title: s.Catalog.T(s.lang(r), "login.title", nil)})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	u, err := s.App.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientAddr(r))
	var secret string
	if err == nil {
		secret, err = s.App.StartWebSession(r.Context(), u)
	}
	if err != nil {
		status, d := s.describe(r, err)
		s.render(w, r, status, "login", page{Error: &d, Data: r.PostFormValue("email")})
		return
	}
	s.setCookie(w, r, sessionCookie, secret, int(s.App.SessionTTL.Seconds()))
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "signup", page{Title: s.Catalog.T(s.lang(r), "signup.title", nil)})
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	res, err := s.App.Signup(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("name"))
	var secret string
	if err == nil {
		secret, err = s.App.StartWebSession(r.Context(), res.User)
	}
	if err != nil {
		status, d := s.describe(r, err)
		s.render(w, r, status, "signup", page{Error: &d})
		return
	}
	s.setCookie(w, r, sessionCookie, secret, int(s.App.SessionTTL.Seconds()))
	http.Redirect(w, r, "/app", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c := cookie(r, sessionCookie); c != "" {
		s.App.Logout(r.Context(), c)
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type dashboardData struct {
	Engagements []engagementRow
	Clients     []accord.Client
	Token       string
	Summary     summary
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
	Next   nextAction
}

func (s *Server) dashboardPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, status int, p page) error {
	es, err := s.App.Engagements(r.Context(), f)
	if err != nil {
		return err
	}
	cs, err := s.App.Clients(r.Context(), f)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	d, _ := p.Data.(dashboardData)
	d.Clients = cs
	for _, e := range es {
		d.Engagements = append(d.Engagements, engagementRow{e, names[e.ClientID], next(e, false)})
	}
	d.Summary = summarize(d.Engagements)
	p.User, p.Data, p.Title = f.Name, d, s.Catalog.T(s.lang(r), "dashboard.title", nil)
	s.render(w, r, status, "dashboard", p)
	return nil
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	return s.dashboardPage(w, r, f, http.StatusOK, page{})
}

// dashboardResult shows the dashboard again after a form: with the error, or redirected on success.
func (s *Server) dashboardResult(w http.ResponseWriter, r *http.Request, f app.Freelancer, err error, to string) error {
	if err == nil {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	status, d := s.describe(r, err)
	if status == http.StatusInternalServerError {
		return err
	}
	return s.dashboardPage(w, r, f, status, page{Error: &d})
}

func (s *Server) webCreateClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	_, err := s.App.CreateClient(r.Context(), f, r.PostFormValue("name"), r.PostFormValue("email"),
		r.PostFormValue("language"), r.PostFormValue("timezone"))
	return s.dashboardResult(w, r, f, err, "/app#clients")
}

func (s *Server) webCreateEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.CreateEngagement(r.Context(), f, r.PostFormValue("client_id"), r.PostFormValue("title"),
		strings.ToUpper(strings.TrimSpace(r.PostFormValue("currency"))))
	to := "/app"
	if err == nil {
		to = "/app/engagements/" + e.ID
	}
	return s.dashboardResult(w, r, f, err, to)
}

func (s *Server) webCreateToken(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	token, err := s.App.CreateToken(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		return s.dashboardResult(w, r, f, err, "")
	}
	return s.dashboardPage(w, r, f, http.StatusCreated, page{Data: dashboardData{Token: token}})
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}
