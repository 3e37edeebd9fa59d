package preview

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

// pngClaiming returns a tiny valid PNG whose IHDR is patched to claim w x h.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	return claimSize(encodePNG(t, image.NewGray(image.Rect(0, 0, 2, 2))), w, h)
}

// claimSize patches a PNG's IHDR to claim w x h.
func claimSize(data []byte, w, h uint32) []byte {
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestDecompressionBombGuard(t *testing.T) {
	tests := []struct {
		name    string
		w, h    uint32
		refused bool
	}{
		{"30000x30000", 30000, 30000, true},
		{"side too long", 25000, 10, true},
		{"56 megapixels", 8000, 7000, true},
		{"49 megapixels", 7000, 7000, false},
		{"longest side allowed", 20000, 100, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := pngClaiming(t, tc.w, tc.h)
			if _, _, err := image.DecodeConfig(bytes.NewReader(in)); err != nil {
				t.Fatalf("crafted PNG header not accepted: %v", err)
			}
			_, err := Make(bytes.NewReader(in), testWatermark)
			if errors.Is(err, ErrUnsupported) {
				t.Fatalf("err = %v, must not be ErrUnsupported", err)
			}
			if errors.Is(err, errTooLarge) != tc.refused {
				t.Fatalf("err = %v, refused want %v", err, tc.refused)
			}
			if tc.refused && !strings.Contains(err.Error(), "too large") {
				t.Errorf("error %q does not say the image is too large", err)
			}
		})
	}
}

// A 16-bit image costs twice the memory per pixel, so it is refused at fewer pixels.
func TestDecodedMemoryBudgetCountsBitDepth(t *testing.T) {
	claim := func(w, h uint32) []byte {
		return claimSize(encodePNG(t, image.NewRGBA64(image.Rect(0, 0, 2, 2))), w, h)
	}
	for _, tc := range []struct {
		w, h    uint32
		refused bool
	}{{7000, 7000, true}, {4000, 4000, false}} {
		_, err := Make(bytes.NewReader(claim(tc.w, tc.h)), testWatermark)
		if errors.Is(err, errTooLarge) != tc.refused {
			t.Errorf("16-bit %dx%d: err = %v, refused want %v", tc.w, tc.h, err, tc.refused)
		}
	}
}

func TestProgressiveJPEGCostsMore(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	var baseline bytes.Buffer
	if err := jpeg.Encode(&baseline, img, nil); err != nil {
		t.Fatal(err)
	}
	if progressiveJPEG(bytes.NewReader(baseline.Bytes())) {
		t.Fatal("a baseline JPEG is taken for progressive")
	}
	// The same stream with its frame marker turned into SOF2 is progressive.
	prog := bytes.Replace(baseline.Bytes(), []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1)
	if !progressiveJPEG(bytes.NewReader(prog)) {
		t.Fatal("a SOF2 JPEG is not recognised as progressive")
	}
	if progressiveJPEG(strings.NewReader("not a jpeg")) {
		t.Fatal("random bytes are progressive")
	}
}

// A segment before the frame header whose length has bits in common with 2 must be skipped exactly.
func TestProgressiveJPEGAfterAnAppSegment(t *testing.T) {
	app := append([]byte{0xFF, 0xE1, 0x00, 0x12}, make([]byte, 16)...) // APP1, length 18
	sof2 := []byte{0xFF, 0xC2, 0x00, 0x0B, 8, 0, 16, 0, 16, 1, 1, 0x11, 0}
	b := append(append([]byte{0xFF, 0xD8}, app...), sof2...)
	if !progressiveJPEG(bytes.NewReader(b)) {
		t.Fatal("a SOF2 after an 18-byte APP1 segment is missed")
	}
}

