package server_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/accordapp/accord"
)

// goWords are bits of Go's own error text; a person must never read them.
var goWords = []string{"json:", "invalid character", "unexpected EOF", "unexpected end", "cannot unmarshal",
	"Go value", "struct", "multipart:", "MIME", "NextPart", "no space left"}

func speaksNoGo(t *testing.T, r resp) {
	t.Helper()
	msg := r.errorMessage(t)
	for _, w := range goWords {
		if strings.Contains(msg, w) {
			t.Errorf("the message shows Go's words %q: %s", w, msg)
		}
	}
}

// inProgress walks an engagement to a milestone in progress and returns the freelancer's token,
// the engagement's API base and the milestone's delivery path.
func inProgress(h *harness) (token, base, deliveries string) {
	h.t.Helper()
	token = h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "100.00")
	base = "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "50"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	return token, base, base + "/milestones/" + ms[0] + "/deliveries"
}

// noDelivery checks that a refused upload left no file and no delivery behind.
func noDelivery(t *testing.T, h *harness, token, base string, committedBefore int) {
	t.Helper()
	if committed, staged := h.blobFiles(); committed != committedBefore || staged != 0 {
		t.Errorf("a refused upload left files: %d committed (were %d), %d staged", committed, committedBefore, staged)
	}
	if ds := h.call("GET", base, token, nil, 200).json(t)["deliveries"].([]any); len(ds) != 0 {
		t.Errorf("a refused upload made a delivery: %v", ds)
	}
}

func TestBrokenMultipartIsABadRequest(t *testing.T) {
	h := newHarness(t)
	token, base, path := inProgress(h)
	before, _ := h.blobFiles()
	part := "Content-Disposition: form-data; name=\"file\"; filename="
	for name, body := range map[string]string{
		"NUL in filename":      "--B\r\n" + part + "\"a\x00b.png\"\r\n\r\ndata\r\n--B--\r\n",
		"CRLF in filename":     "--B\r\n" + part + "\"a\r\nb.png\"\r\n\r\ndata\r\n--B--\r\n",
		"header with no colon": "--B\r\n" + part + "\"a.png\"\r\nX-Broken-Line\r\n\r\ndata\r\n--B--\r\n",
		"body cut in a file":   "--B\r\n" + part + "\"a.png\"\r\n\r\ndata that never ends",
		"no boundary line":     "data\r\n--B\r\nnot a header\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			r := h.request("POST", path, token, "multipart/form-data; boundary=B", strings.NewReader(body))
			if r.status != 400 {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			if msg, want := r.errorMessage(t), h.srv.Catalog.T("en", "error.malformed_upload", nil); msg != want {
				t.Errorf("message %q, want the catalog's %q", msg, want)
			}
			speaksNoGo(t, r)
		})
	}
	if r := h.request("POST", path, token, "multipart/form-data", strings.NewReader("x")); r.status != 400 {
		t.Errorf("multipart without a boundary: %d, want 400: %s", r.status, r.body)
	}
	noDelivery(t, h, token, base, before)
}

// fullDisk is blob storage that fails to write, with an error whose text says "multipart": read
// and write failures must be told apart by type, not by what their text happens to say.
type fullDisk struct{ accord.Blobs }

func (fullDisk) Stage(ctx context.Context, r io.Reader) (accord.StagedBlob, error) {
	_, err := io.Copy(diskWriter{}, r)
	return accord.StagedBlob{}, err
}

type diskWriter struct{}

func (diskWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "/blobs/tmp/multipart-1", Err: syscall.ENOSPC}
}

func TestAFullDiskIsOurs(t *testing.T) {
	h := newHarness(t)
	token, base, path := inProgress(h)
	before, _ := h.blobFiles() // the receipt of the prepayment
	h.app.Blobs = fullDisk{h.app.Blobs}
	r := h.upload(path, token, "", map[string][]byte{"a.png": pngImage(t, 20, 20)})
	if r.status != 500 || r.json(t)["error"].(map[string]any)["code"] != accord.EINTERNAL {
		t.Fatalf("a failure to store an upload: %d, want 500 internal: %s", r.status, r.body)
	}
	speaksNoGo(t, r)
	h.app.Blobs = h.app.Blobs.(fullDisk).Blobs
	noDelivery(t, h, token, base, before)
}

