package app

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"log/slog"
	"strings"
	"testing"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/preview"
)

func TestCleanFileName(t *testing.T) {
	cases := map[string]string{
		"concept.png":                  "concept.png",
		"../../etc/passwd":             "passwd",
		`C:\Users\ana\logo final.svg`:  "logo final.svg",
		"invoice\u202Egpj.exe":         "invoicegpj.exe",
		"bad\xffname\x00.txt":          "badname.txt",
		`say "hi".txt`:                 "say hi.txt",
		"":                             "file",
		"..":                           "file",
		"Лого_Кафе.png":                "Лого_Кафе.png",
		"отчёт\u200cfinal.txt":         "отчёт\u200cfinal.txt",
		strings.Repeat("я", 200) + ".": strings.Repeat("я", 127),
	}
	for in, want := range cases {
		if got := CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// previewApp is an App with only what renderPreview needs: blobs, and a log to read.
func previewApp(t *testing.T) (*App, *bytes.Buffer) {
	t.Helper()
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a := New(nil, blobs, nil, nil)
	var log bytes.Buffer
	a.Log = slog.New(slog.NewTextHandler(&log, nil))
	return a, &log
}

// commitPNG stores a w x h PNG whose centre is transparent, and returns its hash.
func commitPNG(t *testing.T, a *App, w, h int) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	draw.Draw(img, image.Rect(w/4, h/4, 3*w/4, 3*h/4), image.Transparent, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	st, err := a.Blobs.Stage(context.Background(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Blobs.Commit(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return st.SHA256
}

func TestPreviewOfAPNGWithAlphaIsAHalfSizeJPEG(t *testing.T) {
	a, _ := previewApp(t)
	f := accord.File{Name: "logo.png", Kind: "image", SHA256: commitPNG(t, a, 1000, 800)}
	p, err := a.renderPreview(context.Background(), f, "Studio Nord · preview")
	if err != nil || p.Preview == "" || p.Pages != nil || p.PreviewType != "image/jpeg" {
		t.Fatalf("renderPreview = %+v, %v; want one JPEG page", p, err)
	}
	r, err := a.Blobs.Open(context.Background(), p.Preview)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	img, err := jpeg.Decode(r)
	if err != nil {
		t.Fatalf("preview is not a JPEG: %v", err)
	}
	if got := img.Bounds().Size(); got != image.Pt(500, 400) {
		t.Errorf("preview is %v, want 500x400", got)
	}
}

func TestNoPreviewOfAnImageLargerThanThePreviewBudget(t *testing.T) {
	a, log := previewApp(t)
	a.Previews = preview.NewBudget(1 << 20)
	f := accord.File{Name: "poster.png", Kind: "image", SHA256: commitPNG(t, a, 1000, 800)}
	p, err := a.renderPreview(context.Background(), f, "Studio Nord · preview")
	if err != nil || p.Preview != "" || p.Pages != nil {
		t.Fatalf("renderPreview = %+v, %v; want no preview and no error", p, err)
	}
	if !strings.Contains(log.String(), "too large") {
		t.Errorf("log does not say the image is too large:\n%s", log)
	}
}

func TestNewAppBudgetsPreviewMemory(t *testing.T) {
	if b := New(nil, nil, nil, nil).Previews; b == nil || b.Size() != preview.DefaultMemory {
		t.Errorf("New: previews budget %v, want %d bytes", b, preview.DefaultMemory)
	}
}
