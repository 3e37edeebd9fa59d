package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// node is a generic XML element used to inspect the output.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []node     `xml:",any"`
	Text     string     `xml:",chardata"`
}

func (n node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n node) num(t *testing.T, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

// title returns the text of the first <title> child.
func (n node) title() string {
	for _, c := range n.Children {
		if c.XMLName.Local == "title" {
			return c.Text
		}
	}
	return ""
}

// walk calls f for n and all its descendants in document order.
func (n node) walk(f func(node)) {
	f(n)
	for _, c := range n.Children {
		c.walk(f)
	}
}

// find returns the descendants of n with the given element name and, if
// class is not empty, that class.
func (n node) find(name, class string) []node {
	var out []node
	n.walk(func(c node) {
		if c.XMLName.Local == name && (class == "" || c.attr("class") == class) {
			out = append(out, c)
		}
	})
	return out
}

// parse checks that s is well-formed XML with a strict decoder and returns
// its root element.
func parse(t *testing.T, s string) node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("output is not well-formed XML: %v\n%s", err, s)
		}
	}
	var root node
	if err := xml.Unmarshal([]byte(s), &root); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return root
}

// euro formats minor units as a euro amount with two decimals, a space as
// thousands separator and a decimal comma, like "1 234,50 €".
func euro(minor int64) string { return decimal(minor, 2) + " €" }

// decimal formats minor units with the given number of decimals.
func decimal(minor int64, decimals int) string {
	s := strconv.FormatInt(minor, 10)
	if decimals > 0 {
		for len(s) <= decimals {
			s = "0" + s
		}
		s, frac := s[:len(s)-decimals], s[len(s)-decimals:]
		return group(s) + "," + frac
	}
	return group(s)
}

