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
	"image/draw"
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
	"golang.org/x/image/tiff"
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

// photoWithHole is photo(w, h) with a fully transparent centre.
func photoWithHole(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Rect, photo(w, h), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(w/4, h/4, 3*w/4, 3*h/4), image.Transparent, image.Point{}, draw.Src)
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
		wantSize image.Point
	}{
		{"jpeg landscape", func(t testing.TB) []byte { return encodeJPEG(t, photo(3200, 1800)) }, image.Pt(1200, 675)},
		{"png portrait", func(t testing.TB) []byte { return encodePNG(t, photo(800, 2000)) }, image.Pt(400, 1000)},
		{"jpeg odd ratio", func(t testing.TB) []byte { return encodeJPEG(t, photo(3001, 1999)) }, image.Pt(1200, 799)},
		{"gif small", func(t testing.TB) []byte { return encodeGIF(t, photo(300, 200)) }, image.Pt(150, 100)},
		{"webp lossless", readWebP, image.Pt(8, 6)},
		{"png 1x1", func(t testing.TB) []byte { return encodePNG(t, photo(1, 1)) }, image.Pt(1, 1)},
		{"png twice max", func(t testing.TB) []byte { return encodePNG(t, photo(2400, 10)) }, image.Pt(1200, 5)},
		{"png with alpha", func(t testing.TB) []byte { return encodePNG(t, withHole(1000, 800)) }, image.Pt(500, 400)},
		{"png transparent", func(t testing.TB) []byte { return encodePNG(t, withHole(2000, 1000)) }, image.Pt(1000, 500)},
		{"gif transparent", func(t testing.TB) []byte { return transparentGIF(t, 120, 80) }, image.Pt(60, 40)},
		{"png 7000x5000", func(t testing.TB) []byte { return encodePNG(t, image.NewGray(image.Rect(0, 0, 7000, 5000))) }, image.Pt(1200, 857)},
		{"tiff deflate", func(t testing.TB) []byte { return encodeTIFF(t, photo(3000, 2000), tiff.Deflate) }, image.Pt(1200, 800)},
		{"tiff 16-bit", func(t testing.TB) []byte {
			return encodeTIFF(t, image.NewRGBA64(image.Rect(0, 0, 900, 600)), tiff.Uncompressed)
		}, image.Pt(450, 300)},
		{"heic", func(t testing.TB) []byte { return readFixture(t, "photo.heic") }, image.Pt(500, 375)},
		{"heic grid", func(t testing.TB) []byte { return readFixture(t, "grid.heic") }, image.Pt(500, 375)},
		{"heic tiny grid", func(t testing.TB) []byte { return readFixture(t, "small.heic") }, image.Pt(32, 24)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			skipHEIC(t, tc.name)
			data, err := Make(bytes.NewReader(tc.input(t)), testWatermark)
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || "image/"+format != ContentType {
				t.Fatalf("output format %q (err %v), want %s", format, err, ContentType)
			}
			if got := image.Pt(cfg.Width, cfg.Height); got != tc.wantSize {
				t.Errorf("output size %v, want %v", got, tc.wantSize)
			}
		})
	}
}

