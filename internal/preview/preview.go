// Package preview renders the watermarked, downscaled previews that clients
// see before they pay for a delivery.
package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // GIF decoder: image.Decode returns the first frame.
	"image/jpeg"
	_ "image/png"
	"io"
	"math"

	"golang.org/x/image/draw"

	"github.com/accordapp/accord/internal/preview/jpegscale"
	_ "golang.org/x/image/webp" // WebP decoder (lossy and lossless).
)

// MaxSide is the largest length, in pixels, of the long side of a preview. A preview is also at
// most half as long as its original, so that it never stands in for the original.
const MaxSide = 1200

// ContentType is the type of every preview: a JPEG, flattened onto white, of middling quality.
const ContentType = "image/jpeg"

const (
	jpegQuality = 70
	// outBytesPerPixel is what each preview pixel costs while rendering: 4 for its RGBA pixels
	// and at most 2 for its JPEG encoding (usually far less at quality 70).
	outBytesPerPixel = 6
	// fixedCost covers the decoders' and the encoder's tables and buffers.
	fixedCost = 1 << 20
)

// ErrUnsupported is returned for files that are not images we can preview.
var ErrUnsupported = errors.New("preview: unsupported file: not a JPEG, PNG, GIF, WebP, TIFF or HEIC image")

// ApproxBiLinear: ~0.1 s per 12 MP JPEG versus ~0.7 s for CatmullRom, and a watermarked preview needs no extra sharpness.
var scaler draw.Scaler = draw.ApproxBiLinear

// unbounded is the budget of Make: only the limits on a single image apply.
var unbounded = NewBudget(math.MaxInt64)

// Make renders a preview of an image with no budget shared with other renders; see Budget.Make.
func Make(src io.ReadSeeker, watermark string) ([]byte, error) {
	return unbounded.Make(context.Background(), src, watermark)
}

// Make decodes an image (JPEG, PNG, GIF (first frame), WebP, TIFF (first page), HEIC (primary
// image, without its alpha plane)), downscales it so that its long side is at most MaxSide px
// and at most half the original's (never upscaling), flattens any transparency onto white,
// tiles the watermark text (or "preview" if it is blank) diagonally across it and encodes it
// as a JPEG (ContentType) without metadata. It first waits, no longer
// than ctx, until the render's estimated memory fits in the budget; an image that would not fit
// in the whole budget is refused as too large.
func (b *Budget) Make(ctx context.Context, src io.ReadSeeker, watermark string) ([]byte, error) {
	j, err := plan(src, watermark)
	if err != nil {
		return nil, err
	}
	if j.cost > b.size {
		return nil, fmt.Errorf("%w: %dx%d px needs about %d MiB to preview, more than the %d MiB that previews may take",
			errTooLarge, j.width, j.height, j.cost>>20, b.size>>20)
	}
	if err := b.acquire(ctx, j.cost); err != nil {
		return nil, err
	}
	defer b.release(j.cost)
	if b.held != nil {
		b.held()
	}
	img, err := decode(ctx, src, j.header)
	if err != nil {
		return nil, err
	}
	w, h := fit(j.width, j.height) // the original's size decides, whatever scale it was decoded at
	if j.format == "heic" {        // libheif crops to the clean aperture (clap) that the header left aside
		w, h = fit(img.Bounds().Dx(), img.Bounds().Dy())
	}
	if y, ok := img.(*image.YCbCr); ok { // a photo: no colour conversion on the way
		out, err := renderYCbCr(y, w, h, j.mark)
		if err != nil {
			return nil, err
		}
		return encode(out)
	}
	out, err := renderAt(img, w, h, j.mark)
	if err != nil {
		return nil, err
	}
	return encode(out)
}

// job is a render planned from an image's header: its watermark and what it will cost.
type job struct {
	header
	mark string
	cost int64 // bytes: the decoded image, the preview and its encoding, the watermark tile
}

func plan(src io.ReadSeeker, watermark string) (job, error) {
	h, err := readHeader(src)
	if err != nil {
		return job{}, err
	}
	w, ht := fit(h.width, h.height)
	mark := watermarkText(watermark)
	tile, err := tileCost(mark, fontSize(image.Pt(w, ht)))
	if err != nil {
		return job{}, err
	}
	out := int64(w) * int64(ht) * outBytesPerPixel
	return job{header: h, mark: mark, cost: h.decodeCost() + out + tile + fixedCost}, nil
}

