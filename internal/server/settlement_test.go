package server_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

// Ending early through the API: the settlement line by line, a refund never more than was paid,
// the termination on the record; after it the paid milestone's originals stay released and the
// rest stay locked.
func TestTerminationAndRefundsThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, ms := h.agreed(token, "1000.00", "600.00") // kill fee 30 %
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
		h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 200)
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[1], "amount": "300.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[1]+"/start", token, nil, 200)
		did2 := h.upload(base+"/milestones/"+ms[1]+"/deliveries", token, "", map[string][]byte{"b.png": pngImage(t, 40, 30)}).json(t)["id"].(string)

		h.call("GET", base+"/settlement?option=nope", token, nil, 422)
		s := h.call("GET", base+"/settlement?option=kill_fee", token, nil, 200).json(t)
		// Earned: 1000.00 accepted + 30 % of 600.00 = 1180.00; paid 1300.00: 120.00 back.
		if money(t, s["freelancer_keeps"]) != "1180.00 EUR" || money(t, s["refund_due"]) != "120.00 EUR" || money(t, s["client_owes"]) != "0.00 EUR" ||
			len(s["lines"].([]any)) != 4 {
			t.Fatalf("the kill fee settlement: %v", s)
		}
		if k := h.call("GET", base+"/settlement?option=keep_prepayment", token, nil, 200).json(t); money(t, k["freelancer_keeps"]) != "1300.00 EUR" {
			t.Errorf("keep_prepayment: %v", k)
		}
		h.call("POST", base+"/terminate", token, map[string]string{"option": "kill_fee"}, 200)
		h.call("POST", base+"/terminate", token, map[string]string{"option": "kill_fee"}, 409)
		h.call("POST", base+"/refunds", token, map[string]any{"amount": "1300.01"}, 422)
		h.call("POST", base+"/refunds", token, map[string]any{"amount": "120.00", "reference": "SEPA 9"}, 201)
		e := h.call("GET", base, token, nil, 200).json(t)
		if e["state"] != "terminated" || money(t, e["balance"].(map[string]any)["refunded"]) != "120.00 EUR" {
			t.Fatalf("after termination and refund: %v", e)
		}
		if n := h.kinds(token); n["terminated"] != 1 || n["refund"] != 1 {
			t.Errorf("the client was not told: %v", n)
		}
		for _, c := range []struct {
			did  string
			want int
		}{{did, 200}, {did2, 402}} {
			d := h.call("GET", "/portal/api/deliveries/"+c.did, session, nil, 200).json(t)
			orig := d["files"].([]any)[0].(map[string]any)["original_url"].(string)
			h.call("GET", orig, session, nil, c.want)
		}
	})
}

// On the pages: both ways of ending early are shown line by line before one is chosen; a refund
// of more than was paid comes back with what was typed and the problem beside it; the client
// sees the settlement in the portal.
func TestEndingEarlyOnThePages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	for _, lang := range []string{"en", "ru", "bg"} {
		b := h.browser(lang)
		b.login("ana@studio.example")
		p := b.get("/app/engagements/" + id)
		for _, want := range []string{
			cat.T(lang, "settlement.line", map[string]any{"what": cat.T(lang, "settlement.kill_fee", map[string]any{"num": 1, "title": "Part A", "percent": 30}),
				"amount": accord.Money{Amount: 30000, Currency: "EUR"}}),
			cat.T(lang, "settlement.result", map[string]any{"keeps": accord.Money{Amount: 30000, Currency: "EUR"},
				"refund": accord.Money{Amount: 20000, Currency: "EUR"}, "owes": accord.Money{Amount: 0, Currency: "EUR"}}),
		} {
			if !strings.Contains(p.text(), want) {
				t.Errorf("%s: the engagement page lacks %q", lang, want)
			}
		}
	}
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/engagements/"+id+"/refunds", url.Values{"amount": {"600.00"}, "reference": {"SEPA 4"}})
	if p.value(t, "refund-amount") != "600.00" || p.value(t, "refund-reference") != "SEPA 4" ||
		!strings.Contains(p.problemAfter(t, "refund-amount"), "at most what the client paid") {
		t.Fatalf("the refused refund: %s", p.text())
	}
	p = b.post("/app/engagements/"+id+"/terminate", url.Values{"option": {"kill_fee"}})
	if !strings.Contains(p.text(), cat.T("en", "notice.terminated", nil)) || strings.Contains(p.html, `id="terminate-kill_fee"`) {
		t.Fatalf("after ending: %s", p.text())
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	if p := c.get("/portal"); !strings.Contains(p.text(), cat.T("en", "portal.settlement.title", nil)) ||
		!strings.Contains(p.text(), "refund due: €200.00") {
		t.Errorf("the portal does not show the settlement: %s", p.text())
	}
}

