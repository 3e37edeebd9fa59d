// Package server serves Accord over HTTP: the JSON API, the freelancer's pages and the client portal.
package server

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

// Server routes requests to the use cases.
type Server struct {
	App     *app.App
	Catalog *i18n.Catalog
	Log     *slog.Logger
	// TestClock is set when the server runs with --test-clock; the clock endpoint is refused otherwise.
	TestClock *accord.TestClock
	// MaxUpload bounds one delivery request's size in bytes.
	MaxUpload int64
	// Secure marks cookies Secure, for a server behind a TLS-terminating proxy.
	Secure bool

	mux   *http.ServeMux
	pages *pages
}

// New returns a server with its routes registered.
func New(a *app.App, cat *i18n.Catalog) *Server {
	s := &Server{App: a, Catalog: cat, Log: slog.Default(), MaxUpload: 100 << 20, mux: http.NewServeMux()}
	s.pages = loadPages(cat)
	s.routesAPI()
	s.routesPortalAPI()
	s.routesWeb()
	s.routesPortalWeb()
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	return s
}

// Handler returns the whole server: cross-origin protection (CSRF), panics caught, requests logged.
func (s *Server) Handler() http.Handler {
	csrf := http.NewCrossOriginProtection()
	return s.recover(securityHeaders(csrf.Handler(s.limitBodies(s.mux))))
}

// isUpload reports whether a request may carry files: only deliveries do.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost &&
		(strings.HasSuffix(r.URL.Path, "/deliveries") || strings.HasSuffix(r.URL.Path, "/deliver"))
}

// limitBodies refuses paths that are not text (404), caps every body but uploads at 1 MiB,
// refuses multipart outside uploads (so a form cannot spill files onto the disk), and reads
// urlencoded forms once, answering 413 when one is too large.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !accord.PlainText(r.URL.Path) {
			s.fail(w, r, accord.Errorf(accord.ENOTFOUND, "error.not_found"))
			return
		}
		if !isUpload(r) {
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				s.fail(w, r, accord.Errorf(accord.EUNSUPPORTED, "error.unsupported_type", "want", "application/json or application/x-www-form-urlencoded"))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxJSON)
			if isForm(r) {
				var tooBig *http.MaxBytesError
				if err := r.ParseForm(); errors.As(err, &tooBig) {
					s.fail(w, r, accord.Errorf(accord.ETOOLARGE, "error.too_large", "limit", "1 MiB"))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isForm(r *http.Request) bool {
	return (r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch) &&
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded")
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				s.fail(w, r, accord.Errorf(accord.EINTERNAL, "error.internal"))
			}
			s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "took", time.Since(start))
		}()
		next.ServeHTTP(w, r)
	})
}
