package server

import (
	"net/http"
	"strings"

	"github.com/accordapp/accord/internal/app"
)

const (
	sessionCookie = "accord_session"
	portalCookie  = "accord_portal"
)

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
}

func cookie(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}

// freelancerOf authenticates a freelancer by bearer token or browser session cookie.
func (s *Server) freelancerOf(r *http.Request) (app.Freelancer, error) {
	secret := bearer(r)
	if secret == "" {
		secret = cookie(r, sessionCookie)
	}
	return s.App.AuthFreelancer(r.Context(), secret)
}

// contactOf authenticates a client contact by bearer portal session or portal cookie.
func (s *Server) contactOf(r *http.Request) (app.Contact, error) {
	secret := bearer(r)
	if secret == "" {
		secret = cookie(r, portalCookie)
	}
	return s.App.AuthContact(r.Context(), secret)
}

type freelancerHandler func(w http.ResponseWriter, r *http.Request, f app.Freelancer) error
type contactHandler func(w http.ResponseWriter, r *http.Request, c app.Contact) error

// api wraps a JSON handler for an authenticated freelancer.
func (s *Server) api(h freelancerHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := s.freelancerOf(r)
		if err == nil {
			err = h(w, r, f)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	}
}

// portalAPI wraps a JSON handler for an authenticated client contact.
func (s *Server) portalAPI(h contactHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.contactOf(r)
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	}
}

// public wraps a JSON handler that needs no credentials.
func (s *Server) public(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

func clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}
