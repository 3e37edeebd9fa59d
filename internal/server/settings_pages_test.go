package server_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

// noticeOn is the page's one-time confirmation (#notice), "" when it has none.
func noticeOn(p page) string {
	m := regexp.MustCompile(`(?s)<div class="notice" role="status" id="notice">(.*?)</div>`).FindStringSubmatch(p.html)
	if m == nil {
		return ""
	}
	return page{html: m[1]}.text()
}

// alertOn is what the page's refusal box (#error) says, "" when there is none.
func alertOn(p page) string {
	m := regexp.MustCompile(`(?s)<div class="error" role="alert" id="error">(.*?)</div>`).FindStringSubmatch(p.html)
	if m == nil {
		return ""
	}
	return page{html: m[1]}.text()
}

// htmlLang is the language the page says it is in.
func htmlLang(p page) string {
	m := regexp.MustCompile(`<html lang="([^"]*)">`).FindStringSubmatch(p.html)
	if m == nil {
		return ""
	}
	return m[1]
}

// selected is the value of the chosen option of the select with this id, "" when none is.
func selected(t *testing.T, p page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<select[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(p.html)
	if m == nil {
		t.Fatalf("the page has no select #%s", id)
	}
	o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[1])
	if o == nil {
		return ""
	}
	return o[1]
}

// apiClient is one of the workspace's clients as the API lists them, by email.
func apiClient(h *harness, token, email string) map[string]any {
	h.t.Helper()
	for _, c := range h.call("GET", "/api/v1/clients", token, nil, 200).json(h.t)["clients"].([]any) {
		if m := c.(map[string]any); m["email"] == email {
			return m
		}
	}
	h.t.Fatalf("no client %s", email)
	return nil
}

func settingsForm(name, zone, minutes, payment, lang string) url.Values {
	return url.Values{"name": {name}, "timezone": {zone}, "cooling_off_minutes": {minutes}, "payment_details": {payment}, "language": {lang}}
}

// Choosing Russian in the settings makes the confirmation and the next pages Russian, whatever
// the browser asks for; everything saved shows on the page again.
func TestSettingsSavedInTheLanguageChosen(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/settings", settingsForm("Студия Аны", "Europe/Sofia", "45", "IBAN BG80 BNBG 9661 1020 3456 78\nBIC BNBGBGSD", "ru"))
	if p.url != "/app/settings" || p.status != 200 {
		t.Fatalf("saving the settings ended at %s (%d)", p.url, p.status)
	}
	if got, want := noticeOn(p), cat.T("ru", "notice.settings_saved", nil); got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	if htmlLang(p) != "ru" {
		t.Errorf("the page after saving is in %q, want ru", htmlLang(p))
	}
	for id, want := range map[string]string{"ws-name": "Студия Аны", "ws-timezone": "Europe/Sofia", "ws-cooling": "45",
		"ws-payment": "IBAN BG80 BNBG 9661 1020 3456 78\nBIC BNBGBGSD"} {
		if got := p.value(t, id); got != want {
			t.Errorf("#%s holds %q after saving, want %q", id, got, want)
		}
	}
	if got := selected(t, p, "my-language"); got != "ru" {
		t.Errorf("your language shows %q, want ru", got)
	}
	next := b.get("/app/clients")
	if htmlLang(next) != "ru" || !strings.Contains(next.text(), cat.T("ru", "clients.title", nil)) {
		t.Errorf("the next page is in %q, want Russian", htmlLang(next))
	}
	if again := b.get("/app/settings"); noticeOn(again) != "" {
		t.Errorf("the confirmation shows again on reload: %q", noticeOn(again))
	}
	// Back to following the browser.
	p = b.post("/app/settings", settingsForm("Студия Аны", "Europe/Sofia", "45", "", ""))
	if htmlLang(p) != "en" || noticeOn(p) != cat.T("en", "notice.settings_saved", nil) {
		t.Errorf("with no language chosen the page is in %q: %q", htmlLang(p), noticeOn(p))
	}
}

