package docrender

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// inlineText strips Markdown's inline markup from one block: emphasis (** and __ make bold
// runs; * _ and ~~ are dropped), code spans (kept verbatim), links and images (their text),
// autolinks, HTML tags and backslash escapes.
type inlineText struct {
	src   string
	i     int
	runs  []Run
	run   strings.Builder // the text of the last run, in the weight runBold
	runB  bool
	bold  byte // the character that opened bold text, or 0
	plain byte // the character that opened italic text, or 0
	tilde bool
	last  map[string]int // where each delimiter last occurs in src, so that looking ahead is O(1)
}

// lookahead bounds how far a code span, link or tag is looked for, keeping inline linear.
const lookahead = 1 << 10

func inline(s string) []Run {
	p := &inlineText{src: s, last: map[string]int{}}
	for p.i < len(p.src) {
		p.step()
	}
	p.endRun()
	return p.runs
}

func (p *inlineText) emit(s string) {
	if s == "" {
		return
	}
	if bold := p.bold != 0; bold != p.runB {
		p.endRun()
		p.runB = bold
	}
	p.run.WriteString(s)
}

func (p *inlineText) endRun() {
	if p.run.Len() > 0 {
		p.runs = append(p.runs, Run{Text: p.run.String(), Bold: p.runB})
		p.run.Reset()
	}
}

func (p *inlineText) step() {
	rest := p.src[p.i:]
	switch c := rest[0]; {
	case c == '\\' && len(rest) > 1 && isASCIIPunct(rest[1]):
		p.emit(rest[1:2])
		p.i += 2
	case c == '`':
		p.codeSpan(rest)
	case c == '*' || c == '_':
		p.emphasis(c)
	case strings.HasPrefix(rest, "~~") && (p.tilde || p.follows("~~", p.i+2)):
		p.tilde = !p.tilde
		p.i += 2
	case c == '[' || strings.HasPrefix(rest, "!["):
		p.link(rest)
	case c == '<':
		p.angle(rest)
	default:
		_, n := utf8.DecodeRuneInString(rest)
		p.emit(rest[:n])
		p.i += n
	}
}

// codeSpan emits a code span's text as it is, or the backticks if the span is not closed.
func (p *inlineText) codeSpan(rest string) {
	n := len(rest) - len(strings.TrimLeft(rest, "`"))
	ticks := rest[:n]
	end := strings.Index(window(rest[n:]), ticks)
	if end < 0 {
		p.emit(ticks)
		p.i += n
		return
	}
	p.emit(strings.TrimSpace(rest[n : n+end]))
	p.i += n + end + n
}

// emphasis handles a run of * or _: a pair opens or closes bold text and a single one italic
// text (shown plain), when it can and a closing run follows; otherwise the run is literal.
func (p *inlineText) emphasis(c byte) {
	n := 0
	for p.i+n < len(p.src) && p.src[p.i+n] == c {
		n++
	}
	before, _ := utf8.DecodeLastRuneInString(p.src[:p.i])
	after, _ := utf8.DecodeRuneInString(p.src[p.i+n:])
	open, closing := p.flanks(c, before, after)
	used := 0
	if n-used >= 2 && p.bold == c && closing {
		p.bold, used = 0, used+2
	} else if n-used >= 2 && p.bold == 0 && open && p.follows(string([]byte{c, c}), p.i+n) {
		p.bold, used = c, used+2
	}
	if n-used >= 1 && p.plain == c && closing {
		p.plain, used = 0, used+1
	} else if n-used >= 1 && p.plain == 0 && open && p.follows(string(c), p.i+n) {
		p.plain, used = c, used+1
	}
	p.emit(strings.Repeat(string(c), n-used))
	p.i += n
}

// follows says whether delim occurs in src at or after from.
func (p *inlineText) follows(delim string, from int) bool {
	last, ok := p.last[delim]
	if !ok {
		last = strings.LastIndex(p.src, delim)
		p.last[delim] = last
	}
	return last >= from
}

// flanks says whether a delimiter run between before and after may open or close emphasis;
// an underscore inside a word (snake_case) does neither.
func (p *inlineText) flanks(c byte, before, after rune) (open, closing bool) {
	open = p.i+1 < len(p.src) && after != utf8.RuneError && !unicode.IsSpace(after)
	closing = p.i > 0 && !unicode.IsSpace(before)
	if c == '_' {
		open = open && (p.i == 0 || !isWordRune(before))
		closing = closing && !isWordRune(after)
	}
	return open, closing
}

// link emits the text of [text](url) or the alt text of ![alt](url); a bracket that starts
// neither is literal.
func (p *inlineText) link(rest string) {
	start := 1
	if rest[0] == '!' {
		start = 2
	}
	mid, end := -1, -1
	if p.follows("](", p.i) {
		mid = strings.Index(window(rest), "](")
	}
	if mid >= start {
		end = strings.IndexByte(window(rest[mid:]), ')')
	}
	if end < 0 || strings.ContainsAny(rest[start:mid], "[]") {
		p.emit(rest[:start])
		p.i += start
		return
	}
	text := rest[start:mid]
	p.i += mid + end + 1
	for _, r := range inline(text) {
		p.emit(r.Text)
	}
}

// angle emits an autolink's address and drops an HTML tag; any other "<" is literal.
func (p *inlineText) angle(rest string) {
	end := strings.IndexByte(window(rest), '>')
	if end < 2 || strings.ContainsAny(rest[1:end], "<\n") {
		p.emit("<")
		p.i++
		return
	}
	inner := rest[1:end]
	if strings.Contains(inner, "://") || strings.Contains(inner, "@") && !strings.Contains(inner, " ") {
		p.emit(inner)
	} else if c := inner[0]; !isASCIILetter(c) && c != '/' && c != '!' {
		p.emit("<")
		p.i++
		return
	}
	p.i += end + 1
}

// window is the start of s that inline looks ahead in.
func window(s string) string { return s[:min(len(s), lookahead)] }

func isASCIIPunct(c byte) bool {
	return c < utf8.RuneSelf && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
