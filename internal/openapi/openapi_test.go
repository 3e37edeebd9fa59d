package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi/datamodel"
)

// routes is every operation this version of the API serves, and only those.
var routes = []struct{ method, path string }{
	{"POST", "/api/v1/auth/signup"},
	{"POST", "/api/v1/auth/tokens"},
	{"POST", "/api/v1/clients"},
	{"GET", "/api/v1/clients"},
	{"POST", "/api/v1/engagements"},
	{"GET", "/api/v1/engagements"},
	{"GET", "/api/v1/clients/{id}"},
	{"POST", "/api/v1/clients/{id}/red-flags"},
	{"POST", "/api/v1/clients/{id}/trust"},
	{"GET", "/api/v1/engagements/{id}"},
	{"POST", "/api/v1/engagements/{id}/invitations"},
	{"PUT", "/api/v1/engagements/{id}/brief"},
	{"GET", "/api/v1/engagements/{id}/brief"},
	{"POST", "/api/v1/engagements/{id}/brief/send"},
	{"POST", "/api/v1/engagements/{id}/agreements"},
	{"GET", "/api/v1/engagements/{id}/agreements/{version}"},
	{"POST", "/api/v1/engagements/{id}/agreements/{version}/propose"},
	{"POST", "/api/v1/engagements/{id}/payments"},
	{"POST", "/api/v1/engagements/{id}/info-requests"},
	{"POST", "/api/v1/engagements/{id}/resume"},
	{"GET", "/api/v1/engagements/{id}/settlement"},
	{"POST", "/api/v1/coach/check"},
	{"POST", "/api/v1/engagements/{id}/terminate"},
	{"POST", "/api/v1/engagements/{id}/retrospective"},
	{"POST", "/api/v1/engagements/{id}/refunds"},
	{"POST", "/api/v1/engagements/{id}/milestones/{mid}/start"},
	{"POST", "/api/v1/engagements/{id}/milestones/{mid}/paid-change"},
	{"POST", "/api/v1/engagements/{id}/milestones/{mid}/cause"},
	{"POST", "/api/v1/engagements/{id}/milestones/{mid}/deliveries"},
	{"GET", "/api/v1/engagements/{id}/deliveries/{did}"},
	{"GET", "/api/v1/engagements/{id}/files/{fid}/preview"},
	{"GET", "/api/v1/engagements/{id}/files/{fid}/original"},
	{"GET", "/api/v1/engagements/{id}/events"},
	{"POST", "/api/v1/engagements/{id}/messages"},
	{"GET", "/api/v1/engagements/{id}/messages"},
	{"PUT", "/api/v1/engagements/{id}/messages/{mid}"},
	{"POST", "/api/v1/engagements/{id}/messages/{mid}/cancel"},
	{"POST", "/api/v1/engagements/{id}/messages/{mid}/send-now"},
	{"GET", "/api/v1/outbox"},
	{"GET", "/api/v1/record"},
	{"GET", "/api/v1/engagements/{id}/messages/{mid}/files/{fid}"},
	{"GET", "/api/v1/record/check"},
	{"GET", "/api/v1/engagements/{id}/evidence"},
	{"POST", "/api/v1/engagements/{id}/call-summaries"},
	{"GET", "/portal/api/record"},
	{"POST", "/portal/api/call-summaries/{sid}/confirm"},
	{"POST", "/portal/api/files/{fid}/comments"},
	{"POST", "/api/v1/engagements/{id}/comments/{cid}/answers"},
	{"GET", "/api/v1/engagements/{id}/invoices"},
	{"GET", "/api/v1/engagements/{id}/invoices/{iid}/pdf"},
	{"GET", "/portal/api/invoices"},
	{"GET", "/portal/api/invoices/{iid}/pdf"},
	{"POST", "/api/v1/stripe/webhook"},
	{"POST", "/api/v1/test-clock/advance"},
	{"GET", "/api/v1/openapi.json"},
	{"POST", "/portal/api/session"},
	{"GET", "/portal/api/engagement"},
	{"GET", "/portal/api/brief"},
	{"PUT", "/portal/api/brief"},
	{"GET", "/portal/api/agreement"},
	{"POST", "/portal/api/agreement/{version}/accept"},
	{"POST", "/portal/api/agreement/{version}/decline"},
	{"POST", "/portal/api/milestones/{mid}/paid-change/accept"},
	{"POST", "/portal/api/milestones/{mid}/choose"},
	{"POST", "/portal/api/milestones/{mid}/paid-change/decline"},
	{"POST", "/portal/api/info-requests/{rid}/answer"},
	{"GET", "/portal/api/deliveries"},
	{"GET", "/portal/api/deliveries/{did}"},
	{"GET", "/portal/api/files/{fid}/preview"},
	{"GET", "/portal/api/files/{fid}/original"},
	{"POST", "/portal/api/deliveries/{did}/accept"},
	{"POST", "/portal/api/deliveries/{did}/request-changes"},
	{"GET", "/portal/api/messages"},
	{"POST", "/portal/api/messages"},
	{"GET", "/healthz"},
}

