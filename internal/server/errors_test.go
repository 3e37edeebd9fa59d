package server_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/accordapp/accord/internal/store/storetest"
)

func TestBadInputGetsDocumentedErrors(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	eng := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Logo", "currency": "EUR"}, 201).json(t)["id"].(string)
	cases := []struct {
		name, method, path, token, ctype, body string
		status                                 int
		mentions                               []string
	}{
		{"malformed JSON", "POST", "/api/v1/clients", token, "application/json", `{"name": "x",`, 400, nil},
		{"empty body", "POST", "/api/v1/clients", token, "application/json", ``, 400, nil},
		{"wrong type", "POST", "/api/v1/clients", token, "application/json", `{"name": 5}`, 422, []string{"name"}},
		{"not JSON", "POST", "/api/v1/clients", token, "text/plain", `name=x`, 415, nil},
		{"invalid fields", "POST", "/api/v1/clients", token, "application/json", `{"name": "", "email": "nope", "language": "de", "timezone": "Mars/Olympus"}`, 422, []string{"name", "email", "language", "timezone"}},
		{"no token", "GET", "/api/v1/engagements", "", "", ``, 401, nil},
		{"bad token", "GET", "/api/v1/engagements", "acc_nope", "", ``, 401, nil},
		{"portal session is no API token", "GET", "/api/v1/engagements", "cps_nope", "", ``, 401, nil},
		{"unknown engagement", "GET", "/api/v1/engagements/eng_nope", token, "", ``, 404, nil},
		{"unknown route", "GET", "/api/v1/nothing", token, "", ``, 404, nil},
		{"unknown client", "POST", "/api/v1/engagements", token, "application/json", `{"client_id": "cli_x", "title": "T", "currency": "EUR"}`, 422, []string{"client_id"}},
		{"bad currency", "POST", "/api/v1/engagements", token, "application/json", `{"client_id": "` + cl + `", "title": "T", "currency": "EURO"}`, 422, []string{"currency"}},
		{"agreement before brief", "POST", "/api/v1/engagements/" + eng + "/agreements", token, "application/json", `{"scope": "x", "revisions": 1, "kill_fee_percent": 0, "response_days": 3, "review_days": 3}`, 409, []string{"brief"}},
		{"agreement with its numbers missing", "POST", "/api/v1/engagements/" + eng + "/agreements", token, "application/json", `{"scope": "x", "revisions": null}`, 422, []string{"revisions", "kill_fee_percent", "response_days", "review_days"}},
		{"brief without questions", "PUT", "/api/v1/engagements/" + eng + "/brief", token, "application/json", `{"questions": []}`, 422, []string{"questions"}},
		{"send empty brief", "POST", "/api/v1/engagements/" + eng + "/brief/send", token, "", ``, 409, nil},
		{"payment before agreement", "POST", "/api/v1/engagements/" + eng + "/payments", token, "application/json", `{"milestone_id": "ms_x", "amount": "10"}`, 409, nil},
		{"spent or unknown portal token", "POST", "/portal/api/session", "", "application/json", `{"portal_token": "prt_nope"}`, 401, nil},
		{"portal without session", "GET", "/portal/api/engagement", "", "", ``, 401, nil},
		{"portal with an API token", "GET", "/portal/api/engagement", token, "", ``, 401, nil},
		{"test clock off", "POST", "/api/v1/test-clock/advance", "", "application/json", `{"duration": "1h"}`, 404, nil},
	}
	h.srv.TestClock = nil
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.request(c.method, c.path, c.token, c.ctype, strings.NewReader(c.body))
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			msg := r.errorMessage(t)
			for _, m := range c.mentions {
				if !strings.Contains(msg, m) {
					t.Errorf("message %q does not mention %q", msg, m)
				}
			}
		})
	}
}

