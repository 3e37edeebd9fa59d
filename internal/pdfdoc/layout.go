package pdfdoc

import (
	"strings"

	"github.com/accordapp/accord/internal/pdffont"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// The page: A4 in millimetres, with the footer drawn inside the bottom margin.
const (
	pageWidth    = 210.0
	marginSide   = 15.0
	marginTop    = 15.0
	marginBottom = 20.0
	contentWidth = pageWidth - 2*marginSide
	cellPad      = 1.0
	// fitShare leaves room for rounding between our metrics and gofpdf's.
	fitShare = 0.97
)

var (
	black  = &props.Color{}
	grey   = &props.Color{Red: 90, Green: 90, Blue: 90}
	stripe = &props.Color{Red: 242, Green: 242, Blue: 242}
)

// face is one font at one size: what maroto needs to draw it and wrap needs to measure it.
type face struct {
	family string
	style  fontstyle.Type
	size   float64 // points
	color  *props.Color
	m      *pdffont.Metrics
}

func (f face) width(s string) float64 { return f.m.Width(s, f.size) }

func (f face) text(top, bottom, side float64) props.Text {
	return props.Text{
		Family: f.family, Style: f.style, Size: f.size, Color: f.color,
		Top: top, Bottom: bottom, Left: side, Right: side,
	}
}

// layout holds the faces of one render; metrics cache widths and are not shared.
type layout struct {
	title, subtitle, heading, body, cell, mono face
}

func newLayout() (*layout, error) {
	regular, err := newMetrics("regular")
	if err != nil {
		return nil, err
	}
	bold, err := newMetrics("bold")
	if err != nil {
		return nil, err
	}
	mono, err := newMetrics("mono")
	if err != nil {
		return nil, err
	}
	return &layout{
		title:    face{familySans, fontstyle.Bold, 16, black, bold},
		subtitle: face{familySans, fontstyle.Normal, 10, grey, regular},
		heading:  face{familySans, fontstyle.Bold, 12, black, bold},
		body:     face{familySans, fontstyle.Normal, 10, black, regular},
		cell:     face{familySans, fontstyle.Normal, 9, black, regular},
		mono:     face{familyMono, fontstyle.Normal, 8, black, mono},
	}, nil
}

// header is the title, the subtitle lines and a rule under them.
func (l *layout) header(d Doc) []core.Row {
	var rows []core.Row
	if d.Title != "" {
		rows = append(rows, l.block(d.Title, l.title, 0, 2))
	}
	for _, s := range d.Subtitle {
		rows = append(rows, l.block(s, l.subtitle, 0, 0.8))
	}
	return append(rows, line.NewRow(5, props.Line{Color: grey, Thickness: 0.3, SizePercent: 100}))
}

// section is the heading, each paragraph line as its own row so that a long
// paragraph flows across pages, and then the table rows.
func (l *layout) section(s Section) []core.Row {
	var rows []core.Row
	if s.Heading != "" {
		rows = append(rows, l.block(s.Heading, l.heading, 4, 2))
	}
	for _, p := range s.Text {
		lines := wrap(p, contentWidth*fitShare, l.body)
		for i, ln := range lines {
			bottom := 0.6
			if i == len(lines)-1 {
				bottom = 2.5
			}
			rows = append(rows, text.NewAutoRow(ln, l.body.text(0, bottom, 0)))
		}
	}
	for i, r := range s.Rows {
		rows = append(rows, l.tableRow(r, s.Widths, i%2 == 1))
	}
	return rows
}

// block is a full-width row of text that maroto wraps at spaces.
func (l *layout) block(s string, f face, top, bottom float64) core.Row {
	return text.NewAutoRow(fitWords(s, contentWidth, f), f.text(top, bottom, 0))
}

func (l *layout) tableRow(r Row, widths []int, striped bool) core.Row {
	f := l.cell
	if r.Mono {
		f = l.mono
	}
	spans, _ := spans(widths, len(r.Cells)) // checked by Doc.validate
	cols := make([]core.Col, len(r.Cells))
	for i, c := range r.Cells {
		width := contentWidth*float64(spans[i])/gridSize - 2*cellPad
		cols[i] = col.New(spans[i]).Add(text.New(fitWords(c, width, f), f.text(cellPad, cellPad, cellPad)))
	}
	out := row.New().Add(cols...)
	if striped {
		out.WithStyle(&props.Cell{BackgroundColor: stripe})
	}
	return out
}

// fitWords breaks words too wide for width, leaving maroto to wrap at the spaces;
// maroto itself would let such a word run past its column.
func fitWords(s string, width float64, f face) string {
	return strings.Join(wrap(s, width*fitShare, f), " ")
}