func TestFilesPerDeliveryAreBounded(t *testing.T) {
	h := newHarness(t)
	token, base, path := inProgress(h)
	before, _ := h.blobFiles()
	files := func(n int) map[string][]byte {
		m := map[string][]byte{}
		for i := range n {
			m[fmt.Sprintf("f%03d.txt", i)] = []byte(fmt.Sprint("file ", i))
		}
		return m
	}
	r := h.upload(path, token, "", files(101))
	if r.status != 413 || !strings.Contains(r.errorMessage(t), "at most 100 files") {
		t.Fatalf("101 files by default: %d, want 413 naming 100 files: %s", r.status, r.body)
	}
	h.srv.MaxFiles = 3
	if r := h.upload(path, token, "", files(4)); r.status != 413 || !strings.Contains(r.errorMessage(t), "at most 3 files") {
		t.Fatalf("4 files over a limit of 3: %d, want 413 naming 3 files: %s", r.status, r.body)
	}
	noDelivery(t, h, token, base, before)
	if r := h.upload(path, token, "", files(3)); r.status != 201 || len(r.json(t)["files"].([]any)) != 3 {
		t.Fatalf("3 files under a limit of 3: %d %s", r.status, r.body)
	}
}

// Which routes take files is declared with the route: a path that only ends like one is no upload.
func TestOnlyDeclaredRoutesTakeUploads(t *testing.T) {
	h := newHarness(t)
	token, base, _ := inProgress(h)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "a.txt")
	w.Write([]byte("data"))
	mw.Close()
	for _, path := range []string{"/portal/api/deliveries", "/api/v1/engagements/x/deliver", base + "/messages"} {
		if r := h.request("POST", path, token, mw.FormDataContentType(), bytes.NewReader(b.Bytes())); r.status != 415 {
			t.Errorf("multipart POST %s: %d, want 415: %s", path, r.status, r.body)
		}
	}
	// The web form delivers too.
	e := h.call("GET", base, token, nil, 200).json(t)
	mid := e["milestones"].([]any)[0].(map[string]any)["id"].(string)
	req, _ := http.NewRequest("POST", h.url+"/app/engagements/"+e["id"].(string)+"/milestones/"+mid+"/deliver", bytes.NewReader(b.Bytes()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(h.webLogin("ana@studio.example"))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the web delivery form: %d, want 303", res.StatusCode)
	}
	if ds := h.call("GET", base, token, nil, 200).json(t)["deliveries"].([]any); len(ds) != 1 {
		t.Fatalf("after the web delivery form: %d deliveries", len(ds))
	}
}

func TestBrokenJSONIsToldInTheCatalogsWords(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cat := h.srv.Catalog
	for _, c := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"cut short", `{"name": "x",`, 400, cat.T("en", "error.malformed_after", map[string]any{"field": "name"})},
		{"a missing comma", `{"name": "x" "email": "m@x.example"}`, 400, cat.T("en", "error.malformed_after", map[string]any{"field": "name"})},
		{"garbage", `hello`, 400, cat.T("en", "error.malformed", nil)},
		{"open brace", `{`, 400, cat.T("en", "error.malformed", nil)},
		{"empty", ``, 400, cat.T("en", "error.malformed_empty", nil)},
		{"blank", " \n ", 400, cat.T("en", "error.malformed_empty", nil)},
		{"two values", `{"name": "a"} {"name": "b"}`, 400, cat.T("en", "error.malformed_extra", nil)},
		{"something after", `{"name": "a"} x`, 400, cat.T("en", "error.malformed_extra", nil)},
		{"an array", `[{"name": "a"}]`, 400, cat.T("en", "error.malformed", nil)},
		{"nested too deep", strings.Repeat("[", 20000), 400, cat.T("en", "error.malformed", nil)},
		{"a number for text", `{"name": 5}`, 422, "name: " + cat.T("en", "field.type_string", nil)},
		{"an object for text", `{"name": {"first": "M"}}`, 422, "name: " + cat.T("en", "field.type_string", nil)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.request("POST", "/api/v1/clients", token, "application/json", strings.NewReader(c.body))
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if msg := r.errorMessage(t); !strings.Contains(msg, c.want) {
				t.Errorf("message %q, want %q", msg, c.want)
			}
			speaksNoGo(t, r)
		})
	}
	// A mistyped value deep in a body is named as the API names fields.
	r := h.request("PUT", "/api/v1/engagements/eng_x/brief", token, "application/json",
		strings.NewReader(`{"questions": [{"text": "a"}, {"text": "b", "required": "yes"}]}`))
	if r.status != 422 || !strings.Contains(r.errorMessage(t), "questions[1].required: "+cat.T("en", "field.type_boolean", nil)) {
		t.Fatalf("a string for a boolean: %d %s", r.status, r.body)
	}
}

