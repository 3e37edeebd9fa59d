package docrender

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// builder collects the blocks of a Doc, keeping at most a budget of runes (one per block and
// one per character) and dropping control characters other than "\n" and "\t".
type builder struct {
	doc     Doc
	cur     Block           // the open block, without its last run
	run     strings.Builder // the text of the open block's last run
	bold    bool            // the weight of run
	open    bool
	resumed bool // cur continues a block that another interrupted: drop it if it stays empty
	left    int
}

func newBuilder(lim Limits) *builder { return &builder{left: lim.MaxRunes} }

// full says that the budget is spent: the reader may stop.
func (b *builder) full() bool { return b.doc.Truncated }

// begin ends any open block and opens one of the given kind.
func (b *builder) begin(kind BlockKind) {
	b.end()
	b.cur, b.open, b.resumed = Block{Kind: kind}, true, false
}

// resume opens a block of the given kind that end drops if nothing is added to it.
func (b *builder) resume(kind BlockKind) {
	b.begin(kind)
	b.resumed = true
}

// setKind changes the kind of the open block.
func (b *builder) setKind(kind BlockKind) { b.cur.Kind = kind }

// end closes the open block, if any, and adds it to the document.
func (b *builder) end() {
	if !b.open {
		return
	}
	b.endRun()
	b.open = false
	if len(b.cur.Runs) == 0 && (b.resumed || b.full()) {
		return
	}
	if b.spend(1) || len(b.cur.Runs) > 0 {
		b.doc.Blocks = append(b.doc.Blocks, b.cur)
	}
}

func (b *builder) endRun() {
	if b.run.Len() > 0 {
		b.cur.Runs = append(b.cur.Runs, Run{Text: b.run.String(), Bold: b.bold})
		b.run.Reset()
	}
}

// blank reports whether the open block has no text yet.
func (b *builder) blank() bool { return !b.open || len(b.cur.Runs) == 0 && b.run.Len() == 0 }

// add appends text to the open block (opening a paragraph if none is), within the budget.
func (b *builder) add(text string, bold bool) {
	if b.full() || text == "" {
		return
	}
	if !b.open {
		b.begin(Paragraph)
	}
	if bold != b.bold {
		b.endRun()
		b.bold = bold
	}
	for _, r := range text {
		if r = cleanRune(r); r < 0 {
			continue
		}
		if !b.spend(1) {
			return
		}
		b.run.WriteRune(r)
	}
}

// cleanRune maps line and paragraph separators to "\n" and control characters to -1 (dropped).
func cleanRune(r rune) rune {
	switch {
	case r == '\n' || r == '\t':
		return r
	case r == '\u2028' || r == '\u2029' || r == '\v' || r == '\f':
		return '\n'
	case r == utf8.RuneError:
		return r
	case unicode.IsControl(r) || r == '\ufeff':
		return -1
	}
	return r
}

// spend takes n runes from the budget, marking the document truncated when it cannot.
func (b *builder) spend(n int) bool {
	if b.left < n {
		b.left = 0
		b.doc.Truncated = true
		return false
	}
	b.left -= n
	return true
}

// finish ends the open block and returns the document.
func (b *builder) finish() Doc {
	b.end()
	return b.doc
}