func group(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func options() Options {
	return Options{
		Title:  "Money per month",
		Desc:   "Received, due and overdue money for each month.",
		Series: [3]string{"Received", "Due", "Overdue"},
		Format: euro,
	}
}

func render(t *testing.T, months []Month, opt Options) (string, node) {
	t.Helper()
	out, err := Bars(months, opt)
	if err != nil {
		t.Fatalf("Bars: %v", err)
	}
	return string(out), parse(t, string(out))
}

func year(n int) []Month {
	names := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	months := make([]Month, n)
	for i := range months {
		months[i] = Month{
			Label:    fmt.Sprintf("%s %d", names[i%12], 2024+i/12),
			Received: int64(100000 + 37000*(i%7)),
			Due:      int64(20000 * (i % 4)),
			Overdue:  int64(15000 * (i % 3)),
		}
	}
	return months
}

func TestAccessibleStructure(t *testing.T) {
	months := year(3)
	_, root := render(t, months, options())
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root is %v, want an SVG element", root.XMLName)
	}
	if root.attr("role") != "img" {
		t.Errorf("role = %q, want img", root.attr("role"))
	}
	if root.attr("viewBox") != "0 0 640 320" {
		t.Errorf("viewBox = %q", root.attr("viewBox"))
	}
	if len(root.Children) < 2 || root.Children[0].XMLName.Local != "title" || root.Children[1].XMLName.Local != "desc" {
		t.Fatalf("the first children must be <title> and <desc>")
	}
	title, desc := root.Children[0], root.Children[1]
	if title.Text != "Money per month" || desc.Text != options().Desc {
		t.Errorf("title %q, desc %q", title.Text, desc.Text)
	}
	if root.attr("aria-labelledby") != title.attr("id") || title.attr("id") == "" {
		t.Errorf("aria-labelledby %q does not name the title %q", root.attr("aria-labelledby"), title.attr("id"))
	}
	if root.attr("aria-describedby") != desc.attr("id") || desc.attr("id") == "" {
		t.Errorf("aria-describedby %q does not name the desc %q", root.attr("aria-describedby"), desc.attr("id"))
	}

	// Every bar has a title with month, series and formatted amount.
	classes := [3]string{"chart-received", "chart-due", "chart-overdue"}
	var bars int
	for _, m := range months {
		for s, v := range [3]int64{m.Received, m.Due, m.Overdue} {
			want := fmt.Sprintf("%s, %s: %s", m.Label, options().Series[s], euro(v))
			found := false
			for _, r := range root.find("rect", classes[s]) {
				if r.title() == want {
					found = true
				}
			}
			if found != (v > 0) {
				t.Errorf("bar titled %q: found %v, amount %d", want, found, v)
			}
			if v > 0 {
				bars++
			}
		}
	}
	var data []node
	for _, g := range root.find("g", "chart-data") {
		data = append(data, g.find("rect", "")...)
	}
	if len(data) != bars {
		t.Errorf("%d bars drawn, want %d", len(data), bars)
	}
	for _, r := range data {
		if r.title() == "" {
			t.Errorf("bar %v has no title", r.Attrs)
		}
	}

	// The legend names all series and repeats their fills.
	legend := root.find("g", "chart-legend")
	if len(legend) != 1 {
		t.Fatalf("%d legends", len(legend))
	}
	var names []string
	for _, txt := range legend[0].find("text", "") {
		names = append(names, txt.Text)
	}
	if strings.Join(names, "|") != "Received|Due|Overdue" {
		t.Errorf("legend %q", names)
	}
	for _, c := range classes {
		sw := legend[0].find("rect", c)
		bar := root.find("rect", c)[0]
		if len(sw) != 1 || sw[0].attr("fill") != bar.attr("fill") {
			t.Errorf("legend swatch for %s does not match the bars", c)
		}
	}
	// The overdue bars are hatched, not told apart by colour alone.
	if f := root.find("rect", "chart-overdue")[0].attr("fill"); !strings.HasPrefix(f, "url(#") {
		t.Errorf("overdue fill %q is not a pattern", f)
	}
	if len(root.find("pattern", "")) != 1 {
		t.Errorf("missing the hatch pattern")
	}
	// Month labels along the x axis.
	var labels []string
	for _, txt := range root.find("text", "chart-label") {
		labels = append(labels, txt.Text)
	}
	if strings.Join(labels, "|") != "Jan 2024|Feb 2024|Mar 2024" {
		t.Errorf("month labels %q", labels)
	}
}

func TestBarHeightsProportional(t *testing.T) {
	months := []Month{
		{Label: "A", Received: 100000, Due: 30000, Overdue: 10000},
		{Label: "B", Received: 25000, Due: 50000, Overdue: 70000},
		{Label: "C", Received: 1, Due: 0, Overdue: 123456},
	}
	_, root := render(t, months, options())
	baseline := root.find("line", "chart-baseline")[0].num(t, "y1")
	// The gridline values give the scale: pixels per minor unit.
	grid := root.find("line", "chart-gridline")
	top := grid[len(grid)-1]
	topValue := float64(niceTop(t, months))
	perUnit := (baseline - top.num(t, "y1")) / topValue

	type bar struct{ y, h float64 }
	get := func(class string, i int) bar {
		for _, r := range root.find("rect", class) {
			if strings.HasPrefix(r.title(), months[i].Label+",") {
				return bar{r.num(t, "y"), r.num(t, "height")}
			}
		}
		t.Fatalf("no %s bar for %s", class, months[i].Label)
		return bar{}
	}
	check := func(class string, i int, amount int64) bar {
		b := get(class, i)
		want := float64(amount) * perUnit
		if math.Abs(b.h-want) > 0.011 {
			t.Errorf("%s %s: height %.2f, want %.4f", months[i].Label, class, b.h, want)
		}
		return b
	}
	for i, m := range months {
		r := check("chart-received", i, m.Received)
		if math.Abs(r.y+r.h-baseline) > 0.001 {
			t.Errorf("%s received bar does not stand on the baseline", m.Label)
		}
		o := check("chart-overdue", i, m.Overdue)
		if m.Due > 0 {
			d := check("chart-due", i, m.Due)
			if math.Abs(d.y+d.h-baseline) > 0.001 {
				t.Errorf("%s due bar does not stand on the baseline", m.Label)
			}
			if math.Abs(o.y+o.h-d.y) > 0.001 {
				t.Errorf("%s overdue bar is not stacked on the due bar", m.Label)
			}
		} else if math.Abs(o.y+o.h-baseline) > 0.001 {
			t.Errorf("%s overdue bar does not stand on the baseline", m.Label)
		}
	}
	// Ratios read back from two bars, independent of the scale.
	a, b := get("chart-received", 0), get("chart-received", 1)
	if got := a.h / b.h; math.Abs(got-4) > 1e-3 {
		t.Errorf("received A/B height ratio %.5f, want 4", got)
	}
	a, b = get("chart-overdue", 1), get("chart-due", 1)
	if got := a.h / b.h; math.Abs(got-1.4) > 1e-3 {
		t.Errorf("overdue/due height ratio of B %.5f, want 1.4", got)
	}
}

