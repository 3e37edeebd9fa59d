package server_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The terms are written in the client's language, and the record keeps the exact words the
// client acknowledged, in that language; the client's emails are in that language and zone too.
func TestTheRecordKeepsTheWordsAcknowledgedInTheClientsLanguage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Мария", "email": "maria@client.example",
		"language": "bg", "timezone": "Europe/Sofia"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Лого", "currency": "EUR"}, 201).json(t)["id"].(string)
	base := "/api/v1/engagements/" + id
	h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{{"id": "goal", "text": "Цел?", "required": true}}}, 200)
	h.call("POST", base+"/brief/send", token, nil, 200)
	inv := h.call("POST", base+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
	session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201).json(t)["session"].(string)
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": "Разпознаваемост"}}, 200)
	ag := h.call("POST", base+"/agreements", token, map[string]any{
		"scope": "Лого", "deliverables": []map[string]string{{"title": "Лого", "volume": "3 варианта"}},
		"milestones": []map[string]any{{"title": "Скици", "due_date": "2026-12-05", "price": "12500.00", "prepayment_percent": 50}},
		"revisions":  2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "портал", "report_cadence": "всеки петък"}, 201).json(t)
	var ids []string
	texts := map[string]string{}
	for _, tm := range ag["terms"].([]any) {
		tm := tm.(map[string]any)
		ids = append(ids, tm["id"].(string))
		texts[tm["id"].(string)] = tm["text"].(string)
	}
	if want := cat.T("bg", "term.payment", nil); texts["payment"] != want {
		t.Fatalf("the payment term reads %q, want the Bulgarian %q", texts["payment"], want)
	}
	if m := texts["milestone-1"]; !strings.Contains(m, "5 декември 2026\u00a0г.") || !strings.Contains(m, "12\u00a0500,00\u00a0€") {
		t.Errorf("the milestone term has no Bulgarian date or money: %q", m)
	}
	version := strconv.Itoa(int(ag["version"].(float64)))
	h.call("POST", base+"/agreements/"+version+"/propose", token, nil, 200)
	h.call("POST", "/portal/api/agreement/"+version+"/accept", session, map[string]any{"acknowledged_terms": ids}, 200)

	var accepted map[string]any
	for _, ev := range h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any) {
		if ev := ev.(map[string]any); ev["type"] == "agreement.accepted" {
			accepted = ev["data"].(map[string]any)
		}
	}
	if accepted == nil || accepted["language"] != "bg" {
		t.Fatalf("the acceptance on the record: %v, want it in bg", accepted)
	}
	kept := accepted["terms"].([]any)
	if len(kept) != len(ids) {
		t.Fatalf("the record keeps %d terms, %d were acknowledged", len(kept), len(ids))
	}
	for _, k := range kept {
		k := k.(map[string]any)
		if texts[k["id"].(string)] != k["text"] {
			t.Errorf("term %s on the record reads %q, the client saw %q", k["id"], k["text"], texts[k["id"].(string)])
		}
	}

	var invitation map[string]any
	for _, m := range h.outbox(token) {
		if m["kind"] == "invitation" {
			invitation = m
		}
	}
	if want := cat.T("bg", "mail.invitation.subject", map[string]any{"workspace": "Studio ana@studio.example", "title": "Лого"}); invitation["subject"] != want {
		t.Errorf("the invitation's subject is %q, want %q", invitation["subject"], want)
	}
	// The link expires 7 days after 23 November 2026 10:00 UTC: 12:00 in Sofia.
	if body := invitation["body"].(string); !strings.Contains(body, "30 ноември 2026\u00a0г., 12:00 (Europe/Sofia)") {
		t.Errorf("the invitation does not give the expiry in Sofia's time: %s", body)
	}
}

// The page a portal link opens is in the language of the contact it was made for, whatever the
// browser says.
func TestPortalLinkPageInTheContactsLanguage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id := h.briefed(token) // the client writes Russian
	link := h.invite(token, id, "maria@client.example")
	b := h.browser("en")
	p := b.get(strings.TrimPrefix(link, h.url))
	if !strings.Contains(p.html, `<html lang="ru">`) || !strings.Contains(p.text(), cat.T("ru", "portal.link.open", nil)) {
		t.Fatalf("the link page is not in Russian: %s", p.text())
	}
	if p := b.get("/p/prt_unknown"); !strings.Contains(p.html, `<html lang="en">`) || strings.Contains(p.html, `id="open-portal"`) ||
		!strings.Contains(p.html, `action="/portal/link"`) {
		t.Errorf("an unknown link offers to open the portal, or not in the browser's language")
	}
	b.openPortal(link)
	if p := b.get(strings.TrimPrefix(link, h.url)); strings.Contains(p.html, `id="open-portal"`) || !strings.Contains(p.text(), cat.T("ru", "portal.token_invalid", nil)) {
		t.Errorf("a spent link still offers to open the portal: %s", p.text())
	}
}

