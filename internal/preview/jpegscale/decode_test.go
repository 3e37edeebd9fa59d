package jpegscale

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

type testFile struct {
	name string
	data []byte
	ref  []byte // the file whose image/jpeg decoding is the reference, if not data
}

// testFiles are JPEGs from the standard library's encoder (4:2:0 and gray) and from the test
// encoder (other samplings, restart intervals, one-component scans, SOF1, RGB).
func testFiles(t *testing.T) []testFile {
	t.Helper()
	var files []testFile
	sizes := [][2]int{{1, 1}, {7, 5}, {8, 8}, {16, 16}, {17, 33}, {100, 75}, {257, 129}}
	for i, sz := range sizes {
		img := photo(sz[0], sz[1], uint64(i))
		for _, q := range []int{50, 75, 90, 100} {
			files = append(files,
				testFile{fmt.Sprintf("std %dx%d q%d", sz[0], sz[1], q), stdEncode(t, img, q), nil},
				testFile{fmt.Sprintf("std gray %dx%d q%d", sz[0], sz[1], q), stdEncode(t, grayOf(img), q), nil})
		}
	}
	img := photo(203, 117, 9)
	sampling := map[string][3][2]int{
		"444": {{1, 1}, {1, 1}, {1, 1}}, "422": {{2, 1}, {1, 1}, {1, 1}}, "420": {{2, 2}, {1, 1}, {1, 1}},
		"440": {{1, 2}, {1, 1}, {1, 1}}, "411": {{4, 1}, {1, 1}, {1, 1}}, "410": {{4, 2}, {1, 1}, {1, 1}},
		"444 as 2x1": {{2, 1}, {2, 1}, {2, 1}}, "440 as 2x2/2x1": {{2, 2}, {2, 1}, {2, 1}},
	}
	for name, s := range sampling {
		files = append(files,
			testFile{"enc " + name, encodeTest(img, encodeOpts{quality: 85, sampling: s}), nil},
			testFile{"enc " + name + " restart 3", encodeTest(img, encodeOpts{quality: 85, sampling: s, restart: 3, fillBefore: true}), nil},
			// image/jpeg counts the restart interval of a one-component scan of a subsampled
			// image in the frame's MCUs rather than in blocks (T.81 A.2.2): compare with the
			// interleaved file, which has the same coefficients.
			testFile{"enc " + name + " separate scans", encodeTest(img, encodeOpts{quality: 85, sampling: s, separate: true, restart: 5}),
				encodeTest(img, encodeOpts{quality: 85, sampling: s, restart: 5})},
			testFile{"enc " + name + " SOF1 16-bit DQT", encodeTest(img, encodeOpts{quality: 70, sampling: s, extended: true, extraJunk: true}), nil})
	}
	files = append(files,
		testFile{"enc rgb", encodeTest(img, encodeOpts{quality: 90, rgb: true}), nil},
		testFile{"enc gray 2x2 restart 1", encodeTest(img, encodeOpts{gray: true, sampling: [3][2]int{{2, 2}}, restart: 1}), nil},
		testFile{"enc gray q20 junk", encodeTest(img, encodeOpts{gray: true, quality: 20, extraJunk: true}), nil})
	return files
}

func TestDecodeMatchesStandardLibrary(t *testing.T) {
	worst := map[int][2]float64{1: {0, math.Inf(1)}, 2: {0, math.Inf(1)}, 4: {0, math.Inf(1)}, 8: {0, math.Inf(1)}}
	for _, f := range testFiles(t) {
		ref := f.data
		if f.ref != nil {
			ref = f.ref
		}
		want, err := jpeg.Decode(bytes.NewReader(ref))
		if err != nil {
			t.Fatalf("%s: image/jpeg: %v", f.name, err)
		}
		for _, scale := range []int{1, 2, 4, 8} {
			most, psnr := compareScaled(t, f, want, scale)
			if b := want.Bounds(); b.Dx() < 16 || b.Dy() < 16 {
				continue
			}
			w := worst[scale]
			worst[scale] = [2]float64{max(w[0], float64(most)), min(w[1], psnr)}
		}
	}
	for _, s := range []int{1, 2, 4, 8} {
		t.Logf("scale 1/%d, images of 16 px or more: max abs diff %.0f, min PSNR %.1f dB", s, worst[s][0], worst[s][1])
	}
}

