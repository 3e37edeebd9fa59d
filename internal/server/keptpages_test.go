package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The engagement page and the portal are kept once rendered, and a page asked for again is the
// same page; every change still shows at once: an event, a client's details, the workspace's
// settings, the reader's language, a refusal shown once, and the clock reaching the end of a
// reply's cooling-off.
func TestKeptPagesShowEveryChange(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00")
		eng := "/app/engagements/" + id
		b := h.browser("en")
		b.login("ana@studio.example")
		portal := func() string {
			t.Helper()
			status, body := getPage(t, h, "/portal", &http.Cookie{Name: "accord_portal", Value: session})
			if status != 200 {
				t.Fatalf("the portal: %d", status)
			}
			return body
		}
		if first, again := b.get(eng), b.get(eng); first.status != 200 || first.html != again.html {
			t.Fatalf("the engagement page read twice: %d, the same %v", first.status, first.html == again.html)
		}
		if first, again := portal(), portal(); first != again {
			t.Fatal("the portal read twice differs")
		}

		h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "Files are in."}, 201)
		if !strings.Contains(b.get(eng).text(), "Files are in.") || !strings.Contains(portal(), "Files are in.") {
			t.Error("a new message is not on both pages")
		}

		cl := apiClient(h, token, "maria@client.example")
		b.post("/app/clients/"+cl["id"].(string), url.Values{"id": {cl["id"].(string)}, "name": {"Maria Ivanova"},
			"email": {"maria@client.example"}, "language": {cl["language"].(string)}, "timezone": {cl["timezone"].(string)}})
		if !strings.Contains(b.get(eng).text(), "Maria Ivanova") {
			t.Error("the engagement page does not show the client's new name")
		}

		before := portal()
		b.post("/app/settings", url.Values{"name": {"Studio Nord"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "response_days": {"3"}})
		if strings.Contains(before, "Studio Nord") || !strings.Contains(portal(), "Studio Nord") {
			t.Error("the portal does not show the workspace's new name")
		}

		ru := h.browser("ru")
		ru.login("ana@studio.example")
		if p := ru.get(eng); !strings.Contains(p.html, `<html lang="ru"`) || !strings.Contains(p.text(), cat.T("ru", "eng.brief.title", nil)) {
			t.Error("the engagement page is not in the reader's language")
		}

		refused := b.post(eng+"/messages", url.Values{"body": {" "}})
		if refused.url != eng || refused.problemAfter(t, "message-body") == "" {
			t.Fatalf("an empty message: at %s, with no problem beside the field", refused.url)
		}
		if p := b.get(eng); strings.Contains(p.html, `class="field-error"`) {
			t.Error("a refusal shown once is shown again")
		}

		h.sentBack(token, id, session, ms[0])
		h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "The brighter version is on its way."}, 202)
		if strings.Contains(portal(), "brighter version") {
			t.Fatal("the client sees a reply still held back")
		}
		if !strings.Contains(b.get(eng).text(), cat.T("en", "coach.title", nil)) {
			t.Fatal("the engagement page does not show the held reply as held")
		}
		h.clock.Advance(21 * time.Minute)
		if !strings.Contains(portal(), "brighter version") {
			t.Error("at the end of the cooling-off the client does not see the reply")
		}
		if strings.Contains(b.get(eng).text(), cat.T("en", "coach.title", nil)) {
			t.Error("at the end of the cooling-off the engagement page still shows the reply as held")
		}
	})
}