// niceTop returns the top of the axis for months.
func niceTop(t *testing.T, months []Month) int64 {
	t.Helper()
	var peak int64
	for _, m := range months {
		peak = max(peak, m.Received, m.Due+m.Overdue)
	}
	step, n := niceScale(peak)
	return step * int64(n)
}

// isNice reports whether v is 1, 2, 2.5 or 5 times a power of ten.
func isNice(v int64) bool {
	if v <= 0 {
		return false
	}
	for v%10 == 0 {
		v /= 10
	}
	return v == 1 || v == 2 || v == 5 || v == 25
}

func TestNiceScale(t *testing.T) {
	peaks := []int64{1, 2, 3, 4, 5, 7, 9, 10, 11, 19, 20, 21, 24, 26, 49, 51, 99, 100, 101,
		12345, 99999, 100001, 250000, 250001, 777777, 1e15, 1e15 + 1, MaxAmount, 2 * MaxAmount}
	for v := int64(1); v < 5000; v += 7 {
		peaks = append(peaks, v)
	}
	for _, peak := range peaks {
		step, n := niceScale(peak)
		top := step * int64(n)
		if !isNice(step) {
			t.Errorf("peak %d: step %d is not nice", peak, step)
		}
		if n < 2 || n > 4 {
			t.Errorf("peak %d: %d intervals, want 2 to 4", peak, n)
		}
		if top < peak {
			t.Errorf("peak %d: axis top %d does not cover it", peak, top)
		}
		// No wasted interval: the axis stops at the first gridline at or
		// above the peak (except that there are always two intervals).
		if n > 2 && top-step >= peak {
			t.Errorf("peak %d: axis top %d has a spare interval of %d", peak, top, step)
		}
		// No smaller nice step would do.
		for s := step - 1; s > 0; s-- {
			if isNice(s) && (peak-1)/s+1 <= 4 {
				t.Errorf("peak %d: step %d, but %d would do", peak, step, s)
				break
			}
			if step-s > 1000 {
				break
			}
		}
	}
	if step, n := niceScale(0); step != 0 || n != 0 {
		t.Errorf("niceScale(0) = %d, %d", step, n)
	}
}

