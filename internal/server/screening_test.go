package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Screening through the API: what a client writes in the brief and in messages raises red flags,
// once each, and the freelancer sets others by hand; the client's trust follows; another
// workspace's client is not found.
func TestRedFlagsThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, _ := h.agreed(token, "1000.00")
		cl := h.call("GET", "/api/v1/engagements/"+id, token, nil, 200).json(t)["client_id"].(string)
		if c := h.call("GET", "/api/v1/clients/"+cl, token, nil, 200).json(t); c["trust"] != "new" || len(c["red_flags"].([]any)) != 0 {
			t.Fatalf("a new client: %v", c)
		}
		for range 2 {
			h.call("POST", "/portal/api/messages", session, map[string]string{"body": "Мы платим только в биткоинах, какой у вас кошелёк?"}, 201)
		}
		h.call("POST", "/portal/api/messages", session, map[string]string{"body": "Please send your bank details for the invoice."}, 201)
		h.call("POST", "/api/v1/clients/"+cl+"/red-flags", token, map[string]string{"code": "nonsense"}, 422)
		c := h.call("POST", "/api/v1/clients/"+cl+"/red-flags", token, map[string]string{"code": "vague_scope"}, 201).json(t)
		var got []string
		for _, f := range c["red_flags"].([]any) {
			f := f.(map[string]any)
			got = append(got, f["code"].(string)+"/"+f["found_in"].(string))
		}
		if strings.Join(got, " ") != "crypto_wallet/message vague_scope/manual" || c["trust"] != "caution" {
			t.Fatalf("red flags %v, trust %v", got, c["trust"])
		}
		h.app.SignupPolicy = "open"
		other := h.account("bor@studio.example")
		h.call("GET", "/api/v1/clients/"+cl, other, nil, 404)
		h.call("POST", "/api/v1/clients/"+cl+"/red-flags", other, map[string]string{"code": "pressure"}, 404)
	})
}

// The workspace's policy: an agreement asking less prepayment than the policy is refused beside
// the field, unless the client is trusted, and then the reason is kept with the version; a
// client with a red flag cannot be trusted.
func TestPrepaymentPolicyAndTrust(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		b := h.browser("en")
		b.login("ana@studio.example")
		p := b.post("/app/settings", url.Values{"name": {"Studio"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "response_days": {"3"}, "min_prepayment": {"150"}})
		if p.problemAfter(t, "ws-min-prepayment") == "" {
			t.Fatalf("a policy of 150 %% was taken: %s", p.text())
		}
		b.post("/app/settings", url.Values{"name": {"Studio"}, "timezone": {"UTC"}, "cooling_off_minutes": {"20"}, "response_days": {"3"},
			"min_prepayment": {"40"}, "min_kill_fee": {"30"}, "max_revisions": {"2"}})
		cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
		id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Logo", "currency": "EUR"}, 201).json(t)["id"].(string)
		base := "/api/v1/engagements/" + id
		h.call("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{{"id": "goal", "text": "Goal?", "required": true}}}, 200)
		h.call("POST", base+"/brief/send", token, nil, 200)
		inv := h.call("POST", base+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)
		session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201).json(t)["session"].(string)
		h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": "A logo"}}, 200)
		ag := map[string]any{"scope": "A logo", "deliverables": []map[string]string{{"title": "Logo", "volume": "3 variants"}},
			"milestones": []map[string]any{{"title": "Logo", "due_date": "2026-12-20", "price": "900.00", "prepayment_percent": 20}},
			"revisions":  2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "portal", "report_cadence": "weekly"}
		r := h.call("POST", base+"/agreements", token, ag, 422)
		if !strings.Contains(string(r.body), "milestones[0].prepayment_percent") {
			t.Fatalf("the refusal does not name the field: %s", r.body)
		}
		h.call("POST", "/api/v1/clients/"+cl+"/trust", token, map[string]string{"reason": ""}, 422)
		c := h.call("POST", "/api/v1/clients/"+cl+"/trust", token, map[string]string{"reason": "Five years of invoices paid on time"}, 200).json(t)
		if c["trust"] != "trusted" {
			t.Fatalf("after trusting: %v", c)
		}
		v := h.call("POST", base+"/agreements", token, ag, 201).json(t)
		got := h.call("GET", base+"/agreements/"+fmt.Sprint(v["version"]), token, nil, 200).json(t)
		if got["policy_relaxed"] != "Five years of invoices paid on time" {
			t.Errorf("the version does not keep why the policy was relaxed: %v", got)
		}
		other := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Bor", "email": "bor@client.example"}, 201).json(t)["id"].(string)
		h.call("POST", "/api/v1/clients/"+other+"/red-flags", token, map[string]string{"code": "pressure"}, 201)
		h.call("POST", "/api/v1/clients/"+other+"/trust", token, map[string]string{"reason": "A friend"}, 409)
	})
}
