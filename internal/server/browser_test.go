package server_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/accordapp/accord/internal/store/storetest"
)

// browser is a client that keeps cookies and follows redirects, as a person's browser does.
type browser struct {
	t      *testing.T
	h      *harness
	c      *http.Client
	lang   string
	posted int // how many requests were posts, to see that a reload never posts again
}

func (h *harness) browser(lang string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: h.t, h: h, c: &http.Client{Jar: jar}, lang: lang}
}

// page is one answer as the browser shows it.
type page struct {
	status int
	url    string // where the browser ended up
	ctype  string
	html   string // the raw markup
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{status: res.StatusCode, url: res.Request.URL.Path, ctype: res.Header.Get("Content-Type"), html: string(body)}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.h.url+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, vals url.Values) page {
	b.t.Helper()
	b.posted++
	req, _ := http.NewRequest("POST", b.h.url+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// login logs the browser in as a freelancer made with h.account.
func (b *browser) login(email string) {
	b.t.Helper()
	if p := b.post("/login", url.Values{"email": {email}, "password": {"correct horse battery"}}); p.url != "/app" {
		b.t.Fatalf("login ended at %s (%d)", p.url, p.status)
	}
}

// openPortal spends a portal link the way a contact's browser does.
func (b *browser) openPortal(link string) page {
	b.t.Helper()
	p := b.post(strings.TrimPrefix(link, b.h.url), nil)
	if p.url != "/portal" {
		b.t.Fatalf("opening the portal link ended at %s (%d)", p.url, p.status)
	}
	return p
}

var (
	tags       = regexp.MustCompile(`(?s)<[^>]*>`)
	scriptTags = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`)
)

// text is what a person reads on the page: the markup without its tags.
func (p page) text() string {
	s := scriptTags.ReplaceAllString(p.html, " ")
	ascii := func(r rune) bool { return r == ' ' || r == '\n' || r == '\t' || r == '\r' } // a no-break space is part of the text
	return strings.Join(strings.FieldsFunc(html.UnescapeString(tags.ReplaceAllString(s, " ")), ascii), " ")
}

// value is the value of the input with this id, or the text of the textarea.
func (p page) value(t *testing.T, id string) string {
	t.Helper()
	in := regexp.MustCompile(`<input[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.html)
	if in != "" {
		m := regexp.MustCompile(`\bvalue="([^"]*)"`).FindStringSubmatch(in)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	m := regexp.MustCompile(`(?s)<textarea[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</textarea>`).FindStringSubmatch(p.html)
	if m == nil {
		t.Fatalf("the page has no field #%s", id)
	}
	return html.UnescapeString(m[1])
}

// problemAfter is the field problem shown right after the field with this id ("" when none):
// the problem stands beside its field, before the next field begins.
func (p page) problemAfter(t *testing.T, id string) string {
	t.Helper()
	i := strings.Index(p.html, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("the page has no field #%s", id)
	}
	rest := p.html[i:]
	if next := regexp.MustCompile(`<(input|textarea|select)\b`).FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	m := regexp.MustCompile(`(?s)<p class="field-error"[^>]*>(.*?)</p>`).FindStringSubmatch(rest)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// callLang is call with an Accept-Language header.
func (h *harness) callLang(method, path, token, lang string, v any, want int) resp {
	h.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	r := h.requestWith(method, path, token, "application/json", body, http.Header{"Accept-Language": {lang}})
	if r.status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}

// briefed walks a new engagement to an answered brief and returns its id.
func (h *harness) briefed(token string) string {
	h.t.Helper()
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example", "language": "ru"}, 201).json(h.t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(h.t)["id"].(string)
	base := "/api/v1/engagements/" + id
	h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{{"id": "goal", "text": "What is the goal?", "required": true}}}, 200)
	h.call("POST", base+"/brief/send", token, nil, 200)
	inv := h.call("POST", base+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(h.t)
	session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201).json(h.t)["session"].(string)
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": "A brand people remember"}}, 200)
	return id
}

// invite makes a portal link for email and returns it.
func (h *harness) invite(token, id, email string) string {
	h.t.Helper()
	return h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": email}, 201).json(h.t)["portal_url"].(string)
}

// outbox lists the workspace's emails through the API.
func (h *harness) outbox(token string) []map[string]any {
	h.t.Helper()
	var out []map[string]any
	for _, m := range h.call("GET", "/api/v1/outbox", token, nil, 200).json(h.t)["messages"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}

// onEachStore runs a test on a server over SQLite and one over PostgreSQL.
func onEachStore(t *testing.T, test func(t *testing.T, h *harness)) {
	t.Run("sqlite", func(t *testing.T) { test(t, newHarness(t)) })
	t.Run("postgres", func(t *testing.T) { test(t, newHarnessOn(t, storetest.PostgresSchema(t))) })
}
