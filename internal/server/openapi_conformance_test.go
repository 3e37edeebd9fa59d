package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/accordapp/accord/internal/openapi"
)

// exchange is one request to the server under test and its answer, as they went over the wire.
type exchange struct {
	method, url    string
	reqHeader      http.Header
	reqBody        []byte
	status         int
	resHeader      http.Header
	resBody        []byte
	invalidRequest bool // the request breaks the document on purpose (to provoke an error answer)
}

// recorder wraps a transport and keeps every exchange with one server.
type recorder struct {
	next    http.RoundTripper
	base    string
	mu      sync.Mutex
	invalid bool
	log     []exchange
}

func (rc *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.String(), rc.base+"/") {
		return rc.next.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	res, err := rc.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resBody, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	rc.mu.Lock()
	rc.log = append(rc.log, exchange{req.Method, req.URL.String(), req.Header.Clone(), reqBody,
		res.StatusCode, res.Header.Clone(), resBody, rc.invalid})
	rc.mu.Unlock()
	return res, nil
}

// breaking runs f, marking the requests it sends as breaking the document on purpose: only
// their answers are checked.
func (rc *recorder) breaking(f func()) {
	rc.mu.Lock()
	rc.invalid = true
	rc.mu.Unlock()
	defer func() {
		rc.mu.Lock()
		rc.invalid = false
		rc.mu.Unlock()
	}()
	f()
}

// record sends every request of http.DefaultClient to base through a recorder, for this test.
func record(t *testing.T, base string) *recorder {
	t.Helper()
	prev := http.DefaultClient.Transport
	next := prev
	if next == nil {
		next = http.DefaultTransport
	}
	rc := &recorder{next: next, base: base}
	http.DefaultClient.Transport = rc
	t.Cleanup(func() { http.DefaultClient.Transport = prev })
	return rc
}

func (x exchange) pair() (*http.Request, *http.Response) {
	req, err := http.NewRequest(x.method, x.url, bytes.NewReader(x.reqBody))
	if err != nil {
		panic(err)
	}
	req.Header = x.reqHeader.Clone()
	res := &http.Response{StatusCode: x.status, Header: x.resHeader.Clone(),
		Body: io.NopCloser(bytes.NewReader(x.resBody)), Request: req}
	return req, res
}

func (x exchange) path() string {
	_, rest, _ := strings.Cut(strings.TrimPrefix(x.url, "http://"), "/")
	return "/" + rest
}

// conformanceValidator checks exchanges against the served document. Strict mode makes every
// property the server sends but the document does not declare an error too; the free-form maps
// (brief answers, event data) are the only places where undeclared keys are expected.
func conformanceValidator(t *testing.T, strict bool) validator.Validator {
	t.Helper()
	doc, err := libopenapi.NewDocument(openapi.Document())
	if err != nil {
		t.Fatalf("reading openapi.json: %v", err)
	}
	opts := []config.Option{config.WithFormatAssertions()}
	if strict {
		opts = append(opts, config.WithStrictMode(),
			config.WithStrictIgnorePaths("$.body.answers.*", "$.body.points.*", "$.body.data.**", "$.body.events[*].data", "$.body.events[*].data.**"),
			config.WithStrictIgnoredHeadersExtra("x-content-type-options", "referrer-policy", "x-frame-options",
				"content-security-policy", "accept-ranges"))
	}
	v, errs := validator.NewValidator(doc, opts...)
	if len(errs) > 0 {
		t.Fatalf("creating the validator: %v", errs)
	}
	return v
}

func describeValidation(e *verrors.ValidationError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Message, e.Reason)
	for _, f := range e.SchemaValidationErrors {
		fmt.Fprintf(&b, "\n\t\t%s %s: %s", f.FieldPath, f.KeywordLocation, f.Reason)
	}
	return b.String()
}

