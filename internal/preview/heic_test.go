//go:build heic

package preview

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The HEIC fixtures in testdata, made with Debian's heif-enc 1.15.1 (x265) from photo(w, h) PNGs:
//   - small.heic: 64x48 (heif-enc -q 50), which heif-enc writes as a grid of one 64x64 tile;
//   - photo.heic: 1000x750 (-q 40), one HEVC image;
//   - grid.heic: 1000x750 as iPhones lay their photos out, a 2x2 grid of 512x512 tiles, each
//     encoded by heif-enc (--no-alpha -q 40) from its part of the photo and put together by hand;
//   - alpha.heic: withHole(200, 150) (-q 50), an HEVC image and an alpha plane;
//   - huge.heic: small.heic with both ispe boxes patched to claim 30000x30000;
//   - liar.heic: photo(2000, 1500) (-q 50) with its ispe patched to claim 64x48.

func TestHEICFixturesAreWhatTheySay(t *testing.T) {
	tests := []struct {
		name string
		want heifImage
	}{
		{"small.heic", heifImage{width: 64, height: 48, tiles: 1, chroma: 1}},
		{"photo.heic", heifImage{width: 1000, height: 750, tiles: 1, chroma: 1}},
		{"grid.heic", heifImage{width: 1000, height: 750, tiles: 4, chroma: 1}},
		{"alpha.heic", heifImage{width: 200, height: 150, tiles: 1, chroma: 1, alpha: true}},
		{"huge.heic", heifImage{width: 30000, height: 30000, tiles: 1, chroma: 1}},
		{"liar.heic", heifImage{width: 64, height: 48, tiles: 1, chroma: 1}},
	}
	for _, tc := range tests {
		got, err := readHEIF(bytes.NewReader(readFixture(t, tc.name)))
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

// heicClaiming returns small.heic with its ispe boxes patched to claim w x h.
func heicClaiming(t testing.TB, w, h uint32) []byte {
	data := readFixture(t, "small.heic")
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("ispe"))
		if j < 0 {
			return data
		}
		i += j + 4
		binary.BigEndian.PutUint32(data[i+4:], w) // after the version and flags
		binary.BigEndian.PutUint32(data[i+8:], h)
	}
}

func TestHEICDecompressionBombGuard(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		refused bool
	}{
		{"huge.heic", readFixture(t, "huge.heic"), true},
		{"side too long", heicClaiming(t, 25000, 10), true},
		{"56 megapixels", heicClaiming(t, 8000, 7000), true},
		{"12 megapixels", heicClaiming(t, 4032, 3024), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// The header alone decides: plan reads no pixel and never starts the decoder.
			_, err := plan(bytes.NewReader(tc.in), testWatermark)
			if errors.Is(err, ErrUnsupported) {
				t.Fatalf("err = %v, must not be ErrUnsupported", err)
			}
			if errors.Is(err, errTooLarge) != tc.refused {
				t.Fatalf("err = %v, refused want %v", err, tc.refused)
			}
			if tc.refused {
				if _, err := Make(bytes.NewReader(tc.in), testWatermark); !errors.Is(err, errTooLarge) || !strings.Contains(err.Error(), "too large") {
					t.Errorf("Make: err = %v, want one saying the image is too large", err)
				}
			}
		})
	}
}

// A 12 MP iPhone photo fits in the default budget, twice.
func TestBudgetHoldsTwelveMegapixelHEICs(t *testing.T) {
	cost := costOf(t, heicClaiming(t, 4032, 3024))
	if cost > DefaultMemory/2 {
		t.Errorf("a 12 MP HEIC costs %d MB, more than half the default budget", cost>>20)
	}
}

func TestMakeHEIC(t *testing.T) {
	for _, tc := range []struct {
		name string
		want image.Point
	}{
		{"small.heic", image.Pt(32, 24)},
		{"photo.heic", image.Pt(500, 375)},
		{"grid.heic", image.Pt(500, 375)},
		{"alpha.heic", image.Pt(100, 75)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := readFixture(t, tc.name)
			data, err := Make(bytes.NewReader(src), testWatermark)
			if err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("preview is not a JPEG: %v", err)
			}
			if got.Bounds().Size() != tc.want {
				t.Fatalf("preview is %v, want %v", got.Bounds().Size(), tc.want)
			}
			j, err := plan(bytes.NewReader(src), testWatermark)
			if err != nil {
				t.Fatal(err)
			}
			decoded, err := decode(context.Background(), bytes.NewReader(src), j.header)
			if err != nil {
				t.Fatal(err)
			}
			want := plain(decoded)
			if p := psnr(want, got); p < 15 { // garbage would be near 5 dB; the watermark takes some
				t.Errorf("the preview is not the picture: PSNR %.1f dB against a plain downscale", p)
			}
			if same := 1 - diffFraction(want, got); same > 0.5 {
				t.Errorf("%.0f%% of the preview's pixels are those of a plain downscale: no watermark", 100*same)
			}
			if max(tc.want.X, tc.want.Y) >= 200 {
				if bare := bareTiles(want, got, 200, 40, 0.01); len(bare) > 0 {
					t.Errorf("no watermark in %d of the 200x200 tiles, e.g. %v", len(bare), bare[0])
				}
			}
		})
	}
}

