package server_test

import (
	"archive/zip"
	"bytes"
	"strings"
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

// An archive is listed, never extracted, its names made harmless; the client sees the listing.
func TestArchivesAreListed(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, name := range []string{"logo/final.svg", "../../etc/passwd", "/abs/notes.txt"} {
		w, _ := z.Create(name)
		w.Write([]byte("content of " + name))
	}
	z.Close()
	r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"sources.zip": buf.Bytes()})
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	did := r.json(t)["id"].(string)
	f := h.call("GET", base+"/deliveries/"+did, token, nil, 200).json(t)["files"].([]any)[0].(map[string]any)
	if f["kind"] != "archive" || f["preview_url"] != nil {
		t.Fatalf("the zip: %v", f)
	}
	var names []string
	for _, e := range f["listing"].(map[string]any)["entries"].([]any) {
		names = append(names, e.(map[string]any)["name"].(string))
	}
	if got := strings.Join(names, ","); got != "logo/final.svg,etc/passwd,abs/notes.txt" {
		t.Errorf("the listing names %s", got)
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	if p := c.get("/portal"); !strings.Contains(p.text(), "logo/final.svg") || !strings.Contains(p.text(), cat.T("en", "file.kind.archive", nil)) {
		t.Errorf("the portal does not show the archive's listing: %s", p.text())
	}
}