// Once an engagement has ended, its lesson is kept, and the question for next time joins a brief
// template in one click; an open engagement has no lesson yet.
func TestRetrospective(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/retrospective", token, map[string]string{"went_well": "Quick answers"}, 409)
	b := h.browser("ru")
	b.login("ana@studio.example")
	b.post("/app/engagements/"+id+"/brief/template", url.Values{"template_name": {"Логотипы"}})
	h.call("POST", base+"/terminate", token, map[string]string{"option": "keep_prepayment"}, 200)
	h.call("POST", base+"/retrospective", token, map[string]string{}, 422)
	p := b.post("/app/engagements/"+id+"/retrospective", url.Values{"went_well": {"Быстрые ответы"}, "brief_missed": {"Сроки печати"},
		"ask_next": {"Когда нужен тираж?"}})
	if !strings.Contains(p.text(), cat.T("ru", "notice.retrospective_saved", nil)) || !strings.Contains(p.html, `id="retro-learn"`) {
		t.Fatalf("after saving the lesson: %s", p.text())
	}
	tpl := regexp.MustCompile(`<select id="learn-template" name="template_id"><option value="([^"]+)"`).FindStringSubmatch(p.html)
	if tpl == nil {
		t.Fatalf("no template to add the question to: %s", p.html)
	}
	p = b.post("/app/engagements/"+id+"/retrospective/learn", url.Values{"template_id": {tpl[1]}})
	if !strings.Contains(p.text(), cat.T("ru", "notice.question_learned", map[string]any{"template": "Логотипы"})) {
		t.Fatalf("the question was not learned: %s", p.text())
	}
	var qs []accord.Question
	if err := h.app.Store.Read(context.Background(), func(tx accord.Tx) error {
		u, err := tx.UserByEmail("ana@studio.example")
		if err != nil {
			return err
		}
		ws, err := tx.WorkspaceOfUser(u.ID)
		if err != nil {
			return err
		}
		bt, err := tx.BriefTemplate(ws, tpl[1])
		qs = bt.Questions
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if last := qs[len(qs)-1]; last.Text != "Когда нужен тираж?" || last.Required {
		t.Errorf("the template's last question is %+v", last)
	}
}

// Going on through the API: the milestone under way closes at the kill fee share of its price,
// the rest of its prepayment counts towards the next one, and the engagement runs on.
func TestContinueThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, _, ms := h.agreed(token, "1000.00", "600.00") // kill fee 30 %
		base := "/api/v1/engagements/" + id
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		h.call("GET", base+"/settlement?option=continue&unused=maybe", token, nil, 422)
		s := h.call("GET", base+"/settlement?option=continue&unused=credit", token, nil, 200).json(t)
		if money(t, s["closes_at"]) != "300.00 EUR" || money(t, s["credit"]) != "200.00 EUR" || money(t, s["freelancer_keeps"]) != "300.00 EUR" {
			t.Fatalf("continue with credit: %v", s)
		}
		e := h.call("POST", base+"/terminate", token, map[string]string{"option": "continue", "unused": "credit"}, 200).json(t)
		m := e["milestones"].([]any)
		first, second := m[0].(map[string]any), m[1].(map[string]any)
		if e["state"] == "terminated" || first["state"] != "paid" || money(t, first["price"]) != "300.00 EUR" || money(t, second["paid"]) != "200.00 EUR" {
			t.Fatalf("after going on: %v", e)
		}
		if n := h.kinds(token); n["closed_early"] != 1 {
			t.Errorf("the client was not told: %v", n)
		}
		h.call("POST", base+"/milestones/"+ms[1]+"/start", token, nil, 409) // 200.00 of its 300.00 prepayment is in
		h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[1], "amount": "100.00"}, 201)
		h.call("POST", base+"/milestones/"+ms[1]+"/start", token, nil, 200)
	})
}
