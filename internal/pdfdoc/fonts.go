package pdfdoc

import (
	"fmt"
	"slices"
	"sync"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The families the Go fonts are registered under; they cover Latin, Cyrillic and Greek.
const (
	familySans = "go"
	familyMono = "gomono"
)

// customFonts are the TrueType fonts gofpdf embeds, as subsets of the glyphs used. Each render
// gets copies: gofpdf's subsetting appends into the bytes it is given, which would race between
// renders sharing the Go fonts' slices.
func customFonts() ([]*entity.CustomFont, error) {
	return repository.New().
		AddUTF8FontFromBytes(familySans, fontstyle.Normal, slices.Clone(goregular.TTF)).
		AddUTF8FontFromBytes(familySans, fontstyle.Bold, slices.Clone(gobold.TTF)).
		AddUTF8FontFromBytes(familyMono, fontstyle.Normal, slices.Clone(gomono.TTF)).
		Load()
}

// parsed holds the fonts parsed once; sfnt allows concurrent use with separate buffers.
var parsed = sync.OnceValues(func() (map[string]*sfnt.Font, error) {
	fonts := map[string]*sfnt.Font{}
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF, "mono": gomono.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("pdfdoc: parsing the Go %s font: %w", name, err)
		}
		fonts[name] = f
	}
	return fonts, nil
})

// metrics measures text from the font's advance widths, as gofpdf does when it wraps.
type metrics struct {
	font    *sfnt.Font
	buf     sfnt.Buffer
	upem    fixed.Int26_6
	advance map[rune]float64 // in ems
}

func newMetrics(name string) (*metrics, error) {
	fonts, err := parsed()
	if err != nil {
		return nil, err
	}
	f := fonts[name]
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