// A new workspace's settings saved as shown are accepted: the page shows the zone it reads in.
func TestNewWorkspaceSettingsSaveAsShown(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.get("/app/settings")
	if got := p.value(t, "ws-timezone"); got != "UTC" {
		t.Errorf("a new workspace's zone shows as %q, want UTC", got)
	}
	p = b.post("/app/settings", settingsForm("Studio Nord", p.value(t, "ws-timezone"), p.value(t, "ws-cooling"), p.value(t, "ws-payment"), ""))
	if got, want := noticeOn(p), cat.T("en", "notice.settings_saved", nil); got != want || p.value(t, "ws-name") != "Studio Nord" {
		t.Errorf("saving the settings as shown: confirmation %q, refusal %q, name %q", got, alertOn(p)+p.problemAfter(t, "ws-timezone"), p.value(t, "ws-name"))
	}
}

// A refused settings form shows each problem beside its field, once, with what was typed kept,
// and changes nothing.
func TestSettingsRefusedBesideEachField(t *testing.T) {
	for _, lang := range []string{"en", "ru", "bg"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.account("ana@studio.example")
			b := h.browser(lang)
			b.login("ana@studio.example")
			for _, zone := range []string{"Local", "Mars/Olympus"} {
				p := b.post("/app/settings", settingsForm("Studio Nord", zone, "5000", "IBAN DE00 1234", ""))
				if p.url != "/app/settings" || p.status != 200 {
					t.Fatalf("refused settings: at %s (%d)", p.url, p.status)
				}
				if noticeOn(p) != "" {
					t.Errorf("%s: a refusal confirms %q", zone, noticeOn(p))
				}
				zoneErr, rangeErr := cat.T(lang, "field.timezone", nil), cat.T(lang, "field.range", map[string]any{"min": 0, "max": 1440})
				if got := p.problemAfter(t, "ws-timezone"); got != zoneErr {
					t.Errorf("%s: beside the time zone %q, want %q", zone, got, zoneErr)
				}
				if got := p.problemAfter(t, "ws-cooling"); got != rangeErr {
					t.Errorf("%s: beside the cooling-off %q, want %q", zone, got, rangeErr)
				}
				for _, id := range []string{"ws-name", "ws-payment"} {
					if got := p.problemAfter(t, id); got != "" {
						t.Errorf("%s: a good field #%s has a problem: %q", zone, id, got)
					}
				}
				for _, msg := range []string{zoneErr, rangeErr} {
					if n := strings.Count(p.text(), msg); n != 1 {
						t.Errorf("%s: %q is said %d times, want once", zone, msg, n)
					}
				}
				for id, want := range map[string]string{"ws-name": "Studio Nord", "ws-timezone": zone, "ws-cooling": "5000", "ws-payment": "IBAN DE00 1234"} {
					if got := p.value(t, id); got != want {
						t.Errorf("%s: #%s holds %q, want what was typed, %q", zone, id, got, want)
					}
				}
				stored := b.get("/app/settings")
				if stored.value(t, "ws-timezone") != "UTC" || stored.value(t, "ws-cooling") == "5000" || stored.value(t, "ws-name") == "Studio Nord" {
					t.Errorf("%s: a refused form changed the settings: zone %q, minutes %q, name %q", zone,
						stored.value(t, "ws-timezone"), stored.value(t, "ws-cooling"), stored.value(t, "ws-name"))
				}
			}
		})
	}
}

