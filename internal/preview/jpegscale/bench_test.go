package jpegscale

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"sync"
	"testing"
)

var benchFiles = sync.OnceValues(func() ([]byte, []byte) {
	img := photo(4000, 3000, 42)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	// The same photo with a restart marker after every MCU row, as many cameras write.
	rst := encodeTest(img, encodeOpts{quality: 90, restart: 4000 / 16, sampling: [3][2]int{{2, 2}, {1, 1}, {1, 1}}})
	return buf.Bytes(), rst
})

// BenchmarkDecode decodes a 4000×3000 4:2:0 quality-90 photo-like JPEG at each scale, with
// image/jpeg's full decode for comparison; MB/s counts the JPEG's bytes.
func BenchmarkDecode(b *testing.B) {
	plain, rst := benchFiles()
	for _, f := range []struct {
		name string
		data []byte
	}{{"std", plain}, {"restarts", rst}} {
		for _, scale := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("%s/scale=%d", f.name, scale), func(b *testing.B) {
				b.SetBytes(int64(len(f.data)))
				for b.Loop() {
					if _, err := DecodeBytes(f.data, scale); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(f.name+"/image-jpeg", func(b *testing.B) {
			b.SetBytes(int64(len(f.data)))
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(f.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
