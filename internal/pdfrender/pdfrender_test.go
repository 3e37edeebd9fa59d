package pdfrender

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/accordapp/accord/internal/pdfdoc"
)

// cacheDir keeps PDFium compiled across the tests, and across runs, as Go's build cache does.
var cacheDir = func() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "accord", "pdfrender-test")
}()

// newRenderer is a renderer with cfg that is closed when the test ends.
func newRenderer(t testing.TB, cfg Config) *Renderer {
	t.Helper()
	if cfg.CacheDir == "" {
		cfg.CacheDir = cacheDir
	}
	r, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

var (
	sampleOnce sync.Once
	samplePDF  []byte
	sampleErr  error
)

// sample is a real report of several A4 pages in Latin and Cyrillic.
func sample(t testing.TB) []byte {
	t.Helper()
	sampleOnce.Do(func() {
		para := strings.Repeat("Согласованный объём: 12 фотографий, две правки. The client approved the second draft. ", 8)
		var sections []pdfdoc.Section
		for i := range 3 {
			text := make([]string, 8)
			for j := range text {
				text[j] = fmt.Sprintf("%d.%d %s", i+1, j+1, para)
			}
			sections = append(sections, pdfdoc.Section{Heading: fmt.Sprintf("Раздел %d / Section %d", i+1, i+1), Text: text})
		}
		samplePDF, sampleErr = pdfdoc.Render(pdfdoc.Doc{Title: "Предпросмотр / Preview", Sections: sections})
	})
	if sampleErr != nil {
		t.Fatal(sampleErr)
	}
	return samplePDF
}

func TestRenderReport(t *testing.T) {
	r := newRenderer(t, Config{})
	pdf := sample(t)
	want := pdfinfoPages(t, pdf)
	if want < 3 {
		t.Fatalf("the sample report has %d pages; the test needs at least 3", want)
	}
	got, err := r.Pages(context.Background(), pdf)
	if err != nil || got != want {
		t.Fatalf("Pages = %d, %v; pdfinfo counts %d", got, err, want)
	}
	images, err := r.Render(context.Background(), pdf, 0, want, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(images) != want {
		t.Fatalf("Render returned %d images for %d pages", len(images), want)
	}
	for i, img := range images {
		b := img.Bounds()
		if max(b.Dx(), b.Dy()) != 1000 || b.Dx() != 708 {
			t.Errorf("page %d is %v; want an A4 page 708 × 1000", i+1, b)
		}
		if n := ink(img); n < b.Dx()*b.Dy()/1000 {
			t.Errorf("page %d has %d dark pixels; it looks blank", i+1, n)
		}
	}
	if d := differing(images[0], images[1]); d < 1000 {
		t.Errorf("pages 1 and 2 differ in %d pixels; want different pages", d)
	}
}

func TestRenderRange(t *testing.T) {
	r := newRenderer(t, Config{MaxPages: 2})
	pdf := sample(t)
	pages := pdfinfoPages(t, pdf)
	all, err := r.Render(context.Background(), pdf, 0, 2, 300)
	if err != nil || len(all) != 2 {
		t.Fatalf("Render(0, 2) = %d images, %v", len(all), err)
	}
	last, err := r.Render(context.Background(), pdf, pages-1, 2, 300)
	if err != nil || len(last) != 1 {
		t.Fatalf("Render from the last page = %d images, %v; want the one page left", len(last), err)
	}
	if _, err := r.Render(context.Background(), pdf, 0, 3, 300); !errors.Is(err, ErrTooLarge) {
		t.Errorf("3 pages over MaxPages 2: %v; want ErrTooLarge", err)
	}
	for _, c := range []struct{ first, n, side int }{{pages, 1, 300}, {-1, 1, 300}, {0, 0, 300}, {0, 1, 0}} {
		if _, err := r.Render(context.Background(), pdf, c.first, c.n, c.side); err == nil {
			t.Errorf("Render(%d, %d, %d) returned no error", c.first, c.n, c.side)
		}
	}
	stop := errors.New("enough")
	calls := 0
	err = r.RenderEach(context.Background(), pdf, 0, 2, 300, func(int, image.Image) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("RenderEach after the callback failed: %v after %d calls; want its error after 1", err, calls)
	}
}

func TestRenderConcurrently(t *testing.T) {
	r := newRenderer(t, Config{Workers: 3})
	pdf := sample(t)
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		wg.Go(func() {
			if i%4 == 3 {
				if _, err := r.Render(context.Background(), []byte("not a PDF"), 0, 1, 200); !errors.Is(err, ErrCorrupt) {
					errs <- fmt.Errorf("garbage: %v", err)
				}
				return
			}
			images, err := r.Render(context.Background(), pdf, i%3, 1, 400)
			if err != nil || len(images) != 1 || ink(images[0]) == 0 {
				errs <- fmt.Errorf("page %d: %d images, %v", i%3+1, len(images), err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// ink counts the dark pixels of img.
func ink(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if r, g, bl, _ := img.At(x, y).RGBA(); r+g+bl < 3*0x8000 {
				n++
			}
		}
	}
	return n
}

// differing counts the pixels where a and b, of the same size, differ.
func differing(a, b image.Image) int {
	n := 0
	r := a.Bounds().Intersect(b.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				n++
			}
		}
	}
	return n
}

// pdfinfoPages is the page count poppler's pdfinfo reads from pdf.
func pdfinfoPages(t *testing.T, pdf []byte) int {
	t.Helper()
	out, err := pdfinfo(t, pdf)
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatal("pdfinfo printed no page count")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pdfinfo runs poppler's pdfinfo on pdf; a missing tool skips, or fails when CI is set.
func pdfinfo(t *testing.T, pdf []byte, args ...string) ([]byte, error) {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		msg := "pdfinfo is not installed (Debian: apt-get install poppler-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so the check may not be skipped")
		}
		t.Skip(msg + "; skipping the check, which fails instead when CI is set")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return exec.Command("pdfinfo", append(args, file)...).CombinedOutput()
}
