package pdfrender

import (
	"context"
	"errors"
	"testing"
	"time"
)

// fuzzSide is the preview size of the fuzz target, small so each input renders fast.
const fuzzSide = 200

func FuzzRender(f *testing.F) {
	// The seeds are in testdata/fuzz/FuzzRender: valid pages, broken and protected ones.
	r := newRenderer(f, Config{Workers: 1, MaxPages: 3, PageTimeout: time.Second, DocTimeout: 2 * time.Second, MaxMemory: 128 << 20})
	f.Fuzz(func(t *testing.T, pdf []byte) {
		images, err := r.Render(context.Background(), pdf, 0, 3, fuzzSide)
		if err != nil {
			for _, known := range []error{ErrCorrupt, ErrEncrypted, ErrTooLarge, ErrTimeout} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("an error that is none of the package's: %v", err)
		}
		if len(images) == 0 || len(images) > 3 {
			t.Fatalf("%d images for at most 3 pages", len(images))
		}
		for i, img := range images {
			if b := img.Bounds(); max(b.Dx(), b.Dy()) != fuzzSide || min(b.Dx(), b.Dy()) < 1 {
				t.Fatalf("page %d is %v; want its longer side %d", i+1, b, fuzzSide)
			}
		}
	})
}
