package invoicepdf

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/accordapp/accord/internal/pdffont"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
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

// newMetrics measures text in one of the Go fonts; metrics cache widths and are not shared.
func newMetrics(style fontstyle.Type) (*pdffont.Metrics, error) {
	fonts, err := parsed()
	if err != nil {
		return nil, err
	}
	return pdffont.NewMetrics(fonts[style]), nil
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
	m     *pdffont.Metrics
}

func (f face) width(s string) float64 { return f.m.Width(s, f.size) }

// lineHeight is the height one line of f takes, leading included. maroto draws a
// line's baseline one font size below the top it is given, and descenders reach a
// fifth of the size below that, so the leading keeps them clear of the next line.
func (f face) lineHeight() float64 { return f.size * pdffont.MMPerPoint * leading }
