package server_test

import (
	"database/sql"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/accordapp/accord/internal/i18n"
)

var cat = i18n.New()

// A refused form comes back at its page's own address with everything typed, every problem
// beside its field in words, and a reload shows the page without posting again.
func TestRefusedFormComesBackAsTyped(t *testing.T) {
	for _, lang := range []string{"en", "ru", "bg"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.account("ana@studio.example")
			b := h.browser(lang)
			b.login("ana@studio.example")
			p := b.post("/app/clients", url.Values{"name": {"Мария Петрова"}, "email": {"maria@"}, "language": {"bg"}, "timezone": {"Local"}})
			if p.status != 200 || p.url != "/app/clients" {
				t.Fatalf("refused client form: %d at %s, want 200 at /app/clients", p.status, p.url)
			}
			if got := p.value(t, "client-name"); got != "Мария Петрова" {
				t.Errorf("name field holds %q, want what was typed", got)
			}
			if got := p.value(t, "client-email"); got != "maria@" {
				t.Errorf("email field holds %q, want what was typed", got)
			}
			if !strings.Contains(p.html, `<option value="bg" selected>`) {
				t.Errorf("the language chosen is not kept")
			}
			if got, want := p.problemAfter(t, "client-email"), cat.T(lang, "field.email", nil); got != want {
				t.Errorf("beside the email: %q, want %q", got, want)
			}
			if got, want := p.problemAfter(t, "client-timezone"), cat.T(lang, "field.timezone", nil); got != want {
				t.Errorf("beside the time zone: %q, want %q", got, want)
			}
			if got := p.problemAfter(t, "client-name"); got != "" {
				t.Errorf("a good field has a problem: %q", got)
			}
			if n := strings.Count(p.text(), cat.T(lang, "field.email", nil)); n != 1 {
				t.Errorf("the email's problem is said %d times, want once", n)
			}
			posts := b.posted
			again := b.get(p.url)
			if b.posted != posts || strings.Contains(again.html, "field-error") || again.value(t, "client-name") != "" {
				t.Errorf("a reload shows the refusal again or posts again")
			}
		})
	}
}

// The agreement form names its problems by the fields' labels, never by their paths.
func TestAgreementRefusalInWords(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := h.briefed(token)
	b := h.browser("ru")
	b.login("ana@studio.example")
	vals := url.Values{"scope": {"Фирменный стиль"}, "deliverables[0].title": {"Логотип"}, "deliverables[0].volume": {""},
		"milestones[0].title": {"Эскизы"}, "milestones[0].due_date": {"2020-01-01"}, "milestones[0].price": {"двенадцать"},
		"milestones[0].prepayment_percent": {"50"}, "revisions": {"2"}, "kill_fee_percent": {"150"}, "response_days": {"3"},
		"review_days": {"14"}, "channel": {"почта"}, "report_cadence": {"по пятницам"}}
	p := b.post("/app/engagements/"+id+"/agreement", vals)
	if p.url != "/app/engagements/"+id {
		t.Fatalf("refused agreement ended at %s", p.url)
	}
	for field, want := range map[string]string{
		"milestone-price-0":    cat.T("ru", "field.amount", map[string]any{"currency": "EUR"}),
		"deliverable-volume-0": cat.T("ru", "agreement.volume_required", nil),
		"kill-fee":             cat.T("ru", "field.range", map[string]any{"min": 0, "max": 100}),
	} {
		if got := p.problemAfter(t, field); got != want {
			t.Errorf("beside #%s: %q, want %q", field, got, want)
		}
	}
	if got := p.value(t, "scope"); got != "Фирменный стиль" {
		t.Errorf("scope holds %q", got)
	}
	if got := p.value(t, "milestone-price-0"); got != "двенадцать" {
		t.Errorf("price holds %q", got)
	}
	for _, path := range []string{"milestones[0]", "deliverables[0]", "kill_fee_percent"} {
		if strings.Contains(p.text(), path) {
			t.Errorf("the page shows the internal name %q", path)
		}
	}
}

// An action the rules refuse is not offered; the page says why in the API's words, and a post
// made anyway comes back with the same words.
func TestPagesRefuseWithTheAPIsWords(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	b := h.browser("bg")
	b.login("ana@studio.example")
	api := h.callLang("POST", "/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/start", token, "bg", nil, 409).errorMessage(t)
	p := b.get("/app/engagements/" + id)
	if !strings.Contains(p.text(), api) {
		t.Fatalf("the page does not say %q", api)
	}
	if strings.Contains(p.html, `/milestones/`+ms[0]+`/start"`) {
		t.Errorf("the page offers a start that cannot succeed")
	}
	p = b.post("/app/engagements/"+id+"/milestones/"+ms[0]+"/start", nil)
	if p.url != "/app/engagements/"+id || !strings.Contains(p.text(), api) {
		t.Errorf("a start posted anyway: at %s, words %q missing", p.url, api)
	}
}

