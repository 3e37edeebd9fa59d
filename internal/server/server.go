// Package server serves Accord over HTTP: the JSON API, the freelancer's pages and the client portal.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
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
	// timelines are the engagement page's rendered timelines, by engagement, seq and locale.
	timelines timelines
	// kept are rendered pages, sent again while their stamp and second stand.
	kept keptPages
	// TestClock is set when the server runs with --test-clock; the clock endpoint is refused otherwise.
	TestClock *accord.TestClock
	// MaxUpload bounds one delivery request's size in bytes.
	MaxUpload int64
	// MaxFileSize bounds each file of a delivery in bytes.
	MaxFileSize int64
	// MaxFiles bounds the files in one delivery.
	MaxFiles int
	// Secure marks cookies Secure, for a server behind a TLS-terminating proxy.
	Secure bool

	mux     *http.ServeMux
	pages   *pages
	uploads map[string]bool // the patterns of the routes that take files
}

// New returns a server with its routes registered.
func New(a *app.App, cat *i18n.Catalog) *Server {
	s := &Server{App: a, Catalog: cat, Log: slog.Default(), MaxUpload: 100 << 20, MaxFileSize: 50 << 20, MaxFiles: 100,
		mux: http.NewServeMux(), uploads: map[string]bool{}}
	s.pages = loadPages(cat)
	s.routesAPI()
	s.routesPortalAPI()
	s.routesWeb()
	s.routesPortalWeb()
	s.routesCalendar()
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	return s
}

// Handler returns the whole server: cross-origin protection (CSRF), panics caught, requests logged.
func (s *Server) Handler() http.Handler {
	csrf := http.NewCrossOriginProtection()
	return s.recover(gzipped(securityHeaders(csrf.Handler(s.limitBodies(s.mux)))))
}

// handleUpload registers a route that takes files: limitBodies leaves its body to the handler,
// which bounds it itself (as deliver does).
func (s *Server) handleUpload(pattern string, h http.HandlerFunc) {
	s.mux.HandleFunc(pattern, h)
	s.uploads[pattern] = true
}

// takesUpload reports whether the route a request goes to was declared as taking files.
func (s *Server) takesUpload(r *http.Request) bool {
	_, pattern := s.mux.Handler(r)
	return s.uploads[pattern]
}

// limitBodies refuses paths that are not text (404), caps every body but uploads at 1 MiB,
// refuses multipart outside uploads (so a form cannot spill files onto the disk), and reads
// urlencoded forms once (readForm). It also hands the handlers the
// server's log, where decode writes what Go said about a broken body.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !accord.PlainText(r.URL.Path) {
			s.refuse(w, r, accord.Errorf(accord.ENOTFOUND, "error.not_found"))
			return
		}
		if !s.takesUpload(r) {
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				s.refuse(w, r, accord.Errorf(accord.EUNSUPPORTED, "error.unsupported_type", "want", "application/json or application/x-www-form-urlencoded"))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxJSON)
			if isForm(r) {
				if err := s.readForm(r); err != nil {
					s.refuse(w, r, err)
					return
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), logKey{}, s.Log)))
	})
}

// refuse answers a request refused before its handler: the API's JSON error to a program, a page
// to a browser (a browser never sees JSON).
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.fail(w, r, err)
		return
	}
	p := page{L: i18n.Locale{Lang: s.lang(r)}, Portal: strings.HasPrefix(r.URL.Path, "/portal") || strings.HasPrefix(r.URL.Path, "/p/")}
	s.errorPage(w, r, p, err)
}

// isAPI reports whether a request is for the JSON API (the freelancer's or the portal's).
func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/portal/api/")
}

// readForm parses an urlencoded body once: 413 past the cap, 400 for a body that is not a form
// (what Go said goes to the log). A broken query string is let through as before: links that
// people follow carry odd ones.
func (s *Server) readForm(r *http.Request) error {
	err := r.ParseForm()
	var tooBig *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return accord.Errorf(accord.ETOOLARGE, "error.body_too_large", "limit", accord.ByteSize(maxJSON))
	}
	if _, qerr := url.ParseQuery(r.URL.RawQuery); qerr != nil {
		return nil
	}
	s.Log.Info("malformed form", "method", r.Method, "path", r.URL.Path, "err", err)
	return accord.Errorf(accord.EMALFORMED, "error.malformed_form")
}

type logKey struct{}

// logOf returns the server's log that limitBodies put in the request's context.
func logOf(r *http.Request) *slog.Logger {
	if l, ok := r.Context().Value(logKey{}).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
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
				s.refuse(w, r, accord.Errorf(accord.EINTERNAL, "error.internal"))
			}
			s.Log.Debug("request", "method", r.Method, "path", r.URL.Path, "took", time.Since(start))
		}()
		next.ServeHTTP(w, r)
	})
}
