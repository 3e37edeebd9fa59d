package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
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
	m.HandleFunc("/", s.notFoundPage)
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("GET /signup", s.signupPage)
	m.HandleFunc("POST /signup", s.signup)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /app", s.web(s.dashboard))
	m.HandleFunc("POST /app/engagements", s.webForm("new-engagement", to("/app#new-engagement"), s.webCreateEngagement))
	s.routesSettings()
	m.HandleFunc("GET /app/engagements/{id}", s.web(s.engagementPage))
	m.HandleFunc("POST /app/engagements/{id}/coach", s.web(s.webCoach))
	s.routesEngagementForms()
	s.routesSummaryForms()
	s.routesFileViews()
	s.routesInvoices()
}

// to returns a fixed address to come back to after a form.
func to(path string) func(*http.Request) string {
	return func(*http.Request) string { return path }
}

type webHandler func(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error

// freelancerLocale is how the freelancer reads: their own language, else the browser's; the
// workspace's zone.
func (s *Server) freelancerLocale(r *http.Request, f app.Freelancer) i18n.Locale {
	lang := f.Lang
	if lang == "" {
		lang = s.lang(r)
	}
	return i18n.Locale{Lang: lang, Zone: f.Zone}
}

// web wraps a page for a logged-in freelancer: no session sends the browser to the login page;
// the page gets the reader's locale and what the last form left to say; an error is shown as a page.
func (s *Server) web(h webHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.freelancerOf(r)
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		p := page{L: s.freelancerLocale(r, f), User: f.Name}
		if r.Method == http.MethodGet {
			withFlash(&p, s.takeFlash(w, r, flashOwner(r, sessionCookie)))
		}
		if err := h(w, r, f, p); err != nil {
			s.errorPage(w, r, p, err)
		}
	}
}

func withFlash(p *page, fl flash) {
	p.Notice, p.Form, p.Link = fl.Notice, fl.Form, fl.Link
	if fl.Error != "" {
		p.Error = &errorDetail{Summary: fl.Error}
	}
}

// errorPage shows a refusal that has no form to go back to, with its status.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, p page, err error) {
	status, d := s.describeIn(r, p.L, err)
	p.Error, p.Form, p.Title = &d, nil, s.Catalog.In(p.L, "error.title", nil)
	s.render(w, r, status, "error", p)
}

// notFoundPage answers an address that is no page, as a page.
func (s *Server) notFoundPage(w http.ResponseWriter, r *http.Request) {
	p := page{L: i18n.Locale{Lang: s.lang(r)}}
	if f, err := s.freelancerOf(r); err == nil {
		p.L, p.User = s.freelancerLocale(r, f), f.Name
	}
	s.errorPage(w, r, p, accord.Errorf(accord.ENOTFOUND, "error.not_found"))
}

// done is where a form that succeeded goes next, and what the page then confirms.
type done struct {
	To     string
	Notice string
	Link   string // a secret link to show once (a new portal link)
}

type webFormHandler func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error)

// webForm handles one form of the freelancer's pages. Success redirects, with its confirmation
// waiting for the next page; a refusal redirects back to the form's own page, which shows it
// again as typed with each problem beside its field. Either way a reload never posts again.
func (s *Server) webForm(name string, back func(*http.Request) string, h webFormHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.freelancerOf(r)
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		l := s.freelancerLocale(r, f)
		d, err := h(w, r, f, l)
		s.afterForm(w, r, flashOwner(r, sessionCookie), page{L: l, User: f.Name}, name, back, d, err)
	}
}

// afterForm redirects after a form: on to d.To with its notice, or back to the form refused.
func (s *Server) afterForm(w http.ResponseWriter, r *http.Request, owner string, p page, name string, back func(*http.Request) string, d done, err error) {
	if err != nil {
		status, det := s.describeIn(r, p.L, err)
		if status == http.StatusInternalServerError {
			s.errorPage(w, r, p, err)
			return
		}
		s.putFlash(w, r, owner, s.refused(name, r, p.L, det))
		redirect(w, r, back(r))
		return
	}
	if d.Notice != "" || d.Link != "" {
		s.putFlash(w, r, owner, flash{Notice: d.Notice, Link: d.Link})
	}
	if d.To == "" {
		d.To = back(r)
	}
	redirect(w, r, d.To)
}

// redirect sends the browser on with 303. A form sent by the page's script (an upload with its
// progress bar) is told where to go in a header instead, so that the page it lands on is the one
// that shows the confirmation.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("X-Accord-Fetch") != "" {
		w.Header().Set("X-Accord-Location", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// setCookie sets a session cookie: HttpOnly, SameSite=Lax, and Secure under TLS.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: s.Secure || r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

type loginData struct {
	SignupOpen bool
}

// publicPage is a page for someone not logged in: the browser's language, what the last form left.
func (s *Server) publicPage(w http.ResponseWriter, r *http.Request, titleKey string) page {
	p := page{L: i18n.Locale{Lang: s.lang(r)}}
	p.Title = s.Catalog.In(p.L, titleKey, nil)
	withFlash(&p, s.takeFlash(w, r, ""))
	return p
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	p := s.publicPage(w, r, "login.title")
	p.Data = loginData{SignupOpen: s.App.SignupOpen(r.Context())}
	s.render(w, r, http.StatusOK, "login", p)
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	u, err := s.App.Login(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), clientAddr(r))
	var secret string
	if err == nil {
		secret, err = s.App.StartWebSession(r.Context(), u)
	}
	if err == nil {
		s.setCookie(w, r, sessionCookie, secret, int(s.App.SessionTTL.Seconds()))
	}
	s.afterForm(w, r, "", page{L: i18n.Locale{Lang: s.lang(r)}}, "login", to("/login"), done{To: "/app"}, err)
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) {
	p := s.publicPage(w, r, "signup.title")
	if !s.App.SignupOpen(r.Context()) {
		p.Error = &errorDetail{Summary: s.Catalog.In(p.L, "error.signup_closed", nil)}
	}
	p.Data = loginData{SignupOpen: s.App.SignupOpen(r.Context())}
	s.render(w, r, http.StatusOK, "signup", p)
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request) {
	l := i18n.Locale{Lang: s.lang(r)}
	res, err := s.App.Signup(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("name"))
	var secret string
	if err == nil {
		secret, err = s.App.StartWebSession(r.Context(), res.User)
	}
	if err == nil {
		s.setCookie(w, r, sessionCookie, secret, int(s.App.SessionTTL.Seconds()))
	}
	s.afterForm(w, r, "", page{L: l}, "signup", to("/signup"), done{To: "/app"}, err)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c := cookie(r, sessionCookie); c != "" {
		s.App.Logout(r.Context(), c)
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}
