package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
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

func kvData(kv []any) map[string]any {
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return data
}

func loadPages(cat *i18n.Catalog) *pages {
	funcs := template.FuncMap{
		"t":       func(l i18n.Locale, key string, kv ...any) string { return cat.In(l, key, kvData(kv)) },
		"act":     func(l i18n.Locale, n app.NextAction) string { return cat.In(l, n.Key, n.Data) },
		"causes":  func() []string { return []string{accord.CauseOurs, accord.CauseExternal, accord.CauseOutOfScope} },
		"options": func(e *accord.Engagement, id string) []accord.Option { return e.Options(id) },
		"termText": func(e *accord.Engagement, id string) string {
			if a := e.Accepted(); a != nil {
				for _, t := range a.Terms {
					if t.ID == id {
						return t.Text
					}
				}
			}
			return ""
		},
		"revisions": func(l i18n.Locale, e *accord.Engagement, m accord.Milestone) string {
			if a := e.Accepted(); a != nil {
				return cat.In(l, "milestone.revisions_left", map[string]any{"count": e.RevisionsLeft(&m), "total": a.Revisions})
			}
			return ""
		},
		"actor": func(l i18n.Locale, actor string) string {
			kind, id, _ := strings.Cut(actor, ":")
			if kind == "client" {
				return id
			}
			return cat.In(l, "actor."+kind, nil)
		},
		"state": func(l i18n.Locale, st any) string { return cat.In(l, "state."+fmt.Sprint(st), nil) },
		// mstate words a milestone's state; one whose prepayment is in waits only for its start.
		"mstate": func(l i18n.Locale, m accord.Milestone) string {
			if m.State == accord.MilestoneAwaitingPrepayment && m.Paid.Amount >= m.Prepayment.Amount {
				return cat.In(l, "state.prepaid", nil)
			}
			return cat.In(l, "state."+string(m.State), nil)
		},
		"time":  func(l i18n.Locale, t time.Time) string { return l.Time(t) },
		"day":   func(l i18n.Locale, d accord.Date) string { return i18n.FormatDate(l.Lang, d) },
		"money": func(l i18n.Locale, m accord.Money) string { return i18n.FormatMoney(l.Lang, m) },
		"size":  func(l i18n.Locale, n int64) string { return cat.Size(l.Lang, n) },
		"inc":   func(i int) int { return i + 1 },
		"asset": assetPath,
		"add":   func(a, b int) int { return a + b },
		"sub":   func(a, b int) int { return a - b },
		"pagerOf": func(l i18n.Locale, p pager, of string) any {
			return struct {
				L  i18n.Locale
				P  pager
				Of string
			}{l, p, of}
		},
		// dict gathers a partial's data from pairs of names and values.
		"dict": func(kv ...any) map[string]any { return kvData(kv) },
		// permille words thousandths as whole percent.
		"permille": func(n int) int { return (n + 5) / 10 },
		"files":    newFilesPart,
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"lines": func(s string) []string { return strings.Split(s, "\n") },
		"join":  func(list []string) string { return strings.Join(list, ", ") },
		// startBlocked is why a milestone cannot start now, nil when it can.
		"startBlocked": func(e *accord.Engagement, id string) *accord.Error {
			var ae *accord.Error
			errors.As(e.CanStart(id), &ae)
			return ae
		},
		// explain words a refusal as the API's error message does.
		"explain": func(l i18n.Locale, e *accord.Error) string { return cat.In(l, e.Key, e.Data) },
		"unplaced": func(l i18n.Locale, f *form) []fieldMsg {
			return f.Unplaced(func(field string) string {
				if key := labelKey(field); cat.Has(key) {
					return cat.In(l, key, map[string]any{"currency": ""})
				}
				return ""
			})
		},
		"field": func(parts ...any) string {
			var b strings.Builder
			for _, p := range parts {
				b.WriteString(fmt.Sprint(p))
			}
			return b.String()
		},
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

// filesPart is what the delivery-files partial receives.
type filesPart struct {
	L       i18n.Locale
	D       deliveryView
	Portal  bool
	Refresh string
}

// newFilesPart is what the delivery-files partial shows of a delivery under base (the portal's
// or an engagement's address), with where its script asks again while previews are made.
func newFilesPart(l i18n.Locale, d deliveryView, base string, portal bool) filesPart {
	return filesPart{L: l, D: d, Portal: portal, Refresh: base + "/deliveries/" + d.ID + "/files"}
}

// page is what every template receives.
type page struct {
	L      i18n.Locale // the reader's language and zone
	Title  string
	User   string // the freelancer's name, when logged in
	Portal bool
	// Contact is set when a client is logged in to the portal.
	Contact bool
	// Langs lists the languages a contact can switch the portal to.
	Langs []string
	// Path is the page's own address, where a language switch comes back to.
	Path string
	// Error is a refusal that belongs to no field (a conflict, or the line above the fields).
	Error *errorDetail
	// Form is a refused form: what was typed and each field's problem.
	Form   *form
	Notice string
	// Link is a secret link made by the last form, shown this once.
	Link string
	Data any
	// Content is the page's own part, rendered before the layout so the layout knows which
	// field problems the form showed beside their fields.
	Content template.HTML
}

// oneTime reports whether the page shows something only this once: a confirmation, a refused
// form, an error or a new secret link.
func (p page) oneTime() bool {
	return p.Notice != "" || p.Form != nil || p.Link != "" || p.Error != nil
}

// Lang is the language the page is in, for the html element.
func (p page) Lang() string { return p.L.Lang }

// pageBuffers are the buffers pages are rendered into, kept for the next page: a page grows
// its buffer to its size once, not on every request.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledPage is the largest buffer kept: a rare huge page does not stay in memory.
const maxPooledPage = 1 << 20

func pageBuffer() *bytes.Buffer {
	b := pageBuffers.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledPage {
		pageBuffers.Put(b)
	}
}

// renderPart renders one template of a page's set, the named part, for entries in locale l:
// a piece of a page made once and kept (see timelines).
func (s *Server) renderPart(page, part string, l i18n.Locale, entries any) (template.HTML, error) {
	b := pageBuffer()
	defer putPageBuffer(b)
	if err := s.pages.sets[page].ExecuteTemplate(b, part, struct {
		L       i18n.Locale
		Entries any
	}{l, entries}); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// render writes a page with the given status; a template error is a bug, logged and shown as a 500.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	s.renderKept(w, r, status, name, p, nil)
}

// renderKept renders a page as render does and, when keep is not nil, hands it the page's body
// (which it must not hold on to) before sending it.
func (s *Server) renderKept(w http.ResponseWriter, r *http.Request, status int, name string, p page, keep func([]byte)) {
	if p.L.Lang == "" {
		p.L = i18n.Locale{Lang: s.lang(r)}
	}
	if p.Form == nil {
		p.Form = &form{}
	}
	if p.Path == "" {
		p.Path = r.URL.Path
	}
	set := s.pages.sets[name]
	content, buf := pageBuffer(), pageBuffer()
	defer putPageBuffer(content)
	defer putPageBuffer(buf)
	err := set.ExecuteTemplate(content, "content", p)
	if err == nil {
		p.Content = template.HTML(content.String())
		err = set.ExecuteTemplate(buf, "layout.html", p)
	}
	if err != nil {
		ref := accord.NewID("err")
		s.Log.Error("template", "ref", ref, "page", name, "err", err)
		http.Error(w, s.Catalog.In(p.L, "error.internal", map[string]any{"ref": ref}), http.StatusInternalServerError)
		return
	}
	if keep != nil {
		keep(buf.Bytes())
	}
	pageHeaders(w)
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// pageHeaders are the headers of every page.
func pageHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
}

func (s *Server) routesStatic() {
	sub, _ := fs.Sub(staticFiles, "static")
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	s.mux.HandleFunc("GET /static/{file...}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		w.Header().Set("Cache-Control", "no-cache")
		if plain, current, ok := unhashed(name); ok {
			if current { // the name the pages give now: its content never changes
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} // an older page's name: today's file, asked again next time
			r = r.Clone(r.Context())
			r.URL.Path = "/static/" + plain
			name = plain
		}
		if fi, err := fs.Stat(sub, name); err != nil || fi.IsDir() {
			w.Header().Del("Cache-Control")
			s.notFoundPage(w, r)
			return
		}
		files.ServeHTTP(w, r)
	})
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, assetPath("favicon.svg"), http.StatusMovedPermanently)
	})
}

// assetHashes are the first hex digits of each static file's SHA-256, by name.
var assetHashes = func() map[string]string {
	out := map[string]string{}
	sub, _ := fs.Sub(staticFiles, "static")
	fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[name] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
	return out
}()

// assetPath is the address of a static file with its content's hash in its name
// (accord.css is /static/accord.3f2a9c0d1e4b.css), so that browsers may keep it for a year.
func assetPath(name string) string {
	h, ok := assetHashes[name]
	if !ok {
		return "/static/" + name
	}
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + h + ext
}

// unhashed is the static file a hashed name stands for, and whether the hash is that file's now.
func unhashed(name string) (plain string, current, ok bool) {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	dot := strings.LastIndexByte(stem, '.')
	if dot < 0 || len(stem)-dot-1 != 12 {
		return "", false, false
	}
	plain = stem[:dot] + ext
	if _, known := assetHashes[plain]; !known {
		return "", false, false
	}
	return plain, assetHashes[plain] == stem[dot+1:], true
}