func decoded(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(Document(), &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return doc
}

func newDocument(t *testing.T) libopenapi.Document {
	t.Helper()
	doc, err := libopenapi.NewDocument(Document())
	if err != nil {
		t.Fatalf("libopenapi cannot read openapi.json: %v", err)
	}
	return doc
}

func TestDocumentIsJSONWithoutDuplicateKeys(t *testing.T) {
	if !json.Valid(Document()) {
		t.Fatal("openapi.json is not valid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(Document()))
	if err := noDuplicateKeys(dec, "#"); err != nil {
		t.Fatal(err)
	}
}

// noDuplicateKeys reads one JSON value from dec and fails on an object that repeats a key.
func noDuplicateKeys(dec *json.Decoder, at string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key := k.(string)
			if seen[key] {
				return fmt.Errorf("%s: key %q appears twice", at, key)
			}
			seen[key] = true
			if err := noDuplicateKeys(dec, at+"/"+key); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := noDuplicateKeys(dec, fmt.Sprintf("%s/%d", at, i)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

func TestDocumentIsOpenAPI31(t *testing.T) {
	v, _ := decoded(t)["openapi"].(string)
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	if f := newDocument(t).GetSpecInfo().SpecFormat; f != datamodel.OAS31 {
		t.Fatalf("libopenapi reads the document as %q, want %q", f, datamodel.OAS31)
	}
}

func TestDocumentBuildsWithLibopenapi(t *testing.T) {
	doc := newDocument(t)
	model, err := doc.BuildV3Model()
	if err != nil {
		for _, e := range unwrap(err) {
			t.Errorf("building the model: %v", e)
		}
	}
	if model == nil {
		t.Fatal("libopenapi built no model")
	}
	for _, e := range model.Index.GetReferenceIndexErrors() {
		t.Errorf("reference: %v", e)
	}
	for _, e := range doc.GetRolodex().GetCaughtErrors() {
		t.Errorf("rolodex: %v", e)
	}
	for _, c := range model.Index.GetCircularReferences() {
		t.Errorf("circular reference: %s", c.GenerateJourneyPath())
	}
}

func unwrap(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestDocumentValidatesAgainstOpenAPISchema(t *testing.T) {
	v, errs := validator.NewValidator(newDocument(t))
	for _, e := range errs {
		t.Errorf("creating the validator: %v", e)
	}
	if v == nil {
		t.FailNow()
	}
	ok, verrs := v.ValidateDocument()
	for _, e := range verrs {
		t.Errorf("%s", describe(e))
	}
	if !ok && len(verrs) == 0 {
		t.Error("the document is invalid, with no reason given")
	}
}

func describe(e *verrors.ValidationError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "line %d col %d: %s: %s", e.SpecLine, e.SpecCol, e.Message, e.Reason)
	for _, f := range e.SchemaValidationErrors {
		fmt.Fprintf(&b, "\n\t%s %s: %s", f.FieldPath, f.KeywordLocation, f.Reason)
	}
	return b.String()
}

func TestDocumentHasEveryRouteAndNoOther(t *testing.T) {
	model, err := newDocument(t).BuildV3Model()
	if model == nil {
		t.Fatalf("libopenapi built no model: %v", err)
	}
	got := map[string]bool{}
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().KeysFromOldest() {
			got[strings.ToUpper(method)+" "+path] = true
		}
	}
	want := map[string]bool{}
	for _, r := range routes {
		want[r.method+" "+r.path] = true
		if !got[r.method+" "+r.path] {
			t.Errorf("missing %s %s", r.method, r.path)
		}
	}
	for route := range got {
		if !want[route] {
			t.Errorf("%s is in the document but not served by this version", route)
		}
	}
}

func TestOperationsAreNamedAndAnswerWithKnownErrors(t *testing.T) {
	doc := decoded(t)
	ids := map[string]string{}
	for path, item := range doc["paths"].(map[string]any) {
		for method, raw := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			op := raw.(map[string]any)
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s %s has no operationId", method, path)
			} else if other, dup := ids[id]; dup {
				t.Errorf("operationId %q is used by %s and %s %s", id, other, method, path)
			}
			ids[id] = method + " " + path
			for code, resp := range op["responses"].(map[string]any) {
				if code >= "400" && !strings.Contains(fmt.Sprint(resp), "#/components/responses/") {
					t.Errorf("%s %s answers %s without a shared error response", method, path, code)
				}
			}
		}
	}
}

func TestPathParametersAreDeclared(t *testing.T) {
	doc := decoded(t)
	template := regexp.MustCompile(`\{([^}]+)\}`)
	for path, raw := range doc["paths"].(map[string]any) {
		item := raw.(map[string]any)
		var want []string
		for _, m := range template.FindAllStringSubmatch(path, -1) {
			want = append(want, m[1])
		}
		sort.Strings(want)
		declared := pathParams(t, doc, item["parameters"])
		for method, op := range item {
			if method == "parameters" {
				continue
			}
			got := slices.Concat(declared, pathParams(t, doc, op.(map[string]any)["parameters"]))
			sort.Strings(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s %s declares path parameters %v, want %v", method, path, got, want)
			}
		}
	}
}

func pathParams(t *testing.T, doc map[string]any, list any) []string {
	var names []string
	params, _ := list.([]any)
	for _, p := range params {
		param := p.(map[string]any)
		if r, ok := param["$ref"].(string); ok {
			v, err := resolve(doc, r)
			if err != nil {
				t.Errorf("parameter %s: %v", r, err)
				continue
			}
			param = v.(map[string]any)
		}
		if param["in"] == "path" {
			names = append(names, param["name"].(string))
		}
	}
	return names
}

func TestEveryRefResolvesAndEveryComponentIsUsed(t *testing.T) {
	doc := decoded(t)
	used := map[string]bool{}
	walk(doc, "#", func(at string, node map[string]any) {
		r, ok := node["$ref"].(string)
		if !ok {
			return
		}
		if _, err := resolve(doc, r); err != nil {
			t.Errorf("%s: $ref %q: %v", at, r, err)
		}
		used[r] = true
	})
	schemes := map[string]bool{}
	walk(doc, "#", func(at string, node map[string]any) {
		reqs, _ := node["security"].([]any)
		for _, req := range reqs {
			for name := range req.(map[string]any) {
				schemes[name] = true
				if _, err := resolve(doc, "#/components/securitySchemes/"+name); err != nil {
					t.Errorf("%s: security scheme %q: %v", at, name, err)
				}
			}
		}
	})
	components := doc["components"].(map[string]any)
	for kind, entries := range components {
		for name := range entries.(map[string]any) {
			if kind == "securitySchemes" && !schemes[name] || kind != "securitySchemes" && !used["#/components/"+kind+"/"+name] {
				t.Errorf("components/%s/%s is never used", kind, name)
			}
		}
	}
}

// walk calls fn for every object in v, with its JSON pointer.
func walk(v any, at string, fn func(at string, node map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		fn(at, v)
		for k, c := range v {
			walk(c, at+"/"+escape(k), fn)
		}
	case []any:
		for i, c := range v {
			walk(c, fmt.Sprintf("%s/%d", at, i), fn)
		}
	}
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// resolve follows a local JSON pointer reference ("#/a/b") in doc.
func resolve(doc any, ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, errors.New("only local references (#/...) are used in this document")
	}
	cur := doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q is not inside an object", tok)
		}
		if cur, ok = obj[tok]; !ok {
			return nil, fmt.Errorf("no %q", tok)
		}
	}
	return cur, nil
}