// interlacedPNG returns a w x h 8-bit RGBA PNG with Adam7 interlacing, which Go's encoder does not write.
func interlacedPNG(t testing.TB, w, h int) []byte {
	passes := []struct{ x, y, dx, dy int }{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	for _, p := range passes {
		pw, ph := (w-p.x+p.dx-1)/p.dx, (h-p.y+p.dy-1)/p.dy
		if pw <= 0 || ph <= 0 {
			continue
		}
		row := bytes.Repeat([]byte{0x80}, 1+4*pw)
		row[0] = 0 // no filter
		for range ph {
			zw.Write(row)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 1) // 8-bit, RGBA, deflate, no filter, Adam7
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// greyWithTRNS returns a grey PNG with a transparent colour, which decodes to NRGBA.
func greyWithTRNS(t testing.TB, w, h int) []byte {
	src := encodePNG(t, image.NewGray(image.Rect(0, 0, w, h)))
	return append(append(append([]byte{}, src[:33]...), pngChunk("tRNS", []byte{0, 0x80})...), src[33:]...)
}

// The estimate a render holds in the budget covers all it allocates, garbage included.
func TestCostCoversWhatARenderAllocates(t *testing.T) {
	long := strings.Repeat("Студия Норд ", 16) + "· превью"
	tests := []struct {
		name, mark string
		src        []byte
	}{
		{"baseline jpeg", testWatermark, encodeJPEG(t, photo(2400, 1800))},
		{"grey jpeg", testWatermark, encodeJPEG(t, image.NewGray(image.Rect(0, 0, 3000, 2000)))},
		{"png rgba", testWatermark, encodePNG(t, withHole(2000, 1500))},
		{"png 16-bit", testWatermark, encodePNG(t, image.NewRGBA64(image.Rect(0, 0, 2000, 1500)))},
		{"png grey", testWatermark, encodePNG(t, image.NewGray(image.Rect(0, 0, 3000, 2000)))},
		{"png grey tRNS", testWatermark, greyWithTRNS(t, 3000, 2000)},
		{"png interlaced", testWatermark, interlacedPNG(t, 3000, 2000)},
		{"gif", testWatermark, encodeGIF(t, photo(1200, 900))},
		{"webp", testWatermark, readWebP(t)},
		{"tiff deflate", testWatermark, encodeTIFF(t, photo(2000, 1500), tiff.Deflate)},
		{"tiff uncompressed", testWatermark, encodeTIFF(t, photo(2000, 1500), tiff.Uncompressed)},
		{"tiff 16-bit", testWatermark, encodeTIFF(t, image.NewRGBA64(image.Rect(0, 0, 1600, 1200)), tiff.Deflate)},
		{"tiff grey", testWatermark, encodeTIFF(t, image.NewGray(image.Rect(0, 0, 3000, 2000)), tiff.Deflate)},
		{"heic", testWatermark, readFixture(t, "photo.heic")},
		{"heic grid", testWatermark, readFixture(t, "grid.heic")},
		{"heic alpha", testWatermark, readFixture(t, "alpha.heic")},
		{"heic tiny", testWatermark, readFixture(t, "small.heic")},
		{"long watermark", long, encodePNG(t, photo(1200, 900))},
		{"tiny, long watermark", long, encodePNG(t, photo(40, 30))},
	}
	if err := warmHEIC(); err != nil { // compiled once per process, outside any render
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			skipHEIC(t, tc.name)
			j, err := plan(bytes.NewReader(tc.src), tc.mark)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			if _, err := Make(bytes.NewReader(tc.src), tc.mark); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			if got := int64(after.TotalAlloc - before.TotalAlloc); got > j.cost {
				t.Errorf("a render allocates %d bytes, more than its estimated %d", got, j.cost)
			} else {
				t.Logf("allocated %.1f MB of %.1f MB estimated", float64(got)/1e6, float64(j.cost)/1e6)
			}
		})
	}
}

func TestTestImagesAreWhatTheySay(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(interlacedPNG(t, 30, 20)))
	if err != nil || img.Bounds().Dx() != 30 || img.Bounds().Dy() != 20 {
		t.Errorf("interlaced PNG: %v, %v", img, err)
	}
	if img, err := png.Decode(bytes.NewReader(greyWithTRNS(t, 30, 20))); err != nil {
		t.Error(err)
	} else if _, ok := img.(*image.NRGBA); !ok {
		t.Errorf("grey PNG with tRNS decodes to %T, want *image.NRGBA", img)
	}
}
