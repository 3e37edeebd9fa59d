package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/accordapp/accord/internal/store/storetest"
)

// sentBrief makes a client with this language and zone and an engagement whose brief waits for
// the client; it returns the engagement id.
func sentBrief(h *harness, token, lang, zone string) string {
	h.t.Helper()
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example", "language": lang, "timezone": zone}, 201).json(h.t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(h.t)["id"].(string)
	h.call("PUT", "/api/v1/engagements/"+id+"/brief", token, map[string]any{"questions": []map[string]any{{"text": "What is the goal?", "required": true}}}, 200)
	h.call("POST", "/api/v1/engagements/"+id+"/brief/send", token, nil, 200)
	return id
}

// mailWith is the email of this kind whose body holds text (the test clock stands still, so
// the outbox's order says nothing about which came last).
func mailWith(h *harness, token, kind, text string) map[string]any {
	h.t.Helper()
	for _, m := range h.outbox(token) {
		if m["kind"] == kind && strings.Contains(m["body"].(string), text) {
			return m
		}
	}
	h.t.Fatalf("no %s email with %q in the outbox", kind, text)
	return nil
}

// The language a contact chooses in the portal is remembered: a new portal session opens in it,
// and the next email to the contact is written in it.
func TestPortalLanguageIsRemembered(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { portalLanguageIsRemembered(t, newHarness(t)) })
	t.Run("postgres", func(t *testing.T) { portalLanguageIsRemembered(t, newHarnessOn(t, storetest.PostgresSchema(t))) })
}

func portalLanguageIsRemembered(t *testing.T, h *harness) {
	token := h.account("ana@studio.example")
	id := sentBrief(h, token, "en", "UTC")
	first, before := h.browser("en"), h.invite(token, id, "maria@client.example")
	if p := first.openPortal(before); htmlLang(p) != "en" {
		t.Fatalf("the portal of an English client opens in %q", htmlLang(p))
	}
	p := first.post("/portal/language", url.Values{"language": {"bg"}})
	if p.url != "/portal" || htmlLang(p) != "bg" || !strings.Contains(p.text(), cat.T("bg", "portal.brief.title", nil)) {
		t.Fatalf("after choosing Bulgarian: at %s, in %q", p.url, htmlLang(p))
	}
	p = first.post("/portal/language", url.Values{"language": {"xx"}})
	if htmlLang(p) != "bg" || !strings.Contains(alertOn(p), cat.T("bg", "field.language", nil)) {
		t.Errorf("an unknown language: the page is in %q and says %q", htmlLang(p), alertOn(p))
	}

	link := h.invite(token, id, "maria@client.example")
	if p := h.browser("en").openPortal(link); htmlLang(p) != "bg" {
		t.Errorf("a new portal session opens in %q, want the Bulgarian chosen before", htmlLang(p))
	}
	data := map[string]any{"workspace": "Studio ana@studio.example", "title": "Brand book"}
	if got, want := mailWith(h, token, "invitation", before)["subject"], cat.T("en", "mail.invitation.subject", data); got != want {
		t.Errorf("the invitation before the choice: %q, want %q", got, want)
	}
	if got, want := mailWith(h, token, "invitation", link)["subject"], cat.T("bg", "mail.invitation.subject", data); got != want {
		t.Errorf("the next invitation's subject is %q, want %q", got, want)
	}
	h.browser("en").post("/portal/link", url.Values{"email": {"maria@client.example"}})
	m := mailWith(h, token, "portal_link", "/p/")
	if got, want := m["subject"], cat.T("bg", "mail.portal_link.subject", data); got != want {
		t.Errorf("the new link's subject is %q, want %q", got, want)
	}
	if body := m["body"].(string); !strings.HasPrefix(body, strings.SplitN(cat.T("bg", "mail.portal_link.body", data), "\n", 2)[0]) {
		t.Errorf("the new link's body is not in Bulgarian: %q", body)
	}
	// The client's own language is unchanged: only this contact chose.
	if c := apiClient(h, token, "maria@client.example"); c["language"] != "en" {
		t.Errorf("the contact's choice changed the client's language to %v", c["language"])
	}
}

// A client set to Bulgarian sees the portal in Bulgarian whatever the browser asks for, with
// every time in the client's zone, named.
func TestPortalInTheClientsLanguageAndZone(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := sentBrief(h, token, "bg", "Europe/Sofia")
	h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "Здравейте!"}, 201)
	for _, accept := range []string{"en", "ru", "en-US,en;q=0.9"} {
		b := h.browser(accept)
		p := b.openPortal(h.invite(token, id, "maria@client.example"))
		if htmlLang(p) != "bg" || !strings.Contains(p.text(), cat.T("bg", "portal.brief.title", nil)) {
			t.Errorf("Accept-Language %s: the portal is in %q, want bg", accept, htmlLang(p))
		}
		if !strings.Contains(p.text(), "12:00 (Europe/Sofia)") || strings.Contains(p.text(), "(UTC)") {
			t.Errorf("Accept-Language %s: the message's time is not in the client's zone: %s", accept, p.text())
		}
	}
	f := h.browser("en")
	f.login("ana@studio.example")
	if p := f.get("/app/engagements/" + id); !strings.Contains(p.text(), "10:00 (UTC)") || strings.Contains(p.text(), "(Europe/Sofia)") {
		t.Errorf("the freelancer's page is not in the workspace's zone: %s", p.text())
	}
}

// Without a session, a portal file is the page that sends a new link, never JSON; an address that
// is no page answers the not-found page in the reader's language.
func TestSessionlessPagesAreHTML(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	for _, path := range []string{"/portal/files/x/original", "/portal/files/x/preview"} {
		p := h.browser("en").get(path)
		if p.url != "/portal" || p.status != 200 || !strings.HasPrefix(p.ctype, "text/html") || !strings.Contains(p.html, `action="/portal/link"`) {
			t.Errorf("%s without a session: %d %s at %s, want the new-link page", path, p.status, p.ctype, p.url)
		}
	}
	for _, lang := range []string{"en", "ru", "bg"} {
		guest := h.browser(lang)
		user := h.browser(lang)
		user.login("ana@studio.example")
		for name, b := range map[string]*browser{"without a session": guest, "logged in": user} {
			for _, path := range []string{"/app/nothing", "/app/engagements/eng_nothing/more", "/nothing"} {
				p := b.get(path)
				if p.status != http.StatusNotFound || !strings.HasPrefix(p.ctype, "text/html") || htmlLang(p) != lang {
					t.Errorf("%s %s, %s: %d %s in %q, want a 404 page", lang, name, path, p.status, p.ctype, htmlLang(p))
				}
				if want := cat.T(lang, "error.not_found", nil); !strings.Contains(p.text(), want) {
					t.Errorf("%s %s, %s: the page does not say %q", lang, name, path, want)
				}
			}
		}
	}
}
