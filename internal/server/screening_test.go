package server_test

import (
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
