package jpegscale

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
)

// photo is a photo-like test image: smooth gradients, a few hard edges and a little noise.
func photo(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, 7))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			r := 128 + 100*math.Sin(6*fx+2*fy)
			g := 40 + 180*fy
			b := 128 + 90*math.Cos(9*fx*fy+1)
			if (x/37+y/53)%5 == 0 {
				r, g = g, 255-r // hard edges
			}
			n := rng.Float64()*16 - 8
			o := img.PixOffset(x, y)
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = sat(r+n), sat(g+n), sat(b-n), 255
		}
	}
	return img
}

func sat(v float64) uint8 { return uint8(min(max(math.Round(v), 0), 255)) }

func stdEncode(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func grayOf(img image.Image) *image.Gray {
	g := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

// plane is one channel of a decoded image: sample (x, y) is pix[y*stride+x*step].
type plane struct {
	pix          []byte
	stride, step int
	w, h         int
}

func (p plane) at(x, y int) int { return int(p.pix[y*p.stride+x*p.step]) }

// planesOf splits an image into its channels at their own resolution.
func planesOf(t *testing.T, img image.Image) []plane {
	t.Helper()
	r := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		return []plane{{m.Pix, m.Stride, 1, r.Dx(), r.Dy()}}
	case *image.RGBA:
		return []plane{{m.Pix, m.Stride, 4, r.Dx(), r.Dy()}, {m.Pix[1:], m.Stride, 4, r.Dx(), r.Dy()},
			{m.Pix[2:], m.Stride, 4, r.Dx(), r.Dy()}}
	case *image.YCbCr:
		cw, ch := chromaSize(m.SubsampleRatio, r.Dx(), r.Dy())
		return []plane{{m.Y, m.YStride, 1, r.Dx(), r.Dy()}, {m.Cb, m.CStride, 1, cw, ch}, {m.Cr, m.CStride, 1, cw, ch}}
	}
	t.Fatalf("unexpected image type %T", img)
	return nil
}

func chromaSize(r image.YCbCrSubsampleRatio, w, h int) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return ceilDiv(w, 2), h
	case image.YCbCrSubsampleRatio420:
		return ceilDiv(w, 2), ceilDiv(h, 2)
	case image.YCbCrSubsampleRatio440:
		return w, ceilDiv(h, 2)
	case image.YCbCrSubsampleRatio411:
		return ceilDiv(w, 4), h
	case image.YCbCrSubsampleRatio410:
		return ceilDiv(w, 4), ceilDiv(h, 2)
	}
	return w, h
}

// boxDown averages s×s squares of p (fewer at the edges).
func boxDown(p plane, s int) plane {
	out := plane{w: ceilDiv(p.w, s), h: ceilDiv(p.h, s), step: 1}
	out.stride = out.w
	out.pix = make([]byte, out.w*out.h)
	for y := 0; y < out.h; y++ {
		for x := 0; x < out.w; x++ {
			sum, n := 0, 0
			for yy := y * s; yy < min(y*s+s, p.h); yy++ {
				for xx := x * s; xx < min(x*s+s, p.w); xx++ {
					sum += p.at(xx, yy)
					n++
				}
			}
			out.pix[y*out.w+x] = byte((sum + n/2) / n)
		}
	}
	return out
}

// diff returns the largest absolute difference of two planes of one size and their PSNR in dB.
func diff(t *testing.T, a, b plane) (int, float64) {
	t.Helper()
	if a.w != b.w || a.h != b.h {
		t.Fatalf("plane sizes differ: %dx%d and %dx%d", a.w, a.h, b.w, b.h)
	}
	most, sq := 0, 0.0
	for y := 0; y < a.h; y++ {
		for x := 0; x < a.w; x++ {
			d := a.at(x, y) - b.at(x, y)
			most = max(most, d, -d)
			sq += float64(d * d)
		}
	}
	if sq == 0 {
		return most, math.Inf(1)
	}
	return most, 10 * math.Log10(255*255/(sq/float64(a.w*a.h)))
}