func TestGridlineLabels(t *testing.T) {
	tests := []struct {
		name     string
		format   func(int64) string
		months   []Month
		want     []string
		decimals int
	}{
		{"euro", euro, []Month{{Label: "A", Received: 123456}}, []string{"0,00 €", "500,00 €", "1 000,00 €", "1 500,00 €"}, 2},
		{"stack", euro, []Month{{Label: "A", Received: 10, Due: 300000, Overdue: 150000}}, []string{"0,00 €", "2 000,00 €", "4 000,00 €", "6 000,00 €"}, 2},
		{"yen", func(v int64) string { return "¥" + decimal(v, 0) }, []Month{{Label: "A", Received: 73000}}, []string{"¥0", "¥20 000", "¥40 000", "¥60 000", "¥80 000"}, 0},
		{"yen quarter", func(v int64) string { return "¥" + decimal(v, 0) }, []Month{{Label: "A", Received: 90}}, []string{"¥0", "¥25", "¥50", "¥75", "¥100"}, 0},
		{"dinar", func(v int64) string { return decimal(v, 3) + " KWD" }, []Month{{Label: "A", Overdue: 7}}, []string{"0,000 KWD", "0,002 KWD", "0,004 KWD", "0,006 KWD", "0,008 KWD"}, 3},
		{"one cent", euro, []Month{{Label: "A", Due: 1}}, []string{"0,00 €", "0,01 €", "0,02 €"}, 2},
		{"huge", euro, []Month{{Label: "A", Received: 1e15}}, []string{"0,00 €", "2 500 000 000 000,00 €", "5 000 000 000 000,00 €", "7 500 000 000 000,00 €", "10 000 000 000 000,00 €"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := options()
			opt.Format = tt.format
			_, root := render(t, tt.months, opt)
			var got []string
			for _, txt := range root.find("text", "chart-tick") {
				got = append(got, txt.Text)
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("gridline labels %q, want %q", got, tt.want)
			}
			// The step is nice in major units too, and every label is a
			// multiple of it: strip the formatting and check the digits.
			digits := func(label string) int64 {
				v, _ := strconv.ParseInt(strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, label), 10, 64)
				return v
			}
			step := digits(got[1])
			if !isNice(step) {
				t.Errorf("step %q is not nice", got[1])
			}
			for i, label := range got {
				if digits(label) != int64(i)*step {
					t.Errorf("label %q is not %d × %q", label, i, got[1])
				}
			}
			// Gridlines are evenly spaced, from the baseline up.
			grid := root.find("line", "chart-gridline")
			base := root.find("line", "chart-baseline")[0].num(t, "y1")
			if grid[0].num(t, "y1") != base {
				t.Errorf("the zero gridline is not on the baseline")
			}
			for i := 2; i < len(grid); i++ {
				d1 := grid[i-1].num(t, "y1") - grid[i].num(t, "y1")
				d0 := grid[i-2].num(t, "y1") - grid[i-1].num(t, "y1")
				if math.Abs(d1-d0) > 0.011 || d1 <= 0 {
					t.Errorf("gridlines not evenly spaced: %v then %v", d0, d1)
				}
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	const nasty = `<script>&"`
	months := []Month{
		{Label: nasty, Received: 1000, Due: 500, Overdue: 250},
		{Label: "Январь 2025", Received: 2000},
		{Label: "a'\tb\nc\x00d\xffe", Due: 100},
	}
	opt := Options{
		Title:  `Деньги <b>"по" месяцам</b> & 'co'`,
		Desc:   `</desc><script>alert(1)</script>`,
		Series: [3]string{"Получено <i>", `Due "soon"`, "Overdue & late"},
		Format: func(v int64) string { return "<" + decimal(v, 2) + "> €" },
	}
	out, root := render(t, months, opt)
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Fatalf("output contains <script:\n%s", out)
	}
	for _, bad := range []string{"<b>", "<i>", "</desc><script", "\x00", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q unescaped", bad)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;&amp;&#34;") {
		t.Errorf("label not escaped as expected")
	}
	if root.title() != opt.Title {
		t.Errorf("title read back %q, want %q", root.title(), opt.Title)
	}
	if d := root.find("desc", ""); len(d) != 1 || d[0].Text != opt.Desc {
		t.Errorf("desc read back wrong: %v", d)
	}
	want := nasty + ", " + opt.Series[2] + ": <2,50> €"
	if got := root.find("rect", "chart-overdue")[0].title(); got != want {
		t.Errorf("overdue title %q, want %q", got, want)
	}
	var labels []string
	for _, txt := range root.find("text", "chart-label") {
		labels = append(labels, txt.Text)
	}
	if len(labels) != 3 || labels[0] != nasty || labels[1] != "Январь 2025" {
		t.Errorf("labels read back %q", labels)
	}
	// Control characters and invalid UTF-8 are replaced, other
	// whitespace survives as character references.
	if labels[2] != "a'\tb\nc\uFFFDd\uFFFDe" {
		t.Errorf("label 3 read back %q", labels[2])
	}
	if got := root.find("g", "chart-legend")[0].find("text", "")[0].Text; got != opt.Series[0] {
		t.Errorf("legend read back %q", got)
	}
}

// TestCSPSafe checks that no output carries a style attribute, a script, an
// event handler or a link.
func TestCSPSafe(t *testing.T) {
	inputs := map[string][]Month{
		"empty": nil, "zero": make([]Month, 3), "one": year(1), "year": year(12), "two years": year(24), "max": year(MaxMonths),
	}
	for name, months := range inputs {
		t.Run(name, func(t *testing.T) {
			out, root := render(t, months, options())
			lower := strings.ToLower(out)
			for _, bad := range []string{"style=", "<style", "<script", "javascript:", "href"} {
				if strings.Contains(lower, bad) {
					t.Errorf("output contains %q", bad)
				}
			}
			root.walk(func(n node) {
				for _, a := range n.Attrs {
					if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || a.Name.Local == "style" {
						t.Errorf("<%s> has attribute %s", n.XMLName.Local, a.Name.Local)
					}
				}
			})
			tab, err := Table(months, options())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(string(tab)), "style") {
				t.Errorf("table contains style")
			}
		})
	}
}

// checkGeometry checks that every coordinate is a finite number inside the
// viewBox and every size is non-negative.
func checkGeometry(t *testing.T, root node, w, h float64) {
	t.Helper()
	var visit func(n node)
	visit = func(n node) {
		if n.XMLName.Local == "defs" {
			return // the hatch pattern has its own coordinates
		}
		for _, c := range n.Children {
			visit(c)
		}
		if n.XMLName.Local == "svg" {
			return
		}
		for _, a := range n.Attrs {
			limit := 0.0
			switch a.Name.Local {
			case "x", "x1", "x2", "width":
				limit = w
			case "y", "y1", "y2", "height":
				limit = h
			default:
				continue
			}
			v, err := strconv.ParseFloat(a.Value, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > limit {
				t.Errorf("<%s %s=%q> outside 0..%v", n.XMLName.Local, a.Name.Local, a.Value, limit)
			}
		}
	}
	visit(root)
}

func TestEdgeCases(t *testing.T) {
	long := year(24)
	for i := range long {
		long[i].Label = "Сентябрь " + long[i].Label
	}
	tests := []struct {
		name   string
		months []Month
		ticks  int
		bars   int
	}{
		{"nil", nil, 1, 0},
		{"empty", []Month{}, 1, 0},
		{"all zero", make([]Month, 12), 1, 0},
		{"one month", []Month{{Label: "Jan", Received: 5, Due: 3, Overdue: 2}}, 4, 3},
		{"one zero month", []Month{{Label: "Jan"}}, 1, 0},
		{"24 months", year(24), 0, 0},
		{"24 long labels", long, 0, 0},
		{"120 months", year(MaxMonths), 0, 0},
		{"huge", []Month{{Label: "A", Received: 1e15, Due: 1, Overdue: 1e15 - 1}, {Label: "B", Due: 3}}, 5, 4},
		{"max amount", []Month{{Label: "A", Received: MaxAmount, Due: MaxAmount, Overdue: MaxAmount}}, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, root := render(t, tt.months, options())
			checkGeometry(t, root, 640, 320)
			ticks := root.find("text", "chart-tick")
			if tt.ticks > 0 && len(ticks) != tt.ticks {
				t.Errorf("%d gridline labels, want %d", len(ticks), tt.ticks)
			}
			if len(ticks) < 1 || ticks[0].Text != euro(0) {
				t.Errorf("no zero gridline")
			}
			if tt.ticks == 1 && len(root.find("line", "chart-gridline")) != 1 {
				t.Errorf("empty chart must have exactly one gridline")
			}
			if tt.ticks != 1 && (len(ticks) < 3 || len(ticks) > 5) {
				t.Errorf("%d gridline labels, want 3 to 5", len(ticks))
			}
			bars := 0
			for _, g := range root.find("g", "chart-data") {
				bars += len(g.find("rect", ""))
			}
			if tt.bars > 0 || tt.ticks == 1 {
				if bars != tt.bars {
					t.Errorf("%d bars, want %d", bars, tt.bars)
				}
			}
			if n := len(root.find("g", "chart-month")); n != len(tt.months) {
				t.Errorf("%d month groups, want %d", n, len(tt.months))
			}
		})
	}
}

func TestLongLabels(t *testing.T) {
	months := year(24)
	months[5].Label = strings.Repeat("Очень длинное название месяца ", 5)
	_, root := render(t, months, options())
	labels := root.find("text", "chart-label")
	if len(labels) != 24 {
		t.Fatalf("%d labels, want 24", len(labels))
	}
	if labels[0].attr("transform") == "" {
		t.Errorf("crowded labels are not rotated")
	}
	l := labels[5]
	if !strings.HasSuffix(l.Text, "…") || l.title() != months[5].Label {
		t.Errorf("long label shown as %q with title %q", l.Text, l.title())
	}
	// 120 months do not fit even rotated: only some are labelled, but all
	// bars keep their full label in their title.
	_, root = render(t, year(MaxMonths), options())
	if n := len(root.find("text", "chart-label")); n >= MaxMonths || n < 10 {
		t.Errorf("%d labels for %d months", n, MaxMonths)
	}
	// A small chart with long series names wraps or shortens its legend.
	opt := options()
	opt.Width = MinWidth
	opt.Series = [3]string{strings.Repeat("Received ", 8), "Due", "Overdue"}
	_, root = render(t, year(2), opt)
	checkGeometry(t, root, MinWidth, 320)
	if l := root.find("g", "chart-legend")[0].find("text", "")[0]; !strings.HasSuffix(l.Text, "…") || l.title() != opt.Series[0] {
		t.Errorf("long legend shown as %q with title %q", l.Text, l.title())
	}
}

func TestSize(t *testing.T) {
	opt := options()
	opt.Width, opt.Height = 1200, 500
	_, root := render(t, year(6), opt)
	if root.attr("viewBox") != "0 0 1200 500" {
		t.Errorf("viewBox %q", root.attr("viewBox"))
	}
	checkGeometry(t, root, 1200, 500)
}

func TestErrors(t *testing.T) {
	ok := year(2)
	tests := []struct {
		name   string
		months []Month
		edit   func(*Options)
	}{
		{"negative received", []Month{{Label: "A", Received: -1}}, nil},
		{"negative due", []Month{{Label: "A", Due: -5}}, nil},
		{"negative overdue", []Month{{Label: "A", Received: 1, Overdue: math.MinInt64}}, nil},
		{"too big", []Month{{Label: "A", Received: MaxAmount + 1}}, nil},
		{"int64 max", []Month{{Label: "A", Overdue: math.MaxInt64}}, nil},
		{"too many months", year(MaxMonths + 1), nil},
		{"no title", ok, func(o *Options) { o.Title = "" }},
		{"no series", ok, func(o *Options) { o.Series[1] = "" }},
		{"no format", ok, func(o *Options) { o.Format = nil }},
		{"negative width", ok, func(o *Options) { o.Width = -1 }},
		{"narrow", ok, func(o *Options) { o.Width = MinWidth - 1 }},
		{"short", ok, func(o *Options) { o.Height = 10 }},
		{"huge size", ok, func(o *Options) { o.Height = MaxSize + 1 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := options()
			if tt.edit != nil {
				tt.edit(&opt)
			}
			out, err := Bars(tt.months, opt)
			if err == nil || out != "" {
				t.Errorf("Bars: want an error and no output, got %v and %d bytes", err, len(out))
			} else if !strings.HasPrefix(err.Error(), "chart: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			if _, err := Table(tt.months, opt); err == nil {
				t.Errorf("Table: want an error")
			}
		})
	}
	if _, err := Bars(year(MaxMonths), options()); err != nil {
		t.Errorf("%d months: %v", MaxMonths, err)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Bars(year(24), options())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Bars(year(24), options())
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatal("same input gave different output")
		}
	}
	other := year(24)
	other[3].Due++
	c, err := Bars(other, options())
	if err != nil {
		t.Fatal(err)
	}
	idOf := func(s string) string { return parse(t, s).find("title", "")[0].attr("id") }
	if idOf(string(a)) == idOf(string(c)) {
		t.Errorf("different charts share the id %s", idOf(string(a)))
	}
}

