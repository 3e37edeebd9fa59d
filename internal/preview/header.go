package preview

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"

	"golang.org/x/image/tiff"
)

const (
	maxPixels = 50_000_000
	// maxDecodedBytes bounds the memory one decoded image may take (50 MP of 8-bit RGBA).
	maxDecodedBytes = 200_000_000
	maxDim          = 20_000
)

// errTooLarge marks images refused by the decompression-bomb guard or the memory budget.
var errTooLarge = errors.New("preview: image too large")

// header is what an image's header tells before any pixel is decoded.
type header struct {
	start         int64 // where the image starts in its reader
	width, height int
	bpp           int    // bytes one decoded pixel costs, decoder's working memory included
	format        string // as image.DecodeConfig names it: "jpeg", "png", …, and "heic"
	size          int64  // bytes, from start to the end of the reader: HEIC only
	extra         int64  // bytes the decoder takes whatever the number of pixels
}

// decodeCost is the memory that decoding the image takes.
func (h header) decodeCost() int64 {
	return int64(h.width)*int64(h.height)*int64(h.bpp) + h.extra
}

// readHeader reads an image's header and what it costs to decode, refusing oversized images
// before any pixel memory is allocated; src is left anywhere.
func readHeader(src io.ReadSeeker) (header, error) {
	start, err := src.Seek(0, io.SeekCurrent)
	if err != nil {
		return header{}, fmt.Errorf("preview: reading image: %w", err)
	}
	var prefix [12]byte
	n, _ := io.ReadFull(src, prefix[:])
	if _, err := src.Seek(start, io.SeekStart); err != nil {
		return header{}, fmt.Errorf("preview: reading image: %w", err)
	}
	if isHEIF(prefix[:n]) { // before image.DecodeConfig, where gen2brain/heic registers its own
		return readHEIFHeader(src, start)
	}
	var cfg image.Config
	var format string
	if isTIFF(prefix[:n]) { // read where its IFD is, often after the pixels, not up to it
		cfg, err = tiff.DecodeConfig(tiffReader(src, start))
		format = "tiff"
	} else {
		cfg, format, err = image.DecodeConfig(src)
	}
	if errors.Is(err, image.ErrFormat) {
		return header{}, ErrUnsupported
	}
	if err != nil {
		return header{}, fmt.Errorf("preview: reading image header: %w", err)
	}
	h := header{start: start, width: cfg.Width, height: cfg.Height, bpp: bytesPerPixel(cfg.ColorModel), format: format}
	if _, err := src.Seek(start, io.SeekStart); err != nil {
		return header{}, fmt.Errorf("preview: reading image: %w", err)
	}
	if format == "tiff" { // its strips' layout, from the header too
		h.bpp = tiffBytesPerPixel(src, h.bpp, h.width, h.height)
	} else {
		h.bpp = decoderBytesPerPixel(format, h.bpp, src)
	}
	if err := checkSize(h.width, h.height, h.bpp); err != nil {
		return header{}, err
	}
	return h, nil
}

// readHEIFHeader reads the header of an ISO BMFF file at start in src: an HEVC-coded HEIF
// image (HEIC), or ErrUnsupported. Decoding it costs the module's memory: per pixel, and the
// file copied in.
func readHEIFHeader(src io.ReadSeeker, start int64) (header, error) {
	img, err := readHEIF(src)
	if errors.Is(err, errNotHEIF) {
		return header{}, ErrUnsupported
	}
	if err != nil {
		return header{}, err
	}
	end, err := src.Seek(0, io.SeekEnd)
	if err != nil {
		return header{}, fmt.Errorf("preview: reading image: %w", err)
	}
	h := header{start: start, width: img.width, height: img.height, bpp: heicBytesPerPixel(img),
		format: "heic", size: end - start, extra: heicCost(end - start)}
	if err := checkSize(h.width, h.height, h.bpp); err != nil {
		return header{}, err
	}
	if h.decodeCost() > maxDecodedBytes {
		return header{}, fmt.Errorf("%w: a %d MB HEIC file needs about %d MB to decode, more than the %d MB an image may take",
			errTooLarge, h.size/1e6, h.decodeCost()/1e6, maxDecodedBytes/1_000_000)
	}
	return h, nil
}

