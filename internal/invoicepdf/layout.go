package invoicepdf

import (
	"math"

	"github.com/accordapp/accord/internal/pdffont"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

var (
	black    = &props.Color{}
	dark     = &props.Color{Red: 60, Green: 60, Blue: 60}
	grey     = &props.Color{Red: 105, Green: 105, Blue: 105}
	rule     = &props.Color{Red: 200, Green: 200, Blue: 200}
	headFill = &props.Color{Red: 238, Green: 238, Blue: 238}
	boxFill  = &props.Color{Red: 247, Green: 247, Blue: 247}
)

// Spacing, in millimetres.
const (
	padX       = 1.5  // either side of text in its column
	padY       = 1.2  // above and below the text of a table row
	gutter     = 8.0  // between the two parties
	minDesc    = 70.0 // the narrowest the description column gets
	sectionGap = 6.0  // between the parts of the document
	boxPad     = 2.0  // inside the payment box's frame
)

// A block is one maroto row of fixed height whose text is placed line by line, so its
// height is known before maroto sees it and the pages can be laid out here: maroto
// gives no way to measure a row, nor to repeat a header on the pages a table reaches.
type block struct {
	cols     []column
	height   float64
	padTop   float64
	padBot   float64
	spacer   bool // empty space between sections, dropped at the top of a page
	table    bool // a row of the lines table: a page break before it repeats the header
	head     bool // the header of the lines table
	keepNext bool // the block goes on the page where the next one starts
	box      bool // a row of the payment box, framed on each page it reaches
	fill     *props.Color
	rule     bool // a hairline under the row
}

// column is one column of a block: its width and its lines of text.
type column struct {
	width  float64 // millimetres
	lines  []line
	ruleOn bool // a rule over this column (the strong total)
}

// line is one line of text placed in its column.
type line struct {
	text  string
	face  face
	align align.Type
	top   float64 // from the block's top, in millimetres
}

func (l line) bottom() float64 { return l.top + l.face.lineHeight() }

// layout holds the faces of one render; their metrics cache widths and are not shared.
type layout struct {
	title, label, value, partyName, body, head, cell, total, strong, note, foot face
}

func newLayout() (*layout, error) {
	regular, err := newMetrics(fontstyle.Normal)
	if err != nil {
		return nil, err
	}
	bold, err := newMetrics(fontstyle.Bold)
	if err != nil {
		return nil, err
	}
	return &layout{
		title:     face{fontstyle.Bold, 17, black, bold},
		label:     face{fontstyle.Normal, 8.5, grey, regular},
		value:     face{fontstyle.Normal, 9.5, black, regular},
		partyName: face{fontstyle.Bold, 11, black, bold},
		body:      face{fontstyle.Normal, 9, black, regular},
		head:      face{fontstyle.Bold, 8.5, dark, bold},
		cell:      face{fontstyle.Normal, 9, black, regular},
		total:     face{fontstyle.Normal, 9.5, black, regular},
		strong:    face{fontstyle.Bold, 11, black, bold},
		note:      face{fontstyle.Normal, 8.5, dark, regular},
		foot:      face{fontstyle.Normal, 7.5, grey, regular},
	}, nil
}

// cell is a column under construction: texts are stacked down from its top.
type cell struct {
	width float64
	y     float64
	lines []line
}

// add wraps s to the column and stacks its lines; an empty s adds nothing.
func (c *cell) add(s string, f face, a align.Type) {
	if s == "" {
		return
	}
	for _, t := range wrap(s, c.width-2*padX, f) {
		c.lines = append(c.lines, line{text: t, face: f, align: a, top: c.y})
		c.y += f.lineHeight()
	}
}

// gap moves the column down by h millimetres, when it already holds text.
func (c *cell) gap(h float64) {
	if len(c.lines) > 0 {
		c.y += h
	}
}

// newBlock makes a block of cells started at padTop and padded padBot below the
// tallest; nil when no cell holds any text.
func newBlock(padTop, padBot float64, cells ...*cell) *block {
	b := &block{padTop: padTop, padBot: padBot}
	bottom, found := 0.0, false
	for _, c := range cells {
		col := column{width: c.width}
		for _, l := range c.lines {
			l.top += padTop
			col.lines = append(col.lines, l)
			bottom = math.Max(bottom, l.bottom())
			found = true
		}
		b.cols = append(b.cols, col)
	}
	if !found {
		return nil
	}
	b.height = bottom + padBot
	return b
}

// shift moves the block's text down by h, making the block taller.
func (b *block) shift(h float64) {
	for i := range b.cols {
		for j := range b.cols[i].lines {
			b.cols[i].lines[j].top += h
		}
	}
	b.height += h
}

func spacer(h float64) *block {
	return &block{spacer: true, height: h, cols: []column{{width: contentWidth}}}
}

// blocks lays out the whole document as a sequence of blocks, before pagination.
func (l *layout) blocks(d Doc) []*block {
	var bs []*block
	add := func(b ...*block) {
		for _, x := range b {
			if x != nil {
				bs = append(bs, x)
			}
		}
	}
	add(l.titleBlock(d.Title))
	add(l.fieldBlocks(d.Meta, l.label, l.value, contentWidth)...)
	add(spacer(sectionGap))
	add(l.parties(d))
	add(spacer(sectionGap))
	amountW := l.amountWidth(d)
	add(l.table(d, amountW)...)
	add(spacer(3))
	add(l.totals(d.Totals, amountW)...)
	add(spacer(sectionGap))
	add(l.payment(d)...)
	add(spacer(sectionGap - 2))
	for _, n := range d.Notes {
		c := &cell{width: contentWidth}
		c.add(n, l.note, align.Left)
		add(newBlock(0, 1.2, c))
	}
	// Merge spacers that end up side by side, from sections left out, into the larger;
	// drop those first and last.
	var out []*block
	for i, b := range bs {
		if b.spacer && i+1 < len(bs) && bs[i+1].spacer {
			bs[i+1].height = math.Max(bs[i+1].height, b.height)
			continue
		}
		if b.spacer && (i+1 == len(bs) || len(out) == 0) {
			continue
		}
		out = append(out, b)
	}
	return out
}

func (l *layout) titleBlock(title string) *block {
	c := &cell{width: contentWidth}
	c.add(title, l.title, align.Left)
	return newBlock(0, 2.5, c)
}

// fieldBlocks lays out label/value pairs as two columns, the labels as wide as the
// widest needs within limits; one block per pair so a long list flows across pages.
func (l *layout) fieldBlocks(fs []Field, lf, vf face, width float64) []*block {
	labelW := 0.0
	for _, f := range fs {
		labelW = math.Max(labelW, lf.width(f.Label))
	}
	labelW = clamp(labelW/fitShare+2*padX+3, 25, width*0.45)
	var bs []*block
	for _, f := range fs {
		lc, vc := &cell{width: labelW}, &cell{width: width - labelW}
		lc.y = baselineShift(lf, vf) // the label's first line on the value's baseline
		lc.add(f.Label, lf, align.Left)
		vc.add(f.Value, vf, align.Left)
		if b := newBlock(0.5, 0.5, lc, vc); b != nil {
			bs = append(bs, b)
		}
	}
	return bs
}

// parties sets the issuer and the recipient side by side.
func (l *layout) parties(d Doc) *block {
	w := (contentWidth - gutter) / 2
	party := func(label string, p Party) *cell {
		c := &cell{width: w}
		c.add(label, l.head, align.Left)
		c.gap(1)
		c.add(p.Name, l.partyName, align.Left)
		c.gap(0.6)
		for _, ln := range p.Lines {
			c.add(ln, l.body, align.Left)
		}
		return c
	}
	return newBlock(0, 1, party(d.FromLabel, d.From), &cell{width: gutter}, party(d.ToLabel, d.To))
}

// widths of the lines table: the three numeric columns as wide as their widest text
// needs within limits, the description the rest.
func (l *layout) widths(d Doc, amountW float64) [4]float64 {
	need := func(col int, min, max float64) float64 {
		w := l.head.width(d.Columns[col])
		for _, ln := range d.Lines {
			w = math.Max(w, l.cell.width([]string{"", ln.Quantity, ln.UnitPrice}[col]))
		}
		return clamp(w/fitShare+2*padX+0.5, min, max)
	}
	qty, unit := need(1, 16, 30), need(2, 22, 40)
	return [4]float64{contentWidth - qty - unit - amountW, qty, unit, amountW}
}

// amountWidth is the width of the amount column, which the totals share so that all
// amounts end on one edge.
func (l *layout) amountWidth(d Doc) float64 {
	w := l.head.width(d.Columns[3])
	for _, ln := range d.Lines {
		w = math.Max(w, l.cell.width(ln.Amount))
	}
	for _, t := range d.Totals {
		f := l.total
		if t.Strong {
			f = l.strong
		}
		w = math.Max(w, f.width(t.Amount))
	}
	return clamp(w/fitShare+2*padX+0.5, 24, contentWidth-minDesc-16-22)
}

func (l *layout) table(d Doc, amountW float64) []*block {
	if len(d.Lines) == 0 {
		return nil
	}
	ws := l.widths(d, amountW)
	aligns := [4]align.Type{align.Left, align.Right, align.Right, align.Right}
	row := func(texts [4]string, f face) *block {
		cells := make([]*cell, 4)
		for i := range cells {
			cells[i] = &cell{width: ws[i]}
			cells[i].add(texts[i], f, aligns[i])
		}
		return newBlock(padY, padY, cells...)
	}
	var bs []*block
	if h := row(d.Columns, l.head); h != nil {
		h.fill, h.keepNext, h.head = headFill, true, true
		h.height += 0.4
		bs = append(bs, h)
	}
	for _, ln := range d.Lines {
		b := row([4]string{ln.Description, ln.Quantity, ln.UnitPrice, ln.Amount}, l.cell)
		if b == nil { // a line with nothing in it still shows as a row
			b = &block{height: l.cell.lineHeight() + 2*padY, cols: []column{{width: contentWidth}}}
		}
		b.table, b.rule = true, true
		bs = append(bs, b)
	}
	return bs
}

// totals are right-aligned under the table, each label right before its amount.
func (l *layout) totals(ts []Total, amountW float64) []*block {
	labelW := 0.0
	for _, t := range ts {
		f := l.total
		if t.Strong {
			f = l.strong
		}
		labelW = math.Max(labelW, f.width(t.Label))
	}
	labelW = clamp(labelW/fitShare+2*padX+1, 45, contentWidth*0.75-amountW)
	var bs []*block
	for i, t := range ts {
		f, top := l.total, 0.6
		if t.Strong {
			f, top = l.strong, 1.6
		}
		lc, ac := &cell{width: labelW}, &cell{width: amountW}
		lc.add(t.Label, f, align.Right)
		ac.add(t.Amount, f, align.Right)
		b := newBlock(top, 0.6, &cell{width: contentWidth - labelW - amountW}, lc, ac)
		if b == nil {
			continue
		}
		if t.Strong {
			b.cols[1].ruleOn, b.cols[2].ruleOn = true, true
		}
		b.keepNext = i+1 < len(ts)
		bs = append(bs, b)
	}
	if len(bs) > 0 {
		bs[len(bs)-1].keepNext = false
	}
	return bs
}

// payment is the framed box of payment details, its heading first.
func (l *layout) payment(d Doc) []*block {
	inner := contentWidth - 2*boxPad
	var bs []*block
	if d.PaymentLabel != "" {
		c := &cell{width: inner}
		c.add(d.PaymentLabel, l.head, align.Left)
		b := newBlock(0.8, 0.8, c)
		b.keepNext = true
		bs = append(bs, b)
	}
	bs = append(bs, l.fieldBlocks(d.Payment, l.label, l.value, inner)...)
	if len(bs) == 0 {
		return nil
	}
	for _, b := range bs {
		// Indent the text inside the frame.
		b.cols = append([]column{{width: boxPad}}, append(b.cols, column{width: boxPad})...)
		b.box, b.fill = true, boxFill
	}
	bs[0].shift(boxPad - 0.5)
	bs[len(bs)-1].height += boxPad - 0.5
	return bs
}

// footer is the small print of every page; the page numbers are set beside it.
func (l *layout) footer(text string) *block {
	c := &cell{width: contentWidth - footNumberWidth}
	c.add(text, l.foot, align.Left)
	b := newBlock(1.5, 0, c, &cell{width: footNumberWidth})
	if b == nil { // no footer text: room for the page numbers alone
		b = &block{height: 1.5 + l.foot.lineHeight(), cols: []column{{width: contentWidth - footNumberWidth}, {width: footNumberWidth}}}
	}
	return b
}

// footNumberWidth is the column of "12 / 34", at the right of the footer.
const footNumberWidth = 22.0

// baselineShift is how much lower a line of small must start than one of big for the
// two to share a baseline: maroto sets a baseline one font size below a line's top.
func baselineShift(small, big face) float64 {
	return math.Max(0, (big.size-small.size)*pdffont.MMPerPoint)
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(v, hi)) }