// The workspace's zone is the zone of every time on the freelancer's pages, and it is named.
func TestWorkspaceZoneOnTheFreelancersPages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := h.briefed(token) // events and emails at the clock's start, 10:00 UTC
	b := h.browser("en")
	b.login("ana@studio.example")
	pages := []string{"/app/tokens", "/app/outbox", "/app/engagements/" + id}
	for _, path := range pages {
		if p := b.get(path); !strings.Contains(p.text(), "10:00 (UTC)") {
			t.Fatalf("%s before the zone is set: no time at 10:00 (UTC): %s", path, p.text())
		}
	}
	b.post("/app/settings", settingsForm("Studio", "Europe/Sofia", "20", "", ""))
	for _, path := range pages {
		p := b.get(path)
		if !strings.Contains(p.text(), "12:00 (Europe/Sofia)") {
			t.Errorf("%s: no time at 12:00 (Europe/Sofia), the workspace's zone in November: %s", path, p.text())
		}
		// An email's body keeps its recipient's zone (the client's, UTC): only the page's own times count.
		own := page{html: regexp.MustCompile(`(?s)</summary>.*?</details>`).ReplaceAllString(p.html, "")}
		if strings.Contains(own.text(), "(UTC)") {
			t.Errorf("%s still shows a time in UTC: %s", path, own.text())
		}
	}
}

// The payment details are shown to the client where a prepayment is asked, and not otherwise.
func TestPaymentDetailsOnThePortalWhenPrepaymentIsAsked(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	client := h.browser("en")
	client.openPortal(h.invite(token, id, "maria@client.example"))
	ask := cat.T("en", "ask.prepay", map[string]any{"amount": accord.Money{Amount: 50000, Currency: "EUR"}, "num": 1, "title": "Part A"})
	p := client.get("/portal")
	if !strings.Contains(p.text(), ask) || !strings.Contains(p.text(), cat.T("en", "portal.pay.ask_details", nil)) {
		t.Fatalf("without details the prepayment ask should say to ask for them: %s", p.text())
	}
	b := h.browser("en")
	b.login("ana@studio.example")
	b.post("/app/settings", settingsForm("Studio", "UTC", "20", "IBAN BG80 BNBG 9661 1020 3456 78\nBIC BNBGBGSD", ""))
	p = client.get("/portal")
	pay := regexp.MustCompile(`(?s)<div class="pay" id="pay">.*?</div>`).FindString(p.html)
	if pay == "" {
		t.Fatalf("the portal asks for the prepayment without the details to pay with: %s", p.text())
	}
	for _, line := range []string{"IBAN BG80 BNBG 9661 1020 3456 78", "BIC BNBGBGSD"} {
		if !strings.Contains(page{html: pay}.text(), line) {
			t.Errorf("the payment details lack %q: %s", line, page{html: pay}.text())
		}
	}
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	p = client.get("/portal")
	if strings.Contains(p.html, `id="pay"`) || strings.Contains(p.text(), "IBAN BG80") || strings.Contains(p.text(), ask) {
		t.Errorf("with the prepayment in, the portal still asks for money: %s", p.text())
	}
}

