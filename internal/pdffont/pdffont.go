// Package pdffont holds what Accord's PDF writers share over maroto and gofpdf: text measured
// from a font's advance widths, as gofpdf measures it when it wraps, and the dates gofpdf
// stamps from the clock replaced, so that a document is dated by Accord's clock.
package pdffont

import (
	"bytes"
	"regexp"
	"time"

	"github.com/phpdave11/gofpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// maroto gives no access to its gofpdf document, so sort the font catalogs of every gofpdf
// document (it changes only their order) to make the output reproducible.
func init() { gofpdf.SetDefaultCatalogSort(true) }

// MMPerPoint converts typographic points to millimetres.
const MMPerPoint = 25.4 / 72

// Metrics measures text in one font. It caches widths and is not safe for concurrent use; the
// font itself may be shared (sfnt allows it with separate buffers).
type Metrics struct {
	font    *sfnt.Font
	buf     sfnt.Buffer
	upem    fixed.Int26_6
	advance map[rune]float64 // in ems
}

// NewMetrics measures text in f.
func NewMetrics(f *sfnt.Font) *Metrics {
	return &Metrics{font: f, upem: fixed.I(int(f.UnitsPerEm())), advance: map[rune]float64{}}
}

// Width is how wide s is, in millimetres, at size points.
func (m *Metrics) Width(s string, size float64) float64 {
	ems := 0.0
	for _, r := range s {
		ems += m.Ems(r)
	}
	return ems * size * MMPerPoint
}

// Ems is the advance of r in ems; 0 for a rune the font lacks.
func (m *Metrics) Ems(r rune) float64 {
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

// infoDate matches the dates gofpdf writes in the document information dictionary.
var infoDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:\d{14}\)`)

// FixDates replaces the dates gofpdf stamps from the clock (maroto sets only the creation
// date, never the modification date): with created, or, when it is zero, with blanks of the
// same length so the cross-reference offsets stay valid.
func FixDates(pdf []byte, created time.Time) []byte {
	// The information dictionary follows the last stream; binary streams are not searched.
	start := bytes.LastIndex(pdf, []byte("endstream"))
	if start < 0 {
		start = 0
	}
	stamp := "D:" + created.UTC().Format("20060102150405")
	tail := infoDate.ReplaceAllFunc(pdf[start:], func(m []byte) []byte {
		if created.IsZero() {
			return bytes.Repeat([]byte(" "), len(m))
		}
		return append(bytes.Clone(m[:len(m)-len(stamp)-1]), stamp+")"...)
	})
	return append(pdf[:start:start], tail...)
}
