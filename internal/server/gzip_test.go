package server_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Pages and JSON go gzip-compressed to a client that asks for it, and as they are to one that
// does not; files (previews, originals) are never compressed again.
func TestPagesAreCompressed(t *testing.T) {
	h := newHarness(t)
	get := func(path, enc string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", h.url+path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc) // set by hand, the transport leaves the body as sent
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	res, body := get("/login", "gzip, deflate")
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("the login page to a client that takes gzip: %v", res.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(zr)
	if !strings.Contains(string(page), "<html") {
		t.Fatalf("the page decompresses to %.200q", page)
	}
	plain, raw := get("/login", "")
	if plain.Header.Get("Content-Encoding") != "" || string(raw) != string(page) {
		t.Errorf("the page without gzip: %v, the same page: %v", plain.Header.Get("Content-Encoding"), string(raw) == string(page))
	}
	if res, _ := get("/login", "gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip refused with q=0 was sent anyway")
	}
	if res, _ := get("/api/v1/openapi.json", "gzip"); res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("JSON is not compressed: %v", res.Header)
	}
	if res, _ := get("/static/favicon.svg", "gzip"); res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("an SVG is not compressed: %v", res.Header)
	}

	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	h.underWay(token, id, ms[0])
	up := h.upload("/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 300, 200)})
	h.previewsMade(token)
	fid := up.json(t)["files"].([]any)[0].(map[string]any)["id"].(string)
	req, _ := http.NewRequest("GET", h.url+"/api/v1/engagements/"+id+"/files/"+fid+"/preview", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Authorization", "Bearer "+token)
	pr, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	pr.Body.Close()
	if pr.StatusCode != 200 || pr.Header.Get("Content-Encoding") != "" || pr.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("a preview: %d, %v", pr.StatusCode, pr.Header)
	}
}

// The pages name static files by their content's hash, which browsers may keep for a year; an
// older page's name gets today's file, to be asked again; the plain name still answers.
func TestStaticFilesHaveHashedNames(t *testing.T) {
	h := newHarness(t)
	b := h.browser("en")
	page := b.get("/login")
	css := between(page.html, `<link rel="stylesheet" href="`, `"`)
	if !strings.HasPrefix(css, "/static/accord.") || !strings.HasSuffix(css, ".css") || len(css) != len("/static/accord..css")+12 {
		t.Fatalf("the style sheet is linked as %q", css)
	}
	res := h.request("GET", css, "", "", nil)
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") || !strings.Contains(res.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("the hashed style sheet: %d %v", res.status, res.header)
	}
	plain := h.request("GET", "/static/accord.css", "", "", nil)
	if plain.status != 200 || string(plain.body) != string(res.body) || strings.Contains(plain.header.Get("Cache-Control"), "immutable") {
		t.Errorf("the plain name: %d %v", plain.status, plain.header)
	}
	old := h.request("GET", "/static/accord.000000000000.css", "", "", nil)
	if old.status != 200 || string(old.body) != string(res.body) || old.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("an older page's name: %d %v", old.status, old.header)
	}
	if r := h.request("GET", "/static/nope.000000000000.css", "", "", nil); r.status != 404 {
		t.Errorf("a hashed name of no file: %d", r.status)
	}
	for _, js := range []string{between(page.html, `<script src="`, `"`)} {
		if r := h.request("GET", js, "", "", nil); r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
			t.Errorf("the script %s: %d %v", js, r.status, r.header)
		}
	}
}