// compareScaled decodes f at scale and compares it with image/jpeg's decoding, box-downsampled.
func compareScaled(t *testing.T, f testFile, want image.Image, scale int) (int, float64) {
	t.Helper()
	got, err := DecodeBytes(f.data, scale)
	if err != nil {
		t.Fatalf("%s scale %d: %v", f.name, scale, err)
	}
	wb := want.Bounds()
	if sz := image.Pt(ceilDiv(wb.Dx(), scale), ceilDiv(wb.Dy(), scale)); got.Bounds() != (image.Rectangle{Max: sz}) {
		t.Fatalf("%s scale %d: bounds %v, want size %v", f.name, scale, got.Bounds(), sz)
	}
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		t.Fatalf("%s: got %T, want %T", f.name, got, want)
	}
	if g, ok := got.(*image.YCbCr); ok && g.SubsampleRatio != want.(*image.YCbCr).SubsampleRatio {
		t.Fatalf("%s: ratio %v, want %v", f.name, g.SubsampleRatio, want.(*image.YCbCr).SubsampleRatio)
	}
	gp, wp := planesOf(t, got), planesOf(t, want)
	most, worst := 0, math.Inf(1)
	for i := range gp {
		ref := wp[i]
		if scale > 1 {
			ref = boxDown(ref, scale)
		}
		m, psnr := diff(t, gp[i], ref)
		most, worst = max(most, m), min(worst, psnr)
	}
	if scale == 1 && (most > 3 || worst < 40) {
		t.Errorf("%s full size: max abs diff %d, PSNR %.1f dB", f.name, most, worst)
	}
	// In a single block, the edge replicated into the padding outweighs the picture.
	if scale > 1 && worst < 30 && wb.Dx() >= 16 && wb.Dy() >= 16 {
		t.Errorf("%s scale 1/%d: PSNR %.1f dB against a box filter", f.name, scale, worst)
	}
	return most, worst
}

func TestDecodeConfigMatchesStandardLibrary(t *testing.T) {
	for _, f := range testFiles(t) {
		want, err := jpeg.DecodeConfig(bytes.NewReader(f.data))
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeConfig(bytes.NewReader(f.data))
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if got != want {
			t.Errorf("%s: config %+v, want %+v", f.name, got, want)
		}
	}
}

func TestScaleFor(t *testing.T) {
	for _, c := range []struct{ w, h, max, want int }{
		{4000, 3000, 1200, 2}, {3000, 4000, 1200, 2}, {9600, 7200, 1200, 8}, {9599, 100, 1200, 8},
		{9592, 100, 1200, 4}, {2400, 1800, 1200, 2}, {2398, 1800, 1200, 1}, {800, 600, 1200, 1}, {0, 0, 1200, 1},
	} {
		if got := ScaleFor(c.w, c.h, c.max); got != c.want {
			t.Errorf("ScaleFor(%d, %d, %d) = %d, want %d", c.w, c.h, c.max, got, c.want)
		}
	}
}

func TestBadScale(t *testing.T) {
	data := stdEncode(t, photo(16, 16, 1), 90)
	for _, s := range []int{0, 3, 16, -1} {
		if _, err := DecodeBytes(data, s); err == nil {
			t.Errorf("scale %d: no error", s)
		}
	}
}

