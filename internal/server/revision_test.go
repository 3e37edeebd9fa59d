package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Revisions through the API: each change request counts and both sides see how many are left;
// past them the request is a paid change the client accepts or declines in the portal.
func TestRevisionsAndPaidChangesThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00") // 2 revisions
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		sendBack := func() string {
			did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
			h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Too dark", "desired_result": "Brighter"}, 200)
			return did
		}
		milestone := func(path, tok string) map[string]any {
			return h.call("GET", path, tok, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any)
		}
		for round := 1; round <= 2; round++ {
			sendBack()
			for _, m := range []map[string]any{milestone(base, token), milestone("/portal/api/engagement", session)} {
				if m["revisions_used"] != float64(round) || m["revisions_left"] != float64(2-round) {
					t.Fatalf("after request %d: %v used, %v left", round, m["revisions_used"], m["revisions_left"])
				}
			}
			h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		}
		did := sendBack()
		if pc := milestone(base, token)["paid_change"]; pc == nil || pc.(map[string]any)["state"] != "requested" {
			t.Fatalf("the third request: %v", pc)
		}
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 409)
		h.call("POST", "/portal/api/milestones/"+ms[0]+"/paid-change/accept", session, nil, 409)
		h.call("POST", base+"/milestones/"+ms[0]+"/paid-change", token, map[string]any{"price": "200.00", "due_date": "2020-01-01"}, 422)
		h.call("POST", base+"/milestones/"+ms[0]+"/paid-change", token, map[string]any{"price": "200.00", "due_date": "2026-12-20"}, 200)
		if n := h.kinds(token); n["paid_change"] != 1 {
			t.Errorf("the client was not asked: %v", n)
		}
		h.call("POST", "/portal/api/milestones/"+ms[0]+"/paid-change/decline", session, nil, 200)
		if m := milestone(base, token); m["state"] != "delivered" || m["paid_change"] != nil {
			t.Fatalf("declined: %v", m)
		}
		h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Still dark", "desired_result": "Brighter"}, 200)
		h.call("POST", base+"/milestones/"+ms[0]+"/paid-change", token, map[string]any{"price": "200.00", "due_date": "2026-12-20"}, 200)
		h.call("POST", "/portal/api/milestones/"+ms[0]+"/paid-change/accept", session, nil, 200)
		if m := milestone(base, token); money(t, m["price"]) != "1200.00 EUR" || m["due_date"] != "2026-12-20" {
			t.Fatalf("accepted: %v", m)
		}
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	})
}

// On the pages: both sides see the revisions left; past them the freelancer prices the change
// (a date in the past comes back with what was typed and the problem beside it) and the client
// accepts it in the portal.
func TestPaidChangeOnThePages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	for round := 1; round <= 3; round++ {
		did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
		h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Too dark", "desired_result": "Brighter"}, 200)
		if round < 3 {
			h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		}
	}
	b := h.browser("ru")
	b.login("ana@studio.example")
	p := b.get("/app/engagements/" + id)
	if !strings.Contains(p.text(), cat.T("ru", "milestone.revisions_left", map[string]any{"count": 0, "total": 2})) ||
		!strings.Contains(p.html, `id="change-quote-1"`) {
		t.Fatalf("the freelancer's page does not offer to price the change: %s", p.text())
	}
	p = b.post("/app/engagements/"+id+"/milestones/"+ms[0]+"/paid-change", url.Values{"price": {"200,00"}, "due_date": {"2020-01-01"}})
	if p.value(t, "change-price-1") != "200,00" || p.problemAfter(t, "change-due-1") == "" {
		t.Fatalf("the refused price: %s", p.text())
	}
	p = b.post("/app/engagements/"+id+"/milestones/"+ms[0]+"/paid-change", url.Values{"price": {"200,00"}, "due_date": {"2026-12-20"}})
	if !strings.Contains(p.text(), cat.T("ru", "notice.paid_change_quoted", nil)) {
		t.Fatalf("the price was not confirmed: %s", p.text())
	}
	c := h.browser("ru")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	p = c.get("/portal")
	if !strings.Contains(p.html, `id="paid-change-accept"`) {
		t.Fatalf("the portal does not ask about the paid change: %s", p.text())
	}
	p = c.post("/portal/milestones/"+ms[0]+"/paid-change/accept", url.Values{})
	if !strings.Contains(p.text(), cat.T("en", "notice.paid_change_accepted", nil)) || strings.Contains(p.html, `id="paid-change-accept"`) {
		t.Fatalf("after accepting: %s", p.text())
	}
}

