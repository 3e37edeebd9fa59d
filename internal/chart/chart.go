// Package chart renders small, accessible SVG charts on the server.
//
// The output is meant to be embedded inline in an HTML page served under a
// strict Content-Security-Policy (style-src 'self', no scripts). It therefore
// uses only SVG presentation attributes (fill, stroke, font-size and so on)
// and CSS classes, never a style attribute, and contains no script. A site
// stylesheet can restyle every element through its class, for instance for a
// dark theme, because CSS rules take precedence over presentation attributes.
//
// The charts do not rely on colour alone: each series has its own fill
// treatment (solid, outlined, hatched) that the legend repeats. The root
// element has role="img" and is named and described by its <title> and
// <desc>. Each bar carries a <title> with the month, the series and the
// formatted amount, which browsers show as a tooltip. Screen readers read
// the chart as one image, so a page should also offer the numbers as a table;
// Table renders one from the same input.
package chart

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxMonths is the largest number of months Bars and Table accept.
const MaxMonths = 120

// MaxAmount is the largest amount, in minor units, that a single field of a
// Month may hold. It keeps every sum and every axis value far from the limits
// of int64 whatever the number of decimals of the currency.
const MaxAmount int64 = 1_000_000_000_000_000_000

// Default viewBox size used when Options.Width or Options.Height is zero.
const (
	DefaultWidth  = 640
	DefaultHeight = 320
)

// Limits on the viewBox size given in Options.
const (
	MinWidth  = 240
	MinHeight = 160
	MaxSize   = 4000
)

// Month holds the money of one month. Amounts are in minor units of the
// currency (cents for the euro, yen for the yen, fils for the dinar) and are
// never negative. Received is money paid, Due is money owed but not yet late
// and Overdue is money owed past its due date.
type Month struct {
	Label                  string
	Received, Due, Overdue int64
}

// Options holds the texts and the size of a chart. Every text must already be
// translated; the package escapes them but never alters their words.
type Options struct {
	// Title names the chart. It is required.
	Title string
	// Desc describes the chart in a sentence or two. It is optional.
	Desc string
	// Series holds the legend names of the received, due and overdue
	// series, in that order. All three are required.
	Series [3]string
	// Format renders an amount in minor units in the reader's currency
	// format, for example "1 234,50 €". It is required. It is called for
	// the axis values, which are always whole multiples of a nice step in
	// minor units, and for every amount shown in a title.
	Format func(minor int64) string
	// Width and Height give the size of the viewBox. A zero value selects
	// DefaultWidth or DefaultHeight. The SVG has no width or height
	// attribute, so it scales to the width of its container.
	Width, Height int
}

// Series indexes, in the order of Options.Series.
const (
	received = iota
	due
	overdue
)

// Colours of the series. Received is a solid blue, due a light amber with a
// dark outline and overdue a red hatching with a red outline, so that the
// three series differ in pattern as well as in hue, and each has a fill or
// an outline with a contrast of at least 3:1 against a white background.
const (
	colReceived    = "#1d5fa0"
	colDue         = "#f3c16b"
	colDueStroke   = "#7a4f00"
	colOverdue     = "#b3261e"
	colOverdueBack = "#fbe1de"
	colText        = "#333333"
	colGrid        = "#d9d9d9"
	colAxis        = "#555555"
	fontFamily     = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
)

// Layout, in hundredths of a unit. Text widths are estimated from the
// number of characters, as the server cannot measure the reader's font.
const (
	fontSize        = 12 * px
	outerPad        = 8 * px
	rightPad        = 10 * px
	tickLabelGap    = 6 * px
	legendRow       = 20 * px
	legendSwatch    = 12 * px
	legendTextGap   = 6 * px
	legendItemGap   = 18 * px
	maxBarWidth     = 40 * px
	minPlotHeight   = 20 * px
	labelSpacingTen = 13   // rotated labels need 1.3 font sizes between them
	sqrtHalfTenThou = 7071 // sin 45° in ten-thousandths
)

const (
	idPlaceholder = "\x00id\x00" // replaced by the id prefix; cannot occur in escaped text
	ellipsis      = "…"
)

// px is one SVG user unit. Coordinates are computed as integers in
// hundredths of a unit so that the output is exact and the same on every
// platform.
const px = 100

