package preview

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"testing"
)

// A photo's preview made in YCbCr looks like the one made in RGBA: the same size, the same
// picture and the same watermark, within what a JPEG of quality 70 changes anyway.
func TestYCbCrPathMatchesTheRGBAPath(t *testing.T) {
	src := encodeJPEG(t, photo(2400, 1600))
	fast, err := Make(bytes.NewReader(src), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	full, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	slowRGBA, err := render(full, testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	a, err := jpeg.Decode(bytes.NewReader(fast))
	if err != nil {
		t.Fatal(err)
	}
	if a.Bounds() != slowRGBA.Bounds() {
		t.Fatalf("the fast preview is %v, the RGBA one %v", a.Bounds(), slowRGBA.Bounds())
	}
	if p := psnr(a, slowRGBA); p < 28 {
		t.Errorf("the YCbCr preview differs from the RGBA one: PSNR %.1f dB", p)
	}
	// The watermark is there: a flat grey photo's preview is not flat.
	grey := image.NewGray(image.Rect(0, 0, 2400, 1600))
	for i := range grey.Pix {
		grey.Pix[i] = 100
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, toYCbCr(grey), &jpeg.Options{Quality: 95})
	out, err := Make(bytes.NewReader(buf.Bytes()), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := jpeg.Decode(bytes.NewReader(out))
	lo, hi := uint32(math.MaxUint32), uint32(0)
	for y := m.Bounds().Min.Y; y < m.Bounds().Max.Y; y += 3 {
		for x := m.Bounds().Min.X; x < m.Bounds().Max.X; x += 3 {
			r, _, _, _ := m.At(x, y).RGBA()
			lo, hi = min(lo, r), max(hi, r)
		}
	}
	if hi-lo < 40<<8 {
		t.Errorf("the preview of a flat photo is flat (%d..%d): no watermark", lo>>8, hi>>8)
	}
}

func toYCbCr(g *image.Gray) *image.YCbCr {
	m := image.NewYCbCr(g.Rect, image.YCbCrSubsampleRatio420)
	copy(m.Y, g.Pix)
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = 128, 128
	}
	return m
}

func psnr(a, b image.Image) float64 {
	var se float64
	var n int
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(ar>>8) - float64(br>>8), float64(ag>>8) - float64(bg>>8), float64(ab>>8) - float64(bb>>8)} {
				se += d * d
			}
			n += 3
		}
	}
	if se == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(se/float64(n)))
}