// The cause and the options through the API and on the pages: the freelancer names the cause
// with the terms behind it; the client sees the same terms and the options with one recommended,
// chooses in the portal, and the choice is on the record.
func TestCauseAndOptionsThroughTheAPIAndPages(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
		h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Not what I imagined", "desired_result": "A new concept"}, 200)
		ag := h.call("GET", base+"/agreements/1", token, nil, 200).json(t)
		scope := ag["terms"].([]any)[0].(map[string]any)
		h.call("POST", base+"/milestones/"+ms[0]+"/cause", token, map[string]any{"cause": "bad luck"}, 422)
		h.call("POST", base+"/milestones/"+ms[0]+"/cause", token, map[string]any{"cause": "out_of_scope", "terms": []string{scope["id"].(string)}, "events": []int{1}}, 200)
		m := h.call("GET", "/portal/api/engagement", session, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any)
		opts := m["options"].([]any)
		if m["cause"].(map[string]any)["cause"] != "out_of_scope" || len(opts) != 2 || opts[0].(map[string]any)["kind"] != "paid_change" || opts[0].(map[string]any)["recommended"] != true {
			t.Fatalf("the client sees %v", m)
		}
		c := h.browser("en")
		c.openPortal(h.invite(token, id, "maria@client.example"))
		p := c.get("/portal")
		if !strings.Contains(p.text(), cat.T("en", "portal.cause_record", nil)) || !strings.Contains(p.text(), cat.T("en", "event.engagement.created", nil)) ||
			!strings.Contains(p.html, `id="end-now"`) {
			t.Errorf("the portal does not show the record entries cited or what ending would come to: %s", p.text())
		}
		if !strings.Contains(p.text(), scope["text"].(string)) || !strings.Contains(p.html, `id="option-paid_change"`) ||
			!strings.Contains(p.text(), cat.T("en", "option.paid_change", nil)+" · "+cat.T("en", "option.recommended", nil)) {
			t.Fatalf("the portal does not show the cause and the options: %s", p.text())
		}
		h.call("POST", "/portal/api/milestones/"+ms[0]+"/choose", session, map[string]string{"option": "rework"}, 422)
		p = c.post("/portal/milestones/"+ms[0]+"/choose", url.Values{"option": {"paid_change"}})
		if !strings.Contains(p.text(), cat.T("en", "notice.option_chosen", nil)) || strings.Contains(p.html, `id="option-paid_change"`) {
			t.Fatalf("after choosing: %s", p.text())
		}
		h.call("POST", "/portal/api/milestones/"+ms[0]+"/choose", session, map[string]string{"option": "terminate"}, 409)
		// The choice is on the record, once. (It need not be the last entry: the delivery's
		// previews are made by a job of their own, whose entry may come at any time.)
		var chosen []map[string]any
		for _, ev := range h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any) {
			if ev := ev.(map[string]any); ev["type"] == "cause.option_chosen" {
				chosen = append(chosen, ev)
			}
		}
		if len(chosen) != 1 || chosen[0]["data"].(map[string]any)["option"] != "paid_change" {
			t.Errorf("the record holds these choices: %v; want one, of a paid change", chosen)
		}
		if m := h.call("GET", base, token, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any); m["paid_change"].(map[string]any)["state"] != "requested" {
			t.Errorf("after choosing a paid change the freelancer owes a price: %v", m)
		}
	})
}

// The freelancer names the cause on the engagement page; a form without one comes back with the
// problem beside the field and the terms ticked as they were.
func TestCauseFormOnThePage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.sentBack(token, id, session, ms[0])
	term := h.call("GET", base+"/agreements/1", token, nil, 200).json(t)["terms"].([]any)[1].(map[string]any)["id"].(string)
	b := h.browser("bg")
	b.login("ana@studio.example")
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.html, `id="cause-send-1"`) {
		t.Fatalf("the page does not ask for the cause: %s", p.text())
	}
	p := b.post("/app/engagements/"+id+"/milestones/"+ms[0]+"/cause", url.Values{"cause": {""}, "terms": {term}})
	if p.problemAfter(t, "cause-1") == "" || !strings.Contains(p.html, `value="`+term+`" checked`) {
		t.Fatalf("the refused cause: %s", p.text())
	}
	p = b.post("/app/engagements/"+id+"/milestones/"+ms[0]+"/cause", url.Values{"cause": {"external"}, "terms": {term}, "events": {"2"}})
	if !strings.Contains(p.text(), cat.T("bg", "notice.cause_sent", nil)) || !strings.Contains(p.text(), cat.T("bg", "cause.waiting", nil)) {
		t.Fatalf("after naming the cause: %s", p.text())
	}
	cause := h.call("GET", base, token, nil, 200).json(t)["milestones"].([]any)[0].(map[string]any)["cause"].(map[string]any)
	if fmt.Sprint(cause["events"]) != "[2]" || fmt.Sprint(cause["terms"]) != "["+term+"]" {
		t.Errorf("the cause cites %v and %v", cause["terms"], cause["events"])
	}
}
