package preview

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteBenchImages writes the folders that BENCHMARKS.md measures, when ACCORD_BENCH_IMAGES
// says where: DIR/jpeg, twelve 4000x3000 JPEGs of quality 90, and DIR/png, four 7000x7000 RGBA
// PNGs of 208 KB (the image of issue 5).
func TestWriteBenchImages(t *testing.T) {
	dir := os.Getenv("ACCORD_BENCH_IMAGES")
	if dir == "" {
		t.Skip("set ACCORD_BENCH_IMAGES=DIR to write the images BENCHMARKS.md measures")
	}
	writeCopies(t, filepath.Join(dir, "jpeg"), "photo-%02d.jpg", 12, encodeJPEG(t, photo(4000, 3000)))
	writeCopies(t, filepath.Join(dir, "png"), "blank-%02d.png", 4, encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 7000, 7000))))
}

func writeCopies(t *testing.T, dir, name string, n int, data []byte) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		writeFile(t, filepath.Join(dir, fmt.Sprintf(name, i)), data)
	}
}
