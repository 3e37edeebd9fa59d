package invoicepdf

import "strings"

// fitShare leaves room for rounding between these metrics and gofpdf's: a line wrap
// passes must come out narrower than its column in gofpdf too, or maroto would wrap it
// again into lines the layout did not count.
const fitShare = 0.97

// wrap splits text into lines no wider than width millimetres. It breaks at spaces
// only, never at a no-break space (so "1 234,50 €" stays whole), and cuts a word
// wider than a line on its own (an IBAN, a URL) rather than let it leave its column.
// "\n" breaks a line; the result has at least one line.
func wrap(text string, width float64, f face) []string {
	width *= fitShare
	var lines []string
	for _, hard := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(hard, width, f)...)
	}
	return lines
}

func wrapLine(text string, width float64, f face) []string {
	var lines []string
	line := ""
	for _, word := range strings.Split(text, " ") {
		if word == "" {
			continue
		}
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
		rw := f.m.Width(string(r), f.size)
		if w+rw > width && i > start {
			pieces = append(pieces, word[start:i])
			start, w = i, 0
		}
		w += rw
	}
	return append(pieces, word[start:])
}
