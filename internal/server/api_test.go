package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord/internal/store/storetest"
)

func money(t *testing.T, v any) string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not a money object: %v", v)
	}
	return m["amount"].(string) + " " + m["currency"].(string)
}

func milestone(t *testing.T, h *harness, token, id string, i int) map[string]any {
	t.Helper()
	e := h.call("GET", "/api/v1/engagements/"+id, token, nil, 200).json(t)
	return e["milestones"].([]any)[i].(map[string]any)
}

func TestHappyPathThroughTheAPI(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { happyPath(t, newHarness(t)) })
	t.Run("postgres", func(t *testing.T) { happyPath(t, newHarnessOn(t, storetest.PostgresSchema(t))) })
}

func happyPath(t *testing.T, h *harness) {
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00", "600")
	base := "/api/v1/engagements/" + id

	e := h.call("GET", base, token, nil, 200).json(t)
	if e["state"] != "agreed" || len(ms) != 2 {
		t.Fatalf("after acceptance: state %v, %d milestones", e["state"], len(ms))
	}
	m1 := e["milestones"].([]any)[0].(map[string]any)
	if m1["state"] != "awaiting_prepayment" || money(t, m1["price"]) != "1000.00 EUR" || money(t, m1["prepayment"]) != "500.00 EUR" || money(t, m1["paid"]) != "0.00 EUR" || m1["due_date"] != "2026-12-03" {
		t.Fatalf("milestone 1: %v", m1)
	}
	if s := e["milestones"].([]any)[1].(map[string]any)["state"]; s != "pending" {
		t.Fatalf("milestone 2 state %v, want pending", s)
	}

	// No start before the prepayment, with a message that names what is missing.
	r := h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 409)
	if msg := r.errorMessage(t); !strings.Contains(msg, "prepayment of €500.00 not received") {
		t.Fatalf("409 message %q does not name the missing prepayment", msg)
	}
	// No delivery outside in_progress.
	if r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.txt": []byte("x")}); r.status != 409 {
		t.Fatalf("delivery before start: %d, want 409: %s", r.status, r.body)
	}
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00", "reference": "bank 1"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)

	photo := pngImage(t, 2400, 1200)
	notes := []byte("plain notes, previewed as a page image")
	r = h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "first concepts", map[string][]byte{"concept.png": photo, "notes.txt": notes})
	if r.status != 201 {
		t.Fatalf("delivery: %d %s", r.status, r.body)
	}
	d := r.json(t)
	did := d["id"].(string)
	sums := map[string]string{}
	for _, f := range d["files"].([]any) {
		f := f.(map[string]any)
		sums[f["name"].(string)] = f["sha256"].(string)
	}
	want := sha256.Sum256(photo)
	if sums["concept.png"] != hex.EncodeToString(want[:]) || len(sums) != 2 {
		t.Fatalf("delivered files %v", sums)
	}
	if s := milestone(t, h, token, id, 0)["state"]; s != "delivered" {
		t.Fatalf("milestone after delivery: %v", s)
	}

	// The client sees a watermarked, downscaled preview once it is made, and the original is locked.
	h.previewsMade(token)
	pd := h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200).json(t)
	var previewURL, originalURL string
	for _, f := range pd["files"].([]any) {
		f := f.(map[string]any)
		if f["name"] == "concept.png" {
			previewURL, originalURL = f["preview_url"].(string), f["original_url"].(string)
		} else if f["preview_url"] == nil {
			t.Fatalf("the text file has no page preview: %v", f)
		}
	}
	pr := h.request("GET", previewURL, session, "", nil)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(pr.body))
	// At most 1200 px on the long side and half the original's (2400x1200), always a JPEG.
	if pr.status != 200 || err != nil || format != "jpeg" || cfg.Width != 1200 || cfg.Height != 600 {
		t.Fatalf("preview: status %d, %s %dx%d, err %v", pr.status, format, cfg.Width, cfg.Height, err)
	}
	if ct := pr.header.Get("Content-Type"); ct != "image/jpeg" {
		t.Fatalf("preview content type %q", ct)
	}
	if r := h.request("GET", originalURL, session, "", nil); r.status != 402 || !strings.Contains(r.errorMessage(t), "paid in full") {
		t.Fatalf("original before payment: %d %s", r.status, r.body)
	}

	h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 200)
	if s := milestone(t, h, token, id, 0)["state"]; s != "accepted" {
		t.Fatalf("after acceptance: %v", s)
	}
	// Milestone 2 cannot start before milestone 1 is paid in full.
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[1], "amount": "300.00"}, 201)
	r = h.call("POST", base+"/milestones/"+ms[1]+"/start", token, nil, 409)
	if msg := r.errorMessage(t); !strings.Contains(msg, "milestone 1 is not paid in full") {
		t.Fatalf("409 message %q", msg)
	}
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	if s := milestone(t, h, token, id, 0)["state"]; s != "paid" {
		t.Fatalf("after full payment: %v", s)
	}
	orig := h.request("GET", originalURL, session, "", nil)
	if orig.status != 200 || !bytes.Equal(orig.body, photo) {
		t.Fatalf("original after payment: %d, %d bytes (want the %d uploaded)", orig.status, len(orig.body), len(photo))
	}
	h.call("POST", base+"/milestones/"+ms[1]+"/start", token, nil, 200)

	bal := h.call("GET", base, token, nil, 200).json(t)["balance"].(map[string]any)
	if money(t, bal["invoiced"]) != "1300.00 EUR" || money(t, bal["paid"]) != "1300.00 EUR" || money(t, bal["due"]) != "0.00 EUR" {
		t.Fatalf("balance %v", bal)
	}
	checkEvents(t, h, token, id)
}

