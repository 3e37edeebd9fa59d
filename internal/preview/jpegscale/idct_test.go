package jpegscale

import (
	"math"
	"math/rand/v2"
	"testing"
)

// referenceIDCT evaluates the reduced inverse DCT in floating point: the band-limited
// reconstruction from the lowest n×n coefficients, sampled at the centres of 8/n-pixel spans.
func referenceIDCT(blk *[64]int32, n int) []float64 {
	out := make([]float64, n*n)
	span := 8 / float64(n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			py, px := (float64(y)+0.5)*span-0.5, (float64(x)+0.5)*span-0.5
			s := 0.0
			for v := 0; v < n; v++ {
				for u := 0; u < n; u++ {
					s += cu(u) * cu(v) / 4 * float64(blk[v*8+u]) *
						math.Cos((2*px+1)*float64(u)*math.Pi/16) * math.Cos((2*py+1)*float64(v)*math.Pi/16)
				}
			}
			out[y*n+x] = min(max(s+128, 0), 255)
		}
	}
	return out
}

func TestIDCTMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		var blk [64]int32
		spread := []int{8, 64, 512}[i%3] // quiet, typical and extreme blocks
		for k, z := range zigzag {
			if rng.IntN(64) >= 64-k/2 || k == 0 {
				blk[z] = int32(rng.IntN(2*spread+1) - spread)
			}
		}
		blk[0] = int32(rng.IntN(2048) - 1024)
		for _, n := range []int{8, 4, 2, 1} {
			checkIDCT(t, &blk, n, referenceIDCT(&blk, n))
		}
	}
}

func checkIDCT(t *testing.T, blk *[64]int32, n int, want []float64) {
	t.Helper()
	dst := make([]byte, 8*8)
	b := *blk
	switch n {
	case 8:
		idct8(&b, dst, 8)
	case 4:
		idct4(&b, dst, 8)
	case 2:
		idct2(&b, dst, 8)
	case 1:
		dst[0] = dcPixel(b[0])
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if d := math.Abs(float64(dst[y*8+x]) - want[y*n+x]); d > 1 {
				t.Fatalf("%d×%d IDCT: pixel (%d, %d) is %d, want %.2f", n, n, x, y, dst[y*8+x], want[y*n+x])
			}
		}
	}
}

func TestIDCTConstants(t *testing.T) {
	c := func(k int) float64 { return math.Cos(float64(k) * math.Pi / 16) }
	for got, want := range map[int]float64{
		c0298: -c(1) + c(3) + c(5) - c(7), c0390: c(3) - c(5), c0541: c(6), c0765: c(2) - c(6),
		c0899: c(3) - c(7), c1175: c(3), c1501: c(1) + c(3) - c(5) - c(7), c1847: c(2) + c(6),
		c1961: c(3) + c(5), c2053: c(1) + c(3) - c(5) + c(7), c2562: c(1) + c(3), c3072: c(1) + c(3) + c(5) - c(7),
	} {
		if w := int(math.Round(want * math.Sqrt2 * (1 << constBits))); got != w {
			t.Errorf("constant %d, want %d", got, w)
		}
	}
}
