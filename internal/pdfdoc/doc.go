// Package pdfdoc renders a simple structured document (a title, sections of rows and
// paragraphs, a footer) to PDF, with fonts that cover Latin and Cyrillic.
package pdfdoc

import (
	"fmt"
	"time"

	"github.com/accordapp/accord/internal/pdffont"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/core"
)

// Doc is a document to render.
type Doc struct {
	Title    string
	Subtitle []string // lines under the title, e.g. the parties and dates
	Sections []Section
	Footer   string    // printed on every page, followed by "page N / M"
	Created  time.Time // the PDF creation date; zero leaves the date out, so output is reproducible
}

// Section is a heading followed by its paragraphs and then its rows.
type Section struct {
	Heading string
	Text    []string // paragraphs, wrapped to the page width; "\n" breaks a line
	Rows    []Row
	Widths  []int // grid columns (out of 12) per cell; empty shares the width equally
}

// Row is one line of a table; its cells wrap within their columns.
type Row struct {
	Cells []string
	Mono  bool // set in the monospace font, e.g. for hashes
}

// gridSize is maroto's grid: a page is 12 columns wide.
const gridSize = 12

// Render lays out d on A4 pages and returns the PDF.
func Render(d Doc) ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(d)
	if err != nil {
		return nil, err
	}
	l, err := newLayout()
	if err != nil {
		return nil, err
	}
	m := maroto.New(cfg)
	if err := m.RegisterFooter(pageGuard()); err != nil {
		return nil, fmt.Errorf("pdfdoc: %w", err)
	}
	m.AddRows(l.header(d)...)
	for _, s := range d.Sections {
		m.AddRows(l.section(s)...)
	}
	out, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("pdfdoc: generating %q: %w", d.Title, err)
	}
	return pdffont.FixDates(out.GetBytes(), d.Created), nil
}

// pageGuard is an invisible footer, a sliver tall, that keeps a page's last row clear of
// the bottom margin. maroto fills a page while rows fit to the millimetre, but it leaves
// the page break to gofpdf, which breaks when a row passes the margin by a rounding
// error; then every later page number lands a page late and a blank page is added.
// With no columns the guard only moves the cursor, which never breaks a page.
func pageGuard() core.Row { return row.New(0.01) }

func (d Doc) validate() error {
	for _, s := range d.Sections {
		for i, r := range s.Rows {
			if _, err := spans(s.Widths, len(r.Cells)); err != nil {
				return fmt.Errorf("pdfdoc: section %q, row %d: %w", s.Heading, i+1, err)
			}
		}
	}
	return nil
}

// spans returns the grid columns of each of n cells, from widths or shared equally.
func spans(widths []int, n int) ([]int, error) {
	if n == 0 {
		return nil, fmt.Errorf("a row needs at least one cell")
	}
	if len(widths) == 0 {
		return equalSpans(n)
	}
	if len(widths) != n {
		return nil, fmt.Errorf("%d cells but %d widths; give one width per cell", n, len(widths))
	}
	sum := 0
	for _, w := range widths {
		if w < 1 {
			return nil, fmt.Errorf("width %d is below 1 grid column", w)
		}
		sum += w
	}
	if sum > gridSize {
		return nil, fmt.Errorf("widths add up to %d; they must add up to %d or less", sum, gridSize)
	}
	return widths, nil
}

// equalSpans shares the grid among n cells, the remainder going to the last cell.
func equalSpans(n int) ([]int, error) {
	if n > gridSize {
		return nil, fmt.Errorf("%d cells do not fit the %d grid columns", n, gridSize)
	}
	s := make([]int, n)
	for i := range s {
		s[i] = gridSize / n
	}
	s[n-1] += gridSize % n
	return s, nil
}
