package invoicepdf

import (
	"math"
	"strconv"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

const (
	footGap  = 3.0  // between a page's content and its footer
	minSplit = 15.0 // a page with less room left starts the next block on a new page
	eps      = 1e-6
)

// capacity is the height of a page's content, the footer and the margins for
// rounding set aside.
func capacity(foot *block) float64 {
	return bodyHeight - guard - slack - footGap - foot.height
}

// paginate shares the blocks out among pages. A block that does not fit goes to the
// next page, with the blocks it must keep with; one taller than a page is split between
// its lines; a page that continues the lines table starts with the table's header.
func (l *layout) paginate(bs []*block, foot *block) [][]*block {
	room := capacity(foot)
	var (
		pages  [][]*block
		cur    []*block
		y      float64
		fresh  = true // the page holds nothing, or only a repeated header
		header *block
	)
	place := func(b *block) {
		cur = append(cur, b)
		y += b.height
		fresh = false
	}
	newPage := func(next *block) {
		pages = append(pages, cur)
		cur, y, fresh = nil, 0, true
		if next.table && header != nil {
			cur, y = append(cur, header), header.height
		}
	}
	headerHeight := func(b *block) float64 {
		if b.table && header != nil {
			return header.height
		}
		return 0
	}
	for q := bs; len(q) > 0; {
		b := q[0]
		avail := room - y
		switch {
		case b.spacer:
			if !fresh && b.height <= avail+eps {
				place(b)
			}
			q = q[1:]
		case needed(q) <= avail+eps || fresh && b.height <= avail+eps:
			if b.head {
				header = b
			}
			place(b)
			q = q[1:]
		case !fresh && (b.height <= room-headerHeight(b)+eps || avail < minSplit):
			newPage(b)
		default: // taller than a page: split it at the room left
			first, rest := b.split(avail)
			if first == nil {
				if !fresh {
					newPage(b)
					continue
				}
				place(b) // not one line fits an empty page: cannot happen with the limits
				q = q[1:]
				continue
			}
			place(first)
			q[0] = rest
			newPage(rest)
		}
	}
	return append(pages, cur)
}

// needed is the height the first block needs on its page: its own and, while it is
// to keep with the next, the next's, down to the first line of the last one.
func needed(q []*block) float64 {
	h := q[0].height
	for i := 0; q[i].keepNext && i+1 < len(q); i++ {
		next := q[i+1]
		if !next.keepNext || i+2 == len(q) {
			return h + next.firstLine()
		}
		h += next.height
	}
	return h
}

// firstLine is the height of the block down to the end of its first line of text.
func (b *block) firstLine() float64 {
	h := math.Inf(1)
	for _, c := range b.cols {
		for _, l := range c.lines {
			h = math.Min(h, l.bottom())
		}
	}
	if math.IsInf(h, 1) {
		return b.height
	}
	return math.Min(h+b.padBot, b.height)
}

// split cuts the block into what fits in height h and the rest, between lines of
// text: a line that would cross the cut goes to the rest whole, in every column.
// It returns nil when no line fits, or all do.
func (b *block) split(h float64) (*block, *block) {
	cut := h - b.padBot
	first, rest := *b, *b
	first.cols, rest.cols = make([]column, len(b.cols)), make([]column, len(b.cols))
	firstBottom, restTop := 0.0, math.Inf(1)
	for i, c := range b.cols {
		first.cols[i], rest.cols[i] = column{width: c.width, ruleOn: c.ruleOn}, column{width: c.width}
		for _, l := range c.lines {
			if l.bottom() <= cut+eps {
				first.cols[i].lines = append(first.cols[i].lines, l)
				firstBottom = math.Max(firstBottom, l.bottom())
			} else {
				rest.cols[i].lines = append(rest.cols[i].lines, l)
				restTop = math.Min(restTop, l.top)
			}
		}
	}
	if firstBottom == 0 || math.IsInf(restTop, 1) {
		return nil, nil
	}
	first.height = firstBottom + b.padBot
	first.keepNext = false
	shift := restTop - b.padTop
	for i := range rest.cols {
		for j := range rest.cols[i].lines {
			rest.cols[i].lines[j].top -= shift
		}
	}
	rest.height = b.height - shift
	return &first, &rest
}

// page turns one page's blocks into a maroto page: the blocks, the space left, and
// the footer with the page numbers when there are several pages.
func (l *layout) page(bs []*block, foot *block, n, total int) core.Page {
	var rows []core.Row
	used := 0.0
	for i, b := range bs {
		rows = append(rows, b.row(b.style(i == 0 || !bs[i-1].box, i+1 == len(bs) || !bs[i+1].box)))
		used += b.height
	}
	if space := capacity(foot) - used + footGap; space > eps {
		rows = append(rows, row.New(space).Add(col.New()))
	}
	f := *foot
	f.cols = append([]column(nil), foot.cols...)
	if total == 1 && len(f.cols[0].lines) == 0 {
		return page.New().Add(rows...) // neither footer nor page numbers
	}
	if total > 1 {
		last := len(f.cols) - 1
		f.cols[last].lines = []line{{
			text: strconv.Itoa(n) + " / " + strconv.Itoa(total), face: l.foot, align: align.Right, top: f.padTop,
		}}
	}
	rows = append(rows, f.row(&props.Cell{BorderType: border.Top, BorderColor: rule, BorderThickness: 0.2}))
	return page.New().Add(rows...)
}

// style is the row's background and borders; a row of the payment box is framed at
// the top when it opens the box on its page and at the bottom when it closes it.
func (b *block) style(opens, closes bool) *props.Cell {
	switch {
	case b.box:
		bt := border.Left | border.Right
		if opens {
			bt |= border.Top
		}
		if closes {
			bt |= border.Bottom
		}
		return &props.Cell{BackgroundColor: b.fill, BorderType: bt, BorderColor: rule, BorderThickness: 0.25}
	case b.rule:
		return &props.Cell{BackgroundColor: b.fill, BorderType: border.Bottom, BorderColor: rule, BorderThickness: 0.2}
	case b.fill != nil:
		return &props.Cell{BackgroundColor: b.fill}
	}
	return nil
}

// row is the block as a maroto row of its fixed height, each line of text a
// component placed at its offset, the columns in tenths of a millimetre.
func (b *block) row(style *props.Cell) core.Row {
	cols := make([]core.Col, 0, len(b.cols))
	x, start := 0.0, 0
	for _, c := range b.cols {
		x += c.width
		end := min(int(math.Round(x*10)), gridSize)
		mc := col.New(end - start)
		start = end
		for _, l := range c.lines {
			mc.Add(text.New(l.text, props.Text{
				Family: family, Style: l.face.style, Size: l.face.size, Color: l.face.color,
				Align: l.align, Top: l.top, Left: padX, Right: padX,
			}))
		}
		if c.ruleOn && style == nil {
			mc.WithStyle(&props.Cell{BorderType: border.Top, BorderColor: dark, BorderThickness: 0.3})
		}
		cols = append(cols, mc)
	}
	r := row.New(b.height).Add(cols...)
	if style != nil {
		r.WithStyle(style)
	}
	return r
}
