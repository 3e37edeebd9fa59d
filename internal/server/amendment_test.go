package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// After acceptance the freelancer proposes a change through the API; the client sees it in the
// portal, declines one and accepts another, and the milestones under way keep their money.
func TestAmendmentThroughTheAPIAndThePortal(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		write := func(price2 string) int {
			ag := h.call("POST", base+"/agreements", token, map[string]any{
				"scope": "A brand book and print files", "deliverables": []map[string]string{{"title": "Brand book", "volume": "30 pages"}},
				"milestones": []map[string]any{
					{"title": "Part A", "due_date": "2026-12-03", "price": "1000.00", "prepayment_percent": 50},
					{"title": "Print files", "due_date": "2026-12-20", "price": price2, "prepayment_percent": 0}},
				"revisions": 2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14,
				"channel": "portal", "report_cadence": "weekly"}, 201).json(t)
			v := int(ag["version"].(float64))
			h.call("POST", base+"/agreements/"+strconv.Itoa(v)+"/propose", token, nil, 200)
			return v
		}
		v2 := write("300.00")
		e := h.call("GET", base, token, nil, 200).json(t)
		if e["state"] != "active" || int(e["agreed_version"].(float64)) != 1 || len(e["milestones"].([]any)) != 1 {
			t.Fatalf("a proposed change altered the engagement: %v", e)
		}
		if got := int(h.call("GET", "/portal/api/agreement", session, nil, 200).json(t)["version"].(float64)); got != v2 {
			t.Fatalf("the portal shows version %d, want the proposed %d", got, v2)
		}
		h.call("POST", "/portal/api/agreement/"+strconv.Itoa(v2)+"/decline", session, nil, 200)
		h.call("POST", "/portal/api/agreement/"+strconv.Itoa(v2)+"/decline", session, nil, 409)
		if got := int(h.call("GET", "/portal/api/agreement", session, nil, 200).json(t)["version"].(float64)); got != 1 {
			t.Errorf("after declining the portal shows version %d, want the accepted 1", got)
		}
		v3 := write("400.00")
		ag := h.call("GET", "/portal/api/agreement", session, nil, 200).json(t)
		var terms []string
		for _, tm := range ag["terms"].([]any) {
			terms = append(terms, tm.(map[string]any)["id"].(string))
		}
		h.call("POST", "/portal/api/agreement/"+strconv.Itoa(v3)+"/accept", session, map[string]any{"acknowledged_terms": terms}, 200)
		e = h.call("GET", base, token, nil, 200).json(t)
		m := e["milestones"].([]any)
		m1 := m[0].(map[string]any)
		if e["state"] != "active" || int(e["agreed_version"].(float64)) != v3 || len(m) != 2 ||
			m1["id"] != ms[0] || m1["state"] != "in_progress" || money(t, m1["paid"]) != "500.00 EUR" {
			t.Fatalf("after accepting the change: %v", e)
		}
	})
}

// The pages offer the change on both sides: the freelancer's editor, the client's accept and decline.
func TestAmendmentOnThePages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.get("/app/engagements/" + id)
	if !strings.Contains(p.text(), cat.T("en", "eng.agreement.amend", nil)) {
		t.Fatalf("the engagement page offers no change to the agreement")
	}
	vals := url.Values{"scope": {"A brand book"}, "deliverables[0].title": {"Brand book"}, "deliverables[0].volume": {"30 pages"},
		"milestones[0].title": {"Part A"}, "milestones[0].due_date": {"2026-12-10"}, "milestones[0].price": {"1200"},
		"milestones[0].prepayment_percent": {"50"}, "revisions": {"2"}, "kill_fee_percent": {"30"}, "response_days": {"3"},
		"review_days": {"14"}, "channel": {"portal"}, "report_cadence": {"weekly"}}
	p = b.post("/app/engagements/"+id+"/agreement", vals)
	if !strings.Contains(p.html, `id="agreement-propose"`) {
		t.Fatalf("the new version cannot be proposed: %s", p.text())
	}
	b.post("/app/engagements/"+id+"/agreement/2/propose", nil)
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	p = c.get("/portal")
	if !strings.Contains(p.html, `id="amendment-decline"`) || !strings.Contains(p.text(), cat.T("en", "ask.accept_amendment", nil)) {
		t.Fatalf("the portal does not ask about the change: %s", p.text())
	}
	p = c.post("/portal/agreement/2/decline", nil)
	if !strings.Contains(p.text(), cat.T("en", "notice.amendment_declined", nil)) || strings.Contains(p.html, `id="amendment-decline"`) {
		t.Errorf("after declining: %s", p.text())
	}
}

// A status report is drafted from the record in the client's language and sent as a message.
func TestStatusReportDraftedAndSent(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := h.briefed(token) // the client writes Russian
	base := "/api/v1/engagements/" + id
	ag := h.call("POST", base+"/agreements", token, map[string]any{
		"scope": "Лого", "deliverables": []map[string]string{{"title": "Лого", "volume": "3"}},
		"milestones": []map[string]any{{"title": "Эскизы", "due_date": "2026-12-05", "price": "100.00", "prepayment_percent": 50}},
		"revisions":  2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "портал", "report_cadence": "по пятницам"}, 201).json(t)
	h.call("POST", base+"/agreements/1/propose", token, nil, 200)
	c := h.browser("ru")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	var terms []string
	for _, tm := range ag["terms"].([]any) {
		terms = append(terms, tm.(map[string]any)["id"].(string))
	}
	c.post("/portal/agreement/1/accept", url.Values{"acknowledged_terms": terms})
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.get("/app/engagements/" + id)
	draft := p.value(t, "report-body")
	for _, want := range []string{cat.T("ru", "report.waiting", nil), "50,00\u00a0€", "Эскизы"} {
		if !strings.Contains(draft, want) {
			t.Errorf("the draft lacks %q:\n%s", want, draft)
		}
	}
	b.post("/app/engagements/"+id+"/report", url.Values{"body": {draft}})
	if msgs := c.get("/portal"); !strings.Contains(msgs.text(), cat.T("ru", "report.waiting", nil)) {
		t.Errorf("the client does not see the report")
	}
}
