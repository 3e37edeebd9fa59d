package server_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

// Information answered late moves the blocked milestone's due date and every later one's by the
// whole days late, on the test clock, through the API and the portal; both sides see why.
func TestLateInformationThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00", "600.00") // due 3 and 13 December 2026
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/info-requests", token, map[string]any{"title": "Texts", "due_date": "2026-11-30", "blocks": []string{"ms_nope"}}, 422)
		rid := h.call("POST", base+"/info-requests", token, map[string]any{"title": "Texts for the book", "due_date": "2026-11-30",
			"blocks": []string{ms[0]}}, 201).json(t)["id"].(string)
		h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": "240h"}, 200) // 3 December, 10:00
		h.call("POST", "/portal/api/info-requests/"+rid+"/answer", session, map[string]string{"text": ""}, 422)
		h.call("POST", "/portal/api/info-requests/"+rid+"/answer", session, map[string]string{"text": "Here they are."}, 200)
		h.call("POST", "/portal/api/info-requests/"+rid+"/answer", session, map[string]string{"text": "Again."}, 409)
		e := h.call("GET", base, token, nil, 200).json(t)
		m := e["milestones"].([]any)
		if d1, d2 := m[0].(map[string]any)["due_date"], m[1].(map[string]any)["due_date"]; d1 != "2026-12-06" || d2 != "2026-12-16" {
			t.Errorf("after an answer 3 days late the milestones are due %v and %v, want 2026-12-06 and 2026-12-16", d1, d2)
		}
		b := h.browser("en")
		b.login("ana@studio.example")
		if p := b.get("/app/engagements/" + id); !strings.Contains(p.text(), "(late information)") {
			t.Errorf("the freelancer's page does not say why the dates moved")
		}
	})
}

// The portal asks for the information at the top and takes the answer; a refused one keeps it.
func TestInformationOnThePortal(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/engagements/"+id+"/info-requests", url.Values{"title": {"Photos of the shop"}, "due_date": {"2026-11-28"}, "blocks": {ms[0]}})
	if !strings.Contains(p.text(), cat.T("en", "notice.info_requested", nil)) {
		t.Fatalf("the request was not confirmed: %s", p.text())
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	p = c.get("/portal")
	if !strings.Contains(p.text(), cat.T("en", "portal.info.title", map[string]any{"title": "Photos of the shop"})) ||
		!strings.Contains(p.text(), cat.T("en", "ask.answer_info", nil)) {
		t.Fatalf("the portal does not ask for the information: %s", p.text())
	}
	form := p.html[strings.Index(p.html, `action="/portal/info/`):]
	rid := strings.TrimPrefix(form[:strings.Index(form, `/answer"`)], `action="/portal/info/`)
	p = c.post("/portal/info/"+rid+"/answer", url.Values{"text": {" "}, "id": {rid}})
	if got := p.problemAfter(t, "info-answer-"+rid); got == "" {
		t.Errorf("an empty answer was taken")
	}
	p = c.post("/portal/info/"+rid+"/answer", url.Values{"text": {"Photos attached in the next message."}, "id": {rid}})
	if !strings.Contains(p.text(), cat.T("en", "notice.info_answered", nil)) || strings.Contains(p.html, "info-answer-"+rid) {
		t.Errorf("after answering: %s", p.text())
	}
}

// A paused engagement is resumed on the freelancer's word, through the API or the page, and its
// unfinished milestones' due dates move by the whole days paused.
func TestResumeAPausedEngagement(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00") // due 3 December 2026
	h.call("POST", "/api/v1/engagements/"+id+"/resume", token, nil, 409)
	sess, err := h.app.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	ws := sess.WorkspaceID
	err = h.app.Store.Write(context.Background(), func(tx accord.Tx) error { // the silence ladder's last step, as a job will take it
		e, err := tx.Engagement(ws, id)
		if err != nil {
			return err
		}
		if err := e.Pause(accord.Cmd{Now: h.clock.Now(), By: accord.Actor{Kind: "system", ID: "accord"}}, "silence"); err != nil {
			return err
		}
		return tx.SaveEngagement(e)
	})
	if err != nil {
		t.Fatal(err)
	}
	b := h.browser("en")
	b.login("ana@studio.example")
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.html, `id="resume"`) || !strings.Contains(p.text(), cat.T("en", "next.resume", nil)) {
		t.Fatalf("the paused engagement's page offers no resume: %s", p.text())
	}
	h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": "50h"}, 200) // 2 whole days
	e := h.call("POST", "/api/v1/engagements/"+id+"/resume", token, nil, 200).json(t)
	if e["state"] != "agreed" || e["milestones"].([]any)[0].(map[string]any)["due_date"] != "2026-12-05" {
		t.Errorf("after resuming: %v", e)
	}
	h.call("POST", "/api/v1/engagements/"+id+"/resume", token, nil, 409)
}

// The engagement page shows every open information request and the latest five answered ones,
// and says how many earlier ones the record keeps.
func TestEngagementPageShowsTheLatestAnsweredRequests(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, _ := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	ask := func(n int) string {
		return h.call("POST", base+"/info-requests", token, map[string]any{"title": fmt.Sprintf("Request %02d", n), "due_date": "2026-12-30"}, 201).json(t)["id"].(string)
	}
	for n := 1; n <= 7; n++ {
		h.call("POST", "/portal/api/info-requests/"+ask(n)+"/answer", session, map[string]string{"text": "Here."}, 200)
	}
	ask(8) // still open
	b := h.browser("en")
	b.login("ana@studio.example")
	page := b.get("/app/engagements/" + id).html
	i := strings.Index(page, `<section id="info">`)
	if i < 0 {
		t.Fatal("the engagement page has no information section")
	}
	text := html.UnescapeString(page[i : i+strings.Index(page[i:], "</section>")])
	for n := 1; n <= 8; n++ {
		if shown := strings.Contains(text, fmt.Sprintf("Request %02d", n)); shown != (n > 2) {
			t.Errorf("request %d shown: %v; want the open one and the latest five answered", n, shown)
		}
	}
	if want := cat.T("en", "eng.info.earlier", map[string]any{"count": 2}); !strings.Contains(text, want) {
		t.Errorf("the page does not say %q", want)
	}
}