// TestResponsesMatchTheOpenAPIDocument drives a whole engagement through a real server and checks
// every request and answer against the document served at /api/v1/openapi.json: a field the
// server sends that the document does not describe, or describes otherwise, fails the test.
func TestResponsesMatchTheOpenAPIDocument(t *testing.T) {
	h := newHarness(t)
	rec := record(t, h.url)
	const password = "correct horse battery"

	h.request("GET", "/healthz", "", "", nil)
	h.request("GET", "/api/v1/openapi.json", "", "", nil)

	// Accounts and credentials.
	token := h.account("ana@studio.example")
	h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": password}, 201)
	h.call("POST", "/api/v1/auth/tokens", "", map[string]string{"email": "ana@studio.example", "password": "wrong password"}, 401)
	h.call("GET", "/api/v1/engagements", "not-a-token", nil, 401)
	rec.breaking(func() { h.call("GET", "/api/v1/clients", "", nil, 401) })

	// Clients and engagements, with malformed, mistyped and invalid bodies.
	rec.breaking(func() {
		if r := h.request("POST", "/api/v1/clients", token, "application/json", strings.NewReader(`{"name": "Maria",`)); r.status != 400 {
			t.Fatalf("malformed JSON: %d %s", r.status, r.body)
		}
		if r := h.request("POST", "/api/v1/clients", token, "text/plain", strings.NewReader(`name=Maria`)); r.status != 415 {
			t.Fatalf("text body: %d %s", r.status, r.body)
		}
		h.call("POST", "/api/v1/clients", token, map[string]string{"name": "", "email": "not an address"}, 422)
	})
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example", "language": "en", "timezone": "Europe/Sofia"}, 201).json(t)["id"].(string)
	h.call("GET", "/api/v1/clients", token, nil, 200)
	h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": "cli_unknown", "title": "Brand book", "currency": "EUR"}, 422)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(t)["id"].(string)
	base := "/api/v1/engagements/" + id
	h.call("GET", "/api/v1/engagements", token, nil, 200)
	h.call("GET", base, token, nil, 200)
	h.call("GET", "/api/v1/engagements/eng_unknown", token, nil, 404)

	// The brief, the invitation and the client's session.
	h.call("GET", base+"/brief", token, nil, 200)
	h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{
		{"id": "goal", "text": "What is the goal?", "required": true}, {"id": "refs", "text": "Examples you like?", "required": false}}}, 200)
	h.call("POST", base+"/brief/send", token, nil, 200)
	h.call("POST", base+"/brief/send", token, nil, 409)
	inv := h.call("POST", base+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
	session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201).json(t)["session"].(string)
	h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 401)
	h.call("GET", "/portal/api/engagement", session, nil, 200)
	h.call("GET", "/portal/api/brief", session, nil, 200)
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"refs": "none"}}, 422)
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": "A brand people remember"}}, 200)
	h.call("GET", base+"/brief", token, nil, 200)

	// The agreement.
	agreement := func(due string) map[string]any {
		return map[string]any{
			"scope": "A brand book", "deliverables": []map[string]string{{"title": "Brand book", "volume": "24 pages"}},
			"milestones": []map[string]any{
				{"title": "Concepts", "due_date": due, "price": "1000.00", "prepayment_percent": 50},
				{"title": "Final", "due_date": start.AddDate(0, 0, 30).Format("2006-01-02"), "price": map[string]string{"amount": "600", "currency": "EUR"}, "prepayment_percent": 0}},
			"revisions": 2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "portal", "report_cadence": "weekly"}
	}
	h.call("POST", base+"/agreements", token, agreement(start.AddDate(0, 0, -1).Format("2006-01-02")), 422)
	ag := h.call("POST", base+"/agreements", token, agreement(start.AddDate(0, 0, 10).Format("2006-01-02")), 201).json(t)
	version := strconv.Itoa(int(ag["version"].(float64)))
	h.call("GET", base+"/agreements/"+version, token, nil, 200)
	h.call("GET", base+"/agreements/99", token, nil, 404)
	h.call("GET", "/portal/api/agreement", session, nil, 404)
	h.call("POST", base+"/agreements/"+version+"/propose", token, nil, 200)
	h.call("GET", "/portal/api/agreement", session, nil, 200)
	var terms []string
	for _, term := range ag["terms"].([]any) {
		terms = append(terms, term.(map[string]any)["id"].(string))
	}
	h.call("POST", "/portal/api/agreement/"+version+"/accept", session, map[string]any{"acknowledged_terms": terms[:1]}, 422)
	h.call("POST", "/portal/api/agreement/"+version+"/accept", session, map[string]any{"acknowledged_terms": terms}, 200)
	h.call("GET", "/portal/api/agreement", session, nil, 200)
	var ms []string
	for _, m := range h.call("GET", base, token, nil, 200).json(t)["milestones"].([]any) {
		ms = append(ms, m.(map[string]any)["id"].(string))
	}

	// Payment, start, delivery.
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 409)
	if r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.txt": []byte("x")}); r.status != 409 {
		t.Fatalf("delivery before start: %d %s", r.status, r.body)
	}
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00", "reference": "SEPA 1"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	rec.breaking(func() {
		if r := h.request("POST", base+"/milestones/"+ms[0]+"/deliveries", token, "application/json", strings.NewReader(`{}`)); r.status != 415 {
			t.Fatalf("JSON delivery: %d %s", r.status, r.body)
		}
	})
	r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "first concepts", map[string][]byte{
		"concept.png": pngImage(t, 64, 48), "notes.bin": {0, 1, 2, 3, 0xfe, 0xff, 0, 7}})
	if r.status != 201 {
		t.Fatalf("delivery: %d %s", r.status, r.body)
	}
	did := r.json(t)["id"].(string)
	fd := h.call("GET", base+"/deliveries/"+did, token, nil, 200).json(t)
	h.call("GET", base+"/deliveries/del_unknown", token, nil, 404)
	for _, f := range fd["files"].([]any) {
		f := f.(map[string]any)
		if u, ok := f["preview_url"].(string); ok {
			h.call("GET", u, token, nil, 200)
		}
		h.call("GET", f["original_url"].(string), token, nil, 200)
	}
	h.previewsMade(token)
	h.call("GET", "/portal/api/deliveries", session, nil, 200)
	pd := h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200).json(t)
	h.call("GET", "/portal/api/deliveries/del_unknown", session, nil, 404)
	var previewURL, originalURL string
	nulls := 0
	for _, f := range pd["files"].([]any) {
		f := f.(map[string]any)
		if f["name"] == "concept.png" {
			previewURL, originalURL = f["preview_url"].(string), f["original_url"].(string)
		} else if f["preview_url"] == nil {
			nulls++
		}
	}
	if previewURL == "" || nulls != 1 {
		t.Fatalf("portal delivery files: %s", pd["files"])
	}
	h.call("GET", previewURL, session, nil, 200)
	h.call("GET", originalURL, session, nil, 402)

	// Changes requested, a held message, send-now, and the client's messages.
	h.call("POST", base+"/messages", token, map[string]string{"body": "Here it is."}, 201)
	h.call("POST", "/portal/api/messages", session, map[string]string{"body": "Thanks!"}, 201)
	rec.breaking(func() {
		h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "", "desired_result": ""}, 422)
	})
	h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Colours too dark", "desired_result": "The palette from the brief"}, 200)
	h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 409)
	held := h.call("POST", base+"/messages", token, map[string]string{"body": "This is exactly what you asked for!"}, 202).json(t)["id"].(string)
	h.call("GET", base+"/messages", token, nil, 200)
	h.call("GET", "/portal/api/messages", session, nil, 200)
	h.call("POST", base+"/messages/"+held+"/send-now", token, nil, 200)
	h.call("POST", base+"/messages/"+held+"/send-now", token, nil, 409)
	h.call("GET", "/portal/api/messages", session, nil, 200)

	// The clock, the rework, acceptance and full payment.
	h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": "21m"}, 200)
	rec.breaking(func() {
		h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": "three days"}, 422)
	})
	h.call("POST", base+"/messages", token, map[string]string{"body": "I will rework the palette."}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	r = h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "reworked", map[string][]byte{"concept-2.png": pngImage(t, 64, 48)})
	if r.status != 201 {
		t.Fatalf("second delivery: %d %s", r.status, r.body)
	}
	did2 := r.json(t)["id"].(string)
	fid2 := r.json(t)["files"].([]any)[0].(map[string]any)["id"].(string)
	h.previewsMade(token)
	h.call("POST", "/portal/api/files/"+fid2+"/comments", session, map[string]any{"page": 2, "text": "Past the end"}, 422)
	cm := h.call("POST", "/portal/api/files/"+fid2+"/comments", session, map[string]any{"page": 1, "spot": map[string]int{"x": 250, "y": 600}, "text": "Bolder here?"}, 201).json(t)
	h.call("POST", "/portal/api/files/"+fid2+"/comments", session, map[string]any{"page": 1, "text": "And the whole page a little lighter."}, 201)
	rec.breaking(func() {
		h.call("POST", base+"/comments/"+cm["id"].(string)+"/answers", token, map[string]string{"text": ""}, 422)
	})
	h.call("POST", base+"/comments/"+cm["id"].(string)+"/answers", token, map[string]string{"text": "   "}, 422)
	h.call("POST", base+"/comments/cmt_unknown/answers", token, map[string]string{"text": "Yes"}, 404)
	h.call("POST", base+"/comments/"+cm["id"].(string)+"/answers", token, map[string]string{"text": "Yes, in the next version."}, 201)
	h.call("GET", "/portal/api/deliveries/"+did2, session, nil, 200)
	invs := h.call("GET", base+"/invoices", token, nil, 200).json(t)["invoices"].([]any)
	h.call("GET", "/portal/api/invoices", session, nil, 200)
	h.call("GET", invs[0].(map[string]any)["pdf_url"].(string), token, nil, 200)
	h.call("GET", base+"/invoices/inv_unknown/pdf", token, nil, 404)
	h.call("GET", "/portal/api/invoices/"+invs[0].(map[string]any)["id"].(string)+"/pdf", session, nil, 200)
	hook := `{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": "cs_1", "metadata": {"workspace_id": "ws_unknown"}}}}`
	if r := h.requestWith("POST", "/api/v1/stripe/webhook", "", "application/json", strings.NewReader(hook), http.Header{"Stripe-Signature": {"t=1,v1=00"}}); r.status != 400 {
		t.Fatalf("a webhook no workspace signed: %d %s", r.status, r.body)
	}
	h.call("GET", base+"/deliveries/"+did2, token, nil, 200)
	h.call("POST", "/portal/api/deliveries/"+did2+"/accept", session, nil, 200)
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}, "reference": "SEPA 2"}, 201)
	h.call("GET", originalURL, session, nil, 200)
	h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200)
	h.call("GET", base+"/deliveries/"+did, token, nil, 200)
	h.call("GET", "/portal/api/engagement", session, nil, 200)
	h.call("GET", base, token, nil, 200)

	// The client, flagged by what it wrote and by hand.
	h.call("POST", "/portal/api/messages", session, map[string]string{"body": "Send me your card number and the CVV, please."}, 201)
	h.call("POST", "/api/v1/clients/"+cl+"/red-flags", token, map[string]string{"code": "pressure"}, 201)
	rec.breaking(func() {
		h.call("POST", "/api/v1/clients/"+cl+"/red-flags", token, map[string]string{"code": "rude"}, 422)
	})
	h.call("GET", "/api/v1/clients/"+cl, token, nil, 200)

	// The coach.
	h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "You NEVER read the brief.", "language": "en", "reply_to_complaint": true}, 200)
	rec.breaking(func() {
		h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "Hallo", "language": "de"}, 422)
	})

	// A call summary, confirmed and corrected.
	sum := h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{"Blue logo", "Files by Friday"}}, 201).json(t)
	rec.breaking(func() { h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{}}, 422) })
	h.call("POST", "/portal/api/call-summaries/"+sum["id"].(string)+"/confirm", session, map[string]any{"points": map[string]any{
		"p1": map[string]any{"confirmed": true}, "p2": map[string]any{"correction": "By Monday"}}}, 200)
	h.call("POST", "/portal/api/call-summaries/"+sum["id"].(string)+"/confirm", session, map[string]any{"points": map[string]any{
		"p1": map[string]any{"confirmed": true}}}, 409)

	// The record's heads, its check and the evidence.
	head := h.call("GET", "/api/v1/record", token, nil, 200).json(t)
	h.call("GET", "/portal/api/record?since="+strconv.Itoa(int(head["size"].(float64))-3), session, nil, 200)
	rec.breaking(func() { h.call("GET", "/portal/api/record?since=-2", session, nil, 422) })
	h.call("GET", "/api/v1/record/check", token, nil, 200)
	h.call("GET", base+"/evidence", token, nil, 200)

	// Ending early: the settlement, a refund, the termination.
	h.call("GET", base+"/settlement?option=kill_fee", token, nil, 200)
	h.call("GET", base+"/settlement?option=continue&unused=credit", token, nil, 409) // nothing under way now
	rec.breaking(func() { h.call("GET", base+"/settlement?option=halve_it", token, nil, 422) })
	h.call("POST", base+"/refunds", token, map[string]any{"amount": map[string]string{"amount": "99999.00", "currency": "EUR"}}, 422)
	h.call("POST", base+"/refunds", token, map[string]any{"amount": map[string]string{"amount": "100.00", "currency": "EUR"}, "reference": "SEPA 3"}, 201)
	h.call("POST", base+"/terminate", token, map[string]string{"option": "keep_prepayment"}, 200)
	h.call("POST", base+"/terminate", token, map[string]string{"option": "kill_fee"}, 409)

	// The record and the mail.
	h.call("GET", base+"/events", token, nil, 200)
	h.call("GET", "/api/v1/outbox", token, nil, 200)

	strictV, plainV := conformanceValidator(t, true), conformanceValidator(t, false)
	statuses := map[int]bool{}
	for _, x := range rec.log {
		statuses[x.status] = true
		v := strictV
		if x.path() == "/api/v1/openapi.json" {
			v = plainV // the document itself is only an object to the document
		}
		req, res := x.pair()
		var errs []*verrors.ValidationError
		if x.invalidRequest {
			// A request the server refuses on purpose must break the document too, so that the
			// document states the rule; then only the answer is checked.
			if ok, _ := v.ValidateHttpRequest(req); ok {
				t.Errorf("%s %s → %d: the document accepts this request, which the server refuses: %s",
					x.method, x.path(), x.status, shown(x.reqBody, 300))
			}
			req, res = x.pair()
			_, errs = v.ValidateHttpResponse(req, res)
		} else {
			_, errs = v.ValidateHttpRequestResponse(req, res)
		}
		if len(errs) == 0 {
			continue
		}
		var lines []string
		for _, e := range errs {
			lines = append(lines, "\t"+describeValidation(e))
		}
		t.Errorf("%s %s → %d disagrees with internal/openapi/openapi.json:\n%s\n\tanswer: %s",
			x.method, x.path(), x.status, strings.Join(lines, "\n"), shown(x.resBody, 600))
	}
	for _, want := range []int{200, 201, 202, 400, 401, 402, 404, 409, 415, 422} {
		if !statuses[want] {
			t.Errorf("no exchange answered %d; the flow no longer covers it", want)
		}
	}
	if len(rec.log) < 80 {
		t.Errorf("only %d exchanges recorded", len(rec.log))
	}
}

// shown returns an answer's body for a failure message: text cut to n bytes, binaries as their size.
func shown(b []byte, n int) string {
	if bytes.ContainsRune(b, 0) || !utf8.Valid(b) || bytes.HasPrefix(b, []byte("\x89PNG")) {
		return fmt.Sprintf("(%d bytes)", len(b))
	}
	b = bytes.TrimSpace(b)
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
