package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// A call summary goes to the client, who confirms some points and corrects others; both sides
// see each correction beside its point, and the freelancer is told.
func TestCallSummaryThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, _ := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{}}, 422)
		h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{"Logo in blue", " "}}, 422)
		sum := h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{"Logo in blue", "Two rounds of changes", "Files by Friday"}}, 201).json(t)
		sid := sum["id"].(string)
		pts := sum["points"].([]any)
		if len(pts) != 3 || pts[0].(map[string]any)["text"] != "Logo in blue" {
			t.Fatalf("the summary came back as %v", sum)
		}
		pid := func(i int) string { return pts[i].(map[string]any)["id"].(string) }
		if m := h.mailOf(token, "call_summary"); !strings.Contains(m["body"].(string), "• Two rounds of changes") {
			t.Errorf("the client's email does not list the points: %s", m["body"])
		}
		confirm := "/portal/api/call-summaries/" + sid + "/confirm"
		h.call("POST", confirm, token, map[string]any{"points": map[string]any{}}, 401) // a freelancer's token is no portal session
		h.call("POST", confirm, session, map[string]any{"points": map[string]any{pid(0): map[string]any{"confirmed": true}}}, 422)
		h.call("POST", confirm, session, map[string]any{"points": map[string]any{pid(0): map[string]any{"confirmed": true, "correction": "x"},
			pid(1): map[string]any{"confirmed": true}, pid(2): map[string]any{"confirmed": true}}}, 422)
		h.call("POST", confirm, session, map[string]any{"points": map[string]any{pid(0): map[string]any{"confirmed": true},
			pid(1): map[string]any{"correction": "Three rounds, as on the call"}, pid(2): map[string]any{"confirmed": true}}}, 200)
		h.call("POST", confirm, session, map[string]any{"points": map[string]any{pid(0): map[string]any{"confirmed": true}}}, 409)
		h.call("POST", "/portal/api/call-summaries/sum_nope/confirm", session, map[string]any{"points": map[string]any{}}, 404)

		e := h.call("GET", base, token, nil, 200).json(t)
		got := e["call_summaries"].([]any)[0].(map[string]any)["points"].([]any)
		if got[0].(map[string]any)["confirmed"] != true || got[1].(map[string]any)["correction"] != "Three rounds, as on the call" {
			t.Errorf("the answers are not on the engagement: %v", got)
		}
		if m := h.mailOf(token, "notify_summary_answered"); !strings.Contains(m["body"].(string), "→ Three rounds, as on the call") {
			t.Errorf("the freelancer's email does not show the correction: %s", m["body"])
		}
		var types []string
		for _, ev := range h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any) {
			types = append(types, ev.(map[string]any)["type"].(string))
		}
		if j := strings.Join(types, " "); !strings.Contains(j, "call_summary.written") || !strings.Contains(j, "call_summary.answered") {
			t.Errorf("the summary and its answers are not on the record: %s", j)
		}
	})
}

