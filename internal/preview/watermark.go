package preview

import (
	"fmt"
	"image"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

const (
	// The text runs at -30 degrees: up and to the right.
	cos30 = 0.8660254037844386
	sin30 = 0.5

	// opacity is 40% of 255.
	opacity = 102

	// Font size is the geometric mean of the preview sides divided by fontDivisor, so
	// that a 1200x900 preview gets ~43 px text, and never below minFontSize.
	fontDivisor = 24
	minFontSize = 11

	defaultWatermark = "preview"

	fracBits = 16
	one      = 1 << fracBits
)

// Steps of the tile coordinates per output pixel along a row, in fixed point.
var (
	stepU = int(math.Round(cos30 * one))
	stepV = int(math.Round(sin30 * one))
)

var watermarkFont = sync.OnceValues(func() (*opentype.Font, error) {
	return opentype.Parse(gobold.TTF)
})

// tile is one period of the watermark pattern in the rotated text frame:
// premultiplied grey (white text over a dark outline) and its alpha.
type tile struct {
	w, h  int
	lum   []uint8
	alpha []uint8
}

func drawWatermark(dst *image.RGBA, text string) error {
	t, err := newTile(watermarkText(text), fontSize(dst.Rect.Size()))
	if err != nil {
		return err
	}
	t.apply(dst)
	return nil
}

// watermarkText is the text to tile: an empty text must not hand out an unprotected preview.
func watermarkText(text string) string {
	if text = strings.TrimSpace(text); text == "" {
		return defaultWatermark
	}
	return text
}

func fontSize(s image.Point) float64 {
	return max(minFontSize, math.Sqrt(float64(s.X)*float64(s.Y))/fontDivisor)
}

func newFace(size float64) (font.Face, error) {
	f, err := watermarkFont()
	if err != nil {
		return nil, fmt.Errorf("preview: parsing watermark font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72})
	if err != nil {
		return nil, fmt.Errorf("preview: watermark font face: %w", err)
	}
	return face, nil
}

// layout is where the text goes in one period of the pattern.
type layout struct {
	margin, w, lineH, base int
}

func newLayout(face font.Face, text string, size float64) layout {
	margin, lineH := int(size), int(size*2.4)
	return layout{margin: margin, w: font.MeasureString(face, text).Ceil() + 2*margin,
		lineH: lineH, base: (lineH + face.Metrics().CapHeight.Ceil()) / 2}
}

// tileBytesPerPixel is what building a tile costs per pixel: the text mask, its outline in two
// passes, and the tile's grey and alpha.
const tileBytesPerPixel = 5

// tileCost is the memory that building the tile of text at size takes.
func tileCost(text string, size float64) (int64, error) {
	face, err := newFace(size)
	if err != nil {
		return 0, err
	}
	defer face.Close()
	l := newLayout(face, text, size)
	return int64(l.w) * int64(2*l.lineH) * tileBytesPerPixel, nil
}

// newTile lays out two rows of text, the second shifted by half a period, so
// that the repeats form a staggered brick pattern instead of aligned columns.
func newTile(text string, size float64) (*tile, error) {
	face, err := newFace(size)
	if err != nil {
		return nil, err
	}
	defer face.Close()
	l := newLayout(face, text, size)
	mask := image.NewAlpha(image.Rect(0, 0, l.w, 2*l.lineH))
	drawText(mask, face, text, l.margin, l.base)
	drawText(mask, face, text, l.margin+l.w/2, l.lineH+l.base)
	drawText(mask, face, text, l.margin+l.w/2-l.w, l.lineH+l.base)
	return compose(mask, outline(mask, max(1, int(size/14)))), nil
}

func drawText(dst *image.Alpha, face font.Face, text string, x, y int) {
	d := font.Drawer{Dst: dst, Src: image.Opaque, Face: face, Dot: fixed.P(x, y)}
	d.DrawString(text)
}

// outline dilates the text mask by r pixels in both directions.
func outline(m *image.Alpha, r int) []uint8 {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	return spreadY(spreadX(m.Pix, w, r), w, h, r)
}

// spreadX returns, for each pixel, the maximum of src within ±r pixels on its
// row, wrapping around because the tile repeats.
func spreadX(src []uint8, w, r int) []uint8 {
	dst := make([]uint8, len(src))
	for y := 0; y < len(src); y += w {
		for d := -r; d <= r; d++ {
			maxShifted(dst[y:y+w], src[y:y+w], wrap(d, w))
		}
	}
	return dst
}

// spreadY is spreadX along columns.
func spreadY(src []uint8, w, h, r int) []uint8 {
	dst := make([]uint8, len(src))
	for y := range h {
		for d := -r; d <= r; d++ {
			from := wrap(y+d, h) * w
			maxShifted(dst[y*w:(y+1)*w], src[from:from+w], 0)
		}
	}
	return dst
}

// maxShifted sets dst[i] to max(dst[i], src[(i+d) mod len(src)]).
func maxShifted(dst, src []uint8, d int) {
	n := len(src) - d
	for i, v := range src[d:] {
		dst[i] = max(dst[i], v)
	}
	for i, v := range src[:d] {
		dst[n+i] = max(dst[n+i], v)
	}
}

func wrap(i, n int) int {
	return ((i % n) + n) % n
}

// compose paints white text over its dark outline and scales the result to
// the watermark opacity.
func compose(text *image.Alpha, dark []uint8) *tile {
	t := &tile{w: text.Rect.Dx(), h: text.Rect.Dy()}
	t.lum = make([]uint8, len(text.Pix))
	t.alpha = make([]uint8, len(text.Pix))
	for i, a := range text.Pix {
		fg, bg := int(a), int(dark[i])
		t.lum[i] = uint8(fg * opacity / 255)
		t.alpha[i] = uint8((fg + bg*(255-fg)/255) * opacity / 255)
	}
	return t
}

func (t *tile) apply(dst *image.RGBA) {
	w := dst.Rect.Dx()
	for y := range dst.Rect.Dy() {
		start := y * dst.Stride
		t.blendRow(dst.Pix[start:start+4*w], y)
	}
}

// blendRow walks the rotated tile coordinates incrementally in fixed point,
// which keeps the per-pixel cost to a few integer operations.
func (t *tile) blendRow(row []uint8, y int) {
	u := toFixed(-float64(y)*sin30, t.w)
	v := toFixed(float64(y)*cos30, t.h)
	wFix, hFix := t.w*one, t.h*one
	for i := 0; i+4 <= len(row); i += 4 {
		if l, a := t.sample(u, v); a != 0 {
			blend(row[i:i+4:i+4], l, a)
		}
		u, v = advance(u, stepU, wFix), advance(v, stepV, hFix)
	}
}

// toFixed returns f modulo n in fixed point.
func toFixed(f float64, n int) int {
	m := math.Mod(f, float64(n))
	if m < 0 {
		m += float64(n)
	}
	return min(int(m*one), n*one-1)
}

func advance(p, step, period int) int {
	p += step
	if p >= period {
		p -= period
	}
	return p
}

// sample interpolates the tile bilinearly at fixed-point (u, v) so that the
// rotated text keeps smooth edges.
func (t *tile) sample(u, v int) (lum, alpha uint32) {
	x0, y0 := u>>fracBits, v>>fracBits
	x1, y1 := next(x0, t.w), next(y0, t.h)
	fx, fy := uint32(u>>(fracBits-8)&0xff), uint32(v>>(fracBits-8)&0xff)
	i00, i01, i10, i11 := y0*t.w+x0, y0*t.w+x1, y1*t.w+x0, y1*t.w+x1
	alpha = lerp2(t.alpha[i00], t.alpha[i01], t.alpha[i10], t.alpha[i11], fx, fy)
	if alpha == 0 {
		return 0, 0
	}
	return lerp2(t.lum[i00], t.lum[i01], t.lum[i10], t.lum[i11], fx, fy), alpha
}

func next(i, n int) int {
	if i+1 == n {
		return 0
	}
	return i + 1
}

func lerp2(p00, p01, p10, p11 uint8, fx, fy uint32) uint32 {
	top := uint32(p00)*(256-fx) + uint32(p01)*fx
	bottom := uint32(p10)*(256-fx) + uint32(p11)*fx
	return (top*(256-fy) + bottom*fy) >> 16
}

// blend composites a premultiplied grey (lum, alpha) over one premultiplied RGBA pixel.
func blend(p []uint8, lum, alpha uint32) {
	inv := 255 - alpha
	p[0] = uint8((uint32(p[0])*inv+127)/255 + lum)
	p[1] = uint8((uint32(p[1])*inv+127)/255 + lum)
	p[2] = uint8((uint32(p[2])*inv+127)/255 + lum)
	p[3] = uint8((uint32(p[3])*inv+127)/255 + alpha)
}
