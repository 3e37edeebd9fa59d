package pdfrender

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestRenderRefusesBrokenDocuments(t *testing.T) {
	r := newRenderer(t, Config{})
	pdf := sample(t)
	for name, doc := range map[string][]byte{
		"empty":        nil,
		"garbage":      []byte("PK\x03\x04 this is a zip file, not a PDF"),
		"header only":  []byte("%PDF-1.7\n"),
		"no pages":     handmade("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"),
		"half a page":  square()[:len(square())/2],
		"half reports": pdf[:len(pdf)/2],
	} {
		if _, err := r.Pages(context.Background(), doc); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Pages: %v; want ErrCorrupt", name, err)
		}
		if _, err := r.Render(context.Background(), doc, 0, 1, 200); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Render: %v; want ErrCorrupt", name, err)
		}
	}
	// PDFium rebuilds what it can of a truncated file: it may render, or refuse as corrupt.
	for _, cut := range []int{len(pdf) - 10, len(pdf) * 9 / 10, len(pdf) * 3 / 4, 2000, 100} {
		images, err := r.Render(context.Background(), pdf[:cut], 0, 20, 200)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			t.Errorf("cut at %d of %d bytes: %v; want pages or ErrCorrupt", cut, len(pdf), err)
		}
		t.Logf("cut at %d of %d bytes: %d pages, %v", cut, len(pdf), len(images), err)
	}
}

func TestRenderRefusesPasswords(t *testing.T) {
	r := newRenderer(t, Config{})
	pdf := encrypted("secret", "owner")
	if out, err := pdfinfo(t, pdf, "-upw", "secret"); err != nil || !regexp.MustCompile(`(?m)^Encrypted:\s+yes`).Match(out) {
		t.Fatalf("pdfinfo with the password: %v\n%s", err, out)
	}
	if out, err := pdfinfo(t, pdf); err == nil {
		t.Fatalf("pdfinfo opened the protected PDF without its password:\n%s", out)
	}
	if _, err := r.Pages(context.Background(), pdf); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Pages: %v; want ErrEncrypted", err)
	}
	if _, err := r.Render(context.Background(), pdf, 0, 1, 200); !errors.Is(err, ErrEncrypted) {
		t.Errorf("Render: %v; want ErrEncrypted", err)
	}
	// Only an owner password, as for "no printing" files: anyone may open it.
	if images, err := r.Render(context.Background(), encrypted("", "owner"), 0, 1, 200); err != nil || ink(images[0]) == 0 {
		t.Errorf("a PDF with only an owner password: %v; want its page", err)
	}
}

func TestRenderBoundsHugePages(t *testing.T) {
	r := newRenderer(t, Config{MaxPixels: 1000 * 1000})
	huge := onePage("0 0 200000 200000", "", []byte("0 g 0 0 100000 100000 re f"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	images, err := r.Render(context.Background(), huge, 0, 1, 1000)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if b := images[0].Bounds(); b.Dx() != 1000 || b.Dy() != 1000 {
		t.Errorf("a 200000 pt square page rendered at %v; want 1000 × 1000", b)
	}
	if n := ink(images[0]); n < 240_000 || n > 260_000 {
		t.Errorf("the page's dark quarter is %d pixels; want about 250000", n)
	}
	// At 72 dpi the page would be 160 GB; the instance itself takes some tens of MB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("rendering the huge page allocated %d MiB", alloc>>20)
	}
	sliver, err := r.Render(context.Background(), onePage("0 0 200000 1", "", []byte("0 g 0 0 200000 1 re f")), 0, 1, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if b := sliver[0].Bounds(); b.Dx() != 1000 || b.Dy() != 1 {
		t.Errorf("a 200000 × 1 pt page rendered at %v; want 1000 × 1", b)
	}
	if _, err := r.Render(context.Background(), huge, 0, 1, 1001); !errors.Is(err, ErrTooLarge) {
		t.Errorf("1001 × 1001 pixels over MaxPixels 1000000: %v; want ErrTooLarge", err)
	}
}

func TestRenderRefusesLargeFiles(t *testing.T) {
	r := newRenderer(t, Config{MaxBytes: 1000})
	if _, err := r.Pages(context.Background(), sample(t)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a report over MaxBytes: %v; want ErrTooLarge", err)
	}
}

func TestRenderStopsSlowDocuments(t *testing.T) {
	for name, c := range map[string]struct {
		cfg Config
		pdf []byte
	}{
		"10^9 nested forms, document deadline": {Config{DocTimeout: 300 * time.Millisecond}, nestedForms(9)},
		"10^9 nested forms, page deadline":     {Config{PageTimeout: 300 * time.Millisecond}, nestedForms(9)},
		"a million fills":                      {Config{DocTimeout: 300 * time.Millisecond}, floodedPage(1_000_000)},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRenderer(t, c.cfg)
			goroutines := runtime.NumGoroutine()
			start := time.Now()
			_, err := r.Render(context.Background(), c.pdf, 0, 1, 1000)
			if took := time.Since(start); !errors.Is(err, ErrTimeout) || took > 2*time.Second {
				t.Fatalf("Render returned %v after %v; want ErrTimeout soon after 300 ms", err, took)
			}
			t.Logf("stopped after %v", time.Since(start).Round(time.Millisecond))
			if images, err := r.Render(context.Background(), square(), 0, 1, 200); err != nil || ink(images[0]) == 0 {
				t.Fatalf("the next good PDF: %v", err)
			}
			settled(t, goroutines)
		})
	}
}

func TestRenderStopsOnCancel(t *testing.T) {
	r := newRenderer(t, Config{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	if _, err := r.Render(ctx, nestedForms(9), 0, 1, 1000); !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("Render after the caller gave up: %v after %v; want context.Canceled at once", err, time.Since(start))
	}

	done := make(chan error, 1)
	go func() { _, err := r.Render(context.Background(), nestedForms(9), 0, 1, 1000); done <- err }()
	time.Sleep(200 * time.Millisecond)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("a render in flight at Close: %v; want ErrClosed", err)
	}
	if _, err := r.Pages(context.Background(), square()); !errors.Is(err, ErrClosed) {
		t.Errorf("Pages after Close: %v; want ErrClosed", err)
	}
}

func TestRenderStopsMemoryBombs(t *testing.T) {
	r := newRenderer(t, Config{MaxMemory: 64 << 20, MaxPixels: 1 << 20})
	// 100 MiB of content stream, deflated to 100 KB, which PDFium inflates whole.
	bomb := onePage("0 0 600 800", "", append(bytes.Repeat([]byte(" "), 100<<20), "0 g 0 0 10 10 re f"...))
	start := time.Now()
	_, err := r.Render(context.Background(), bomb, 0, 1, 500)
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
		t.Errorf("a page inflating past MaxMemory: %v; want ErrCorrupt or ErrTooLarge", err)
	}
	t.Logf("the bomb stopped after %v: %.80s", time.Since(start), err)
	if images, err := r.Render(context.Background(), square(), 0, 1, 200); err != nil || ink(images[0]) == 0 {
		t.Fatalf("the next good PDF: %v", err)
	}
}

// settled fails unless the goroutines return to about n: a killed render leaves none behind.
func settled(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if runtime.NumGoroutine() <= n+2 {
			return
		}
	}
	buf := make([]byte, 1<<16)
	t.Errorf("%d goroutines, up from %d:\n%s", runtime.NumGoroutine(), n, strings.TrimSpace(string(buf[:runtime.Stack(buf, true)])))
}
