package server_test

import (
	"archive/zip"
	"bytes"
	"image"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/accordapp/accord/internal/pdfdoc"
	"github.com/accordapp/accord/internal/pdfrender"
)

// A file's type comes from its content, never from its name or the type the browser sent: a
// PNG named .pdf is an image, a page of HTML is text that no browser will run.
func TestUploadTypesComeFromContent(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])
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
	h.underWay(token, id, ms[0])
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

// docxOf builds a minimal DOCX holding the paragraphs.
func docxOf(t *testing.T, paras []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	w, _ = z.Create("word/document.xml")
	var body strings.Builder
	for _, p := range paras {
		body.WriteString(`<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`)
	}
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`))
	z.Close()
	return buf.Bytes()
}

// A copywriter's DOCX gets a preview of every page, as images: the client can page through it
// but cannot copy a word of it before paying.
func TestDocumentsArePreviewedPageByPage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])
	var paras []string
	for i := range 120 {
		paras = append(paras, "Абзац "+strconv.Itoa(i)+": Съвършеният текст за кафене „Норд“ — топло, просто и ясно, за всеки гост.")
	}
	r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"текст.docx": docxOf(t, paras), "notes.txt": []byte("Кратка бележка.\n")})
	if r.status != 201 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	did := r.json(t)["id"].(string)
	h.previewsMade(token)
	files := h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200).json(t)["files"].([]any)
	for _, f := range files {
		f := f.(map[string]any)
		if f["preview_url"] == nil {
			t.Errorf("%s has no preview", f["name"])
			continue
		}
		if f["name"] == "текст.docx" {
			pages, _ := f["page_urls"].([]any)
			if len(pages) < 2 {
				t.Fatalf("a 120-paragraph DOCX has %d preview pages", len(pages))
			}
			p2 := h.request("GET", pages[1].(string), session, "", nil)
			if p2.status != 200 || p2.header.Get("Content-Type") != "image/jpeg" || bytes.Contains(p2.body, []byte("Норд")) {
				t.Errorf("page 2's preview: %d %s, %d bytes", p2.status, p2.header.Get("Content-Type"), len(p2.body))
			}
			if p := h.request("GET", pages[0].(string)[:strings.Index(pages[0].(string), "?")]+"?page=999", session, "", nil); p.status != 404 {
				t.Errorf("a page past the last: %d", p.status)
			}
		}
	}
}

// A designer's PDF is rasterised page by page at a low resolution, each page a watermarked image.
func TestPDFsArePreviewedPageByPage(t *testing.T) {
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no cache folder for the compiled PDFium:", err)
	}
	r, err := pdfrender.New(pdfrender.Config{CacheDir: filepath.Join(cache, "accord", "pdfrender-test")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	h := newHarness(t)
	h.app.PDFPages = r
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])
	var text []string
	for i := range 150 {
		text = append(text, "Страница с макет, ред "+strconv.Itoa(i))
	}
	pdf, err := pdfdoc.Render(pdfdoc.Doc{Title: "Каталог", Sections: []pdfdoc.Section{{Heading: "Макет", Text: text}}})
	if err != nil {
		t.Fatal(err)
	}
	up := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"catalogue.pdf": pdf})
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	h.previewsMade(token)
	f := h.call("GET", "/portal/api/deliveries/"+up.json(t)["id"].(string), session, nil, 200).json(t)["files"].([]any)[0].(map[string]any)
	pages, _ := f["page_urls"].([]any)
	if f["kind"] != "pdf" || len(pages) < 2 {
		t.Fatalf("the PDF's previews: %v", f)
	}
	p := h.request("GET", pages[len(pages)-1].(string), session, "", nil)
	cfg, format, err := image.DecodeConfig(bytes.NewReader(p.body))
	if p.status != 200 || err != nil || format != "jpeg" || max(cfg.Width, cfg.Height) > 1000 {
		t.Errorf("the last page's preview: %d, %s %dx%d, %v", p.status, format, cfg.Width, cfg.Height, err)
	}
}

// Paying a delivered milestone in full releases its originals: the receipt says so, and each
// original the client takes is on the record; before that the original is refused, unrecorded.
func TestReleasedOriginalsAreToldAndRecorded(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	released := cat.T("en", "mail.payment_received.body", map[string]any{"released": true})
	released = released[strings.Index(released, "The originals"):strings.Index(released, "portal.")]
	saying := func() int { // receipts that say the originals are released
		n := 0
		for _, m := range h.outbox(token) {
			if m["kind"] == "payment_received" && strings.Contains(m["body"].(string), released) {
				n++
			}
		}
		return n
	}
	if n := saying(); n != 0 {
		t.Errorf("the prepayment's receipt says originals are released")
	}
	h.call("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	did := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 40, 30)}).json(t)["id"].(string)
	f := h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200).json(t)["files"].([]any)[0].(map[string]any)
	h.call("GET", f["original_url"].(string), session, nil, 402)
	h.call("POST", "/portal/api/deliveries/"+did+"/accept", session, nil, 200)
	h.call("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": map[string]string{"amount": "500.00", "currency": "EUR"}}, 201)
	if n := saying(); n != 1 {
		t.Errorf("%d receipts say the originals are released, want the one that completes the milestone", n)
	}
	link := f["original_url"].(string) // signed when the delivery was read: it still works
	h.call("GET", link, session, nil, 200)
	path, query, _ := strings.Cut(link, "?")
	h.call("GET", path, session, nil, 403)                                                // unsigned
	h.call("GET", path+"?"+strings.Replace(query, "sig=", "sig=x", 1), session, nil, 403) // altered
	h.advance(token, "2h")
	h.call("GET", link, session, nil, 403) // expired: the delivery gives a fresh one
	fresh := h.call("GET", "/portal/api/deliveries/"+did, session, nil, 200).json(t)["files"].([]any)[0].(map[string]any)["original_url"].(string)
	h.call("GET", fresh, session, nil, 200)
	n := 0
	for _, ev := range h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any) {
		if ev.(map[string]any)["type"] == "file.downloaded" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d downloads on the record, want the two that were made", n)
	}
}
