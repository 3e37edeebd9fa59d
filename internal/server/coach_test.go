package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// The coach through the API: each language's categories with rune offsets, the message and the
// suggestion in the reader's language; an unknown language is refused.
func TestCoachThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cases := []struct {
		lang, text, want, span string
	}{
		{"en", "Thanks. You obviously ignored my notes.", "accusation", "You obviously ignored"},
		{"ru", "Спасибо. Вы опять проигнорировали мои правки.", "accusation", "Вы опять проигнорировали"},
		{"bg", "Благодаря. НЕ ПРОЧЕТОХТЕ брифа.", "shouting", "НЕ ПРОЧЕТОХТЕ"},
	}
	for _, c := range cases {
		r := h.callLang("POST", "/api/v1/coach/check", token, "ru", map[string]any{"text": c.text, "language": c.lang}, 200).json(t)
		fs := r["findings"].([]any)
		if len(fs) != 1 {
			t.Fatalf("%s: findings %v, want one %s", c.lang, fs, c.want)
		}
		f := fs[0].(map[string]any)
		start, end := int(f["start"].(float64)), int(f["end"].(float64))
		if f["category"] != c.want || string([]rune(c.text)[start:end]) != c.span {
			t.Errorf("%s: %v spans %q, want %s over %q", c.lang, f["category"], string([]rune(c.text)[start:end]), c.want, c.span)
		}
		if f["message"] != cat.T("ru", "coach."+c.want+".message", nil) || f["suggestion"] != cat.T("ru", "coach."+c.want+".suggestion", nil) {
			t.Errorf("%s: not worded for a Russian reader: %v", c.lang, f)
		}
	}
	r := h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "Noted.", "language": "en", "reply_to_complaint": true}, 200).json(t)
	var cats []string
	for _, f := range r["findings"].([]any) {
		cats = append(cats, f.(map[string]any)["category"].(string))
	}
	if strings.Join(cats, ",") != "no_acknowledgement,no_paraphrase,no_option" {
		t.Errorf("a curt reply to a complaint: %v", cats)
	}
	h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "Hallo", "language": "de"}, 422)
	h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "", "language": "en"}, 422)
	h.call("POST", "/api/v1/coach/check", "", map[string]any{"text": "Hi", "language": "en"}, 401)
}

// On the pages: the message form's script gets what the coach finds as a piece of page, marked
// in the text; a held reply to a change request shows the findings again before it goes.
func TestCoachOnThePages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.sentBack(token, id, session, ms[0])
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/engagements/"+id+"/coach", url.Values{"body": {"You obviously ignored the brief."}})
	if !strings.Contains(p.html, `<mark data-category="accusation">You obviously ignored</mark>`) ||
		!strings.Contains(p.text(), cat.T("en", "coach.accusation.message", nil)) ||
		!strings.Contains(p.text(), cat.T("en", "coach.no_option.message", nil)) { // a reply to the change request offers no way forward
		t.Fatalf("the coach's piece of page: %s", p.html)
	}
	h.call("POST", base+"/messages", token, map[string]string{"body": "YOU NEVER READ THE BRIEF."}, 202) // held: the cooling-off runs
	p = b.get("/app/engagements/" + id)
	if !strings.Contains(p.text(), cat.T("en", "coach.title", nil)) || !strings.Contains(p.html, `<mark data-category="shouting">`) {
		t.Errorf("the held reply is not coached on the page: %s", p.text())
	}
	if !strings.Contains(p.html, `data-coach="/app/engagements/`+id+`/coach"`) {
		t.Error("the message form does not ask the coach as the freelancer types")
	}
}

// A held reply can be edited or withdrawn before it goes; left alone it goes to the client once,
// at the end of the cooling-off; one sent now is not sent again.
func TestHeldRepliesThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		h.sentBack(token, id, session, ms[0])
		angry := h.call("POST", base+"/messages", token, map[string]string{"body": "You never read anything."}, 202).json(t)["id"].(string)
		withdrawn := h.call("POST", base+"/messages", token, map[string]string{"body": "Forget it."}, 202).json(t)["id"].(string)
		now := h.call("POST", base+"/messages", token, map[string]string{"body": "The new version is on its way."}, 202).json(t)["id"].(string)
		h.call("PUT", base+"/messages/"+angry, token, map[string]string{"body": ""}, 422)
		h.call("PUT", base+"/messages/"+angry, token, map[string]string{"body": "I'm sorry it missed; I can brighten it today or reshoot tomorrow."}, 200)
		h.call("POST", base+"/messages/"+withdrawn+"/cancel", token, nil, 204)
		h.call("POST", base+"/messages/"+withdrawn+"/cancel", token, nil, 404)
		h.call("POST", base+"/messages/"+now+"/send-now", token, nil, 200)
		if n := h.kinds(token); n["message"] != 1 {
			t.Fatalf("before the cooling-off ends: %v", n)
		}
		h.advance(token, "21m")
		h.advance(token, "0s")
		var bodies []string
		for _, m := range h.outbox(token) {
			if m["kind"] == "message" {
				bodies = append(bodies, m["body"].(string))
			}
		}
		if len(bodies) != 2 || !strings.Contains(bodies[1], "brighten it today") {
			t.Fatalf("after the cooling-off the client was mailed %d messages: %v", len(bodies), bodies)
		}
		msgs := h.call("GET", "/portal/api/messages", session, nil, 200).json(t)["messages"].([]any)
		for _, m := range msgs {
			if b := m.(map[string]any)["body"].(string); b == "Forget it." || b == "You never read anything." {
				t.Errorf("the client sees %q", b)
			}
		}
		h.call("PUT", base+"/messages/"+angry, token, map[string]string{"body": "Too late"}, 409)
	})
}
