package pdfrender

import (
	"bytes"
	"context"
	"image"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestFit(t *testing.T) {
	for _, c := range []struct {
		w, h         float64
		side         int
		wantW, wantH int
	}{
		{595.28, 841.89, 1000, 708, 1000},
		{841.89, 595.28, 1000, 1000, 708},
		{200, 200, 1000, 1000, 1000},
		{200000, 1, 1000, 1000, 1},
		{1, 200000, 1000, 1, 1000},
	} {
		w, h, ok := fit(c.w, c.h, c.side)
		if !ok || w != c.wantW || h != c.wantH {
			t.Errorf("fit(%g, %g, %d) = %d, %d; want %d, %d", c.w, c.h, c.side, w, h, c.wantW, c.wantH)
		}
	}
	for _, bad := range [][2]float64{{0, 100}, {-1, 100}, {100, math.Inf(1)}, {math.NaN(), 100}} {
		if _, _, ok := fit(bad[0], bad[1], 1000); ok {
			t.Errorf("fit(%g, %g) accepted the page", bad[0], bad[1])
		}
	}
}

// TestMeasure reports the figures a deployment is sized by; it asserts nothing.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles PDFium from cold, which takes seconds")
	}
	dir := t.TempDir()
	for _, run := range []string{"cold, compiling PDFium", "warm, from CacheDir"} {
		start := time.Now()
		r, err := New(Config{CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("startup %s: %v", run, time.Since(start).Round(time.Millisecond))
		r.Close()
	}

	r := newRenderer(t, Config{Workers: 1})
	pdf := sample(t)
	pages, _ := r.Pages(context.Background(), pdf)
	start := time.Now()
	const docs = 5
	for range docs {
		if _, err := r.Render(context.Background(), pdf, 0, pages, 1000); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("render at maxSide 1000: %v a page, over %d documents of %d pages, each in a new instance",
		(time.Since(start) / (docs * time.Duration(pages))).Round(100*time.Microsecond), docs, pages)
	start = time.Now()
	for range 20 {
		r.Pages(context.Background(), square())
	}
	t.Logf("a fresh instance and a one-page document opened: %v", (time.Since(start) / 20).Round(100*time.Microsecond))

	const held = 4
	r = newRenderer(t, Config{Workers: held})
	r.Render(context.Background(), pdf, 0, 1, 1000)
	idle, ok := memory()
	if !ok {
		t.Skip("no /proc/self/status to read the resident memory from")
	}
	busy := holding(t, r, held, pdf)
	t.Logf("memory with %d instances each holding a rendered page: resident %d → %d MiB, heap %d → %d MiB: %d MiB an instance",
		held, idle.rss>>20, busy.rss>>20, idle.heap>>20, busy.heap>>20, (busy.heap-idle.heap)/held>>20)
}

// holding measures memory while n renders each hold their instance, with a page rendered.
func holding(t *testing.T, r *Renderer, n int, pdf []byte) usage {
	var rendered, release sync.WaitGroup
	rendered.Add(n)
	release.Add(1)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			called := false
			err := r.RenderEach(context.Background(), pdf, 0, 1, 1000, func(int, image.Image) error {
				called = true
				rendered.Done()
				release.Wait()
				return nil
			})
			if !called {
				t.Errorf("a render failed: %v", err)
				rendered.Done()
			}
		})
	}
	rendered.Wait()
	busy, _ := memory()
	release.Done()
	wg.Wait()
	return busy
}

type usage struct{ rss, heap int64 }

// memory is the process's resident memory, once the garbage is handed back to the
// system, and its live heap, which holds the instances' WebAssembly memory.
func memory() (usage, bool) {
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	rss, ok := resident()
	return usage{rss, int64(m.HeapAlloc)}, ok
}

// resident is the process's resident memory in bytes, where Linux reports it.
func resident() (int64, bool) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
