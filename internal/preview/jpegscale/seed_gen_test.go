package jpegscale

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFuzzSeeds writes the seed corpus of FuzzDecode when JPEGSCALE_WRITE_SEEDS is set.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("JPEGSCALE_WRITE_SEEDS") == "" {
		t.Skip("set JPEGSCALE_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzDecode")
	}
	img := photo(19, 13, 1)
	seeds := map[string][]byte{
		"std-420":        stdEncode(t, img, 60),
		"std-gray":       stdEncode(t, grayOf(img), 60),
		"enc-422-rst":    encodeTest(img, encodeOpts{quality: 50, restart: 1, sampling: [3][2]int{{2, 1}, {1, 1}, {1, 1}}}),
		"enc-440-scans":  encodeTest(img, encodeOpts{quality: 50, separate: true, sampling: [3][2]int{{1, 2}, {1, 1}, {1, 1}}}),
		"enc-rgb":        encodeTest(photo(9, 9, 2), encodeOpts{quality: 40, rgb: true}),
		"enc-sof1-16bit": encodeTest(photo(9, 9, 3), encodeOpts{quality: 40, extended: true, extraJunk: true}),
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
