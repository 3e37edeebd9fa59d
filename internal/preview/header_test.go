package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"strings"
	"testing"
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
