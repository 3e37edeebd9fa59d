package server_test

import (
	"net/url"
	"strings"
	"testing"
)

// Each amount asked is an invoice: the prepayment when the agreement is accepted, the balance
// once the work is accepted (the prepayment credited), numbered without gaps, listed on both
// sides with its state, a page worded for its reader; a mistake is cancelled by a credit note,
// and what is still owed invoiced anew.
func TestInvoicesOfAnEngagement(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		fb := h.browser("en")
		fb.login("ana@studio.example")
		if p := fb.post("/app/settings/billing", url.Values{"legal_name": {"Anna Petrova ET"}, "address": {"1 Vitosha Blvd\nSofia"},
			"tax_id": {"BG123456789"}, "prefix": {"ap"}, "tax_rate": {"20"}}); !strings.Contains(p.text(), "saved") {
			t.Fatalf("billing settings: %s %s", p.url, p.text())
		}
		id, session, ms := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		cl := h.call("GET", base, token, nil, 200).json(t)["client_id"].(string)
		if p := fb.post("/app/clients/"+cl+"/billing", url.Values{"id": {cl}, "legal_name": {"Café Nord Ltd"}, "address": {"3 Shipka St\nSofia"}, "tax_id": {"BG987654321"}}); !strings.Contains(p.text(), "details for invoices are saved") {
			t.Fatalf("the client's details: %s", p.text())
		}
		if p := fb.post("/app/clients/"+cl+"/billing", url.Values{"id": {cl}, "tax_id": {strings.Repeat("9", 101)}}); p.problemAfter(t, "bill-tax-"+cl) == "" {
			t.Errorf("a tax id too long was taken, or its problem is not beside it: %s", p.text())
		}
		list := func(path, auth string) []map[string]any {
			var out []map[string]any
			for _, v := range h.call("GET", path, auth, nil, 200).json(t)["invoices"].([]any) {
				out = append(out, v.(map[string]any))
			}
			return out
		}
		invs := list(base+"/invoices", token)
		if len(invs) != 1 || invs[0]["number"] != "AP-2026-0001" || invs[0]["kind"] != "prepayment" || invs[0]["state"] != "open" ||
			money(t, invs[0]["total"]) != "500.00 EUR" || money(t, invs[0]["paid"]) != "0.00 EUR" {
			t.Fatalf("invoices after the agreement: %v", invs)
		}
		mailed := false
		for _, m := range h.outbox(token) {
			mailed = mailed || m["kind"] == "prepayment" && strings.Contains(m["body"].(string), "Invoice AP-2026-0001")
		}
		if !mailed {
			t.Error("the prepayment email does not name its invoice")
		}
		if p := list("/portal/api/invoices", session); len(p) != 1 || p[0]["pdf_url"] != "/portal/api/invoices/"+p[0]["id"].(string)+"/pdf" {
			t.Fatalf("the portal's invoices: %v", p)
		}

		// The page, worded for the client: both parties, the tax split, how to pay.
		c := h.browser("en")
		c.openPortal(h.invite(token, id, "maria@client.example"))
		page := c.get("/portal/invoices/" + invs[0]["id"].(string))
		for _, want := range []string{"Invoice AP-2026-0001", "Anna Petrova ET", "1 Vitosha Blvd", "Tax ID: BG123456789", "Bill to", "Maria",
			"Prepayment (50 %) for milestone 1", "Net", "€416.67", "Tax 20 %", "€83.33", "€500.00", "Payment reference AP-2026-0001"} {
			if !strings.Contains(page.text(), want) {
				t.Errorf("the invoice's page lacks %q: %s", want, page.text())
			}
		}
		if strings.Contains(page.html, "invoice-credit") {
			t.Error("the client is offered a credit note")
		}
		if other := c.get("/portal/invoices/inv_unknown"); other.status != 404 {
			t.Errorf("an unknown invoice: %d", other.status)
		}

		// A mistake: cancelled by a credit note, the prepayment invoiced anew.
		if p := fb.post("/app/engagements/"+id+"/invoices/"+invs[0]["id"].(string)+"/credit", nil); !strings.Contains(p.text(), "cancelled by a credit note") {
			t.Fatalf("the credit note: %s", p.text())
		}
		invs = list(base+"/invoices", token)
		if len(invs) != 3 || invs[0]["number"] != "AP-2026-0003" || invs[0]["kind"] != "prepayment" || invs[1]["kind"] != "credit_note" ||
			invs[1]["corrects"] != "AP-2026-0001" || invs[2]["state"] != "credited" {
			t.Fatalf("invoices after the credit note: %v", invs)
		}
		if p := fb.post("/app/engagements/"+id+"/invoices/"+invs[2]["id"].(string)+"/credit", nil); !strings.Contains(p.text(), "already cancelled") {
			t.Errorf("a second credit note: %s", p.text())
		}
		anew := c.get("/portal/invoices/" + invs[0]["id"].(string)).text()
		for _, want := range []string{"Café Nord Ltd", "3 Shipka St", "Tax ID: BG987654321"} {
			if !strings.Contains(anew, want) {
				t.Errorf("the invoice issued anew lacks the client's corrected details %q: %s", want, anew)
			}
		}
		if old := c.get("/portal/invoices/" + invs[2]["id"].(string)).text(); strings.Contains(old, "Café Nord Ltd") || !strings.Contains(old, "cancelled by credit note AP-2026-0002") {
			t.Errorf("the cancelled invoice changed, or does not say it is cancelled: %s", old)
		}

		// Paid, delivered, accepted: the balance, the prepayment credited.
		h.underWay(token, id, ms[0])
		if s := list(base+"/invoices", token)[0]["state"]; s != "paid" {
			t.Errorf("the paid prepayment's invoice: %v", s)
		}
		portal := c.get("/portal")
		rlink := between(portal.html, `<a href="/portal/receipts/`, `"`)
		if rlink == "" || !strings.Contains(portal.text(), "Payment of €500.00") {
			t.Fatalf("the portal lists no receipt of the payment: %s", portal.text())
		}
		receipt := c.get("/portal/receipts/" + rlink).text()
		for _, want := range []string{"Receipt for a payment of €500.00", "Anna Petrova ET", "Payment towards milestone 1", "milestone 1 stands paid €500.00 of €1,000.00", "Paid against invoice AP-2026-0003"} {
			if !strings.Contains(receipt, want) {
				t.Errorf("the receipt lacks %q: %s", want, receipt)
			}
		}
		if r := c.get("/portal/receipts/pay_unknown"); r.status != 404 {
			t.Errorf("an unknown receipt: %d", r.status)
		}
		did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
		h.previewsMade(token)
		h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 200)
		invs = list(base+"/invoices", token)
		if invs[0]["number"] != "AP-2026-0004" || invs[0]["kind"] != "balance" || money(t, invs[0]["total"]) != "500.00 EUR" {
			t.Fatalf("the balance invoice: %v", invs[0])
		}
		bal := c.get("/portal/invoices/" + invs[0]["id"].(string)).text()
		for _, want := range []string{"Milestone 1", "Total €1,000.00", "Prepayment already paid −€500.00", "Amount due €500.00"} {
			if !strings.Contains(bal, want) {
				t.Errorf("the balance invoice lacks %q: %s", want, bal)
			}
		}
		if eng := fb.get("/app/engagements/" + id); !strings.Contains(eng.text(), "Invoice AP-2026-0004") || !strings.Contains(eng.text(), "awaiting payment") {
			t.Errorf("the engagement page does not list the balance invoice: %s", eng.text())
		}

		h.call("POST", base+"/refunds", token, map[string]any{"amount": "100.00", "reference": "goodwill"}, 201)
		refund := fb.get("/app/engagements/" + id)
		flink := "/app/engagements/" + id + "/receipts/ref_" + between(refund.html, `/receipts/ref_`, `"`)
		if rp := fb.get(flink).text(); !strings.Contains(rp, "Receipt for a refund of €100.00") || !strings.Contains(rp, "goodwill") {
			t.Errorf("the refund's receipt: %s", rp)
		}

		// Ten days on, the balance is overdue: the dashboard says so, and draws the months.
		h.advance(token, "240h")
		dash := fb.get("/app")
		if !strings.Contains(dash.html, `id="overdue"`) || !strings.Contains(dash.text(), "Invoice AP-2026-0004") || !strings.Contains(dash.text(), "days overdue") {
			t.Errorf("the dashboard does not list the overdue balance: %s", dash.text())
		}
		if !strings.Contains(dash.html, `<svg`) || !strings.Contains(dash.html, `role="img"`) || !strings.Contains(dash.html, `class="chart-amount">€500.00<`) {
			t.Errorf("the dashboard has no chart of the money received: %s", dash.text())
		}
	})
}