func checkEvents(t *testing.T, h *harness, token, id string) {
	t.Helper()
	evs := h.call("GET", "/api/v1/engagements/"+id+"/events", token, nil, 200).json(t)["events"].([]any)
	var types []string
	for i, ev := range evs {
		ev := ev.(map[string]any)
		if int(ev["seq"].(float64)) != i+1 || len(ev["hash"].(string)) != 64 || ev["at"] == "" || ev["actor"] == "" {
			t.Fatalf("event %d: %v", i, ev)
		}
		types = append(types, ev["type"].(string))
	}
	// Every email that asks something of the client (the brief, the agreement, a prepayment, a
	// delivery, the balance) carries a fresh portal link: an invitation on the record; each amount
	// asked is an invoice on the record. The original the client took once it was paid for is on
	// the record too.
	want := "engagement.created brief.written brief.sent client.invited client.invited portal.opened brief.answered agreement.written agreement.proposed client.invited agreement.accepted invoice.issued client.invited payment.recorded milestone.started delivery.submitted preview.ready preview.ready client.invited delivery.accepted invoice.issued client.invited payment.recorded payment.recorded file.downloaded milestone.started"
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("events:\n got %s\nwant %s", got, want)
	}
}

func TestMessagesAndCoolingOff(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "100.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "50"}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)

	h.call("POST", base+"/messages", token, map[string]string{"body": "Here it is."}, 201)
	h.call("POST", "/portal/api/messages", session, map[string]string{"body": "Thanks!"}, 201)
	r := h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "", "desired_result": ""}, 422)
	if msg := r.errorMessage(t); !strings.Contains(msg, "what_is_wrong") || !strings.Contains(msg, "desired_result") {
		t.Fatalf("422 does not name both fields: %s", msg)
	}
	h.call("POST", "/portal/api/deliveries/"+did+"/request-changes", session, map[string]string{"what_is_wrong": "Colours too dark", "desired_result": "The palette from the brief"}, 200)

	held := h.call("POST", base+"/messages", token, map[string]string{"body": "This is exactly what you asked for!"}, 202).json(t)
	if held["send_at"] != start.Add(20*time.Minute).Format(time.RFC3339) {
		t.Fatalf("held message send_at %v, want now + 20 minutes", held["send_at"])
	}
	if n := len(h.call("GET", "/portal/api/messages", session, nil, 200).json(t)["messages"].([]any)); n != 2 {
		t.Fatalf("client sees %d messages during the hold, want 2", n)
	}
	if n := len(h.call("GET", base+"/messages", token, nil, 200).json(t)["messages"].([]any)); n != 3 {
		t.Fatalf("freelancer sees %d messages, want 3 (held included)", n)
	}
	h.call("POST", base+"/messages/"+held["id"].(string)+"/send-now", token, nil, 200)
	h.call("POST", base+"/messages/"+held["id"].(string)+"/send-now", token, nil, 409)
	if n := len(h.call("GET", "/portal/api/messages", session, nil, 200).json(t)["messages"].([]any)); n != 3 {
		t.Fatalf("client sees %d messages after send-now, want 3", n)
	}
	// A later reply, once the hold is over, goes out at once; the rework resumes without a new prepayment.
	h.call("POST", "/api/v1/test-clock/advance", token, map[string]string{"duration": "21m"}, 200)
	h.call("POST", base+"/messages", token, map[string]string{"body": "I will rework the palette."}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
}