func TestJSONTextMustBeValidUTF8(t *testing.T) {
	h := newHarness(t)
	r := h.request("POST", "/api/v1/auth/signup", "", "application/json",
		strings.NewReader("{\"email\": \"q\xff@ex.test\", \"password\": \"correct horse battery\", \"name\": \"Q\"}"))
	if r.status != 422 || fieldsOf(t, r)["email"] == "" {
		t.Fatalf("invalid UTF-8 in the email: %d, want 422 naming email: %s", r.status, r.body)
	}
	token := h.account("ana@studio.example")
	for _, c := range []struct{ name, body, field string }{
		{"a byte that is no UTF-8", "{\"name\": \"Mar\xffia\", \"email\": \"m@client.example\"}", "name"},
		{"a cut sequence", "{\"name\": \"Maria\", \"email\": \"m\xd0@client.example\"}", "email"},
		{"an overlong encoding", "{\"name\": \"\xc0\xaf\", \"email\": \"m@client.example\"}", "name"},
		{"a lone surrogate", `{"name": "Ma\ud800ria", "email": "m@client.example"}`, "name"},
		{"a low surrogate first", `{"name": "\udc00\ud800", "email": "m@client.example"}`, "name"},
		{"in an unknown field's key", "{\"name\": \"Maria\", \"email\": \"m@client.example\", \"n\xffte\": 1}", "n\ufffdte"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := h.request("POST", "/api/v1/clients", token, "application/json", strings.NewReader(c.body))
			if r.status != 422 || fieldsOf(t, r)[c.field] == "" {
				t.Fatalf("status %d, want 422 naming %q: %s", r.status, c.field, r.body)
			}
		})
	}
	if n := len(h.call("GET", "/api/v1/clients", token, nil, 200).json(t)["clients"].([]any)); n != 0 {
		t.Fatalf("%d clients stored from invalid text", n)
	}
	// Valid text, an escaped surrogate pair among it, still passes.
	r = h.request("POST", "/api/v1/clients", token, "application/json", strings.NewReader(`{"name": "Мария \ud83d\ude00 \\ud800", "email": "m@client.example"}`))
	if r.status != 201 {
		t.Fatalf("valid text: %d %s", r.status, r.body)
	}
	// Deep in a body, the field is named with its place.
	id, session, _ := h.agreed(token, "100.00")
	r = h.request("PUT", "/portal/api/brief", session, "application/json", strings.NewReader("{\"answers\": {\"goal\": \"\xfe\"}}"))
	if r.status != 422 || fieldsOf(t, r)["answers.goal"] == "" {
		t.Fatalf("invalid UTF-8 in an answer: %d %s", r.status, r.body)
	}
	r = h.request("POST", "/api/v1/engagements/"+id+"/messages", token, "application/json", strings.NewReader("{\"body\": \"bad \xff\"}"))
	if r.status != 422 || fieldsOf(t, r)["body"] == "" {
		t.Fatalf("invalid UTF-8 in a message: %d %s", r.status, r.body)
	}
}

// fieldsOf returns error.fields of a 422 as field → message.
func fieldsOf(t *testing.T, r resp) map[string]string {
	t.Helper()
	out := map[string]string{}
	e, _ := r.json(t)["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	for _, f := range fs {
		f := f.(map[string]any)
		out[f["field"].(string)] = f["message"].(string)
	}
	return out
}

