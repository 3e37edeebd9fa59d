package docrender

import (
	"regexp"
	"strings"
)

var (
	atxHeading    = regexp.MustCompile(`^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	bulletItem    = regexp.MustCompile(`^[-*+][ \t]+(.*)$`)
	orderedItem   = regexp.MustCompile(`^(\d{1,9})[.)][ \t]+(.*)$`)
	thematicBreak = regexp.MustCompile(`^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	setextH1      = regexp.MustCompile(`^=+[ \t]*$`)
	setextH2      = regexp.MustCompile(`^-+[ \t]*$`)
)

// markdown reads Markdown one line at a time, holding the text of the open paragraph, heading
// or list item until it ends, since emphasis may span its lines.
type markdown struct {
	b       *builder
	kind    BlockKind
	text    strings.Builder
	pending bool   // text holds an open block
	hard    bool   // the last line added to text ended with a hard line break
	fence   string // the opening code fence, while in a fenced code block
}

// readMarkdown makes blocks of Markdown: ATX and Setext headings, bullet and numbered items,
// block quotes, code fences (kept verbatim) and paragraphs, with inline markup stripped.
func readMarkdown(s string, b *builder) {
	m := &markdown{b: b}
	for _, line := range lines(s) {
		if b.full() {
			return
		}
		m.line(line)
	}
	m.flush()
}

func (m *markdown) line(line string) {
	trimmed := strings.TrimSpace(line)
	switch {
	case m.fence != "":
		m.codeLine(line, trimmed)
	case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
		m.flush()
		m.fence = trimmed[:3]
		m.b.begin(Paragraph)
	default:
		hard := strings.HasSuffix(line, "  ") || strings.HasSuffix(trimmed, `\`)
		m.blockLine(strings.TrimSuffix(trimmed, `\`))
		m.hard = hard
	}
}

// codeLine adds a line of a fenced code block as it is, or ends the block at its closing fence.
func (m *markdown) codeLine(line, trimmed string) {
	if strings.HasPrefix(trimmed, m.fence) && strings.Trim(trimmed, m.fence[:1]) == "" {
		m.fence = ""
		m.b.end()
		return
	}
	if !m.b.blank() {
		m.b.add("\n", false)
	}
	m.b.add(strings.ReplaceAll(strings.TrimRight(line, " \t"), "\t", "    "), false)
}

func (m *markdown) blockLine(t string) {
	for strings.HasPrefix(t, ">") {
		t = strings.TrimSpace(t[1:])
	}
	switch {
	case t == "":
		m.flush()
	case m.pending && m.kind == Paragraph && setextH1.MatchString(t):
		m.kind = Heading1
		m.flush()
	case m.pending && m.kind == Paragraph && setextH2.MatchString(t):
		m.kind = Heading2
		m.flush()
	case thematicBreak.MatchString(t):
		m.flush()
		m.b.begin(Paragraph)
		m.b.end()
	default:
		m.itemLine(t)
	}
}

// itemLine starts a heading or a list item, or continues the open block.
func (m *markdown) itemLine(t string) {
	if g := atxHeading.FindStringSubmatch(t); g != nil {
		m.start(min(Heading3, Heading1+BlockKind(len(g[1])-1)), g[2])
		m.flush()
	} else if g := bulletItem.FindStringSubmatch(t); g != nil {
		m.start(Bullet, g[1])
	} else if g := orderedItem.FindStringSubmatch(t); g != nil {
		m.start(Paragraph, g[1]+". "+g[2])
	} else if m.pending {
		m.text.WriteString(lineSeparator(m.hard))
		m.text.WriteString(t)
	} else {
		m.start(Paragraph, t)
	}
}

func (m *markdown) start(kind BlockKind, text string) {
	m.flush()
	m.kind, m.pending = kind, true
	m.text.WriteString(text)
}

// flush adds the open block with its inline markup stripped.
func (m *markdown) flush() {
	if m.fence != "" {
		m.b.end()
		m.fence = ""
	}
	if !m.pending {
		return
	}
	m.b.begin(m.kind)
	for _, r := range inline(m.text.String()) {
		m.b.add(r.Text, r.Bold)
	}
	m.b.end()
	m.text.Reset()
	m.pending = false
}

// lineSeparator joins the lines of a block: a space, or a line break after a hard break.
func lineSeparator(hard bool) string {
	if hard {
		return "\n"
	}
	return " "
}