// After a form that worked: a redirect, then the page with a short confirmation in the
// reader's language, money in its form.
func TestSuccessRedirectsAndConfirms(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	b := h.browser("ru")
	b.login("ana@studio.example")
	p := b.post("/app/engagements/"+id+"/payments", url.Values{"milestone_id": {ms[0]}, "amount": {"500,00"}, "reference": {"ПП-17"}})
	want := cat.T("ru", "notice.payment_recorded", map[string]any{"amount": "500,00\u00a0€"})
	if p.url != "/app/engagements/"+id || !strings.Contains(p.html, want) {
		t.Fatalf("after the payment: at %s, confirmation %q missing", p.url, want)
	}
	if again := b.get(p.url); strings.Contains(again.html, want) {
		t.Errorf("the confirmation shows again on reload")
	}
	if !strings.Contains(p.text(), "ПП-17") {
		t.Errorf("the timeline does not show the payment's reference")
	}
}

// The API answers in the Accept-Language of the request.
func TestAPIErrorsInTheRequestsLanguage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	for _, lang := range []string{"en", "ru", "bg"} {
		r := h.callLang("POST", "/api/v1/clients", token, lang+";q=0.9", map[string]string{"name": "Maria", "email": "no-at-sign", "timezone": "Local"}, 422)
		msg := r.errorMessage(t)
		for _, key := range []string{"error.invalid", "field.email", "field.timezone"} {
			if want := cat.T(lang, key, nil); !strings.Contains(msg, want) {
				t.Errorf("%s: %q lacks %q", lang, msg, want)
			}
		}
	}
}

// Without a portal session, /portal is a page where a contact asks for a new link: it answers
// the same for any address, mails only a contact of an open engagement, and is rate-limited.
func TestPortalWithoutSessionSendsANewLink(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	h.agreed(token, "100.00")
	b := h.browser("en")
	p := b.get("/portal")
	if p.status != 200 || !strings.HasPrefix(p.ctype, "text/html") || !strings.Contains(p.html, `action="/portal/link"`) {
		t.Fatalf("/portal without a session: %d %s", p.status, p.ctype)
	}
	links := func() []map[string]any {
		var out []map[string]any
		for _, m := range h.outbox(token) {
			if m["kind"] == "portal_link" {
				out = append(out, m)
			}
		}
		return out
	}
	known := b.post("/portal/link", url.Values{"email": {"maria@client.example"}})
	unknown := b.post("/portal/link", url.Values{"email": {"nobody@else.example"}})
	if known.url != "/portal/link/sent" || unknown.url != "/portal/link/sent" || known.text() != unknown.text() {
		t.Fatalf("the answers differ: %s %q / %s %q", known.url, known.text(), unknown.url, unknown.text())
	}
	mails := links()
	if len(mails) != 1 || mails[0]["to"] != "maria@client.example" {
		t.Fatalf("want one portal_link mail, to the contact: %v", mails)
	}
	link := mails[0]["body"].(string)
	link = link[strings.Index(link, h.url+"/p/"):]
	link = strings.Fields(link)[0]
	if p := b.openPortal(link); !strings.Contains(p.html, "Brand book") {
		t.Errorf("the new link does not open the portal")
	}
	c := h.browser("en")
	for i := 0; i < 2; i++ { // the two asks above count too: three in the window are allowed
		c.post("/portal/link", url.Values{"email": {"maria@client.example"}})
	}
	if p := c.post("/portal/link", url.Values{"email": {"maria@client.example"}}); !strings.Contains(p.text(), cat.T("en", "error.rate_limited", map[string]any{"count": 15})) {
		t.Errorf("the fourth ask within the window is not refused: %s", p.text())
	}
}