// The clients page adds a client and edits one client's language and zone; a refused edit keeps
// what was typed for that client only.
func TestClientsPageAddsAndEdits(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Ivan", "email": "ivan@client.example", "language": "ru", "timezone": "Europe/Moscow"}, 201)
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/clients", url.Values{"name": {"Мария Петрова"}, "email": {"maria@client.example"}, "language": {"bg"}, "timezone": {"Europe/Sofia"}})
	if got, want := noticeOn(p), cat.T("en", "notice.client_added", map[string]any{"name": "Мария Петрова"}); p.url != "/app/clients" || got != want {
		t.Fatalf("adding a client: at %s, confirmation %q, want %q", p.url, got, want)
	}
	maria, ivan := apiClient(h, token, "maria@client.example"), apiClient(h, token, "ivan@client.example")
	if maria["language"] != "bg" || maria["timezone"] != "Europe/Sofia" || maria["name"] != "Мария Петрова" {
		t.Errorf("the client added: %v", maria)
	}
	mid, iid := maria["id"].(string), ivan["id"].(string)

	edit := func(lang, zone, email string) page {
		return b.post("/app/clients/"+mid, url.Values{"id": {mid}, "name": {"Мария Петрова"}, "email": {email}, "language": {lang}, "timezone": {zone}})
	}
	p = edit("en", "America/New_York", "maria@client.example")
	if got, want := noticeOn(p), cat.T("en", "notice.client_saved", map[string]any{"name": "Мария Петрова"}); p.url != "/app/clients" || got != want {
		t.Fatalf("editing a client: at %s, confirmation %q, want %q", p.url, got, want)
	}
	if m := apiClient(h, token, "maria@client.example"); m["language"] != "en" || m["timezone"] != "America/New_York" {
		t.Errorf("after the edit: %v", m)
	}
	if selected(t, p, "language-"+mid) != "en" || p.value(t, "timezone-"+mid) != "America/New_York" {
		t.Errorf("the form shows %q, %q after the edit", selected(t, p, "language-"+mid), p.value(t, "timezone-"+mid))
	}

	p = edit("ru", "Mars/Olympus", "maria@")
	if p.url != "/app/clients" || noticeOn(p) != "" {
		t.Fatalf("a refused edit: at %s, confirmation %q", p.url, noticeOn(p))
	}
	if got := p.value(t, "timezone-"+mid); got != "Mars/Olympus" {
		t.Errorf("the refused client's zone holds %q, want what was typed", got)
	}
	if got := p.value(t, "email-"+mid); got != "maria@" {
		t.Errorf("the refused client's email holds %q, want what was typed", got)
	}
	if got := selected(t, p, "language-"+mid); got != "ru" {
		t.Errorf("the refused client's language shows %q, want ru as chosen", got)
	}
	if got, want := p.problemAfter(t, "timezone-"+mid), cat.T("en", "field.timezone", nil); got != want {
		t.Errorf("beside the refused client's zone: %q, want %q", got, want)
	}
	if got, want := p.problemAfter(t, "email-"+mid), cat.T("en", "field.email", nil); got != want {
		t.Errorf("beside the refused client's email: %q, want %q", got, want)
	}
	if !regexp.MustCompile(`<details class="card client" id="client-` + mid + `" open>`).MatchString(p.html) {
		t.Errorf("the refused client's form is not open")
	}
	if p.value(t, "timezone-"+iid) != "Europe/Moscow" || p.value(t, "email-"+iid) != "ivan@client.example" || selected(t, p, "language-"+iid) != "ru" {
		t.Errorf("another client's form shows %q, %q, %q; want its stored values", p.value(t, "timezone-"+iid), p.value(t, "email-"+iid), selected(t, p, "language-"+iid))
	}
	for _, id := range []string{"timezone-" + iid, "email-" + iid} {
		if got := p.problemAfter(t, id); got != "" {
			t.Errorf("another client's #%s has the refused form's problem %q", id, got)
		}
	}
	if strings.Contains(p.html, `id="client-`+iid+`" open`) {
		t.Errorf("another client's form is open")
	}
	if m := apiClient(h, token, "maria@client.example"); m["language"] != "en" || m["timezone"] != "America/New_York" || m["email"] != "maria@client.example" {
		t.Errorf("a refused edit changed the client: %v", m)
	}
}

// Another workspace's client cannot be edited: the clients page says there is no such client,
// shows nothing of theirs, and nothing changes.
func TestClientOfAnotherWorkspaceIsNotFound(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	h.app.SignupPolicy = "open"
	bob := h.account("bob@other.example")
	theirs := h.call("POST", "/api/v1/clients", bob, map[string]string{"name": "Zed", "email": "zed@client.example", "language": "en", "timezone": "UTC"}, 201).json(t)["id"].(string)
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/clients/"+theirs, url.Values{"id": {theirs}, "name": {"Taken"}, "email": {"mine@studio.example"}, "language": {"bg"}, "timezone": {"Europe/Sofia"}})
	if p.url != "/app/clients" || !strings.HasPrefix(p.ctype, "text/html") || noticeOn(p) != "" {
		t.Errorf("editing another workspace's client: %d %s at %s, confirmation %q", p.status, p.ctype, p.url, noticeOn(p))
	}
	if got, want := alertOn(p), cat.T("en", "client.not_found", nil); got != want {
		t.Errorf("the page says %q, want %q", got, want)
	}
	if strings.Contains(p.text(), "Zed") || strings.Contains(p.text(), "zed@client.example") || strings.Contains(p.html, "Taken") {
		t.Errorf("the page shows the other workspace's client or the refused values: %s", p.text())
	}
	if m := apiClient(h, bob, "zed@client.example"); m["name"] != "Zed" || m["language"] != "en" || m["timezone"] != "UTC" || m["email"] != "zed@client.example" {
		t.Errorf("the other workspace's client changed: %v", m)
	}
}