func TestNoWayIntoAnotherWorkspace(t *testing.T) {
	h := newHarness(t)
	h.app.SignupPolicy = "open"
	ana := h.account("ana@studio.example")
	id, session, ms := h.agreed(ana, "100.00")
	bob := h.account("bob@other.example")
	base := "/api/v1/engagements/" + id
	for _, c := range []struct{ method, path, body string }{
		{"GET", base, ""},
		{"GET", base + "/events", ""},
		{"GET", base + "/messages", ""},
		{"POST", base + "/messages", `{"body": "hi"}`},
		{"POST", base + "/payments", `{"milestone_id": "` + ms[0] + `", "amount": "50"}`},
		{"POST", base + "/milestones/" + ms[0] + "/start", ""},
		{"POST", base + "/invitations", `{"email": "x@y.example"}`},
		{"PUT", base + "/brief", `{"questions": [{"text": "q"}]}`},
	} {
		if r := h.request(c.method, c.path, bob, "application/json", strings.NewReader(c.body)); r.status != 404 {
			t.Errorf("%s %s with another workspace's token: %d, want 404", c.method, c.path, r.status)
		}
	}
	if n := len(h.call("GET", "/api/v1/engagements", bob, nil, 200).json(t)["engagements"].([]any)); n != 0 {
		t.Errorf("another workspace lists %d engagements", n)
	}
	// A client session sees only its own engagement: another engagement's delivery is not found.
	other, _, oms := h.agreed(ana, "80.00")
	ob := "/api/v1/engagements/" + other
	h.call("POST", ob+"/payments", ana, map[string]any{"milestone_id": oms[0], "amount": "40"}, 201)
	h.call("POST", ob+"/milestones/"+oms[0]+"/start", ana, nil, 200)
	did := h.upload(ob+"/milestones/"+oms[0]+"/deliveries", ana, "", map[string][]byte{"a.png": pngImage(t, 20, 20)}).json(t)["id"].(string)
	h.call("GET", "/portal/api/deliveries/"+did, session, nil, 404)
	h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 404)
}

func TestSignupPolicyAndLoginLimit(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	r := h.call("POST", "/api/v1/auth/signup", "", map[string]string{"email": "bob@x.example", "password": "long enough pw", "name": "Bob"}, 403)
	if !strings.Contains(r.errorMessage(t), "closed") {
		t.Errorf("403 message: %s", r.body)
	}
	h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": "correct horse battery"}, 201)
	for i := 0; i < 10; i++ {
		h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": "wrong"}, 401)
	}
	h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": "correct horse battery"}, 429)
	h.clock.Advance(16 * 60e9)
	h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": "correct horse battery"}, 201)
}

func TestPortalTokenIsSingleUseAndExpires(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "100.00")
	inv := h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
	// The link's GET only shows a button: a mail scanner following it spends nothing.
	page := h.request("GET", strings.TrimPrefix(inv["portal_url"].(string), h.url), "", "", nil)
	if page.status != 200 || !strings.Contains(string(page.body), "open-portal") {
		t.Fatalf("portal link page: %d", page.status)
	}
	body := map[string]string{"portal_token": inv["portal_token"].(string)}
	h.call("POST", "/portal/api/session", "", body, 201)
	h.call("POST", "/portal/api/session", "", body, 401)

	late := h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
	h.clock.Advance(8 * 24 * 3600e9)
	h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": late["portal_token"].(string)}, 401)
}

func TestUploadLimits(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "100.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "50"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	h.srv.MaxUpload = 64 << 10
	path := base + "/milestones/" + ms[0] + "/deliveries"
	before, _ := h.blobFiles()
	if r := h.upload(path, token, strings.Repeat("n", 20001), map[string][]byte{"a.png": pngImage(t, 30, 30)}); r.status != 422 {
		t.Fatalf("a note too long: %d, want 422: %s", r.status, r.body)
	}
	if r := h.upload(path, token, "", map[string][]byte{"big.bin": make([]byte, 100<<10)}); r.status != 413 {
		t.Fatalf("over-size upload: %d, want 413: %s", r.status, r.body)
	}
	if r := h.upload(path, token, "only a note", nil); r.status != 422 {
		t.Fatalf("delivery with no file: %d, want 422: %s", r.status, r.body)
	}
	if r := h.request("POST", path, token, "application/json", strings.NewReader(`{}`)); r.status != 415 {
		t.Fatalf("JSON delivery: %d, want 415", r.status)
	}
	// Nothing half-written: no file kept, the milestone still in progress, with no delivery.
	if after, staged := h.blobFiles(); after != before || staged != 0 {
		t.Fatalf("refused uploads left files: %d committed (were %d), %d staged", after, before, staged)
	}
	e := h.call("GET", base, token, nil, 200).json(t)
	if s := e["milestones"].([]any)[0].(map[string]any)["state"]; s != "in_progress" || len(e["deliveries"].([]any)) != 0 {
		t.Fatalf("after refused uploads: milestone %v, deliveries %v", s, e["deliveries"])
	}
}

func TestConcurrentGuessesAreHeldToTheLimit(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	count := concurrently(30, func(int) int {
		b := strings.NewReader(`{"email": "ana@studio.example", "password": "guess"}`)
		return h.request("POST", "/api/v1/auth/tokens", "", "application/json", b).status
	})
	if count[401] != 10 || count[429] != 20 {
		t.Fatalf("30 concurrent guesses gave %v, want 10 × 401 and 20 × 429", count)
	}
	// The owner, from another address, is not locked out by the flood.
	if _, err := h.app.Login(context.Background(), "ana@studio.example", "correct horse battery", "203.0.113.9"); err != nil {
		t.Fatalf("the owner is locked out from another address: %v", err)
	}
}

