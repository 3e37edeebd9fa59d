package server

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages holds one template set per page, each joined with the shared layout.
type pages struct {
	sets map[string]*template.Template
}

func loadPages(cat *i18n.Catalog) *pages {
	funcs := template.FuncMap{
		"t": func(lang, key string, kv ...any) string {
			data := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				data[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return cat.T(lang, key, data)
		},
		"act": func(lang string, n nextAction) string {
			data := map[string]any{}
			for i := 0; i+1 < len(n.Data); i += 2 {
				data[fmt.Sprint(n.Data[i])] = n.Data[i+1]
			}
			return cat.T(lang, n.Key, data)
		},
		"actor": func(lang, actor string) string {
			kind, id, _ := strings.Cut(actor, ":")
			if kind == "client" {
				return id
			}
			return cat.T(lang, "actor."+kind, nil)
		},
		"state": func(lang string, st any) string { return cat.T(lang, "state."+fmt.Sprint(st), nil) },
		"date":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"money": func(m accord.Money) string { return m.String() },
		"json":  func(b []byte) string { return string(b) },
		"add":   func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"lines": func(s string) []string { return strings.Split(s, "\n") },
	}
	p := &pages{sets: map[string]*template.Template{}}
	names, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") || strings.HasSuffix(n, "/partials.html") {
			continue
		}
		t := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials.html", n))
		p.sets[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return p
}

// page is what every template receives.
type page struct {
	Lang   string
	Title  string
	User   string // the freelancer's name, when logged in
	Portal bool
	// Contact is set when a client is logged in to the portal.
	Contact bool
	Error   *errorDetail
	Notice  string
	Data    any
}

// render writes a page with the given status; a template error is a bug, logged and shown as a 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	if p.Lang == "" {
		p.Lang = s.lang(r)
	}
	var buf bytes.Buffer
	if err := s.pages.sets[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Log.Error("template", "page", name, "err", err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

func (s *Server) routesStatic() {
	sub, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(sub)))
}