// An original asked for before payment is a page that says what is owed and how to pay.
func TestLockedOriginalIsAPage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	h.call("POST", "/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/start", token, nil, 200)
	d := h.upload("/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"logo.png": pngImage(t, 300, 200)}).json(t)
	fid := d["files"].([]any)[0].(map[string]any)["id"].(string)
	h.previewsMade(token)
	b := h.browser("en")
	b.openPortal(h.invite(token, id, "maria@client.example"))
	if p := b.post("/portal/language", url.Values{"language": {"bg"}}); !strings.Contains(p.html, `<html lang="bg">`) {
		t.Fatalf("the portal is not in Bulgarian after the switch")
	}
	p := b.get("/portal/files/" + fid + "/original")
	if p.status != http.StatusPaymentRequired || !strings.HasPrefix(p.ctype, "text/html") {
		t.Fatalf("locked original: %d %s, want a 402 page", p.status, p.ctype)
	}
	if due := "500,00\u00a0€"; !strings.Contains(p.html, due) || !strings.Contains(p.html, "logo.png") {
		t.Errorf("the page does not say that %s is due for logo.png: %s", due, p.text())
	}
	if prev := b.get("/portal/files/" + fid + "/preview"); prev.status != 200 || prev.ctype != "image/jpeg" {
		t.Errorf("the preview: %d %s", prev.status, prev.ctype)
	}
}

// The sign-up link is offered only while sign-up is open; the favicon is there.
func TestSignupLinkOnlyWhenOpenAndAFavicon(t *testing.T) {
	h := newHarness(t)
	b := h.browser("en")
	if p := b.get("/login"); !strings.Contains(p.html, `href="/signup"`) {
		t.Errorf("before the first account the login page does not offer sign-up")
	}
	h.account("ana@studio.example")
	if p := b.get("/login"); strings.Contains(p.html, `href="/signup"`) {
		t.Errorf("the login page offers a sign-up that is closed")
	}
	if p := b.get("/signup"); strings.Contains(p.html, `action="/signup"`) || !strings.Contains(p.text(), cat.T("en", "error.signup_closed", nil)) {
		t.Errorf("the closed sign-up page still offers its form, or does not say why")
	}
	h.app.SignupPolicy = "open"
	if p := b.get("/login"); !strings.Contains(p.html, `href="/signup"`) {
		t.Errorf("with sign-up open the login page does not offer it")
	}
	if p := b.get("/favicon.ico"); p.status != 200 || p.ctype != "image/svg+xml" {
		t.Errorf("favicon: %d %s", p.status, p.ctype)
	}
}