// decode reads the image; a baseline JPEG is decoded straight at the smallest DCT scale that
// still gives the preview its size (1/2 for a 12 MP photo), the rest at full size. An HEIC is
// decoded within the memory of its decodeCost, until ctx ends.
func decode(ctx context.Context, src io.ReadSeeker, h header) (image.Image, error) {
	if _, err := src.Seek(h.start, io.SeekStart); err != nil {
		return nil, fmt.Errorf("preview: reading image: %w", err)
	}
	switch h.format {
	case "heic": // its errors say where they come from: errHEIC, errTooLarge, ctx.Err()
		return decodeHEIC(ctx, src, h.size, h, h.decodeCost())
	case "tiff":
		img, err := decodeTIFF(src, h.start)
		if err != nil {
			return nil, fmt.Errorf("preview: decoding image: %w", err)
		}
		return img, nil
	}
	if h.format == "jpeg" {
		data, err := io.ReadAll(src)
		if err != nil {
			return nil, fmt.Errorf("preview: reading image: %w", err)
		}
		w, ht := fit(h.width, h.height)
		img, err := jpegscale.DecodeBytes(data, jpegscale.ScaleFor(h.width, h.height, max(w, ht)))
		if err == nil {
			return img, nil
		}
		if !errors.Is(err, jpegscale.ErrUnsupported) { // progressive and CMYK go to the standard decoder
			return nil, fmt.Errorf("preview: decoding image: %w", err)
		}
		src = bytes.NewReader(data)
	}
	img, _, err := image.Decode(src)
	if err != nil {
		return nil, fmt.Errorf("preview: decoding image: %w", err)
	}
	return img, nil
}

func render(img image.Image, watermark string) (*image.RGBA, error) {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy())
	return renderAt(img, w, h, watermark)
}

// renderAt scales img to w×h, flattens it and draws the watermark.
func renderAt(img image.Image, w, h int, watermark string) (*image.RGBA, error) {
	dst := scaleTo(img, w, h)
	flatten(dst)
	if err := drawWatermark(dst, watermark); err != nil {
		return nil, err
	}
	return dst, nil
}

func downscale(src image.Image) *image.RGBA {
	b := src.Bounds()
	w, h := fit(b.Dx(), b.Dy())
	return scaleTo(src, w, h)
}

func scaleTo(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if dst.Rect.Size() == b.Size() { // a 1 px image: there is nothing smaller
		draw.Draw(dst, dst.Rect, src, b.Min, draw.Src)
		return dst
	}
	scaler.Scale(dst, dst.Rect, src, b, draw.Src, nil)
	return dst
}

// flatten composites img, premultiplied, onto white, so that no transparency is left.
func flatten(img *image.RGBA) {
	for i := 0; i+4 <= len(img.Pix); i += 4 {
		p := img.Pix[i : i+4 : i+4]
		white := 255 - p[3] // what shows through
		p[0], p[1], p[2], p[3] = p[0]+white, p[1]+white, p[2]+white, 255
	}
}

// fit returns the preview size for a w x h image, keeping its aspect ratio: the long side
// becomes MaxSide, or half of what it was if that is shorter (but at least 1 px).
func fit(w, h int) (int, int) {
	long := max(w, h)
	side := max(1, min(MaxSide, long/2))
	return scaleDim(w, side, long), scaleDim(h, side, long)
}

func scaleDim(n, side, long int) int {
	return max(1, (n*side+long/2)/long)
}

// encode writes img from scratch, so no metadata of the source survives.
func encode(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("preview: encoding JPEG: %w", err)
	}
	return buf.Bytes(), nil
}

// MakePage renders a preview of a page Accord laid out itself (a document's, a PDF's): already
// at a low resolution, so it is only fitted within MaxSide, never halved, then watermarked and
// encoded like any preview. The page's memory counts against the budget while it renders.
func (b *Budget) MakePage(ctx context.Context, page image.Image, watermark string) ([]byte, error) {
	r := page.Bounds()
	long := max(r.Dx(), r.Dy())
	side := max(1, min(MaxSide, long))
	w, h := scaleDim(r.Dx(), side, long), scaleDim(r.Dy(), side, long)
	cost := int64(w)*int64(h)*outBytesPerPixel + fixedCost
	if err := b.acquire(ctx, cost); err != nil {
		return nil, err
	}
	defer b.release(cost)
	out, err := renderAt(page, w, h, watermarkText(watermark))
	if err != nil {
		return nil, err
	}
	return encode(out)
}