// Ending early with money owed: the client is sent an invoice for it, the freelancer records its
// payment though the engagement has ended, and the receipt and the invoice show it.
func TestSettlementIsInvoicedAndPaid(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00", "600.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])
	did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
	h.previewsMade(token)
	h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 200)
	h.call("POST", base+"/terminate", token, map[string]string{"option": "kill_fee"}, 200)
	invs := h.call("GET", base+"/invoices", token, nil, 200).json(t)["invoices"].([]any)
	st := invs[0].(map[string]any)
	if st["kind"] != "settlement" || money(t, st["total"]) != "500.00 EUR" || st["state"] != "open" {
		t.Fatalf("the settlement's invoice: %v", invs)
	}
	mailed := false
	for _, m := range h.outbox(token) {
		mailed = mailed || m["kind"] == "terminated" && strings.Contains(m["body"].(string), st["number"].(string))
	}
	if !mailed {
		t.Error("the termination email does not name the settlement's invoice")
	}
	h.call("POST", base+"/payments", token, map[string]any{"amount": "600.00"}, 422)
	pid := h.call("POST", base+"/payments", token, map[string]any{"amount": "500.00", "reference": "SEPA 11"}, 201).json(t)["id"].(string)
	if s := h.call("GET", base+"/invoices", token, nil, 200).json(t)["invoices"].([]any)[0].(map[string]any)["state"]; s != "paid" {
		t.Errorf("the settlement's invoice after its payment: %v", s)
	}
	h.call("POST", base+"/payments", token, map[string]any{"amount": "1.00"}, 409)
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	if r := c.get("/portal/receipts/" + pid).text(); !strings.Contains(r, "Payment of what ending the engagement early left owing") || !strings.Contains(r, "Still owed after this payment: €0.00") {
		t.Errorf("the settlement payment's receipt: %s", r)
	}
	page := c.get("/portal/invoices/" + st["id"].(string)).text()
	if !strings.Contains(page, "What ending the engagement early comes to") || !strings.Contains(page, "Paid") {
		t.Errorf("the settlement's invoice page: %s", page)
	}
}

