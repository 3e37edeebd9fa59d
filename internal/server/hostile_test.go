package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordapp/accord/internal/pdfrender"
	"github.com/accordapp/accord/internal/preview"
)

// floodPNG is a small PNG whose header claims w×h pixels.
func floodPNG(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	ihdr := b[8+8 : 8+8+13] // after the signature and the chunk's length and type
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	binary.BigEndian.PutUint32(b[8+8+13:], crc32.ChecksumIEEE(b[8+4:8+8+13]))
	return b
}

// blankPNG is a real w×h PNG with an alpha channel, all transparent: a small file that
// decodes to 4·w·h bytes.
func blankPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxBomb is a DOCX whose document part inflates to far more than a document may be.
func docxBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("[Content_Types].xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`))
	w, _ = z.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	para := []byte(strings.Repeat(`<w:p><w:r><w:t>bomb bomb bomb bomb</w:t></w:r></w:p>`, 1000))
	for range 3000 { // about 150 MB inflated
		w.Write(para)
	}
	w.Write([]byte(`</w:body></w:document>`))
	z.Close()
	return buf.Bytes()
}

// zipOfLies is an archive whose entries climb out of it, start at the root, and claim sizes
// they do not have.
func zipOfLies(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i, name := range []string{"../../../etc/cron.d/evil", "/root/.ssh/authorized_keys", `..\..\windows\system32\x.dll`} {
		w, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, UncompressedSize64: 1 << (40 + i)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("x"))
	}
	z.Close()
	return buf.Bytes()
}

// peakHeap samples the Go heap until stop is called, and returns the most it saw.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// Hostile files delivered together: a pixel flood, an image that would not fit the preview
// budget, a document that inflates to 150 MB, a broken PDF, a PDF that is only a huge page,
// HTML dressed as a photo, and an archive of lying names and sizes. The server takes the
// delivery, settles every preview (none for the hostile ones), stays within its memory bound
// and keeps answering; a file over the limit per file is refused by name, leaving nothing.
func TestHostileFilesLeaveTheServerUp(t *testing.T) {
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Skip("no cache folder for the compiled PDFium:", err)
	}
	pdfs, err := pdfrender.New(pdfrender.Config{CacheDir: filepath.Join(cache, "accord", "pdfrender-test")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pdfs.Close() })
	h := newHarness(t)
	h.app.PDFPages = pdfs
	const budget = 64 << 20
	h.app.Previews = preview.NewBudget(budget)
	h.srv.MaxFileSize = 4 << 20
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	base := "/api/v1/engagements/" + id
	h.underWay(token, id, ms[0])

	events := len(h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any))
	big := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"master.tif": bytes.Repeat([]byte{0x49}, 5<<20)})
	if big.status != 413 || !strings.Contains(big.errorMessage(t), "master.tif") {
		t.Fatalf("a file over the limit per file: %d %s", big.status, big.body)
	}
	if n := len(h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any)); n != events {
		t.Errorf("a refused upload left %d events", n-events)
	}

	hugePage := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 14400 14400]/UserUnit 75000>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	files := map[string][]byte{
		"flood.png":     floodPNG(t, 100000, 100000),
		"poster.png":    blankPNG(t, 5000, 5000), // 25 MP: under the flood guard, 100 MB over the budget
		"bomb.docx":     docxBomb(t),
		"broken.pdf":    []byte("%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\nxref\n0 1\ngarbage"),
		"huge-page.pdf": hugePage,
		"photo.jpg":     []byte("<!doctype html><html><script>fetch('/api/v1/engagements')</script></html>"),
		"sources.zip":   zipOfLies(t),
	}
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := peakHeap()
	r := h.upload(base+"/milestones/"+ms[0]+"/deliveries", token, "", files)
	if r.status != 201 {
		stop()
		t.Fatalf("the hostile delivery: %d %s", r.status, r.body)
	}
	did := r.json(t)["id"].(string)
	h.previewsMade(token)
	peak := stop()
	if grew := int64(peak) - int64(before.HeapAlloc); grew > 2*budget {
		t.Errorf("the heap grew by %d MB while the hostile files were taken and previewed; the bound is %d MB", grew>>20, 2*budget>>20)
	} else {
		t.Logf("the heap grew by at most %d MB (preview budget %d MB)", grew>>20, budget>>20)
	}

	if r := h.request("GET", "/healthz", "", "", nil); r.status != 200 {
		t.Fatalf("the server stopped answering: %d", r.status)
	}
	d := h.call("GET", base+"/deliveries/"+did, token, nil, 200).json(t)
	if d["previews_pending"].(float64) != 0 {
		t.Fatalf("previews still pending: %v", d)
	}
	for _, f := range d["files"].([]any) {
		f := f.(map[string]any)
		name := f["name"].(string)
		switch {
		case name == "photo.jpg":
			if !strings.HasPrefix(f["content_type"].(string), "text/plain") {
				t.Errorf("HTML named .jpg is stored as %v", f["content_type"])
			}
			orig := h.request("GET", f["original_url"].(string), token, "", nil)
			if ct := orig.header.Get("Content-Type"); strings.Contains(ct, "html") || orig.header.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.HasPrefix(orig.header.Get("Content-Disposition"), "attachment") || orig.header.Get("Content-Security-Policy") == "" {
				t.Errorf("the disguised HTML is served as %q, %v", ct, orig.header)
			}
		case name == "huge-page.pdf": // rasterised at the preview's size, whatever the page's
			if f["preview_url"] == nil {
				t.Errorf("the huge page got no preview")
				continue
			}
			p := h.request("GET", f["preview_url"].(string), token, "", nil)
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(p.body)); err != nil || max(cfg.Width, cfg.Height) > 1000 {
				t.Errorf("the huge page's preview: %dx%d, %v", cfg.Width, cfg.Height, err)
			}
		case f["preview_url"] != nil:
			t.Errorf("%s got a preview: %v", name, f)
		}
		if name == "sources.zip" {
			for _, e := range f["listing"].(map[string]any)["entries"].([]any) {
				if n := e.(map[string]any)["name"].(string); strings.Contains(n, "..") || strings.HasPrefix(n, "/") || strings.Contains(n, `\`) {
					t.Errorf("the archive lists %q", n)
				}
			}
		}
	}

}