// Text that is not plain (a NUL, invalid UTF-8) is refused with 422 on both databases, and an
// engagement whose title would break mail cannot be made.
func TestTextThatIsNotPlainIsRefused(t *testing.T) {
	for name, h := range map[string]*harness{"sqlite": newHarness(t), "postgres": newHarnessOn(t, storetest.PostgresSchema(t))} {
		t.Run(name, func(t *testing.T) {
			token := h.account("ana@studio.example")
			h.call("POST", "/api/v1/clients", token, map[string]string{"name": "a\x00b", "email": "m@client.example"}, 422)
			id, session, _ := h.agreed(token, "100.00")
			h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": "x", "title": "Lo\x00go", "currency": "EUR"}, 422)
			h.call("POST", "/portal/api/messages", session, map[string]string{"body": "hi\x00"}, 422)
			h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "hi\x00"}, 422)
			r := h.request("POST", "/api/v1/engagements/"+id+"/messages", token, "application/json", strings.NewReader("{\"body\": \"bad \xff\"}"))
			if r.status != 422 || !strings.Contains(r.errorMessage(t), "body") {
				t.Fatalf("invalid UTF-8 in JSON: %d, want 422 naming body: %s", r.status, r.body)
			}
		})
	}
}

func TestFormsCannotSpillFilesToDisk(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	big := strings.Repeat("x", 2<<20)
	if r := h.request("POST", "/login", "", "application/x-www-form-urlencoded", strings.NewReader("email=a&password="+big)); r.status != 413 && r.status != 400 {
		t.Fatalf("a 2 MiB login form: %d, want it refused", r.status)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	w, _ := mw.CreateFormFile("file", "x.bin")
	w.Write([]byte("data"))
	mw.Close()
	if r := h.request("POST", "/login", "", mw.FormDataContentType(), &b); r.status != 415 {
		t.Fatalf("a multipart login form: %d, want 415", r.status)
	}
}

// "Only the first account" holds when many sign up at once, on both databases.
func TestOnlyTheFirstOfConcurrentSignups(t *testing.T) {
	for name, h := range map[string]*harness{"sqlite": newHarness(t), "postgres": newHarnessOn(t, storetest.PostgresSchema(t))} {
		t.Run(name, func(t *testing.T) {
			count := concurrently(8, func(i int) int {
				b := strings.NewReader(`{"email": "u` + strconv.Itoa(i) + `@x.example", "password": "long enough pw", "name": "U"}`)
				return h.request("POST", "/api/v1/auth/signup", "", "application/json", b).status
			})
			if count[201] != 1 || count[403] != 7 {
				t.Fatalf("8 concurrent signups gave %v, want one 201 and seven 403", count)
			}
		})
	}
}

// concurrently runs do n times at once and counts the statuses it returns.
func concurrently(n int, do func(i int) int) map[int]int {
	var wg sync.WaitGroup
	statuses := make(chan int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- do(i)
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	return count
}

func TestOddInputIsNeverA500(t *testing.T) {
	for name, h := range map[string]*harness{"sqlite": newHarness(t), "postgres": newHarnessOn(t, storetest.PostgresSchema(t))} {
		t.Run(name, func(t *testing.T) {
			token := h.account("ana@studio.example")
			for _, c := range []struct{ method, path, ctype, body string }{
				{"GET", "/api/v1/engagements/%00", "", ""},
				{"GET", "/api/v1/engagements/%FF/brief", "", ""},
				{"POST", "/api/v1/auth/tokens", "application/json", `{"email": "ana\u0000@studio.example", "password": "x"}`},
				{"POST", "/login", "application/x-www-form-urlencoded", "email=ana%00@x&password=y"},
				{"POST", "/api/v1/engagements", "application/json", `{"client_id": "cli\u0000", "title": "T", "currency": "EUR"}`},
				{"GET", "/login?utm_source=mail;id=3&a=%zz", "", ""},
			} {
				r := h.request(c.method, c.path, token, c.ctype, strings.NewReader(c.body))
				if r.status >= 500 {
					t.Errorf("%s %s: %d %s", c.method, c.path, r.status, r.body)
				}
			}
			if r := h.request("GET", "/login?utm_source=mail;id=3", "", "", nil); r.status != 200 {
				t.Errorf("a tracking query string breaks the login page: %d", r.status)
			}
		})
	}
}
