package server_test

import (
	"testing"
)

// A file's type comes from its content, never from its name or the type the browser sent: a
// PNG named .pdf is an image, a page of HTML is text that no browser will run.
func TestUploadTypesComeFromContent(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{
		"invoice.pdf": pngImage(t, 40, 30),
		"page.html":   []byte("<!doctype html><script>alert(1)</script><p>Hi</p>"),
	})
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	did := r.json(t)["id"].(string)
	files := h.call("GET", base+"/deliveries/"+did, token, nil, 200).json(t)["files"].([]any)
	got := map[string][2]string{}
	for _, f := range files {
		f := f.(map[string]any)
		kind, _ := f["kind"].(string)
		got[f["name"].(string)] = [2]string{f["content_type"].(string), kind}
	}
	if got["invoice.pdf"] != [2]string{"image/png", "image"} {
		t.Errorf("a PNG named .pdf is %v", got["invoice.pdf"])
	}
	if ct := got["page.html"][0]; ct == "" || ct[:10] != "text/plain" {
		t.Errorf("HTML is %v; want it text/plain", got["page.html"])
	}
}