// An API token is made with the password and shown once; the list shows it, revoking it ends it,
// and another user's token cannot be revoked.
func TestTokensPage(t *testing.T) {
	h := newHarness(t)
	first := h.account("ana@studio.example")
	h.app.SignupPolicy = "open"
	bob := h.account("bob@other.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	rows := func(p page) int { return strings.Count(p.html, `class="token-row"`) }
	if n := rows(b.get("/app/tokens")); n != 1 {
		t.Fatalf("the list shows %d tokens, want the signup's one", n)
	}

	p := b.post("/app/tokens", url.Values{"password": {"wrong horse"}})
	if p.url != "/app/tokens" || strings.Contains(p.html, `id="new-token"`) {
		t.Fatalf("a wrong password: at %s, token shown: %v", p.url, strings.Contains(p.html, `id="new-token"`))
	}
	if got, want := p.problemAfter(t, "token-password"), cat.T("en", "error.password_wrong", nil); got != want {
		t.Errorf("beside the password: %q, want %q", got, want)
	}
	if strings.Contains(p.html, "wrong horse") {
		t.Errorf("the page shows the password typed")
	}

	p = b.post("/app/tokens", url.Values{"password": {"correct horse battery"}})
	m := regexp.MustCompile(`<code class="token" id="new-token">([^<]+)</code>`).FindStringSubmatch(p.html)
	if p.url != "/app/tokens" || p.status != http.StatusOK || m == nil {
		t.Fatalf("creating a token: %d at %s, token shown: %v", p.status, p.url, m != nil)
	}
	token := m[1]
	if got, want := noticeOn(p), cat.T("en", "notice.token_created", nil); got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	h.call("GET", "/api/v1/clients", token, nil, 200)
	list := b.get("/app/tokens")
	if rows(list) != 2 || strings.Contains(list.html, token) {
		t.Errorf("the list shows %d tokens (want 2) and the secret again: %v", rows(list), strings.Contains(list.html, token))
	}
	hash := app.HashSecret(token)
	if !strings.Contains(list.html, `action="/app/tokens/`+hash+`/revoke"`) {
		t.Fatalf("the list offers no revoke for the new token")
	}

	p = b.post("/app/tokens/"+hash+"/revoke", nil)
	if got, want := noticeOn(p), cat.T("en", "notice.token_revoked", nil); p.url != "/app/tokens" || got != want {
		t.Errorf("revoking: at %s, confirmation %q, want %q", p.url, got, want)
	}
	h.call("GET", "/api/v1/clients", token, nil, 401)
	h.call("GET", "/api/v1/clients", first, nil, 200)
	if n := rows(b.get("/app/tokens")); n != 1 {
		t.Errorf("after revoking the list shows %d tokens, want 1", n)
	}

	p = b.post("/app/tokens/"+app.HashSecret(bob)+"/revoke", nil)
	if got, want := alertOn(p), cat.T("en", "token.not_found", nil); noticeOn(p) != "" || got != want {
		t.Errorf("revoking another user's token: confirmation %q, refusal %q, want %q", noticeOn(p), got, want)
	}
	h.call("GET", "/api/v1/clients", bob, nil, 200)
}

// Signing out everywhere ends every browser's session; API tokens keep working.
func TestSignOutEverywhere(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	one, two := h.browser("en"), h.browser("en")
	one.login("ana@studio.example")
	two.login("ana@studio.example")
	p := one.post("/app/sessions/end-all", nil)
	if p.url != "/login" {
		t.Fatalf("signing out everywhere ended at %s", p.url)
	}
	if got, want := noticeOn(p), cat.T("en", "notice.signed_out_everywhere", map[string]any{"count": 2}); got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	for name, b := range map[string]*browser{"this browser": one, "the other browser": two} {
		if p := b.get("/app"); p.url != "/login" {
			t.Errorf("%s still opens /app (at %s)", name, p.url)
		}
	}
	h.call("GET", "/api/v1/clients", token, nil, 200)
	one.login("ana@studio.example")
}

// switchMailer sends or fails as the test says.
type switchMailer struct {
	mu   sync.Mutex
	fail bool
}

func (m *switchMailer) Send(context.Context, accord.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("relay refused")
	}
	return nil
}