func TestTable(t *testing.T) {
	months := []Month{
		{Label: `<script>&"`, Received: 123456, Due: 0, Overdue: 99},
		{Label: "Февраль", Due: 1},
	}
	opt := options()
	opt.Series[1] = "Dû <à venir>"
	out, err := Table(months, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(s, "<script") || strings.Contains(s, "<à") {
		t.Fatalf("table not escaped: %s", s)
	}
	root := parse(t, s)
	if root.XMLName.Local != "table" {
		t.Fatalf("root %s", root.XMLName.Local)
	}
	if c := root.find("caption", ""); len(c) != 1 || c[0].Text != opt.Title {
		t.Errorf("caption %v", c)
	}
	var heads []string
	for _, th := range root.find("th", "") {
		if th.attr("scope") != "col" && th.attr("scope") != "row" {
			t.Errorf("header %q without scope", th.Text)
		}
		heads = append(heads, th.Text)
	}
	want := []string{"Received", "Dû <à venir>", "Overdue", `<script>&"`, "Февраль"}
	if strings.Join(heads, "|") != strings.Join(want, "|") {
		t.Errorf("headers %q, want %q", heads, want)
	}
	var cells []string
	for _, td := range root.find("td", "chart-amount") {
		cells = append(cells, td.Text)
	}
	if strings.Join(cells, "|") != "1 234,56 €|0,00 €|0,99 €|0,00 €|0,01 €|0,00 €" {
		t.Errorf("cells %q", cells)
	}
	if out, err := Table(nil, opt); err != nil || !strings.Contains(string(out), "<tbody></tbody>") {
		t.Errorf("empty table: %v %s", err, out)
	}
}

func TestScaleTo(t *testing.T) {
	tests := []struct{ v, size, total, want int64 }{
		{0, 100, 0, 0},
		{5, 100, 0, 0},
		{1, 3, 2, 2}, // 1.5 rounds up
		{1, 1, 3, 0},
		{2, 1, 3, 1},
		{MaxAmount * 2, 400000, MaxAmount * 2, 400000},
		{MaxAmount, 400000, MaxAmount * 4, 100000},
	}
	for _, tt := range tests {
		if got := scaleTo(tt.v, tt.size, tt.total); got != tt.want {
			t.Errorf("scaleTo(%d, %d, %d) = %d, want %d", tt.v, tt.size, tt.total, got, tt.want)
		}
	}
}

func BenchmarkBars24(b *testing.B) {
	months := year(24)
	opt := options()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Bars(months, opt); err != nil {
			b.Fatal(err)
		}
	}
}