// The photo and its grid of tiles are the same picture.
func TestHEICGridMatchesTheWholeImage(t *testing.T) {
	a := decodeFixture(t, "photo.heic")
	b := decodeFixture(t, "grid.heic")
	if a.Bounds() != b.Bounds() {
		t.Fatalf("%v and %v", a.Bounds(), b.Bounds())
	}
	if p := psnr(a, b); p < 35 {
		t.Errorf("the grid differs from the photo: PSNR %.1f dB", p)
	}
	if p := psnr(a, photo(1000, 750)); p < 35 {
		t.Errorf("the HEIC differs from what it was made of: PSNR %.1f dB", p)
	}
}

func decodeFixture(t *testing.T, name string) image.Image {
	t.Helper()
	src := readFixture(t, name)
	h, err := readHeader(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	img, err := decode(context.Background(), bytes.NewReader(src), h)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// A file whose HEVC stream is far larger than its header claims fails within its share of the
// budget: the decoder's memory ends where the header's estimate does.
func TestHEICLargerThanItsHeaderFailsWithinItsShare(t *testing.T) {
	src := readFixture(t, "liar.heic")
	j, err := plan(bytes.NewReader(src), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := heicModule(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = Make(bytes.NewReader(src), testWatermark)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, errHEIC) || !strings.Contains(err.Error(), "its header allows") {
		t.Fatalf("err = %v, want the decoder out of the memory its header allows", err)
	}
	if got := int64(after.TotalAlloc - before.TotalAlloc); got > j.cost {
		t.Errorf("the decode allocated %d bytes, more than the %d the header allowed", got, j.cost)
	}
}

func TestTruncatedHEICFails(t *testing.T) {
	for _, name := range []string{"photo.heic", "grid.heic", "alpha.heic"} {
		src := readFixture(t, name)
		for _, n := range []int{0, 11, 12, 30, 100, 200, 300, 351, 360, 400, len(src) / 2, len(src) - 100, len(src) - 1} {
			if n >= len(src) {
				continue
			}
			if _, err := Make(bytes.NewReader(src[:n]), testWatermark); err == nil {
				t.Errorf("%s cut at %d of %d bytes: no error", name, n, len(src))
			}
		}
	}
}

func TestCorruptHEICFails(t *testing.T) {
	src := readFixture(t, "photo.heic")
	mdat := bytes.Index(src, []byte("mdat")) + 4
	for _, at := range []int{mdat, mdat + 4, mdat + 40, mdat + 400, len(src) / 2} {
		bad := bytes.Clone(src)
		for i := at; i < min(len(bad), at+64); i++ {
			bad[i] ^= 0x5A
		}
		// A corrupt stream may still decode to something; it must neither panic nor hang.
		if data, err := Make(bytes.NewReader(bad), testWatermark); err == nil {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("corrupt at %d: the preview is no JPEG: %v", at, err)
			}
		}
	}
}

func TestHEICDecodeEndsWithItsContext(t *testing.T) {
	b := NewBudget(DefaultMemory)
	ctx, cancel := context.WithCancel(context.Background())
	b.held = cancel // the render holds its share, then its context ends before it decodes
	if _, err := b.Make(ctx, bytes.NewReader(readFixture(t, "photo.heic")), testWatermark); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestHEICDecodesConcurrently(t *testing.T) {
	src := readFixture(t, "photo.heic")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := Make(bytes.NewReader(src), testWatermark); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// The module is gen2brain/heic's, reached through go:linkname: a renamed variable would leave
// an empty one here instead of failing to link.
func TestHEICModuleIsThere(t *testing.T) {
	if len(heifWasm) < 100_000 {
		t.Fatalf("the WebAssembly module is %d bytes: has gen2brain/heic renamed heifWasm?", len(heifWasm))
	}
	if _, _, err := heicModule(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkMakeHEIC(b *testing.B) {
	if _, _, err := heicModule(); err != nil {
		b.Fatal(err)
	}
	benchmarkMake(b, readFixture(b, "photo.heic"))
}

func BenchmarkMakeHEICGrid(b *testing.B) {
	if _, _, err := heicModule(); err != nil {
		b.Fatal(err)
	}
	benchmarkMake(b, readFixture(b, "grid.heic"))
}

// warmHEIC compiles the HEIC module before the cases that time nothing but need it.
func warmHEIC() error {
	_, _, err := heicModule()
	return err
}