// Every email that asks something of the client carries a fresh link that opens the portal, and
// a freelancer's message reaches the client by email.
func TestAskingEmailsCarryTheirLink(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(t)["id"].(string)
	base := "/api/v1/engagements/" + id
	h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{{"id": "goal", "text": "Goal?", "required": true}}}, 200)
	h.call("POST", base+"/brief/send", token, nil, 200)
	h.call("POST", base+"/messages", token, map[string]string{"body": "Hello Maria, the brief is waiting for you."}, 201)
	byKind := map[string]string{}
	for _, m := range h.outbox(token) {
		byKind[m["kind"].(string)] = m["body"].(string)
	}
	if !strings.Contains(byKind["message"], "Hello Maria, the brief is waiting for you.") {
		t.Errorf("the message was not mailed: %q", byKind["message"])
	}
	for _, kind := range []string{"brief", "message"} {
		body := byKind[kind]
		i := strings.Index(body, h.url+"/p/")
		if i < 0 {
			t.Fatalf("the %s email has no portal link: %q", kind, body)
		}
		b := h.browser("en")
		if p := b.openPortal(strings.Fields(body[i:])[0]); !strings.Contains(p.text(), "Goal?") {
			t.Errorf("the %s email's link does not open the portal with the brief", kind)
		}
	}
	// Sending the brief invited the client: the next step is theirs, not "make a portal link".
	b := h.browser("en")
	b.login("ana@studio.example")
	if p := b.get("/app/engagements/" + id); !strings.Contains(p.text(), cat.T("en", "next.answer_brief", nil)) {
		t.Errorf("after sending the brief the next step is not the client's answer")
	}
}

// The freelancer is told by email of what the client does, in the freelancer's language, and
// each kind can be turned off in the settings.
func TestFreelancerNotifications(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	b.post("/app/settings", url.Values{"name": {"Ana"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "language": {"bg"},
		"notify_shown": {"1"}, "notify": {"brief_answered", "agreement_accepted", "changes_requested", "delivery_accepted", "amendment_declined"}})
	id := h.briefed(token) // the client answers the brief
	kinds := func() map[string]map[string]any {
		out := map[string]map[string]any{}
		for _, m := range h.outbox(token) {
			out[m["kind"].(string)] = m
		}
		return out
	}
	m := kinds()["notify_brief_answered"]
	if m == nil || m["to"] != "ana@studio.example" {
		t.Fatalf("no notice of the answered brief to the freelancer: %v", kinds())
	}
	if want := cat.T("bg", "mail.notify.brief_answered.subject", map[string]any{"client": "Maria", "title": "Brand book"}); m["subject"] != want {
		t.Errorf("the notice's subject is %q, want the Bulgarian %q", m["subject"], want)
	}
	if !strings.Contains(m["body"].(string), h.url+"/app/engagements/"+id) {
		t.Errorf("the notice does not link to the engagement: %q", m["body"])
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	c.post("/portal/messages", url.Values{"body": {"A question about the logo"}})
	if kinds()["notify_client_message"] != nil {
		t.Errorf("a client's message was notified although that kind is turned off")
	}
	if p := b.get("/app/settings"); strings.Contains(p.html, `value="client_message" id="notify-client_message" checked`) ||
		!strings.Contains(p.html, `value="brief_answered" id="notify-brief_answered" checked`) {
		t.Errorf("the settings do not show which notices are on")
	}
}

// When a payment falls due the client is told once, with the amount and how to pay.
func TestPaymentDueIsMailedOnce(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	b := h.browser("en")
	b.login("ana@studio.example")
	b.post("/app/settings", url.Values{"name": {"Ana"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "payment_details": {"IBAN BG80 BNBG 9661 1020 3456 78"}})
	id, _, ms := h.agreed(token, "1000.00")
	count := func(kind string) (n int, body string) {
		for _, m := range h.outbox(token) {
			if m["kind"] == kind {
				n, body = n+1, m["body"].(string)
			}
		}
		return n, body
	}
	n, body := count("prepayment")
	if n != 1 || !strings.Contains(body, "€500.00") || !strings.Contains(body, "IBAN BG80") || !strings.Contains(body, h.url+"/p/") {
		t.Fatalf("after the agreement: %d prepayment mails, %q", n, body)
	}
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "200.00"}, 201)
	if n, _ := count("prepayment"); n != 1 {
		t.Errorf("a part payment asked again: %d prepayment mails", n)
	}
}
