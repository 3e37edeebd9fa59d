package inbound

import (
	"strings"

	"golang.org/x/net/html"
)

// blockTags are the elements that start and end on a line of their own.
var blockTags = map[string]bool{
	"p": true, "div": true, "tr": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true,
	"dd": true, "table": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"hr": true, "pre": true, "blockquote": true, "section": true, "article": true, "header": true,
	"footer": true, "address": true, "center": true, "form": true, "figure": true,
}

// maxQuoteMarks bounds the "> " written for nested blockquotes, so that deep nesting cannot
// blow a small message up.
const maxQuoteMarks = 4

// hiddenTags are the elements whose text is not shown.
var hiddenTags = map[string]bool{"script": true, "style": true, "title": true, "template": true}

// htmlText turns an HTML body into text: tags dropped, entities decoded, white space collapsed, a
// line break for <br> and around block elements, and "> " before the lines of a <blockquote> so
// that newText cuts them as quotes.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var w textWriter
	hidden := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return w.String()
		}
		name, _ := z.TagName()
		tag := string(name)
		switch {
		case hidden != "":
			if tt == html.EndTagToken && tag == hidden {
				hidden = ""
			}
		case tt == html.TextToken:
			w.text(string(z.Text()))
		case tt == html.StartTagToken && hiddenTags[tag]:
			hidden = tag
		case tt == html.StartTagToken || tt == html.SelfClosingTagToken:
			w.open(tag)
		case tt == html.EndTagToken:
			w.close(tag)
		}
	}
}

// textWriter writes the text of an HTML document as htmlText reads it.
type textWriter struct {
	b      strings.Builder
	inLine bool // something is written on the current line
	space  bool // white space came since the last character written
	quote  int  // depth of <blockquote>
	pre    int  // depth of <pre>
}

// open writes what starts element tag.
func (w *textWriter) open(tag string) {
	switch {
	case tag == "br":
		w.newline()
	case tag == "td" || tag == "th":
		w.space = true
	case blockTags[tag]:
		w.block()
		if tag == "blockquote" {
			w.quote++
		}
		if tag == "pre" {
			w.pre++
		}
	}
}

// close writes what ends element tag.
func (w *textWriter) close(tag string) {
	if !blockTags[tag] {
		return
	}
	w.block()
	if tag == "blockquote" && w.quote > 0 {
		w.quote--
	}
	if tag == "pre" && w.pre > 0 {
		w.pre--
	}
}

// text writes a text node, collapsing white space outside <pre>.
func (w *textWriter) text(s string) {
	for _, r := range s {
		switch {
		case r == '\r':
		case r == '\n' && w.pre > 0:
			w.newline()
		case w.pre == 0 && (r == ' ' || r == '\t' || r == '\n' || r == '\f'):
			w.space = true
		default:
			w.char(r)
		}
	}
}

// char writes r, after the quote marks at the start of a line or the space collapsed before it.
func (w *textWriter) char(r rune) {
	if !w.inLine {
		w.b.WriteString(strings.Repeat("> ", min(w.quote, maxQuoteMarks)))
		w.inLine = true
	} else if w.space {
		w.b.WriteByte(' ')
	}
	w.space = false
	if r == '\u00a0' {
		r = ' '
	}
	w.b.WriteRune(r)
}

// newline ends the current line.
func (w *textWriter) newline() {
	w.b.WriteByte('\n')
	w.inLine, w.space = false, false
}

// block ends the current line unless it is empty.
func (w *textWriter) block() {
	if w.inLine {
		w.newline()
	}
}

// String returns the text written, without trailing spaces on its lines.
func (w *textWriter) String() string {
	lines := strings.Split(w.b.String(), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(line, " \t")
	}
	return strings.Join(lines, "\n")
}
