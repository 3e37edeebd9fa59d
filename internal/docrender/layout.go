package docrender

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// span is text in one weight placed at x on a line.
type span struct {
	x    fixed.Int26_6
	text string
	bold bool
}

// liner breaks the runs of a block into lines no wider than width: at white space, at "\n",
// and within a word that is wider than a line on its own. It hands each line to emit.
type liner struct {
	faces weights
	width fixed.Int26_6
	tab   fixed.Int26_6 // the distance between tab stops
	emit  func([]span) error

	line  []span
	x     fixed.Int26_6 // where the line's text ends
	gap   fixed.Int26_6 // white space waiting to go before the next word
	soft  bool          // the line follows a soft wrap: its leading white space is dropped
	word  []span        // the word being read, x relative to its start
	wordW fixed.Int26_6
	lines int
	err   error
}

// layBlock breaks runs into lines; an empty block makes one empty line.
func (l *liner) layBlock(runs []Run) error {
	for _, r := range runs {
		l.layRun(r)
	}
	l.endWord()
	if len(l.line) > 0 || l.lines == 0 {
		l.endLine()
	}
	return l.err
}

func (l *liner) layRun(r Run) {
	for s := r.Text; s != "" && l.err == nil; {
		c, n := utf8.DecodeRuneInString(s)
		switch {
		case c == '\n':
			l.endWord()
			l.endLine()
			l.soft = false
		case c == '\t':
			l.endWord()
			l.space(l.nextTab() - l.x - l.gap)
		case isBreakSpace(c):
			l.endWord()
			l.space(font.MeasureString(l.faces.of(r.Bold), s[:n]))
		default:
			n = strings.IndexFunc(s, isBreakSpace)
			if n < 0 {
				n = len(s)
			}
			l.addToWord(s[:n], r.Bold)
		}
		s = s[n:]
	}
}

// isBreakSpace tells the white space a line may break at: not the no-break spaces.
func isBreakSpace(c rune) bool {
	return unicode.IsSpace(c) && c != '\u00a0' && c != '\u2007' && c != '\u202f'
}

func (l *liner) nextTab() fixed.Int26_6 {
	return (l.x + l.gap + l.tab) / l.tab * l.tab
}

func (l *liner) space(w fixed.Int26_6) {
	if !(l.soft && len(l.line) == 0) {
		l.gap += w
	}
}

func (l *liner) addToWord(s string, bold bool) {
	l.word = append(l.word, span{x: l.wordW, text: s, bold: bold})
	l.wordW += font.MeasureString(l.faces.of(bold), s)
}

// endWord places the word read so far, on a new line if it does not fit on this one, and
// broken between characters if it does not fit on a line of its own.
func (l *liner) endWord() {
	if len(l.word) == 0 {
		return
	}
	if len(l.line) > 0 && l.x+l.gap+l.wordW > l.width {
		l.wrap()
	}
	if l.x+l.gap+l.wordW > l.width {
		l.breakWord()
	} else {
		for _, s := range l.word {
			s.x += l.x + l.gap
			l.line = append(l.line, s)
		}
		l.x += l.gap + l.wordW
		l.gap = 0
	}
	l.word, l.wordW = l.word[:0], 0
}

// breakWord places the word a character at a time, wrapping whenever the next one would not fit.
func (l *liner) breakWord() {
	for _, s := range l.word {
		face := l.faces.of(s.bold)
		start, w := 0, fixed.Int26_6(0)
		for i, c := range s.text {
			if l.err != nil {
				return
			}
			adv, _ := face.GlyphAdvance(c)
			if l.x+l.gap+w+adv > l.width && (i > start || len(l.line) > 0) {
				l.place(s.text[start:i], s.bold, face)
				l.wrap()
				start, w = i, 0
			}
			w += adv
		}
		l.place(s.text[start:], s.bold, face)
	}
}

func (l *liner) place(text string, bold bool, face font.Face) {
	if text == "" {
		return
	}
	l.line = append(l.line, span{x: l.x + l.gap, text: text, bold: bold})
	l.x += l.gap + font.MeasureString(face, text)
	l.gap = 0
}

// wrap ends the line at a soft break.
func (l *liner) wrap() {
	l.endLine()
	l.soft = true
}

func (l *liner) endLine() {
	if l.err == nil {
		l.err = l.emit(l.line)
	}
	l.lines++
	l.line, l.x, l.gap = l.line[:0], 0, 0
}