// What a refused form held waits for the browser sealed: the store keeps nothing it can read.
func TestWaitingFormsAreSealedInTheStore(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	const typed = "Zebra-Quartz-7731"
	jar := b.c.Jar
	b.c.Jar = nil // keep the flash waiting: this request does not follow to the page
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("POST", h.url+"/app/clients", strings.NewReader(url.Values{"name": {typed}, "email": {"x"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	res, err := b.c.Do(req)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refused form: %v %v", res, err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "accord.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var body []byte
	if err := db.QueryRow(`SELECT COUNT(*), MAX(body) FROM flashes`).Scan(&n, &body); err != nil || n != 1 {
		t.Fatalf("flashes waiting: %d, %v", n, err)
	}
	if strings.Contains(string(body), typed) || strings.Contains(string(body), "name") {
		t.Errorf("the store can read the waiting form: %q", body)
	}
	// With the cookie, the page shows it.
	jar.SetCookies(req.URL, res.Cookies())
	b.c.Jar, b.c.CheckRedirect = jar, nil
	if p := b.get("/app/clients"); p.value(t, "client-name") != typed {
		t.Errorf("the page does not show what was typed")
	}
}

// The engagement page says since when the client owes the next step and until when the agreed
// response time runs; the portal says until when.
func TestNextStepSaysSinceAndUntil(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	b := h.browser("en")
	b.login("ana@studio.example")
	want := cat.T("en", "next.when", map[string]any{"since": start, "until": start.AddDate(0, 0, 3)})
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.text(), want) {
		t.Errorf("the engagement page lacks %q", want)
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	if p := c.get("/portal"); !strings.Contains(p.text(), cat.T("en", "ask.when", map[string]any{"until": start.AddDate(0, 0, 3)})) {
		t.Errorf("the portal does not say until when: %s", p.text())
	}
}

// A browser never sees JSON, even for a body refused before any page handler, nor Go's own
// "404 page not found".
func TestBrowsersNeverSeeJSON(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "100.00")
	b := h.browser("ru")
	b.login("ana@studio.example")
	big := url.Values{"body": {strings.Repeat("я", 700000)}}
	for name, p := range map[string]page{
		"a form over 1 MiB":  b.post("/app/engagements/"+id+"/messages", big),
		"a broken form body": b.do(rawForm(t, h, "/app/settings", "name=%zz")),
		"a missing file":     b.get("/static/nope.css"),
		"the static folder":  b.get("/static/"),
	} {
		if !strings.HasPrefix(p.ctype, "text/html") || !strings.Contains(p.html, `<html lang="ru">`) {
			t.Errorf("%s: %d %s: %.200s", name, p.status, p.ctype, p.html)
		}
	}
	if p := b.get("/static/accord.css"); p.status != 200 || !strings.HasPrefix(p.ctype, "text/css") {
		t.Errorf("the style sheet: %d %s", p.status, p.ctype)
	}
	if r := h.request("POST", "/api/v1/engagements/"+id+"/messages", token, "application/x-www-form-urlencoded", strings.NewReader("name=%zz")); !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("the API answered a broken body with %s", r.header.Get("Content-Type"))
	}
}

func rawForm(t *testing.T, h *harness, path, body string) *http.Request {
	req, _ := http.NewRequest("POST", h.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// A delivery refused on the page keeps its note.
func TestRefusedDeliveryKeepsTheNote(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "100.00")
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "50.00"}, 201)
	h.call("POST", "/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/start", token, nil, 200)
	b := h.browser("bg")
	b.login("ana@studio.example")
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	mw.WriteField("note", "Бележка тук")
	mw.Close()
	req, _ := http.NewRequest("POST", h.url+"/app/engagements/"+id+"/milestones/"+ms[0]+"/deliver", strings.NewReader(body.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	p := b.do(req)
	if got := p.value(t, "note-1"); got != "Бележка тук" {
		t.Errorf("the refused delivery's note reads %q", got)
	}
	if got, want := p.problemAfter(t, "files-1"), cat.T("bg", "delivery.no_files", nil); got != want {
		t.Errorf("beside the files: %q, want %q", got, want)
	}
}

// The API names every problem of an agreement at once: the body's and the rules'.
func TestAgreementProblemsAllAtOnce(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := h.briefed(token)
	r := h.call("POST", "/api/v1/engagements/"+id+"/agreements", token, map[string]any{
		"scope": "x", "deliverables": []map[string]string{{"title": "Logo", "volume": "3"}},
		"milestones": []map[string]any{{"title": "A", "due_date": "2020-01-01", "price": "ten", "prepayment_percent": 50}},
		"revisions":  -1, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "portal", "report_cadence": "weekly"}, 422)
	var body struct {
		Error struct{ Fields []struct{ Field string } }
	}
	json.Unmarshal(r.body, &body)
	got := map[string]bool{}
	for _, f := range body.Error.Fields {
		got[f.Field] = true
	}
	for _, want := range []string{"milestones[0].price", "milestones[0].due_date", "revisions"} {
		if !got[want] {
			t.Errorf("the 422 does not name %s: %s", want, r.body)
		}
	}
}

// A person tells their API tokens apart by a label and the secret's last characters.
func TestTokensAreToldApart(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	b := h.browser("ru")
	b.login("ana@studio.example")
	p := b.post("/app/tokens", url.Values{"password": {"correct horse battery"}, "label": {"Скрипт для счетов"}})
	token := p.html[strings.Index(p.html, `id="new-token">`)+len(`id="new-token">`):]
	token = token[:strings.Index(token, "<")]
	if !strings.HasPrefix(token, "acc_") {
		t.Fatalf("no token shown: %q", token)
	}
	if !strings.Contains(p.text(), "Скрипт для счетов") || !strings.Contains(p.text(), "…"+token[len(token)-4:]) {
		t.Errorf("the list does not name the token by its label and last characters: %s", p.text())
	}
	if strings.Count(p.html, token) != 1 {
		t.Errorf("the whole secret is shown more than once")
	}
}

// Before an agreement the workspace's response time counts: a setting, 3 days unless changed.
func TestWorkspaceResponseDaysBeforeAnAgreement(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	if p := b.post("/app/settings", url.Values{"name": {"Ana"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "response_days": {"0"}}); p.problemAfter(t, "ws-response") == "" {
		t.Errorf("0 days to answer was taken")
	}
	b.post("/app/settings", url.Values{"name": {"Ana"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "response_days": {"5"}})
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Logo", "currency": "EUR"}, 201).json(t)["id"].(string)
	h.call("PUT", "/api/v1/engagements/"+id+"/brief", token, map[string]any{"questions": []map[string]any{{"text": "Goal?", "required": true}}}, 200)
	h.call("POST", "/api/v1/engagements/"+id+"/brief/send", token, nil, 200)
	want := cat.T("en", "next.when", map[string]any{"since": start, "until": start.AddDate(0, 0, 5)})
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.text(), want) {
		t.Errorf("the engagement page lacks %q", want)
	}
}
