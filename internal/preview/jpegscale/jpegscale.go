// Package jpegscale decodes sequential JPEGs at full, half, quarter or eighth size. For each 8×8
// block it computes only the reduced inverse DCT that the scale needs (8×8, 4×4, 2×2 or the DC
// value alone), so that a preview of a camera photo costs a fraction of a full decode.
//
// It reads what cameras and most software write: Huffman-coded 8-bit baseline and extended
// sequential frames (SOF0, SOF1) of one component (gray) or three (YCbCr, or RGB when the Adobe
// APP14 transform flag or the component ids say so), with sampling factors that map onto an
// image.YCbCrSubsampleRatio (4:4:4, 4:2:2, 4:2:0, 4:4:0, 4:1:1, 4:1:0), restart intervals,
// interleaved or one-component scans and any number of table definitions. Progressive,
// arithmetic-coded, lossless, hierarchical, 12-bit and 4-component (CMYK, YCCK) files give
// ErrUnsupported: decode those with image/jpeg.
//
// Scan data that ends early, or runs into a marker before the last block, is an error
// (ErrTruncated or ErrFormat) and no partial image is returned: a preview that is half gray
// would look like a broken original, and the caller can report the upload instead.
//
// Decoding uses up to every CPU: when a scan has restart markers, runs of restart intervals are
// decoded in parallel, one per CPU; without them Huffman decoding is sequential, so at scales 1
// and 2 one goroutine Huffman-decodes MCU rows while another transforms them.
package jpegscale

import (
	"errors"
	"fmt"
	"image"
	"io"
)

// Limits on the frame, checked before anything is allocated for it.
const (
	// MaxDimension is the longest side, in pixels, of a frame that Decode accepts.
	MaxDimension = 20000
	// MaxPixels is the largest full-size area, in pixels, of a frame that Decode accepts.
	MaxPixels = 100_000_000
)

var (
	// ErrUnsupported is returned for valid JPEGs that this package does not decode: progressive,
	// arithmetic-coded, lossless, hierarchical, 12-bit or CMYK/YCCK. Use image/jpeg for them.
	ErrUnsupported = errors.New("jpegscale: unsupported JPEG variant, decode it with image/jpeg")
	// ErrFormat is returned for data that is not a well-formed JPEG.
	ErrFormat = errors.New("jpegscale: invalid JPEG data")
	// ErrTruncated is returned when the data ends before the last block of the image.
	ErrTruncated = errors.New("jpegscale: JPEG data ends early")
	// ErrTooLarge is returned for frames beyond MaxDimension or MaxPixels.
	ErrTooLarge = errors.New("jpegscale: image too large")
)

// Decode reads a JPEG and decodes it at 1/scale of its size, scale being 1, 2, 4 or 8; each
// side of the result is the original's divided by scale, rounded up. The result is an
// *image.YCbCr (with the file's subsampling), an *image.Gray or, for RGB files, an *image.RGBA.
func Decode(r io.Reader, scale int) (image.Image, error) {
	if err := checkScale(scale); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return DecodeBytes(data, scale)
}

// DecodeBytes is Decode for a JPEG already in memory; it reads data in place without copying it.
func DecodeBytes(data []byte, scale int) (image.Image, error) {
	if err := checkScale(scale); err != nil {
		return nil, err
	}
	d := &decoder{data: data, scale: scale}
	return d.decode()
}

// ScaleFor returns the largest scale (1, 2, 4 or 8) at which a w×h image still has a long side
// of at least maxSide pixels, so that the caller downsamples the decoded image only a little.
func ScaleFor(w, h, maxSide int) int {
	long := max(w, h)
	for _, s := range []int{8, 4, 2} {
		if (long+s-1)/s >= maxSide {
			return s
		}
	}
	return 1
}

func checkScale(scale int) error {
	switch scale {
	case 1, 2, 4, 8:
		return nil
	}
	return fmt.Errorf("jpegscale: scale %d is not 1, 2, 4 or 8", scale)
}

// formatErr wraps ErrFormat with what was wrong.
func formatErr(what string) error {
	return fmt.Errorf("%w: %s", ErrFormat, what)
}

// unsupported wraps ErrUnsupported with the variant found.
func unsupported(what string) error {
	return fmt.Errorf("%w (%s)", ErrUnsupported, what)
}
