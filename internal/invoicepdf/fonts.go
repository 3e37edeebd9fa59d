package invoicepdf

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// family is the name the Go fonts are registered under; they cover Latin, Cyrillic
// and Greek, but not every currency sign (no ₽, no ₴) nor the thin spaces.
const family = "go"

// ttfs are this package's own copies of the Go fonts, made at init before any render.
// gofpdf writes into the font bytes it is given while it subsets them (it pads tables
// to four bytes with append, which lands in the bytes after each table), so documents
// rendered at once from the same slice race, as do other users of goregular.TTF.
var ttfs = map[fontstyle.Type][]byte{
	fontstyle.Normal: bytes.Clone(goregular.TTF),
	fontstyle.Bold:   bytes.Clone(gobold.TTF),
}

// customFonts are the TrueType fonts gofpdf embeds, as subsets of the glyphs used,
// each render with copies of its own to write into.
func customFonts() ([]*entity.CustomFont, error) {
	return repository.New().
		AddUTF8FontFromBytes(family, fontstyle.Normal, bytes.Clone(ttfs[fontstyle.Normal])).
		AddUTF8FontFromBytes(family, fontstyle.Bold, bytes.Clone(ttfs[fontstyle.Bold])).
		Load()
}

// parsed holds the fonts parsed once; sfnt allows concurrent use with separate buffers.
var parsed = sync.OnceValues(func() (map[fontstyle.Type]*sfnt.Font, error) {
	fonts := map[fontstyle.Type]*sfnt.Font{}
	for style, ttf := range ttfs {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("invoicepdf: parsing the Go %s font: %w", style, err)
		}
		fonts[style] = f
	}
	return fonts, nil
})

// metrics measures text from the font's advance widths, as gofpdf does when it
// places text. It caches widths and is not safe for concurrent use.
type metrics struct {
	font    *sfnt.Font
	buf     sfnt.Buffer
	upem    fixed.Int26_6
	advance map[rune]float64 // in ems
}

func newMetrics(style fontstyle.Type) (*metrics, error) {
	fonts, err := parsed()
	if err != nil {
		return nil, err
	}
	f := fonts[style]
	return &metrics{font: f, upem: fixed.I(int(f.UnitsPerEm())), advance: map[rune]float64{}}, nil
}

// width returns how wide s is, in millimetres, at size points.
func (m *metrics) width(s string, size float64) float64 {
	ems := 0.0
	for _, r := range s {
		ems += m.ems(r)
	}
	return ems * size * mmPerPoint
}

func (m *metrics) ems(r rune) float64 {
	if a, ok := m.advance[r]; ok {
		return a
	}
	a := 0.0
	if g, err := m.font.GlyphIndex(&m.buf, r); err == nil {
		if adv, err := m.font.GlyphAdvance(&m.buf, g, m.upem, font.HintingNone); err == nil {
			a = float64(adv) / float64(m.upem)
		}
	}
	m.advance[r] = a
	return a
}

// hasGlyph reports whether every font the document uses draws r; a rune without a
// glyph would print as an empty box.
func hasGlyph(r rune) bool {
	fonts, err := parsed()
	if err != nil {
		return false
	}
	var buf sfnt.Buffer
	for _, f := range fonts {
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// face is one font at one size and colour: what maroto needs to draw a line of text
// and what wrap needs to measure it.
type face struct {
	style fontstyle.Type
	size  float64 // points
	color *props.Color
	m     *metrics
}

func (f face) width(s string) float64 { return f.m.width(s, f.size) }

// lineHeight is the height one line of f takes, leading included. maroto draws a
// line's baseline one font size below the top it is given, and descenders reach a
// fifth of the size below that, so the leading keeps them clear of the next line.
func (f face) lineHeight() float64 { return f.size * mmPerPoint * leading }