func TestFitKeepsAspectAndNeverUpscales(t *testing.T) {
	tests := []struct{ w, h, wantW, wantH int }{
		{4000, 3000, 1200, 900},
		{3000, 4000, 900, 1200},
		{7000, 5000, 1200, 857},
		{2401, 2401, 1200, 1200},
		{2400, 1350, 1200, 675},
		{1600, 900, 800, 450},
		{1000, 800, 500, 400},
		{1001, 801, 500, 400},
		{800, 600, 400, 300},
		{3, 2, 1, 1},
		{1, 1, 1, 1},
		{20000, 10, 1200, 1},
		{7, 19999, 1, 1200},
		{3001, 1999, 1200, 799},
	}
	for _, tc := range tests {
		w, h := fit(tc.w, tc.h)
		if w != tc.wantW || h != tc.wantH {
			t.Errorf("fit(%d, %d) = %d, %d, want %d, %d", tc.w, tc.h, w, h, tc.wantW, tc.wantH)
		}
		if long := max(w, h); long > MaxSide || long > max(1, max(tc.w, tc.h)/2) || w > tc.w || h > tc.h {
			t.Errorf("fit(%d, %d) = %d, %d: longer than MaxSide or half the original, or upscaled", tc.w, tc.h, w, h)
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

// plain is what a preview would be without its watermark.
func plain(src image.Image) *image.RGBA {
	dst := downscale(src)
	flatten(dst)
	return dst
}

// bareTiles returns the side x side tiles of a (the partial ones at its edges included) where
// fewer than minFrac of the pixels differ from b by more than tol in some channel.
func bareTiles(a, b image.Image, side int, tol uint32, minFrac float64) []image.Rectangle {
	var bare []image.Rectangle
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += side {
		for x := r.Min.X; x < r.Max.X; x += side {
			tile := image.Rect(x, y, x+side, y+side).Intersect(r)
			if float64(countDiff(a, b, tile, tol)) < minFrac*float64(tile.Dx()*tile.Dy()) {
				bare = append(bare, tile)
			}
		}
	}
	return bare
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
		name string
		src  image.Image
		text string
	}{
		{"mid grey large", flat(4000, 3000, 128), testWatermark},
		{"white", flat(2400, 1800, 255), testWatermark},
		{"black", flat(2400, 1800, 0), testWatermark},
		{"square", photo(2400, 2400), testWatermark},
		{"small", flat(240, 160, 128), testWatermark},
		{"panorama", photo(3000, 400), testWatermark},
		{"tall", photo(400, 3000), testWatermark},
		{"cyrillic", flat(1200, 900, 128), "Студия Норд · превью"},
		{"bulgarian", flat(1200, 900, 200), "Преглед на доставката"},
		{"long workspace name", flat(2400, 1800, 128), strings.Repeat("Студия Норд ", 16) + "· превью"},
		{"transparent", withHole(800, 600), testWatermark},
		{"blank text falls back", flat(800, 600, 128), " "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			marked, err := render(tc.src, tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if bare := bareTiles(plain(tc.src), marked, 200, 30, 0.01); len(bare) > 0 {
				t.Errorf("no watermark in %d of the 200x200 tiles of a %v preview, e.g. %v",
					len(bare), marked.Rect.Size(), bare[0])
			}
			if frac := diffFraction(plain(tc.src), marked); frac > 0.6 {
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
	marked, err := render(flat(1600, 1200, 0), testWatermark)
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

// A preview must not stand in for the original: it is a JPEG at most half as long, watermarked
// in every 200x200 tile, and few of its pixels are those of a plain downscale. (Flat colour
// survives JPEG exactly, so there only the watermark tells them apart.)
func TestMakeIsNoSubstitute(t *testing.T) {
	tests := []struct {
		name    string
		src     image.Image
		maxSame float64
	}{
		{"photo", photo(2400, 1800), 0.1},
		{"photo with alpha", photoWithHole(1000, 800), 0.3}, // a quarter is flat white
		{"flat with alpha", withHole(1000, 800), 0.75},
		{"flat white", flat(1000, 800, 255), 0.75},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Make(bytes.NewReader(encodePNG(t, tc.src)), testWatermark)
			if err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("preview is not a JPEG: %v", err)
			}
			want := plain(tc.src)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("preview is %v, want %v", got.Bounds().Size(), want.Bounds().Size())
			}
			if bare := bareTiles(want, got, 200, 40, 0.01); len(bare) > 0 {
				t.Errorf("no watermark in %d of the 200x200 tiles of the encoded preview, e.g. %v", len(bare), bare[0])
			}
			if same := 1 - diffFraction(want, got); same > tc.maxSame {
				t.Errorf("%.0f%% of the preview's pixels are those of a plain downscale, want at most %.0f%%",
					100*same, 100*tc.maxSame)
			}
		})
	}
}

// Go's encoder scales the standard tables: at quality 70 the luminance DC step is 16*60/100 = 10.
func TestMakeEncodesAtQuality70(t *testing.T) {
	data, err := Make(bytes.NewReader(encodeJPEG(t, photo(400, 300))), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte{0xFF, 0xDB})
	if i < 0 || i+5 > len(data) {
		t.Fatal("no quantization table in the preview")
	}
	if step := data[i+5]; step != 10 {
		t.Errorf("luminance DC quantization step %d, want 10 (quality 70)", step)
	}
}

func TestMakeFlattensTransparencyOntoWhite(t *testing.T) {
	data, err := Make(bytes.NewReader(transparentGIF(t, 800, 600)), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	got, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// The left half was transparent: white under the watermark, which darkens it a little.
	var sum, n uint32
	for y := range 300 {
		for x := range 180 {
			r, g, b, _ := got.At(x, y).RGBA()
			sum, n = sum+(r+g+b)/3>>8, n+1
		}
	}
	if mean := sum / n; mean < 200 {
		t.Errorf("transparent half averages %d, want white (above 200)", mean)
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
	out, err := Make(bytes.NewReader(in), testWatermark)
	if err != nil {
		t.Fatal(err)
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
	out, err := Make(bytes.NewReader(in), testWatermark)
	if err != nil {
		t.Fatal(err)
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
		"mp4":    append(isoBox("ftyp", []byte("mp42"), u32be(0), []byte("isommp42")), isoBox("moov", make([]byte, 32))...),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := Make(bytes.NewReader(in), testWatermark); !errors.Is(err, ErrUnsupported) {
				t.Errorf("err = %v, want ErrUnsupported", err)
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
	benchmarkMake(b, encodeJPEG(b, photo(4000, 3000)))
}

// The image of issue 5: a 7000x7000 RGBA PNG of 208 KB that decodes to 196 MB.
func BenchmarkMakeLargePNG(b *testing.B) {
	benchmarkMake(b, encodePNG(b, image.NewNRGBA(image.Rect(0, 0, 7000, 7000))))
}

func benchmarkMake(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Make(bytes.NewReader(data), testWatermark); err != nil {
			b.Fatal(err)
		}
	}
}