// The pages: the freelancer writes the points one a line; the client answers each in the
// portal, a refused answer comes back with what was typed and the problem beside the point.
func TestCallSummaryOnThePages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/engagements/"+id+"/call-summaries", url.Values{"points": {"  \n "}})
	if p.problemAfter(t, "summary-points") == "" {
		t.Errorf("an empty summary was taken: %s", p.text())
	}
	p = b.post("/app/engagements/"+id+"/call-summaries", url.Values{"points": {"Logo in blue\n\nFiles by Friday\n"}})
	if !strings.Contains(p.text(), cat.T("en", "notice.summary_sent", nil)) || !strings.Contains(p.text(), "Files by Friday") {
		t.Fatalf("the summary was not confirmed: %s", p.text())
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	p = c.get("/portal")
	if !strings.Contains(p.text(), cat.T("en", "portal.summary.title", nil)) || !strings.Contains(p.text(), cat.T("en", "ask.confirm_summary", nil)) {
		t.Fatalf("the portal does not ask for the summary: %s", p.text())
	}
	form := p.html[strings.Index(p.html, `action="/portal/call-summaries/`):]
	sid := strings.TrimPrefix(form[:strings.Index(form, `/confirm"`)], `action="/portal/call-summaries/`)
	p = c.post("/portal/call-summaries/"+sid+"/confirm", url.Values{"id": {sid}, "answer.p1": {"confirm"}, "answer.p2": {"correct"}, "correction.p2": {" "}})
	if p.problemAfter(t, "correction-p2") == "" || !strings.Contains(p.html, `value="confirm" id="confirm-p1" checked`) {
		t.Errorf("a correction left empty was taken, or the answer typed was lost: %s", p.text())
	}
	p = c.post("/portal/call-summaries/"+sid+"/confirm", url.Values{"id": {sid}, "answer.p1": {"confirm"}, "answer.p2": {"correct"}, "correction.p2": {"By Monday"}})
	if !strings.Contains(p.text(), cat.T("en", "notice.summary_answered", nil)) || strings.Contains(p.html, "correction-p2") {
		t.Fatalf("after answering: %s", p.text())
	}
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.text(), cat.T("en", "summary.corrected", map[string]any{"text": "By Monday"})) {
		t.Errorf("the freelancer does not see the correction beside the point: %s", p.text())
	}
}

// An unanswered call summary is owed like any client step: reminded after the response time,
// and an answer ends the count.
func TestAnUnansweredSummaryIsReminded(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])
	sid := h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{"Logo in blue"}}, 201).json(t)["id"].(string)
	h.advance(token, "71h")
	if n := h.kinds(token)["reminder.confirm_summary"]; n != 0 {
		t.Fatalf("a reminder before its time: %d", n)
	}
	h.advance(token, "1h")
	r := h.mailOf(token, "reminder.confirm_summary")
	if r["to"] != "maria@client.example" || !strings.Contains(r["body"].(string), h.url+"/p/") {
		t.Errorf("the reminder: %v", r)
	}
	h.call("POST", "/portal/api/call-summaries/"+sid+"/confirm", session, map[string]any{"points": map[string]any{"p1": map[string]any{"confirmed": true}}}, 200)
	h.advance(token, "240h")
	n := h.kinds(token)
	if n["reminder.confirm_summary"] != 1 || n["check_in"] != 0 || n["paused"] != 0 {
		t.Errorf("after the answer the ladder went on: %v", n)
	}
}

// The portal's form: a correction typed without choosing is a correction; one typed beside
// "confirm" is refused as both, not dropped.
func TestCallSummaryFormChoices(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	sid := h.call("POST", "/api/v1/engagements/"+id+"/call-summaries", token, map[string]any{"points": []string{"Logo in blue", "Files by Friday"}}, 201).json(t)["id"].(string)
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	p := c.post("/portal/call-summaries/"+sid+"/confirm", url.Values{"id": {sid}, "answer.p1": {"confirm"}, "correction.p1": {"Green"}, "answer.p2": {"confirm"}})
	if p.problemAfter(t, "correction-p1") == "" {
		t.Errorf("a correction beside confirm was dropped instead of refused: %s", p.text())
	}
	p = c.post("/portal/call-summaries/"+sid+"/confirm", url.Values{"id": {sid}, "answer.p1": {"confirm"}, "correction.p2": {"By Monday"}})
	if !strings.Contains(p.text(), cat.T("en", "notice.summary_answered", nil)) {
		t.Fatalf("a correction typed without choosing was not taken: %s", p.text())
	}
	got := h.call("GET", "/api/v1/engagements/"+id, token, nil, 200).json(t)["call_summaries"].([]any)[0].(map[string]any)["points"].([]any)
	if got[1].(map[string]any)["correction"] != "By Monday" {
		t.Errorf("the second point: %v", got[1])
	}
}
