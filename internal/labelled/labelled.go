// Package labelled scores a rule-based reader (the coach, the screen) on labelled examples:
// one JSON object a line with a language, a text and the categories expected of it.
package labelled

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
)

// Example is one labelled text.
type Example struct {
	Language         string   `json:"language"`
	ReplyToComplaint bool     `json:"reply_to_complaint"`
	Text             string   `json:"text"`
	Expect           []string `json:"expect"`
}

// Load reads the examples of a JSON-lines file.
func Load(path string) ([]Example, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Example
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// Counts are, for one language, the categories found that were expected, found that were not,
// and expected but not found.
type Counts struct{ Right, Wrong, Missed int }

// Precision is the share of what was found that was right (1 when nothing was found).
func (c Counts) Precision() float64 { return ratio(c.Right, c.Right+c.Wrong) }

// Recall is the share of what was expected that was found (1 when nothing was expected).
func (c Counts) Recall() float64 { return ratio(c.Right, c.Right+c.Missed) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Score runs read on each example and counts per language; each mistake is told to note.
func Score(exs []Example, read func(Example) []string, note func(format string, args ...any)) map[string]Counts {
	out := map[string]Counts{}
	for _, e := range exs {
		got := read(e)
		c := out[e.Language]
		for _, g := range got {
			if slices.Contains(e.Expect, g) {
				c.Right++
			} else {
				c.Wrong++
				note("%s: found %s in %q", e.Language, g, e.Text)
			}
		}
		for _, w := range e.Expect {
			if !slices.Contains(got, w) {
				c.Missed++
				note("%s: missed %s in %q", e.Language, w, e.Text)
			}
		}
		out[e.Language] = c
	}
	return out
}

// ScoreFile loads the examples at path, scores read on them, and tells logf each mistake and
// each language's precision and recall.
func ScoreFile(path string, read func(Example) []string, logf func(format string, args ...any)) (map[string]Counts, error) {
	exs, err := Load(path)
	if err != nil {
		return nil, err
	}
	counts := Score(exs, read, logf)
	langs := make([]string, 0, len(counts))
	for l := range counts {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		c := counts[l]
		logf("%s %s: precision %.2f, recall %.2f (%d found right, %d found wrongly, %d missed)", path, l, c.Precision(), c.Recall(), c.Right, c.Wrong, c.Missed)
	}
	return counts, nil
}
