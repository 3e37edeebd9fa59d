package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/server"
	"github.com/accordapp/accord/internal/store"
)

// start is the test clock's start: agreements' dates are checked against it.
var start = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

type harness struct {
	t     *testing.T
	dir   string // the data folder: blobs live in dir/blobs
	url   string
	clock *accord.TestClock
	app   *app.App
	srv   *server.Server
}

// newHarness boots a real server over a fresh SQLite store, with the test clock on.
func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessOn(t, "")
}

// newHarnessOn boots a real server over the store databaseURL names ("" for SQLite).
func newHarnessOn(t *testing.T, databaseURL string) *harness {
	t.Helper()
	return newHarnessWith(t, databaseURL, accord.NewTestClock(start))
}

// newHarnessWith boots a real server over the store databaseURL names, on the test clock given
// (servers that share a database may share one clock).
func newHarnessWith(t *testing.T, databaseURL string, clock *accord.TestClock) *harness {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, databaseURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := blob.NewDir(dir + "/blobs")
	if err != nil {
		t.Fatal(err)
	}
	cat := i18n.New()
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
	a.BaseURL = ts.URL
	return &harness{t: t, dir: dir, url: ts.URL, clock: clock, app: a, srv: srv}
}

// advance moves the test clock through the API, running every job due by then.
func (h *harness) advance(token, duration string) {
	h.t.Helper()
	h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": duration}, 200)
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %s", err, r.body)
	}
	return m
}

// errorMessage returns error.message of a JSON error, checking the documented shape.
func (r resp) errorMessage(t *testing.T) string {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok || e["code"] == "" || e["message"] == "" {
		t.Fatalf("not an {error: {code, message}} body: %s", r.body)
	}
	return e["message"].(string)
}

func (h *harness) request(method, path, token, contentType string, body io.Reader) resp {
	h.t.Helper()
	return h.requestWith(method, path, token, contentType, body, nil)
}

// requestWith is request with more headers.
func (h *harness) requestWith(method, path, token, contentType string, body io.Reader, header http.Header) resp {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, b}
}

// call sends v as JSON (nil: no body) and checks the status.
func (h *harness) call(method, path, token string, v any, want int) resp {
	h.t.Helper()
	return h.callLang(method, path, token, "", v, want)
}

// upload sends files as a multipart delivery.
func (h *harness) upload(path, token, note string, files map[string][]byte) resp {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, data := range files {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(data)
	}
	mw.WriteField("note", note)
	mw.Close()
	return h.request("POST", path, token, mw.FormDataContentType(), &buf)
}

func pngImage(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// account signs up (the first account) and returns its token.
func (h *harness) account(email string) string {
	h.t.Helper()
	r := h.call("POST", "/api/v1/auth/signup", "", map[string]string{"email": email, "password": "correct horse battery", "name": "Studio " + email}, 201)
	m := r.json(h.t)
	for _, k := range []string{"user_id", "workspace_id", "token"} {
		if s, _ := m[k].(string); s == "" {
			h.t.Fatalf("signup answer lacks %s: %s", k, r.body)
		}
	}
	return m["token"].(string)
}

// agreed walks an engagement to an accepted agreement with the given milestone prices and
// returns the engagement id, the client's portal session and the milestone ids.
func (h *harness) agreed(token string, prices ...string) (string, string, []string) {
	h.t.Helper()
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(h.t)["id"].(string)
	eng := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(h.t)
	if eng["state"] != "draft" {
		h.t.Fatalf("new engagement state %v, want draft", eng["state"])
	}
	id := eng["id"].(string)
	base := "/api/v1/engagements/" + id
	h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{
		{"id": "goal", "text": "What is the goal?", "required": true}, {"id": "refs", "text": "Examples you like?", "required": false}}}, 200)
	h.call("POST", base+"/brief/send", token, nil, 200)
	inv := h.call("POST", base+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(h.t)
	if !strings.HasPrefix(inv["portal_url"].(string), h.url+"/p/") || inv["expires_at"] == nil {
		h.t.Fatalf("invitation: %v", inv)
	}
	session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201).json(h.t)["session"].(string)
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": "A brand people remember"}}, 200)
	var ms []map[string]any
	for i, p := range prices {
		ms = append(ms, map[string]any{"title": "Part " + string(rune('A'+i)), "due_date": start.AddDate(0, 0, 10*(i+1)).Format("2006-01-02"), "price": p, "prepayment_percent": 50})
	}
	ag := h.call("POST", base+"/agreements", token, map[string]any{
		"scope": "A brand book", "deliverables": []map[string]string{{"title": "Brand book", "volume": "24 pages"}},
		"milestones": ms, "revisions": 2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14,
		"channel": "portal", "report_cadence": "weekly"}, 201).json(h.t)
	version := int(ag["version"].(float64))
	h.call("POST", base+"/agreements/"+strconv.Itoa(version)+"/propose", token, nil, 200)
	var terms []string
	for _, t := range ag["terms"].([]any) {
		terms = append(terms, t.(map[string]any)["id"].(string))
	}
	h.call("POST", "/portal/api/agreement/"+strconv.Itoa(version)+"/accept", session, map[string]any{"acknowledged_terms": terms}, 200)
	e := h.call("GET", base, token, nil, 200).json(h.t)
	var ids []string
	for _, m := range e["milestones"].([]any) {
		ids = append(ids, m.(map[string]any)["id"].(string))
	}
	return id, session, ids
}

// webLogin logs in through the login form and returns the session cookie.
// underWay pays the milestone's prepayment and starts it, so that work can be delivered.
func (h *harness) underWay(token, id, milestone string) {
	h.t.Helper()
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": milestone, "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	h.call("POST", base+"/milestones/"+milestone+"/start", token, nil, 200)
}

func (h *harness) webLogin(email string) *http.Cookie {
	h.t.Helper()
	res := form(h.t, h, "/login", url.Values{"email": {email}, "password": {"correct horse battery"}}, nil, nil)
	for _, c := range res.Cookies() {
		if c.Name == "accord_session" {
			return c
		}
	}
	h.t.Fatalf("login gave no session cookie (status %d)", res.StatusCode)
	return nil
}

// blobFiles counts the files in the blob store, and those still staged.
func (h *harness) blobFiles() (committed, staged int) {
	h.t.Helper()
	filepath.WalkDir(filepath.Join(h.dir, "blobs"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if filepath.Base(filepath.Dir(path)) == "tmp" {
				staged++
			} else {
				committed++
			}
		}
		return nil
	})
	return committed, staged
}

// sentBack walks the first milestone of an agreed engagement to a delivery the client sent back:
// the prepayment paid, the work started and delivered, changes asked for. It returns the delivery.
func (h *harness) sentBack(token, id, session, milestone string) string {
	h.t.Helper()
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": milestone, "amount": "500.00"}, 201)
	h.call("POST", base+"/milestones/"+milestone+"/start", token, nil, 200)
	did := h.upload(base+"/milestones/"+milestone+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(h.t, 40, 30)}).json(h.t)["id"].(string)
	h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Too dark", "desired_result": "Brighter"}, 200)
	return did
}

// previewsMade returns once every job due now has run: the previews of a delivery are made in
// the background, and its email goes once they are.
func (h *harness) previewsMade(token string) {
	h.t.Helper()
	h.advance(token, "0s")
}