func (m *switchMailer) failing(v bool) {
	m.mu.Lock()
	m.fail = v
	m.mu.Unlock()
}

// The outbox lists every email with its state in words, newest first.
func TestOutboxPage(t *testing.T) {
	h := newHarness(t)
	mailer := &switchMailer{}
	h.app.Mailer = mailer
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example", "language": "bg"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(t)["id"].(string)
	h.call("PUT", "/api/v1/engagements/"+id+"/brief", token, map[string]any{"questions": []map[string]any{{"text": "What is the goal?", "required": true}}}, 200)
	h.invite(token, id, "maria@client.example")
	h.advance(token, "1h")
	mailer.failing(true)
	h.call("POST", "/api/v1/engagements/"+id+"/brief/send", token, nil, 200)
	h.advance(token, "0s")

	mails := map[string]map[string]any{}
	for _, m := range h.outbox(token) {
		mails[m["kind"].(string)] = m
	}
	inv, brief := mails["invitation"], mails["brief"]
	if inv == nil || brief == nil || inv["state"] != "sent" || brief["state"] != "queued" || brief["error"] != "relay refused" ||
		brief["retry_at"] != "2026-11-23T11:01:00Z" {
		t.Fatalf("after one failed try, the outbox: %v", mails)
	}
	for _, lang := range []string{"en", "ru", "bg"} {
		b := h.browser(lang)
		b.login("ana@studio.example")
		want := cat.T(lang, "outbox.retrying", map[string]any{"why": "relay refused", "at": i18n.Locale{Lang: lang}.Time(start.Add(61 * time.Minute))})
		if p := b.get("/app/outbox"); !strings.Contains(p.text(), want) {
			t.Errorf("%s: the outbox page does not say %q:\n%s", lang, want, p.text())
		}
	}

	h.advance(token, "48h") // every try fails
	mails = map[string]map[string]any{}
	for _, m := range h.outbox(token) {
		mails[m["kind"].(string)] = m
	}
	brief = mails["brief"]
	if brief["state"] != "failed" || brief["error"] != "relay refused" || brief["retry_at"] != nil {
		t.Fatalf("after the last try, the outbox: %v", mails)
	}
	for _, lang := range []string{"en", "ru", "bg"} {
		b := h.browser(lang)
		b.login("ana@studio.example")
		p := b.get("/app/outbox")
		cards := regexp.MustCompile(`(?s)<details class="card mail" data-state="([a-z]+)"><summary><span class="state">(.*?)</span>\s*(.*?)<br>`).FindAllStringSubmatch(p.html, -1)
		if len(cards) != 2 {
			t.Fatalf("%s: the outbox page shows %d emails, want 2", lang, len(cards))
		}
		want := [][3]string{{"failed", cat.T(lang, "state.mail_failed", nil), brief["subject"].(string)},
			{"sent", cat.T(lang, "state.mail_sent", nil), inv["subject"].(string)}}
		for i, c := range cards {
			got := [3]string{c[1], page{html: c[2]}.text(), page{html: c[3]}.text()}
			if got != want[i] {
				t.Errorf("%s: email %d is %q, want %q (newest first)", lang, i+1, got, want[i])
			}
		}
		if !strings.Contains(p.text(), cat.T(lang, "outbox.failed", map[string]any{"why": "relay refused"})) {
			t.Errorf("%s: the failed email does not say it was not sent", lang)
		}
	}
}
