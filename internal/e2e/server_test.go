package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/server"
	"github.com/accordapp/accord/internal/store"
	"github.com/chromedp/chromedp"
)

// testServer is a real server: SQLite and blobs in a temporary folder, its jobs, a test clock.
type testServer struct {
	t     *testing.T
	base  string
	app   *app.App
	clock *accord.TestClock
}

func newServer(ctx context.Context, t *testing.T, cat *i18n.Catalog, start time.Time) *testServer {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatalf("blob dir: %v", err)
	}
	clock := accord.NewTestClock(start)
	a := app.New(st, blobs, clock, cat)
	stop, err := a.StartJobs(ctx, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	srv := server.New(a, cat)
	srv.TestClock = clock
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	a.BaseURL = ts.URL // before any link is made
	return &testServer{t: t, base: ts.URL, app: a, clock: clock}
}

// api calls the JSON API and decodes its answer, failing the test on any status but want.
func (s *testServer) api(method, path, token string, body any, want int) map[string]any {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		s.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, b, want)
	}
	out := map[string]any{}
	json.Unmarshal(b, &out)
	return out
}

// advance moves the test clock through the API, running the jobs due by then.
func (s *testServer) advance(token, d string) {
	s.t.Helper()
	s.api("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": d}, 200)
}

// lastMail is the body of the newest email of a kind in the outbox.
func (s *testServer) lastMail(token, kind string) string {
	s.t.Helper()
	body := ""
	for _, m := range s.api("GET", "/api/v1/outbox", token, nil, 200)["messages"].([]any) {
		if m := m.(map[string]any); m["kind"] == kind {
			body = m["body"].(string)
		}
	}
	if body == "" {
		s.t.Fatalf("no %s email in the outbox", kind)
	}
	return body
}

// tr is the catalog's text in lang, with key, value pairs for its placeholders.
func tr(cat *i18n.Catalog, lang string) func(key string, kv ...any) string {
	return func(key string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		return cat.T(lang, key, data)
	}
}

// openPair starts the freelancer's and the client's browsers together, both asking for lang.
func openPair(ctx context.Context, t *testing.T, chromium, lang string, written ...string) (fr, cl *browser) {
	t.Helper()
	var frErr, clErr error
	var wg sync.WaitGroup
	wg.Go(func() { fr, frErr = openBrowser(ctx, t, "freelancer", chromium, lang) })
	wg.Go(func() { cl, clErr = openBrowser(ctx, t, "client", chromium, lang) })
	wg.Wait()
	if frErr != nil || clErr != nil {
		t.Fatalf("cannot start Chromium (%s): freelancer: %v; client: %v", chromium, frErr, clErr)
	}
	fr.written, cl.written = slices.Clone(written), slices.Clone(written)
	return fr, cl
}

// login logs the freelancer's browser in through the login form.
func (s *testServer) login(b *browser, email, password string) {
	b.t.Helper()
	b.do("log in", chromedp.Navigate(s.base+"/login"), chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.submitOK("log in", "#login")
}