func TestSchemasCompileAndTheirExamplesHold(t *testing.T) {
	const base = "https://accord.invalid/openapi.json"
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Document()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource(base, doc); err != nil {
		t.Fatal(err)
	}
	for name := range doc.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any) {
		if _, err := c.Compile(base + "#/components/schemas/" + escape(name)); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	walk(doc, "#", func(at string, node map[string]any) {
		examples, ok := node["examples"].([]any)
		if !ok || !strings.HasPrefix(at, "#/components/schemas/") {
			return
		}
		sch, err := c.Compile(base + at)
		if err != nil {
			t.Errorf("schema %s: %v", at, err)
			return
		}
		for i, ex := range examples {
			if err := sch.Validate(ex); err != nil {
				t.Errorf("%s example %d: %v", at, i, err)
			}
		}
	})
}

// exchange is one request and its answer, checked against the document.
type exchange struct {
	name     string
	method   string
	path     string
	auth     string // "bearer", "portal" or ""
	request  string
	status   int
	response string
	wantErr  string // empty when the exchange must validate; else a word of the expected complaint
}

const engagementJSON = `{"id":"eng_1","state":"agreed","client_id":"cli_1","title":"Logo","currency":"EUR",
	"milestones":[{"id":"ms_1","n":1,"title":"Concepts","state":"in_progress","due_date":"2025-04-01",
	"price":{"amount":"1000.00","currency":"EUR"},"prepayment":{"amount":"500.00","currency":"EUR"},
	"paid":{"amount":"500.00","currency":"EUR"},"revisions_used":0,"revisions_left":2}],
	"balance":{"invoiced":{"amount":"500.00","currency":"EUR"},"paid":{"amount":"500.00","currency":"EUR"},"due":{"amount":"0.00","currency":"EUR"},"refunded":{"amount":"0.00","currency":"EUR"}},
	"agreed_version":1,"deliveries":[{"id":"dlv_1","milestone_id":"ms_1","state":"submitted","at":"2025-03-20T12:00:00Z"}],
	"created_at":"2025-03-01T09:00:00Z","updated_at":"2025-03-20T12:00:00Z"`