// Billing settings typed wrong come back as typed, each problem beside its field, and nothing
// is saved.
func TestBillingSettingsRefusedAsTyped(t *testing.T) {
	h := newHarness(t)
	h.account("ana@studio.example")
	fb := h.browser("en")
	fb.login("ana@studio.example")
	p := fb.post("/app/settings/billing", url.Values{"legal_name": {"Anna ET"}, "prefix": {"in v"}, "tax_rate": {"9.555"},
		"stripe_secret_key": {"pk_test_public"}, "stripe_webhook_secret": {"secret"}})
	if p.url != "/app/settings" || p.value(t, "bill-name") != "Anna ET" || p.value(t, "bill-tax-rate") != "9.555" {
		t.Fatalf("the refused form: %s %s", p.url, p.text())
	}
	for field, want := range map[string]string{"bill-prefix": "Latin capital letters", "bill-tax-rate": "percentage",
		"bill-sk": "starts with sk_", "bill-wh": "starts with whsec_"} {
		if got := p.problemAfter(t, field); !strings.Contains(got, want) {
			t.Errorf("beside %s: %q, want %q", field, got, want)
		}
	}
	if fb.get("/app/settings").value(t, "bill-name") != "" {
		t.Error("a refused form saved something")
	}
	for in, want := range map[string]string{"20": "20", "9,5 %": "9.5", "0.25": "0.25", "": ""} {
		if p := fb.post("/app/settings/billing", url.Values{"tax_rate": {in}}); !strings.Contains(p.text(), "saved") {
			t.Errorf("tax rate %q refused: %s", in, p.text())
		} else if got := fb.get("/app/settings").value(t, "bill-tax-rate"); got != want {
			t.Errorf("tax rate %q shown as %q, want %q", in, got, want)
		}
	}
	for _, bad := range []string{"-5", "100.01", "twenty"} {
		if p := fb.post("/app/settings/billing", url.Values{"tax_rate": {bad}}); p.problemAfter(t, "bill-tax-rate") == "" {
			t.Errorf("tax rate %q was taken", bad)
		}
	}
}