// withSOF returns data with its frame header changed by edit.
func withSOF(t *testing.T, data []byte, edit func(sof []byte) []byte) []byte {
	t.Helper()
	i := bytes.Index(data, []byte{0xFF, markSOF0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	n := be16(data[i+2:])
	seg := edit(append([]byte(nil), data[i:i+2+n]...))
	seg[2], seg[3] = byte((len(seg)-2)>>8), byte(len(seg)-2)
	return append(append(append([]byte(nil), data[:i]...), seg...), data[i+2+n:]...)
}

func TestUnsupportedVariants(t *testing.T) {
	base := stdEncode(t, photo(40, 30, 2), 80)
	cases := map[string][]byte{
		"progressive": withSOF(t, base, func(s []byte) []byte { s[1] = markSOF2; return s }),
		"lossless":    withSOF(t, base, func(s []byte) []byte { s[1] = 0xC3; return s }),
		"arithmetic":  withSOF(t, base, func(s []byte) []byte { s[1] = 0xC9; return s }),
		"12-bit":      withSOF(t, base, func(s []byte) []byte { s[4] = 12; return s }),
		"cmyk": withSOF(t, base, func(s []byte) []byte {
			s[9] = 4
			return append(s, 4, 0x11, 0)
		}),
		"dnl height": withSOF(t, base, func(s []byte) []byte { s[5], s[6] = 0, 0; return s }),
	}
	for name, data := range cases {
		if _, err := DecodeBytes(data, 1); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: %v, want ErrUnsupported", name, err)
		}
	}
	if _, err := DecodeConfig(bytes.NewReader(cases["progressive"])); err != nil {
		t.Errorf("DecodeConfig of a progressive file: %v", err)
	}
}

func TestTooLarge(t *testing.T) {
	base := stdEncode(t, photo(40, 30, 2), 80)
	for _, wh := range [][2]int{{20001, 10}, {10, 20001}, {15000, 15000}} {
		data := withSOF(t, base, func(s []byte) []byte {
			s[5], s[6], s[7], s[8] = byte(wh[1]>>8), byte(wh[1]), byte(wh[0]>>8), byte(wh[0])
			return s
		})
		if _, err := DecodeBytes(data, 8); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%dx%d: %v, want ErrTooLarge", wh[0], wh[1], err)
		}
	}
}

func TestMissingEOIIsAccepted(t *testing.T) {
	data := stdEncode(t, photo(33, 21, 3), 90)
	full, err := DecodeBytes(data, 1)
	if err != nil {
		t.Fatal(err)
	}
	cut, err := DecodeBytes(data[:len(data)-2], 1)
	if err != nil {
		t.Fatalf("without EOI: %v", err)
	}
	if !reflect.DeepEqual(full, cut) {
		t.Error("decoding without EOI differs")
	}
}

func TestTruncatedIsAnError(t *testing.T) {
	for _, data := range [][]byte{
		stdEncode(t, photo(301, 203, 4), 90),
		encodeTest(photo(301, 203, 4), encodeOpts{restart: 7, sampling: [3][2]int{{2, 1}, {1, 1}, {1, 1}}}),
	} {
		for cut := 0; cut < len(data)-2; cut += 97 {
			for _, scale := range []int{1, 8} {
				img, err := DecodeBytes(data[:cut], scale)
				if err == nil || img != nil {
					t.Fatalf("cut at %d of %d, scale %d: image %v, error %v", cut, len(data), scale, img != nil, err)
				}
			}
		}
	}
}

func TestCorruptDataDoesNotPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	files := [][]byte{
		stdEncode(t, photo(64, 48, 5), 75),
		stdEncode(t, grayOf(photo(50, 31, 6)), 75),
		encodeTest(photo(70, 40, 7), encodeOpts{restart: 2, sampling: [3][2]int{{1, 2}, {1, 1}, {1, 1}}}),
	}
	for i := 0; i < 3000; i++ {
		data := append([]byte(nil), files[i%len(files)]...)
		for n := 1 + rng.IntN(4); n > 0; n-- {
			data[rng.IntN(len(data))] ^= 1 << rng.IntN(8)
		}
		for _, scale := range []int{1, 2, 4, 8} {
			checkDecode(t, data, scale)
		}
	}
}

// checkDecode decodes data and checks that an image, when there is one, has the size the header says.
func checkDecode(t *testing.T, data []byte, scale int) {
	t.Helper()
	img, err := DecodeBytes(data, scale)
	if err != nil {
		return
	}
	cfg, err := DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Decode works but DecodeConfig fails: %v", err)
	}
	if want := image.Rect(0, 0, ceilDiv(cfg.Width, scale), ceilDiv(cfg.Height, scale)); img.Bounds() != want {
		t.Fatalf("bounds %v, want %v", img.Bounds(), want)
	}
}
