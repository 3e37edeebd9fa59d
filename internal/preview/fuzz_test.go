package preview

import (
	"bytes"
	"context"
	"image/jpeg"
	"testing"
)

// FuzzMake checks that no input makes Make panic, hang or exceed its budget, and that a preview
// it makes is a JPEG no longer than MaxSide and half the original. The seed corpus in
// testdata/fuzz/FuzzMake holds the HEIC fixtures (a one-tile grid, a 2x2 grid, one with
// alpha, one claiming 30000x30000, the start of photo.heic) and tiny TIFFs (deflated RGBA,
// uncompressed grey, big-endian, 16-bit), and a tiny image of each other format.
func FuzzMake(f *testing.F) {
	b := NewBudget(64 << 20) // larger images are refused from their header, quickly
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := b.Make(context.Background(), bytes.NewReader(data), testWatermark)
		if err != nil {
			return
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("the preview is no JPEG: %v", err)
		}
		h, err := readHeader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("Make succeeded where readHeader fails: %v", err)
		}
		if long := max(cfg.Width, cfg.Height); long > MaxSide || long > max(1, max(h.width, h.height)/2) {
			t.Fatalf("a %dx%d preview of a %dx%d image", cfg.Width, cfg.Height, h.width, h.height)
		}
	})
}
