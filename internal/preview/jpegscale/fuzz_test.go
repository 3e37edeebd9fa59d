package jpegscale

import (
	"bytes"
	"testing"
)

// FuzzDecode checks that no input makes Decode panic, and that an image it returns has the size
// that DecodeConfig reads. The seed corpus in testdata/fuzz/FuzzDecode holds tiny JPEGs of each
// kind: 4:2:0, gray, 4:2:2 with restarts, one-component scans, RGB and SOF1.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := DecodeConfig(bytes.NewReader(data))
		if err == nil && cfg.Width*cfg.Height > 1<<20 {
			return // valid but slow to fill with zero bits; the limits have their own tests
		}
		for _, scale := range []int{1, 2, 8} {
			checkDecode(t, data, scale)
		}
	})
}
