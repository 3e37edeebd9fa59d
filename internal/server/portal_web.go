package server

import (
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

func (s *Server) routesPortalWeb() {
	m := s.mux
	m.HandleFunc("GET /p/{token}", s.portalLink)
	m.HandleFunc("POST /p/{token}", s.portalOpen)
	m.HandleFunc("GET /portal", s.portalWeb(s.portalHome))
	m.HandleFunc("POST /portal/logout", s.portalLogout)
	s.routesPortalForms()
}

type portalWebHandler func(w http.ResponseWriter, r *http.Request, c app.Contact) error

func (s *Server) portalWeb(h portalWebHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.contactOf(r)
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			status, d := s.describe(r, err)
			s.render(w, r, status, "error", page{Portal: true, Error: &d})
		}
	}
}

// portalLink only shows a button: mail scanners that follow links must not spend the token.
func (s *Server) portalLink(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "portal_link", page{Portal: true, Data: r.PathValue("token")})
}

func (s *Server) portalOpen(w http.ResponseWriter, r *http.Request) {
	secret, expires, err := s.App.OpenPortal(r.Context(), r.PathValue("token"))
	if err != nil {
		status, d := s.describe(r, err)
		s.render(w, r, status, "error", page{Portal: true, Error: &d})
		return
	}
	s.setCookie(w, r, portalCookie, secret, int(expires.Sub(s.App.Clock.Now()).Seconds()))
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}

type portalData struct {
	E          *accord.Engagement
	Workspace  string
	Ask        nextAction
	Agreement  *accord.Agreement
	Deliveries []deliveryView
	Messages   []messageView
}

func (s *Server) portalView(w http.ResponseWriter, r *http.Request, c app.Contact, status int, p page) error {
	e, ws, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	ms, err := s.App.ClientMessages(r.Context(), c)
	if err != nil {
		return err
	}
	d := portalData{E: e, Workspace: ws.Name, Ask: next(e, true), Messages: viewMessages(ms, s.App.Clock.Now())}
	if d.Agreement = e.Proposed(); d.Agreement == nil {
		d.Agreement = e.Accepted()
	}
	for i := len(e.Deliveries) - 1; i >= 0; i-- {
		d.Deliveries = append(d.Deliveries, viewDelivery(e, &e.Deliveries[i], "/portal/api", false))
	}
	p.Portal, p.Contact, p.Data, p.Title = true, true, d, e.Title
	s.render(w, r, status, "portal", p)
	return nil
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	return s.portalView(w, r, c, http.StatusOK, page{})
}

type portalForm func(r *http.Request, c app.Contact) error

// portalForm wraps one form of the portal page, as engagementForm does for the freelancer.
func (s *Server) portalForm(section string, h portalForm) http.HandlerFunc {
	return s.portalWeb(func(w http.ResponseWriter, r *http.Request, c app.Contact) error {
		r.ParseForm()
		if err := h(r, c); err != nil {
			status, d := s.describe(r, err)
			if status == http.StatusInternalServerError {
				return err
			}
			return s.portalView(w, r, c, status, page{Error: &d})
		}
		http.Redirect(w, r, "/portal#"+section, http.StatusSeeOther)
		return nil
	})
}

func (s *Server) routesPortalForms() {
	m := s.mux
	m.HandleFunc("POST /portal/brief", s.portalForm("brief", func(r *http.Request, c app.Contact) error {
		answers := map[string]string{}
		for k, v := range r.PostForm {
			if id, ok := strings.CutPrefix(k, "answer_"); ok && len(v) > 0 {
				answers[id] = v[0]
			}
		}
		_, err := s.App.AnswerBrief(r.Context(), c, answers)
		return err
	}))
	m.HandleFunc("POST /portal/agreement/{version}/accept", s.portalForm("agreement", func(r *http.Request, c app.Contact) error {
		_, err := s.App.AcceptAgreement(r.Context(), c, atoi(r.PathValue("version")), r.PostForm["term"])
		return err
	}))
	m.HandleFunc("POST /portal/deliveries/{did}/accept", s.portalForm("deliveries", func(r *http.Request, c app.Contact) error {
		_, err := s.App.AcceptDelivery(r.Context(), c, r.PathValue("did"))
		return err
	}))
	m.HandleFunc("POST /portal/deliveries/{did}/request-changes", s.portalForm("deliveries", func(r *http.Request, c app.Contact) error {
		_, err := s.App.RequestChanges(r.Context(), c, r.PathValue("did"), r.PostFormValue("what_is_wrong"), r.PostFormValue("desired_result"))
		return err
	}))
	m.HandleFunc("POST /portal/messages", s.portalForm("messages", func(r *http.Request, c app.Contact) error {
		_, err := s.App.SendClientMessage(r.Context(), c, r.PostFormValue("body"))
		return err
	}))
}

// portalLogout ends the client's portal session on this device; a new invitation opens it again.
func (s *Server) portalLogout(w http.ResponseWriter, r *http.Request) {
	if c := cookie(r, portalCookie); c != "" {
		if err := s.App.Logout(r.Context(), c); err != nil {
			s.Log.Error("portal logout", "err", err)
		}
	}
	s.setCookie(w, r, portalCookie, "", -1)
	s.render(w, r, http.StatusOK, "portal_bye", page{Portal: true})
}
