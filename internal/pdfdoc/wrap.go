package pdfdoc

import "strings"

// wrap splits text into lines that fit width millimetres, breaking a word that is wider
// than a line on its own (a hash, a URL) rather than letting it run out of its column.
func wrap(text string, width float64, f face) []string {
	var lines []string
	for _, hard := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(hard, width, f)...)
	}
	return lines
}

func wrapLine(text string, width float64, f face) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		for _, piece := range breakWord(word, width, f) {
			next := piece
			if line != "" {
				next = line + " " + piece
			}
			if line != "" && f.width(next) > width {
				lines = append(lines, line)
				next = piece
			}
			line = next
		}
	}
	return append(lines, line)
}

// breakWord cuts word into pieces no wider than width, each at least one rune long.
func breakWord(word string, width float64, f face) []string {
	if f.width(word) <= width {
		return []string{word}
	}
	var pieces []string
	start, w := 0, 0.0
	for i, r := range word {
		rw := f.width(string(r))
		if w+rw > width && i > start {
			pieces = append(pieces, word[start:i])
			start, w = i, 0
		}
		w += rw
	}
	return append(pieces, word[start:])
}
