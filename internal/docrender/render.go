package docrender

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Options say how Render lays pages out; a zero field takes its default.
type Options struct {
	// Width is the width of a page in pixels, from MinWidth to MaxWidth (default 794, A4 at
	// 96 dpi); the height is √2 times it, and the margins and text scale with it.
	Width int
	// MaxPages is how many pages are rendered at most, up to 100 (default 30).
	MaxPages int
}

// Page sizes and counts.
const (
	DefaultWidth    = 794
	MinWidth        = 300
	MaxWidth        = 1240
	DefaultMaxPages = 30
	maxPages        = 100
)

func (o Options) withDefaults() Options {
	if o.Width <= 0 {
		o.Width = DefaultWidth
	}
	o.Width = min(max(o.Width, MinWidth), MaxWidth)
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	o.MaxPages = min(o.MaxPages, maxPages)
	return o
}

// errPagesFull stops the layout once MaxPages are full.
var errPagesFull = errors.New("docrender: the pages are full")

// Render lays d out onto pages of white paper with black text: body text in Go Regular and Go
// Bold, headings larger and bold, bullets indented. It stops after opt.MaxPages pages, saying
// truncated (as it does if d is), and stops with ctx's error once ctx is done. A document with
// no text makes one blank page.
func Render(ctx context.Context, d Doc, opt Options) (pages []*image.Gray, truncated bool, err error) {
	opt = opt.withDefaults()
	p, err := newPager(ctx, opt)
	if err != nil {
		return nil, false, err
	}
	prev := Paragraph
	for i, b := range d.Blocks {
		if err := p.block(b, i > 0, prev); errors.Is(err, errPagesFull) {
			truncated = true
			break
		} else if err != nil {
			return nil, false, err
		}
		prev = b.Kind
	}
	if len(p.pages) == 0 {
		if err := p.newPage(); err != nil {
			return nil, false, err
		}
	}
	return p.pages, truncated || d.Truncated, nil
}

// blockStyle is how one kind of block is set.
type blockStyle struct {
	faces      weights
	lineHeight int // px
	baseline   int // px below the top of a line
	indent     int // px from the left margin
}

// pager sets blocks onto pages, starting a page when one is full.
type pager struct {
	ctx            context.Context
	width, height  int
	margin, bottom int
	y              int // the top of the next line on the page
	styles         [Bullet + 1]blockStyle
	bullet         int // px from the margin to the bullet
	tab            fixed.Int26_6
	pages          []*image.Gray
	maxPages       int
}

// Sizes in pixels on a page DefaultWidth wide: 15 px body text is 11 pt at 96 dpi.
var (
	textSizes   = [Bullet + 1]float64{15, 26, 21, 18, 15}
	lineSpacing = [Bullet + 1]float64{1.45, 1.25, 1.25, 1.3, 1.45}
)

const (
	marginPx = 76 // 20 mm
	bulletPx = 8
	indentPx = 28
	tabPx    = 48
)

func newPager(ctx context.Context, opt Options) (*pager, error) {
	scale := float64(opt.Width) / DefaultWidth
	px := func(v float64) int { return int(math.Round(v * scale)) }
	p := &pager{
		ctx: ctx, width: opt.Width, height: int(math.Round(float64(opt.Width) * math.Sqrt2)),
		margin: px(marginPx), bullet: px(bulletPx), tab: fixed.I(px(tabPx)), maxPages: opt.MaxPages,
	}
	p.bottom = p.height - p.margin
	for k := range p.styles {
		faces, err := newWeights(textSizes[k]*scale, k >= int(Heading1) && k <= int(Heading3))
		if err != nil {
			return nil, err
		}
		m := faces[0].Metrics()
		lh := px(textSizes[k] * lineSpacing[k])
		p.styles[k] = blockStyle{faces: faces, lineHeight: lh, baseline: (lh-(m.Ascent+m.Descent).Ceil())/2 + m.Ascent.Ceil()}
	}
	p.styles[Bullet].indent = px(indentPx)
	return p, nil
}

// spaceBefore is the space between a block of kind k and one of kind prev above it, in lines.
func spaceBefore(k, prev BlockKind) float64 {
	switch {
	case k >= Heading1 && k <= Heading3:
		return 0.9
	case k == Bullet && prev == Bullet:
		return 0.15
	}
	return 0.45
}

func (p *pager) block(b Block, after bool, prev BlockKind) error {
	if b.Kind < Paragraph || b.Kind > Bullet {
		b.Kind = Paragraph
	}
	st := p.styles[b.Kind]
	if after && p.y > p.margin {
		p.y += int(spaceBefore(b.Kind, prev) * float64(p.styles[Paragraph].lineHeight))
	}
	first := true
	l := &liner{faces: st.faces, width: fixed.I(p.width - 2*p.margin - st.indent), tab: p.tab}
	l.emit = func(line []span) error {
		err := p.line(line, st, first && b.Kind == Bullet)
		first = false
		return err
	}
	return l.layBlock(b.Runs)
}

// line draws one line of text, on a new page if this one is full.
func (p *pager) line(spans []span, st blockStyle, bullet bool) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	if len(p.pages) == 0 || p.y+st.lineHeight > p.bottom {
		if err := p.newPage(); err != nil {
			return err
		}
	}
	page := p.pages[len(p.pages)-1]
	base := p.y + st.baseline
	if bullet {
		drawText(page, st.faces[0], fixed.I(p.margin+p.bullet), base, "•")
	}
	left := fixed.I(p.margin + st.indent)
	for _, s := range spans {
		drawText(page, st.faces.of(s.bold), left+s.x, base, s.text)
	}
	p.y += st.lineHeight
	return nil
}

func (p *pager) newPage() error {
	if len(p.pages) == p.maxPages {
		return errPagesFull
	}
	if err := p.ctx.Err(); err != nil {
		return err
	}
	page := image.NewGray(image.Rect(0, 0, p.width, p.height))
	page.Pix[0] = 0xff // white, spread by doubling copies
	for n := 1; n < len(page.Pix); n *= 2 {
		copy(page.Pix[n:], page.Pix[:n])
	}
	p.pages = append(p.pages, page)
	p.y = p.margin
	return nil
}

// drawText draws text in black from x on the baseline y.
func drawText(dst *image.Gray, face font.Face, x fixed.Int26_6, y int, text string) {
	dot := fixed.Point26_6{X: x, Y: fixed.I(y)}
	prev := rune(-1)
	for _, c := range text {
		if prev >= 0 {
			dot.X += face.Kern(prev, c)
		}
		dr, mask, mp, adv, ok := face.Glyph(dot, c)
		if ok {
			ink(dst, dr, mask, mp)
		}
		dot.X += adv
		prev = c
	}
}

// ink darkens dst under a glyph's coverage mask, as black drawn over it would.
func ink(dst *image.Gray, dr image.Rectangle, mask image.Image, mp image.Point) {
	a, ok := mask.(*image.Alpha)
	if !ok {
		draw.DrawMask(dst, dr, image.Black, image.Point{}, mask, mp, draw.Over)
		return
	}
	r := dr.Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.Pix[dst.PixOffset(r.Min.X, y):][:r.Dx()]
		m := a.Pix[a.PixOffset(mp.X+r.Min.X-dr.Min.X, mp.Y+y-dr.Min.Y):][:r.Dx()]
		for i, c := range m {
			d[i] = uint8(uint32(d[i]) * (255 - uint32(c)) / 255)
		}
	}
}