// bytesPerPixel is what one decoded pixel costs in memory: 16-bit images cost twice as much.
func bytesPerPixel(m color.Model) int {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.Gray16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	return 4
}

// decoderBytesPerPixel adds to bpp what a format's decoder needs beside the decoded image,
// reading what the header alone does not say from src, positioned at the image's start.
func decoderBytesPerPixel(format string, bpp int, src io.Reader) int {
	switch format {
	case "jpeg":
		if progressiveJPEG(src) {
			return bpp + 4*3 // the decoder keeps every coefficient: 256 bytes per 8×8 block per component
		}
	case "png":
		return pngBytesPerPixel(src, bpp)
	case "webp":
		return webpBytesPerPixel(src, bpp)
	}
	return bpp
}

func checkSize(w, h, bpp int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("preview: invalid image size %dx%d", w, h)
	}
	if w > maxDim || h > maxDim || w*h > maxPixels || w*h*bpp > maxDecodedBytes {
		return fmt.Errorf("%w: %dx%d px exceeds the limit of %d px per side and %d megapixels",
			errTooLarge, w, h, maxDim, maxPixels/1_000_000)
	}
	return nil
}

// progressiveJPEG walks a JPEG's marker segments up to its frame header and reports whether
// the frame is progressive (SOF2), whose decoding costs far more memory than a baseline one.
func progressiveJPEG(r io.Reader) bool {
	br := bufio.NewReader(r)
	var b [2]byte
	if _, err := io.ReadFull(br, b[:]); err != nil || b != [2]byte{0xFF, 0xD8} {
		return false
	}
	for {
		if _, err := io.ReadFull(br, b[:]); err != nil || b[0] != 0xFF {
			return false
		}
		marker := b[1]
		for marker == 0xFF { // fill bytes
			var err error
			if marker, err = br.ReadByte(); err != nil {
				return false
			}
		}
		switch {
		case marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE:
			return true
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return false
		}
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return false
		}
		if _, err := br.Discard(int(binary.BigEndian.Uint16(b[:])) - 2); err != nil {
			return false
		}
	}
}

// pngBytesPerPixel reads a PNG's chunks up to its pixel data: a grey image with a transparent
// colour (tRNS) decodes to NRGBA, 4 times its grey size, and an interlaced one decodes each
// pass beside the full image.
func pngBytesPerPixel(r io.Reader, bpp int) int {
	br := bufio.NewReader(r)
	if _, err := br.Discard(8); err != nil { // the signature
		return bpp
	}
	var interlaced bool
	var c [13]byte
	for {
		if _, err := io.ReadFull(br, c[:8]); err != nil {
			break
		}
		n, typ := int64(binary.BigEndian.Uint32(c[:4])), string(c[4:8])
		if typ == "IDAT" {
			break
		}
		if typ == "IHDR" && n == 13 {
			if _, err := io.ReadFull(br, c[:]); err != nil {
				break
			}
			interlaced, n = c[12] == 1, 0
		}
		if typ == "tRNS" && bpp <= 2 {
			bpp *= 4
		}
		if _, err := io.CopyN(io.Discard, br, n+4); err != nil { // the data and its CRC
			break
		}
	}
	if interlaced {
		return 2 * bpp
	}
	return bpp
}

// webpBytesPerPixel reads a WebP's chunks up to its image data: a lossless image (VP8L), and
// an alpha plane, are decoded to NRGBA, which a colour-indexing transform copies once more.
func webpBytesPerPixel(r io.Reader, bpp int) int {
	const lossless = 4 + 4
	br := bufio.NewReader(r)
	if _, err := br.Discard(12); err != nil { // RIFF, its size, WEBP
		return bpp + lossless
	}
	var alpha int
	var c [8]byte
	for {
		if _, err := io.ReadFull(br, c[:]); err != nil {
			return bpp + lossless
		}
		switch string(c[:4]) {
		case "VP8 ":
			return bpp + alpha
		case "VP8L":
			return lossless
		case "ALPH":
			alpha = lossless
		}
		n := int64(binary.LittleEndian.Uint32(c[4:]))
		if _, err := io.CopyN(io.Discard, br, n+n&1); err != nil { // chunks are padded to even sizes
			return bpp + lossless
		}
	}
}
