package preview

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

const testWatermark = "Studio Nord · preview"

// photo returns an opaque w x h image with smooth gradients and some texture.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := uint8(16 * math.Sin(float64(x*y)/5000))
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128 + t, 255})
		}
	}
	return img
}

func flat(w, h int, grey uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = grey
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

// withHole returns a w x h image whose centre is fully transparent.
func withHole(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if x > w/4 && x < 3*w/4 && y > h/4 && y < 3*h/4 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{200, 40, 40, a})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// transparentGIF returns a paletted image whose left half uses a transparent palette entry.
func transparentGIF(t testing.TB, w, h int) []byte {
	pal := append(color.Palette{color.Transparent}, palette.Plan9[1:]...)
	img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
	for i := range img.Pix {
		if i%w >= w/2 {
			img.Pix[i] = 40
		}
	}
	return encodeGIF(t, img)
}

// readWebP loads testdata/checker.webp, a 16x12 lossless (VP8L) WebP built by
// hand because there is no pure-Go WebP encoder: no transforms, no colour
// cache, "simple" prefix codes (green: two 8-bit symbols 0x30/0xd0, 1 bit per
// pixel; red 0x80, blue 0x40, alpha 0xff: one symbol, 0 bits) and one bit per
// pixel drawing 4x4 checkers.
func readWebP(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/checker.webp")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestWebPFixtureDecodes(t *testing.T) {
	img, format, err := image.Decode(bytes.NewReader(readWebP(t)))
	if err != nil || format != "webp" {
		t.Fatalf("decode fixture: format %q, err %v", format, err)
	}
	want := map[image.Point]color.NRGBA{{0, 0}: {0x80, 0x30, 0x40, 0xff}, {4, 0}: {0x80, 0xd0, 0x40, 0xff}}
	for p, c := range want {
		if got := color.NRGBAModel.Convert(img.At(p.X, p.Y)); got != c {
			t.Errorf("pixel %v = %v, want %v", p, got, c)
		}
	}
}

func TestMakeFormats(t *testing.T) {
	tests := []struct {
		name     string
		input    func(testing.TB) []byte
		wantType string
		wantSize image.Point
	}{
		{"jpeg landscape", func(t testing.TB) []byte { return encodeJPEG(t, photo(3200, 1800)) }, "image/jpeg", image.Pt(1600, 900)},
		{"png portrait", func(t testing.TB) []byte { return encodePNG(t, photo(800, 2000)) }, "image/jpeg", image.Pt(640, 1600)},
		{"jpeg odd ratio", func(t testing.TB) []byte { return encodeJPEG(t, photo(3001, 1999)) }, "image/jpeg", image.Pt(1600, 1066)},
		{"gif small", func(t testing.TB) []byte { return encodeGIF(t, photo(300, 200)) }, "image/jpeg", image.Pt(300, 200)},
		{"webp lossless", readWebP, "image/jpeg", image.Pt(16, 12)},
		{"png 1x1", func(t testing.TB) []byte { return encodePNG(t, photo(1, 1)) }, "image/jpeg", image.Pt(1, 1)},
		{"png exactly max", func(t testing.TB) []byte { return encodePNG(t, photo(1600, 10)) }, "image/jpeg", image.Pt(1600, 10)},
		{"png transparent", func(t testing.TB) []byte { return encodePNG(t, withHole(2000, 1000)) }, "image/png", image.Pt(1600, 800)},
		{"gif transparent", func(t testing.TB) []byte { return transparentGIF(t, 120, 80) }, "image/png", image.Pt(120, 80)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, ct, err := Make(bytes.NewReader(tc.input(t)), testWatermark)
			if err != nil {
				t.Fatal(err)
			}
			if ct != tc.wantType {
				t.Errorf("content type %q, want %q", ct, tc.wantType)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || "image/"+format != ct {
				t.Fatalf("output format %q (err %v) does not match content type %q", format, err, ct)
			}
			if got := image.Pt(cfg.Width, cfg.Height); got != tc.wantSize {
				t.Errorf("output size %v, want %v", got, tc.wantSize)
			}
		})
	}
}

func TestFitKeepsAspectAndNeverUpscales(t *testing.T) {
	tests := []struct{ w, h, wantW, wantH int }{
		{4000, 3000, 1600, 1200},
		{3000, 4000, 1200, 1600},
		{1601, 1601, 1600, 1600},
		{1600, 900, 1600, 900},
		{800, 600, 800, 600},
		{1, 1, 1, 1},
		{20000, 10, 1600, 1},
		{7, 19999, 1, 1600},
		{3001, 1999, 1600, 1066},
	}
	for _, tc := range tests {
		w, h := fit(tc.w, tc.h)
		if w != tc.wantW || h != tc.wantH {
			t.Errorf("fit(%d, %d) = %d, %d, want %d, %d", tc.w, tc.h, w, h, tc.wantW, tc.wantH)
		}
		if max(w, h) > MaxSide || w > tc.w || h > tc.h {
			t.Errorf("fit(%d, %d) = %d, %d: exceeds MaxSide or upscales", tc.w, tc.h, w, h)
		}
		if off := aspectError(tc.w, tc.h, w, h); off > 1 {
			t.Errorf("fit(%d, %d) = %d, %d: aspect ratio off by %.2f px", tc.w, tc.h, w, h, off)
		}
	}
}

// aspectError returns how far, in pixels, the short side of w x h is from the
// length that would keep the aspect ratio of srcW x srcH exactly.
func aspectError(srcW, srcH, w, h int) float64 {
	if w >= h {
		return math.Abs(float64(w)*float64(srcH)/float64(srcW) - float64(h))
	}
	return math.Abs(float64(h)*float64(srcW)/float64(srcH) - float64(w))
}

// changedCells splits the images into an n x n grid and returns how many cells
// have at least minFrac of their pixels differing by more than tol in some channel.
func changedCells(a, b image.Image, n int, tol uint32, minFrac float64) int {
	r := a.Bounds()
	cells := 0
	for gy := range n {
		for gx := range n {
			cell := image.Rect(r.Dx()*gx/n, r.Dy()*gy/n, r.Dx()*(gx+1)/n, r.Dy()*(gy+1)/n)
			if float64(countDiff(a, b, cell, tol)) >= minFrac*float64(cell.Dx()*cell.Dy()) {
				cells++
			}
		}
	}
	return cells
}

func countDiff(a, b image.Image, cell image.Rectangle, tol uint32) int {
	n := 0
	for y := cell.Min.Y; y < cell.Max.Y; y++ {
		for x := cell.Min.X; x < cell.Max.X; x++ {
			if channelDiff(a.At(x, y), b.At(x, y)) > tol {
				n++
			}
		}
	}
	return n
}

func channelDiff(c1, c2 color.Color) uint32 {
	r1, g1, b1, a1 := c1.RGBA()
	r2, g2, b2, a2 := c2.RGBA()
	d := max(absDiff(r1, r2), absDiff(g1, g2), absDiff(b1, b2), absDiff(a1, a2))
	return d >> 8
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestWatermarkCoversImage(t *testing.T) {
	tests := []struct {
		name  string
		src   image.Image
		text  string
		grid  int
		bound uint32
	}{
		{"mid grey large", flat(4000, 3000, 128), testWatermark, 6, 30},
		{"white", flat(1600, 1200, 255), testWatermark, 6, 30},
		{"black", flat(1600, 1200, 0), testWatermark, 6, 30},
		{"small", flat(240, 160, 128), testWatermark, 2, 30},
		{"panorama", photo(3000, 400), testWatermark, 4, 30},
		{"cyrillic", flat(1200, 900, 128), "Студия Норд · превью", 5, 30},
		{"bulgarian", flat(1200, 900, 200), "Преглед на доставката", 5, 30},
		{"transparent", withHole(800, 600), testWatermark, 4, 30},
		{"blank text falls back", flat(800, 600, 128), " ", 4, 30},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plain := downscale(tc.src)
			marked, err := render(tc.src, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			cells := tc.grid * tc.grid
			if got := changedCells(plain, marked, tc.grid, tc.bound, 0.01); got != cells {
				t.Errorf("watermark visible in %d of %d cells, want all", got, cells)
			}
			if frac := diffFraction(plain, marked); frac > 0.6 {
				t.Errorf("watermark covers %.0f%% of the image, want a light overlay", 100*frac)
			}
		})
	}
}

func diffFraction(a, b image.Image) float64 {
	r := a.Bounds()
	return float64(countDiff(a, b, r, 0)) / float64(r.Dx()*r.Dy())
}

func TestWatermarkIsTranslucent(t *testing.T) {
	marked, err := render(flat(800, 600, 0), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	var brightest uint8
	for i := 0; i < len(marked.Pix); i += 4 {
		brightest = max(brightest, marked.Pix[i])
	}
	if float64(brightest) < 0.35*255 || float64(brightest) > 0.45*255 {
		t.Errorf("white text over black peaks at %d, want 35-45%% of 255", brightest)
	}
}

func TestMakeWatermarksEncodedOutput(t *testing.T) {
	src := photo(2400, 1800)
	data, _, err := Make(bytes.NewReader(encodeJPEG(t, src)), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	got, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if n := changedCells(downscale(src), got, 2, 40, 0.01); n != 4 {
		t.Errorf("watermark visible in %d of 4 quadrants of the encoded preview", n)
	}
}

func TestCyrillicGlyphsExist(t *testing.T) {
	f, err := watermarkFont()
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, r := range "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЬЮЯабвгдежзийклмнопрстуфхцчшщъьюяЁё·" {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			t.Errorf("font has no glyph for %q (index %d, err %v)", r, i, err)
		}
	}
}

// withExif inserts an APP1 Exif segment right after the SOI marker.
func withExif(jpg []byte, payload string) []byte {
	body := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"), payload...)
	seg := []byte{0xff, 0xe1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	seg = append(seg, body...)
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

// jpegMarkers lists the markers of the segments before the scan data.
func jpegMarkers(t *testing.T, data []byte) []byte {
	t.Helper()
	var markers []byte
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			t.Fatalf("bad JPEG segment at %d", i)
		}
		markers = append(markers, data[i+1])
		if data[i+1] == 0xda {
			return markers
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	t.Fatal("no SOS marker in JPEG")
	return nil
}

func TestMakeStripsJPEGMetadata(t *testing.T) {
	const secret = "GPS 42.6977N 23.3219E Canon EOS"
	in := withExif(encodeJPEG(t, photo(400, 300)), secret)
	if !bytes.Contains(jpegMarkers(t, in), []byte{0xe1}) {
		t.Fatal("test input has no APP1 segment")
	}
	out, ct, err := Make(bytes.NewReader(in), testWatermark)
	if err != nil || ct != "image/jpeg" {
		t.Fatalf("Make: %q, %v", ct, err)
	}
	if bytes.Contains(jpegMarkers(t, out), []byte{0xe1}) {
		t.Error("output has an APP1 segment")
	}
	if bytes.Contains(out, []byte("Exif")) || bytes.Contains(out, []byte(secret)) {
		t.Error("output still contains Exif data")
	}
}

// pngChunk returns a PNG chunk with a correct CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

func TestMakeStripsPNGMetadata(t *testing.T) {
	const secret = "Author\x00Jane Doe, jane@example.com"
	src := encodePNG(t, withHole(200, 100))
	in := append(append(append([]byte{}, src[:33]...), pngChunk("tEXt", []byte(secret))...), src[33:]...)
	out, ct, err := Make(bytes.NewReader(in), testWatermark)
	if err != nil || ct != "image/png" {
		t.Fatalf("Make: %q, %v", ct, err)
	}
	if bytes.Contains(out, []byte("tEXt")) || bytes.Contains(out, []byte("Jane")) {
		t.Error("output still contains the tEXt chunk")
	}
}

func TestMakeUnsupported(t *testing.T) {
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	tests := map[string][]byte{
		"pdf":    []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
		"random": random,
		"text":   []byte("just some notes about the delivery\n"),
		"empty":  nil,
		"zip":    []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, _, err := Make(bytes.NewReader(in), testWatermark); !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, want ErrUnsupported", err)
			}
		})
	}
}

// pngClaiming returns a tiny valid PNG whose IHDR is patched to claim w x h.
func pngClaiming(t testing.TB, w, h uint32) []byte {
	data := encodePNG(t, image.NewGray(image.Rect(0, 0, 2, 2)))
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
			_, _, err := Make(bytes.NewReader(in), testWatermark)
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

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

var previewsPerSecond = regexp.MustCompile(`^previews/s: [0-9]+(\.[0-9]+)?$`)

func TestBench(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.jpg"), encodeJPEG(t, photo(2000, 1500)))
	writeFile(t, filepath.Join(dir, "b.png"), encodePNG(t, withHole(300, 200)))
	writeFile(t, filepath.Join(dir, "c.gif"), encodeGIF(t, photo(200, 300)))
	writeFile(t, filepath.Join(dir, "notes.txt"), []byte("final delivery, 3 images\n"))
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sub", "d.png"), encodePNG(t, photo(50, 50)))

	var out bytes.Buffer
	if err := Bench(context.Background(), dir, &out); err != nil {
		t.Fatal(err)
	}
	lines := reportLines(t, &out)
	if last := lines[len(lines)-1]; !previewsPerSecond.MatchString(last) {
		t.Errorf("last line %q does not match %v", last, previewsPerSecond)
	}
	if !contains(lines, "previews: 3") || !contains(lines, "failed: 0") {
		t.Errorf("report does not count 3 previews and no failures:\n%s", strings.Join(lines, "\n"))
	}
}

func reportLines(t *testing.T, out *bytes.Buffer) []string {
	t.Helper()
	var lines []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) == 0 {
		t.Fatal("empty report")
	}
	return lines
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func TestBenchCanceled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.png"), encodePNG(t, photo(20, 20)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Bench(ctx, dir, &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestBenchMissingDir(t *testing.T) {
	if err := Bench(context.Background(), filepath.Join(t.TempDir(), "nope"), &bytes.Buffer{}); err == nil {
		t.Error("Bench on a missing directory succeeded")
	}
}

func BenchmarkMake(b *testing.B) {
	data := encodeJPEG(b, photo(4000, 3000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Make(bytes.NewReader(data), testWatermark); err != nil {
			b.Fatal(err)
		}
	}
}

// A 16-bit image costs twice the memory per pixel, so it is refused at fewer pixels.
func TestDecodedMemoryBudgetCountsBitDepth(t *testing.T) {
	claim := func(w, h uint32) []byte {
		data := encodePNG(t, image.NewRGBA64(image.Rect(0, 0, 2, 2)))
		binary.BigEndian.PutUint32(data[16:], w)
		binary.BigEndian.PutUint32(data[20:], h)
		binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
		return data
	}
	for _, tc := range []struct {
		w, h    uint32
		refused bool
	}{{7000, 7000, true}, {4000, 4000, false}} {
		_, _, err := Make(bytes.NewReader(claim(tc.w, tc.h)), testWatermark)
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
	if progressiveJPEG(baseline.Bytes()) {
		t.Fatal("a baseline JPEG is taken for progressive")
	}
	// The same stream with its frame marker turned into SOF2 is progressive.
	prog := bytes.Replace(baseline.Bytes(), []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1)
	if !progressiveJPEG(prog) {
		t.Fatal("a SOF2 JPEG is not recognised as progressive")
	}
	if progressiveJPEG([]byte("not a jpeg")) {
		t.Fatal("random bytes are progressive")
	}
}

// A segment before the frame header whose length has bits in common with 2 must be skipped exactly.
func TestProgressiveJPEGAfterAnAppSegment(t *testing.T) {
	app := append([]byte{0xFF, 0xE1, 0x00, 0x12}, make([]byte, 16)...) // APP1, length 18
	sof2 := []byte{0xFF, 0xC2, 0x00, 0x0B, 8, 0, 16, 0, 16, 1, 1, 0x11, 0}
	b := append(append([]byte{0xFF, 0xD8}, app...), sof2...)
	if !progressiveJPEG(b) {
		t.Fatal("a SOF2 after an 18-byte APP1 segment is missed")
	}
}