const deliveryJSON = `{"id":"dlv_1","milestone_id":"ms_1","state":"submitted","note":"","at":"2025-03-20T12:00:00Z","released":false,
	"files":[{"id":"fil_1","name":"logo.png","size":1234,"content_type":"image/png",
	"preview_url":"/portal/api/files/fil_1/preview","original_url":"/portal/api/files/fil_1/original"},
	{"id":"fil_2","name":"notes.txt","size":12,"content_type":"text/plain; charset=utf-8",
	"preview_url":null,"original_url":"/portal/api/files/fil_2/original"}]}`

var exchanges = []exchange{
	{name: "payment as decimal string", method: "POST", path: "/api/v1/engagements/eng_1/payments", auth: "bearer",
		request: `{"milestone_id":"ms_1","amount":"500.00","reference":"SEPA 1"}`, status: 201, response: `{"id":"pay_1"}`},
	{name: "payment as money", method: "POST", path: "/api/v1/engagements/eng_1/payments", auth: "bearer",
		request: `{"milestone_id":"ms_1","amount":{"amount":"500","currency":"EUR"},"reference":"SEPA 1"}`, status: 201, response: `{"id":"pay_1"}`},
	{name: "payment as a number", method: "POST", path: "/api/v1/engagements/eng_1/payments", auth: "bearer",
		request: `{"milestone_id":"ms_1","amount":500,"reference":"SEPA 1"}`, status: 201, response: `{"id":"pay_1"}`, wantErr: "amount"},
	{name: "payment with a comma", method: "POST", path: "/api/v1/engagements/eng_1/payments", auth: "bearer",
		request: `{"milestone_id":"ms_1","amount":"500,00","reference":"SEPA 1"}`, status: 201, response: `{"id":"pay_1"}`, wantErr: "amount"},
	{name: "engagement", method: "GET", path: "/api/v1/engagements/eng_1", auth: "bearer",
		status: 200, response: engagementJSON + `}`},
	{name: "engagement with a float price", method: "GET", path: "/api/v1/engagements/eng_1", auth: "bearer",
		status: 200, response: strings.Replace(engagementJSON, `"1000.00"`, `1000.0`, 1) + `}`, wantErr: "amount"},
	{name: "portal engagement", method: "GET", path: "/portal/api/engagement", auth: "portal",
		status: 200, response: engagementJSON + `,"workspace_name":"Studio"}`},
	{name: "portal engagement without workspace", method: "GET", path: "/portal/api/engagement", auth: "portal",
		status: 200, response: engagementJSON + `}`, wantErr: "workspace_name"},
	{name: "start refused", method: "POST", path: "/api/v1/engagements/eng_1/milestones/ms_1/start", auth: "bearer",
		status: 409, response: `{"error":{"code":"conflict","message":"prepayment of 500.00 EUR not received"}}`},
	{name: "error without message", method: "POST", path: "/api/v1/engagements/eng_1/milestones/ms_1/start", auth: "bearer",
		status: 409, response: `{"error":{"code":"conflict"}}`, wantErr: "message"},
	{name: "signup", method: "POST", path: "/api/v1/auth/signup",
		request: `{"email":"ana@example.com","password":"long secret","name":"Ana"}`, status: 201,
		response: `{"user_id":"usr_1","workspace_id":"wsp_1","token":"t0k"}`},
	{name: "held message", method: "POST", path: "/api/v1/engagements/eng_1/messages", auth: "bearer",
		request: `{"body":"Thanks, I will rework it."}`, status: 202, response: `{"id":"msg_1","send_at":"2025-03-14T09:50:00Z"}`},
	{name: "clock in words", method: "POST", path: "/api/v1/test-clock/advance", auth: "bearer",
		request: `{"duration":"three days"}`, status: 200, response: `{"now":"2025-03-17T09:30:00Z"}`, wantErr: "duration"},
	{name: "outbox", method: "GET", path: "/api/v1/outbox", auth: "bearer", status: 200,
		response: `{"messages":[{"id":"out_1","to":"c@example.com","subject":"Hi","body":"…","engagement_id":"eng_1","at":"2025-03-14T09:30:00Z"}]}`},
	{name: "engagement without its record fields", method: "GET", path: "/api/v1/engagements/eng_1", auth: "bearer",
		status: 200, response: strings.TrimRight(strings.Split(engagementJSON, `"agreed_version"`)[0], ",\n\t") + `}`, wantErr: "deliveries"},
	{name: "clock for a freelancer", method: "POST", path: "/api/v1/test-clock/advance", auth: "bearer",
		request: `{"duration":"72h"}`, status: 200, response: `{"now":"2025-03-17T09:30:00Z"}`},
	{name: "clock without credentials", method: "POST", path: "/api/v1/test-clock/advance",
		request: `{"duration":"72h"}`, status: 200, response: `{"now":"2025-03-17T09:30:00Z"}`, wantErr: "Authorization"},
	{name: "invalid fields", method: "POST", path: "/api/v1/clients", auth: "bearer",
		request: `{"name":"Maria","email":"maria@example.com"}`, status: 422,
		response: `{"error":{"code":"invalid","message":"Some fields need fixing: email: taken","fields":[{"field":"email","message":"taken"}]}}`},
	{name: "field without message", method: "POST", path: "/api/v1/clients", auth: "bearer",
		request: `{"name":"Maria","email":"maria@example.com"}`, status: 422,
		response: `{"error":{"code":"invalid","message":"Some fields need fixing","fields":[{"field":"email"}]}}`, wantErr: "message"},
	{name: "body of another type", method: "POST", path: "/api/v1/clients", auth: "bearer",
		request: `{"name":"Maria","email":"maria@example.com"}`, status: 415,
		response: `{"error":{"code":"unsupported_type","message":"Send this request as application/json."}}`},
	{name: "portal delivery, a file without preview", method: "GET", path: "/portal/api/deliveries/dlv_1", auth: "portal",
		status: 200, response: deliveryJSON},
	{name: "portal delivery without released", method: "GET", path: "/portal/api/deliveries/dlv_1", auth: "portal",
		status: 200, response: strings.Replace(deliveryJSON, `"released":false,`, ``, 1), wantErr: "released"},
	{name: "held message in the list", method: "GET", path: "/api/v1/engagements/eng_1/messages", auth: "bearer", status: 200,
		response: `{"messages":[{"id":"msg_1","author":"freelancer","author_name":"Ana","body":"Thanks","at":"2025-03-14T09:30:00Z",
		"send_at":"2025-03-14T09:50:00Z","channel":"api","held":true}]}`},
	{name: "agreement over 100 %", method: "POST", path: "/api/v1/engagements/eng_1/agreements", auth: "bearer",
		request: `{"scope":"A logo","deliverables":[{"title":"Logo","volume":"3 concepts"}],
		"milestones":[{"title":"Concepts","due_date":"2025-04-01","price":"1000.00","prepayment_percent":150}],
		"revisions":2,"kill_fee_percent":30,"response_days":3,"review_days":14,"channel":"email","report_cadence":"weekly"}`,
		status: 201, response: `{"version":1,"terms":[{"id":"t1","text":"Kill fee 30 %"}]}`, wantErr: "prepayment_percent"},
	{name: "changes requested", method: "POST", path: "/portal/api/deliveries/del_1/request-changes", auth: "portal",
		request: `{"what_is_wrong":"Too dark","desired_result":"Lighter"}`, status: 200, response: engagementJSON + `}`},
	{name: "changes requested, answered with nothing", method: "POST", path: "/portal/api/deliveries/del_1/request-changes", auth: "portal",
		request: `{"what_is_wrong":"Too dark","desired_result":"Lighter"}`, status: 200, response: `{}`, wantErr: "milestones"},
}