func TestAPasswordIsPlainText(t *testing.T) {
	h := newHarness(t)
	for name, pw := range map[string]string{"NULs": strings.Repeat("\x00", 12), "a NUL inside": "correct horse\x00battery"} {
		t.Run(name, func(t *testing.T) {
			r := h.call("POST", "/api/v1/auth/signup", "", map[string]string{"email": "ana@studio.example", "password": pw, "name": "Ana"}, 422)
			if fieldsOf(t, r)["password"] == "" {
				t.Fatalf("no word about the password: %s", r.body)
			}
		})
	}
	h.account("ana@studio.example")
}

func TestAgreementNumbersAreRequired(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	base := briefAnswered(h, token)
	agreement := func(change func(a, m0 map[string]any)) map[string]any {
		m0 := map[string]any{"title": "Concepts", "due_date": start.AddDate(0, 0, 10).Format("2006-01-02"), "price": "1000.00", "prepayment_percent": 50}
		m1 := map[string]any{"title": "Final", "due_date": start.AddDate(0, 0, 20).Format("2006-01-02"), "price": "600.00", "prepayment_percent": 0}
		a := map[string]any{"scope": "A brand book", "deliverables": []map[string]string{{"title": "Brand book", "volume": "24 pages"}},
			"milestones": []map[string]any{m0, m1}, "revisions": 2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14,
			"channel": "portal", "report_cadence": "weekly"}
		change(a, m0)
		return a
	}
	required := h.srv.Catalog.T("en", "field.required", nil)
	for _, c := range []struct {
		name   string
		change func(a, m0 map[string]any)
		fields []string
	}{
		{"a null prepayment", func(a, m0 map[string]any) { m0["prepayment_percent"] = nil }, []string{"milestones[0].prepayment_percent"}},
		{"no prepayment", func(a, m0 map[string]any) { delete(m0, "prepayment_percent") }, []string{"milestones[0].prepayment_percent"}},
		{"a null kill fee", func(a, m0 map[string]any) { a["kill_fee_percent"] = nil }, []string{"kill_fee_percent"}},
		{"no numbers at all", func(a, m0 map[string]any) {
			for _, k := range []string{"revisions", "kill_fee_percent", "response_days", "review_days"} {
				delete(a, k)
			}
		}, []string{"revisions", "kill_fee_percent", "response_days", "review_days"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields := fieldsOf(t, h.call("POST", base+"/agreements", token, agreement(c.change), 422))
			for _, f := range c.fields {
				if fields[f] != required {
					t.Errorf("%s: %q, want %q (all: %v)", f, fields[f], required, fields)
				}
			}
			if len(fields) != len(c.fields) {
				t.Errorf("fields %v, want only %v", fields, c.fields)
			}
		})
	}
	r := h.request("POST", base+"/agreements", token, "application/json", strings.NewReader(
		`{"milestones": [{"prepayment_percent": 10}, {"prepayment_percent": "50"}]}`))
	if r.status != 422 || fieldsOf(t, r)["milestones[1].prepayment_percent"] != h.srv.Catalog.T("en", "field.type_integer", nil) {
		t.Fatalf("a string for a percentage: %d %s", r.status, r.body)
	}
	h.call("POST", base+"/agreements", token, agreement(func(a, m0 map[string]any) { a["revisions"] = 0 }), 201)
}

// briefAnswered walks an engagement to an answered brief and returns its API base.
func briefAnswered(h *harness, token string) string {
	h.t.Helper()
	return "/api/v1/engagements/" + h.briefed(token)
}

func TestABrokenFormIsABadRequest(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	r := h.request("POST", "/login", "", "application/x-www-form-urlencoded", strings.NewReader("email=ana%zz&password=x"))
	if want := h.srv.Catalog.T("en", "error.malformed_form", nil); r.status != 400 || !strings.Contains(string(r.body), want) ||
		!strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("a form that is no form: %d %s, want a 400 page saying %q", r.status, r.header.Get("Content-Type"), want)
	}
	// A query string that is odd, as tracking links make them, is not the form's fault.
	r = h.request("POST", "/login?utm_source=mail;id=3", "", "application/x-www-form-urlencoded", strings.NewReader("email=ana%40studio.example&password=wrong"))
	if r.status == 400 || r.status >= 500 {
		t.Fatalf("a form under an odd query string: %d %s", r.status, r.body)
	}
}