// Bars renders a bar chart of money per month as an inline SVG element.
//
// Each month shows two bars side by side: received money on the left and, on
// the right, one stacked bar of due money at the bottom with overdue money on
// top. Stacking due and overdue makes the height of the right bar the whole
// amount still owed, which the reader compares directly with what was
// received, while the hatched top segment shows how much of it is late.
// Grouping all three series would hide that total, and stacking all three
// would add received and owed money, which means nothing.
//
// The y axis has three to five gridlines at multiples of 1, 2, 2.5 or 5 times
// a power of ten in minor units, which stays a round number in major units
// whatever the number of decimals of the currency. With no month or only
// zero amounts the chart is empty and has a single gridline at zero.
// Amounts of zero draw no bar. Month labels that do not fit are rotated,
// and thinned out or shortened with an ellipsis if needed; the full label
// stays in the bar titles.
//
// Bars returns an error for a negative amount, an amount above MaxAmount,
// more than MaxMonths months, a missing title, series name or Format, or a
// size out of range. The same input always gives the same bytes. Element ids
// are derived from the content, so two identical charts on one page share
// ids, which is harmless as their content is the same.
func Bars(months []Month, opt Options) (template.HTML, error) {
	w, h, err := check(months, &opt)
	if err != nil {
		return "", err
	}

	var peak int64
	for _, m := range months {
		peak = max(peak, m.Received, m.Due+m.Overdue)
	}
	step, intervals := niceScale(peak)
	top := step * int64(intervals)
	ticks := make([]string, intervals+1)
	var tickW int64
	for i := range ticks {
		ticks[i] = opt.Format(step * int64(i))
		tickW = max(tickW, textWidth(ticks[i]))
	}

	// Horizontal layout.
	left := clamp(outerPad+tickW+tickLabelGap, 24*px, w/2)
	right := w - rightPad
	plotW := right - left

	// Legend, at the top, wrapped over as many rows as needed.
	type legendItem struct {
		x, y  int64
		text  string
		title string
	}
	var legend [3]legendItem
	rows := int64(1)
	x := left
	for i, name := range opt.Series {
		avail := right - left - legendSwatch - legendTextGap
		text := truncate(name, avail)
		itemW := legendSwatch + legendTextGap + textWidth(text)
		if x > left && x+itemW > right {
			rows++
			x = left
		}
		legend[i] = legendItem{x: x, y: outerPad + (rows-1)*legendRow, text: text}
		if text != name {
			legend[i].title = name
		}
		x += itemW + legendItemGap
	}
	plotTop := outerPad + rows*legendRow + 8*px

	// Month labels along the x axis.
	n := int64(len(months))
	var groupW, labelW int64
	if n > 0 {
		groupW = plotW / n
	}
	for _, m := range months {
		labelW = max(labelW, textWidth(m.Label))
	}
	rotate := n > 0 && labelW > groupW*9/10
	labelEvery := int64(1)
	var bottom, maxLabelW int64
	if rotate {
		// Rotated labels run down and to the left of their month and
		// take at most 35% of the height.
		maxLabelW = min(labelW, (h*35/100-fontSize-14*px)*10000/sqrtHalfTenThou)
		bottom = maxLabelW*sqrtHalfTenThou/10000 + fontSize + 14*px
		need := int64(fontSize * labelSpacingTen / 10)
		if groupW > 0 && groupW < need {
			labelEvery = (need + groupW - 1) / groupW
		}
	} else {
		bottom = fontSize + 14*px
		maxLabelW = groupW
	}
	baseline := h - bottom
	plotH := baseline - plotTop
	if plotH < minPlotHeight {
		return "", fmt.Errorf("chart: a %d×%d view box leaves no room for the bars", opt.Width, opt.Height)
	}
	scale := func(v int64) int64 { return scaleTo(v, plotH, top) }

	var b strings.Builder
	b.Grow(2048 + len(months)*600)
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" viewBox="0 0 `)
	num(&b, w)
	b.WriteByte(' ')
	num(&b, h)
	b.WriteString(`" role="img" aria-labelledby="` + idPlaceholder + `-t"`)
	if opt.Desc != "" {
		b.WriteString(` aria-describedby="` + idPlaceholder + `-d"`)
	}
	b.WriteString(` font-family="`)
	esc(&b, fontFamily)
	b.WriteString(`" font-size="`)
	num(&b, fontSize)
	b.WriteString(`" fill="` + colText + `">`)
	b.WriteString(`<title id="` + idPlaceholder + `-t">`)
	esc(&b, opt.Title)
	b.WriteString(`</title>`)
	if opt.Desc != "" {
		b.WriteString(`<desc id="` + idPlaceholder + `-d">`)
		esc(&b, opt.Desc)
		b.WriteString(`</desc>`)
	}
	b.WriteString(`<defs><pattern id="` + idPlaceholder + `-p" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect width="6" height="6" fill="` + colOverdueBack + `"/>` +
		`<line x1="1.5" y1="0" x2="1.5" y2="6" stroke="` + colOverdue + `" stroke-width="3"/></pattern></defs>`)

	// Gridlines and their values.
	b.WriteString(`<g class="chart-grid">`)
	for i, label := range ticks {
		y := baseline - scale(step*int64(i))
		b.WriteString(`<line class="chart-gridline" x1="`)
		num(&b, left)
		b.WriteString(`" y1="`)
		num(&b, y)
		b.WriteString(`" x2="`)
		num(&b, right)
		b.WriteString(`" y2="`)
		num(&b, y)
		b.WriteString(`" stroke="` + colGrid + `" stroke-width="1"/>`)
		b.WriteString(`<text class="chart-tick" x="`)
		num(&b, left-tickLabelGap)
		b.WriteString(`" y="`)
		num(&b, y+fontSize*35/100)
		b.WriteString(`" text-anchor="end">`)
		esc(&b, label)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)

	// Bars.
	const (
		duePaint         = `fill="` + colDue + `" stroke="` + colDueStroke + `" stroke-width="1"`
		duePaintThin     = `fill="` + colDue + `" stroke="` + colDueStroke + `" stroke-width="0.3"`
		overduePaint     = `fill="url(#` + idPlaceholder + `-p)" stroke="` + colOverdue + `" stroke-width="1"`
		overduePaintThin = `fill="url(#` + idPlaceholder + `-p)" stroke="` + colOverdue + `" stroke-width="0.3"`
	)
	b.WriteString(`<g class="chart-data">`)
	for i, m := range months {
		gx0 := left + int64(i)*plotW/n
		gx1 := left + int64(i+1)*plotW/n
		gw := gx1 - gx0
		barW := min(gw*35/100, maxBarWidth)
		gap := min(gw*5/100, 4*px)
		x0 := gx0 + (gw-2*barW-gap)/2
		x1 := x0 + barW + gap
		dueP, overdueP := duePaint, overduePaint
		if barW < 4*px {
			// A full outline would hide the fill of very thin bars.
			dueP, overdueP = duePaintThin, overduePaintThin
		}
		b.WriteString(`<g class="chart-month">`)
		if m.Received > 0 {
			hr := scale(m.Received)
			bar(&b, "chart-received", x0, baseline-hr, barW, hr,
				`fill="`+colReceived+`"`, m.Label, opt.Series[received], opt.Format(m.Received))
		}
		hd := scale(m.Due)
		if m.Due > 0 {
			bar(&b, "chart-due", x1, baseline-hd, barW, hd,
				dueP, m.Label, opt.Series[due], opt.Format(m.Due))
		}
		if m.Overdue > 0 {
			// The top of the stack is placed from the scaled total so that
			// rounding never makes the stack taller or shorter than the sum.
			ht := scale(m.Due + m.Overdue)
			bar(&b, "chart-overdue", x1, baseline-ht, barW, ht-hd,
				overdueP, m.Label, opt.Series[overdue], opt.Format(m.Overdue))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</g>`)

	// The x axis and the month labels.
	b.WriteString(`<g class="chart-axis"><line class="chart-baseline" x1="`)
	num(&b, left)
	b.WriteString(`" y1="`)
	num(&b, baseline)
	b.WriteString(`" x2="`)
	num(&b, right)
	b.WriteString(`" y2="`)
	num(&b, baseline)
	b.WriteString(`" stroke="` + colAxis + `" stroke-width="1"/>`)
	for i, m := range months {
		if int64(i)%labelEvery != 0 {
			continue
		}
		cx := left + (int64(2*i+1)*plotW)/(2*n)
		limit := maxLabelW
		if rotate {
			// Keep the first labels inside the left edge.
			limit = min(limit, (cx-4*px)*10000/sqrtHalfTenThou)
		}
		text := truncate(m.Label, limit)
		b.WriteString(`<text class="chart-label" x="`)
		var lx, ly int64
		if rotate {
			lx, ly = cx+fontSize*3/10, baseline+8*px
		} else {
			lx, ly = cx, baseline+6*px+fontSize
		}
		num(&b, lx)
		b.WriteString(`" y="`)
		num(&b, ly)
		if rotate {
			b.WriteString(`" text-anchor="end" transform="rotate(-45 `)
			num(&b, lx)
			b.WriteByte(' ')
			num(&b, ly)
			b.WriteString(`)">`)
		} else {
			b.WriteString(`" text-anchor="middle">`)
		}
		if text != m.Label {
			b.WriteString(`<title>`)
			esc(&b, m.Label)
			b.WriteString(`</title>`)
		}
		esc(&b, text)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g>`)

	// The legend repeats the fill treatment of each series.
	b.WriteString(`<g class="chart-legend">`)
	swatch := [3]string{
		`class="chart-received" fill="` + colReceived + `"`,
		`class="chart-due" ` + duePaint,
		`class="chart-overdue" ` + overduePaint,
	}
	for i, it := range legend {
		b.WriteString(`<rect ` + swatch[i] + ` x="`)
		num(&b, it.x)
		b.WriteString(`" y="`)
		num(&b, it.y+2*px)
		b.WriteString(`" width="`)
		num(&b, legendSwatch)
		b.WriteString(`" height="`)
		num(&b, legendSwatch)
		b.WriteString(`"/><text class="chart-legend-label" x="`)
		num(&b, it.x+legendSwatch+legendTextGap)
		b.WriteString(`" y="`)
		num(&b, it.y+2*px+legendSwatch*85/100)
		b.WriteString(`">`)
		if it.title != "" {
			b.WriteString(`<title>`)
			esc(&b, it.title)
			b.WriteString(`</title>`)
		}
		esc(&b, it.text)
		b.WriteString(`</text>`)
	}
	b.WriteString(`</g></svg>`)

	out := b.String()
	hash := fnv.New64a()
	hash.Write([]byte(out))
	id := "chart-" + strconv.FormatUint(hash.Sum64()>>16, 36)
	return template.HTML(strings.ReplaceAll(out, idPlaceholder, id)), nil
}

// bar writes one rect with its title.
func bar(b *strings.Builder, class string, x, y, w, h int64, paint, month, series, amount string) {
	b.WriteString(`<rect class="` + class + `" x="`)
	num(b, x)
	b.WriteString(`" y="`)
	num(b, y)
	b.WriteString(`" width="`)
	num(b, w)
	b.WriteString(`" height="`)
	num(b, h)
	b.WriteString(`" ` + paint + `><title>`)
	esc(b, month)
	b.WriteString(`, `)
	esc(b, series)
	b.WriteString(`: `)
	esc(b, amount)
	b.WriteString(`</title></rect>`)
}

// check validates the input and returns the viewBox size in hundredths of a
// unit.
func check(months []Month, opt *Options) (w, h int64, err error) {
	if len(months) > MaxMonths {
		return 0, 0, fmt.Errorf("chart: %d months, at most %d allowed", len(months), MaxMonths)
	}
	for i, m := range months {
		for _, v := range [3]int64{m.Received, m.Due, m.Overdue} {
			if v < 0 {
				return 0, 0, fmt.Errorf("chart: month %d (%q) has a negative amount %d", i, m.Label, v)
			}
			if v > MaxAmount {
				return 0, 0, fmt.Errorf("chart: month %d (%q) has an amount %d above %d", i, m.Label, v, MaxAmount)
			}
		}
	}
	if opt.Title == "" {
		return 0, 0, fmt.Errorf("chart: a title is required")
	}
	for i, s := range opt.Series {
		if s == "" {
			return 0, 0, fmt.Errorf("chart: series name %d is empty", i)
		}
	}
	if opt.Format == nil {
		return 0, 0, fmt.Errorf("chart: a Format function is required")
	}
	if opt.Width == 0 {
		opt.Width = DefaultWidth
	}
	if opt.Height == 0 {
		opt.Height = DefaultHeight
	}
	if opt.Width < MinWidth || opt.Width > MaxSize || opt.Height < MinHeight || opt.Height > MaxSize {
		return 0, 0, fmt.Errorf("chart: view box %d×%d out of range %d×%d to %d×%d",
			opt.Width, opt.Height, MinWidth, MinHeight, MaxSize, MaxSize)
	}
	return int64(opt.Width) * px, int64(opt.Height) * px, nil
}

// niceScale returns the gridline step and the number of intervals for an
// axis from zero to at least peak, both in minor units. The step is 1, 2, 2.5
// or 5 times a power of ten and the axis has two to four intervals, so three
// to five gridlines. A step of 2.5 is used only from 25 upward, to stay a
// whole number of minor units. For peak <= 0 it returns 0 and 0: a single
// gridline at zero.
func niceScale(peak int64) (step int64, intervals int) {
	if peak <= 0 {
		return 0, 0
	}
	for p := int64(1); ; p *= 10 {
		for _, tenths := range [4]int64{10, 20, 25, 50} {
			if tenths == 25 && p < 10 {
				continue
			}
			s := tenths * p / 10
			n := (peak-1)/s + 1 // ceil(peak/s) without overflow
			if n <= 4 {
				return s, int(max(n, 2))
			}
		}
		if p > (1<<63-1)/100 {
			// Unreachable for peak <= 2*MaxAmount; kept as a guard.
			return peak, 2
		}
	}
}

// scaleTo returns v*size/total rounded to the nearest integer, computed on
// 128 bits so that it cannot overflow. It returns 0 when total is 0. It
// requires 0 <= v <= total and size >= 0.
func scaleTo(v, size, total int64) int64 {
	if total <= 0 || v <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(v), uint64(size))
	q, r := bits.Div64(hi, lo, uint64(total))
	if 2*r >= uint64(total) {
		q++
	}
	return int64(q)
}

// num writes v, in hundredths of a unit, as a decimal number without
// trailing zeros.
func num(b *strings.Builder, v int64) {
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	b.WriteString(strconv.FormatInt(v/px, 10))
	if f := v % px; f != 0 {
		b.WriteByte('.')
		b.WriteByte(byte('0' + f/10))
		if f%10 != 0 {
			b.WriteByte(byte('0' + f%10))
		}
	}
}

// esc writes s escaped for XML text and attribute values. Characters that
// XML does not allow, and invalid UTF-8, become U+FFFD.
func esc(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\n':
			b.WriteString("&#xA;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\t':
			b.WriteString("&#x9;")
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// runeWidth estimates the advance of r in hundredths of a unit at the chart
// font size: 0.6 em for most scripts, 1 em for wide East Asian characters.
func runeWidth(r rune) int64 {
	if r >= 0x1100 && (r <= 0x115F || r >= 0x2E80 && r <= 0xA4CF || r >= 0xAC00 && r <= 0xD7A3 ||
		r >= 0xF900 && r <= 0xFAFF || r >= 0xFE30 && r <= 0xFE4F || r >= 0xFF00 && r <= 0xFF60 ||
		r >= 0xFFE0 && r <= 0xFFE6 || r >= 0x1F300 && r <= 0x1FAFF || r >= 0x20000 && r <= 0x3FFFD) {
		return fontSize
	}
	return fontSize * 6 / 10
}

// textWidth estimates the width of s in hundredths of a unit.
func textWidth(s string) int64 {
	var w int64
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// truncate shortens s with an ellipsis so that its estimated width is at
// most maxW. It returns s unchanged when it fits.
func truncate(s string, maxW int64) string {
	if textWidth(s) <= maxW {
		return s
	}
	limit := maxW - textWidth(ellipsis)
	var w int64
	for i, r := range s {
		w += runeWidth(r)
		if w > limit {
			return strings.TrimSpace(s[:i]) + ellipsis
		}
	}
	return s
}

func clamp(v, lo, hi int64) int64 {
	return max(lo, min(v, hi))
}