func TestExchangesAgainstTheDocument(t *testing.T) {
	v, errs := validator.NewValidator(newDocument(t))
	if len(errs) > 0 {
		t.Fatalf("creating the validator: %v", errs)
	}
	for _, x := range exchanges {
		t.Run(x.name, func(t *testing.T) {
			var body io.Reader
			if x.request != "" {
				body = strings.NewReader(x.request)
			}
			req := httptest.NewRequest(x.method, x.path, body)
			if x.request != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			switch x.auth {
			case "bearer":
				req.Header.Set("Authorization", "Bearer t0k")
			case "portal":
				req.AddCookie(&http.Cookie{Name: "accord_portal", Value: "s3ss"})
			}
			resp := &http.Response{
				StatusCode: x.status,
				Header:     http.Header{"Content-Type": {"application/json"}},
				Body:       io.NopCloser(strings.NewReader(x.response)),
				Request:    req,
			}
			ok, verrs := v.ValidateHttpRequestResponse(req, resp)
			var found []string
			for _, e := range verrs {
				found = append(found, describe(e))
			}
			switch {
			case x.wantErr == "" && !ok:
				t.Errorf("want valid, got:\n%s", strings.Join(found, "\n"))
			case x.wantErr != "" && ok:
				t.Errorf("want a complaint about %s, got none", x.wantErr)
			case x.wantErr != "" && !strings.Contains(strings.Join(found, "\n"), x.wantErr):
				t.Errorf("want a complaint about %s, got:\n%s", x.wantErr, strings.Join(found, "\n"))
			}
		})
	}
}

func TestDocumentReturnsACopy(t *testing.T) {
	a := Document()
	a[0] = 'x'
	if Document()[0] == 'x' {
		t.Fatal("changing the returned bytes changed the document")
	}
}
