package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
)

// encodeTIFF writes img as a little-endian TIFF of one strip, as x/image/tiff writes them.
func encodeTIFF(t testing.TB, img image.Image, c tiff.CompressionType) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, img, &tiff.Options{Compression: c}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// setTIFFTag sets the value of a tag of a little-endian TIFF's first IFD, stored in its entry.
func setTIFFTag(t testing.TB, data []byte, tag uint16, v uint32) []byte {
	t.Helper()
	data = bytes.Clone(data)
	ifd := binary.LittleEndian.Uint32(data[4:])
	n := int(binary.LittleEndian.Uint16(data[ifd:]))
	for i := range n {
		e := data[int(ifd)+2+12*i:]
		if binary.LittleEndian.Uint16(e) != tag {
			continue
		}
		switch binary.LittleEndian.Uint16(e[2:]) {
		case 3:
			binary.LittleEndian.PutUint16(e[8:], uint16(v))
		case 4:
			binary.LittleEndian.PutUint32(e[8:], v)
		default:
			t.Fatalf("tag %d has type %d", tag, binary.LittleEndian.Uint16(e[2:]))
		}
		return data
	}
	t.Fatalf("no tag %d", tag)
	return nil
}

// tiffClaiming returns a tiny grey TIFF patched to claim w x h.
func tiffClaiming(t testing.TB, w, h uint32) []byte {
	data := encodeTIFF(t, image.NewGray(image.Rect(0, 0, 2, 2)), tiff.Uncompressed)
	return setTIFFTag(t, setTIFFTag(t, data, 256, w), 257, h)
}

func TestMakeTIFF(t *testing.T) {
	tests := []struct {
		name string
		src  image.Image
		c    tiff.CompressionType
	}{
		{"rgba deflate", photo(2000, 1500), tiff.Deflate},
		{"rgba uncompressed", photo(1600, 1200), tiff.Uncompressed},
		{"16-bit", image.NewRGBA64(image.Rect(0, 0, 800, 600)), tiff.Deflate},
		{"transparent", photoWithHole(1000, 800), tiff.Deflate},
		{"grey", flat(1200, 900, 128), tiff.Uncompressed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := Make(bytes.NewReader(encodeTIFF(t, tc.src, tc.c)), testWatermark)
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
			if long := max(got.Bounds().Dx(), got.Bounds().Dy()); long > MaxSide || 2*long > max(tc.src.Bounds().Dx(), tc.src.Bounds().Dy()) {
				t.Errorf("preview %v: longer than MaxSide or half the original", got.Bounds().Size())
			}
			if bare := bareTiles(want, got, 200, 40, 0.01); len(bare) > 0 {
				t.Errorf("no watermark in %d of the 200x200 tiles, e.g. %v", len(bare), bare[0])
			}
			if p := psnr(want, got); p < 15 { // a flat grey one is mostly watermark
				t.Errorf("the preview is not the picture: PSNR %.1f dB", p)
			}
		})
	}
}

// TIFFs are read where they are: a reader that cannot ReadAt does as well as one that can, and
// an image that starts further into its reader is found there.
func TestMakeTIFFFromASeeker(t *testing.T) {
	src := encodeTIFF(t, photo(400, 300), tiff.Deflate)
	r := struct{ io.ReadSeeker }{bytes.NewReader(append([]byte("junk"), src...))}
	if _, err := r.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	data, err := unbounded.Make(t.Context(), r, testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(data)); err != nil || cfg.Width != 200 || cfg.Height != 150 {
		t.Errorf("preview %+v, %v; want 200x150", cfg, err)
	}
}

func TestTIFFDecompressionBombGuard(t *testing.T) {
	tests := []struct {
		name    string
		w, h    uint32
		refused bool
	}{
		{"30000x30000", 30000, 30000, true},
		{"side too long", 25000, 10, true},
		{"56 megapixels", 8000, 7000, true},
		{"49 megapixels of grey, in strips", 7000, 7000, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tiffClaiming(t, tc.w, tc.h)
			if _, err := tiff.DecodeConfig(bytes.NewReader(in)); err != nil {
				t.Fatalf("crafted TIFF header not accepted: %v", err)
			}
			_, err := plan(bytes.NewReader(in), testWatermark)
			if errors.Is(err, ErrUnsupported) {
				t.Fatalf("err = %v, must not be ErrUnsupported", err)
			}
			if errors.Is(err, errTooLarge) != tc.refused {
				t.Fatalf("err = %v, refused want %v", err, tc.refused)
			}
			if tc.refused {
				if _, err := Make(bytes.NewReader(in), testWatermark); !strings.Contains(fmtErr(err), "too large") {
					t.Errorf("Make: err = %v, want one saying the image is too large", err)
				}
			}
		})
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// One strip the size of the image costs a buffer as large as the image beside it; strips of a
// few rows cost next to nothing.
func TestTIFFCostCountsItsStrips(t *testing.T) {
	grey := encodeTIFF(t, image.NewGray(image.Rect(0, 0, 3000, 2000)), tiff.Deflate)
	h, err := readHeader(bytes.NewReader(grey))
	if err != nil {
		t.Fatal(err)
	}
	if h.bpp != 1+4 {
		t.Errorf("a grey TIFF of one deflated strip costs %d bytes a pixel, want 1 + 4", h.bpp)
	}
	strips := setTIFFTag(t, grey, tagRowsPerStrip, 16) // the header only: the data still is one strip
	if h, err := readHeader(bytes.NewReader(strips)); err != nil || h.bpp != 1+1 {
		t.Errorf("strips of 16 rows: %d bytes a pixel (%v), want 1 + 1", h.bpp, err)
	}
	big := encodeTIFF(t, image.NewRGBA(image.Rect(0, 0, 2000, 1500)), tiff.Uncompressed)
	if h, err := readHeader(bytes.NewReader(big)); err != nil || h.bpp != 4+16 {
		t.Errorf("an uncompressed strip of 12 MB: %d bytes a pixel (%v), want 4 + (3*12 MB + a 10 MiB chunk) / 3 MP", h.bpp, err)
	}
}

func TestTruncatedTIFFFails(t *testing.T) {
	src := encodeTIFF(t, photo(300, 200), tiff.Deflate)
	for _, n := range []int{4, 8, 100, len(src) / 2, len(src) - 200} {
		if _, err := Make(bytes.NewReader(src[:n]), testWatermark); err == nil {
			t.Errorf("cut at %d of %d bytes: no error", n, len(src))
		}
	}
}
