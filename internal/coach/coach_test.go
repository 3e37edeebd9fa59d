package coach

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

type example struct {
	Language         string   `json:"language"`
	ReplyToComplaint bool     `json:"reply_to_complaint"`
	Text             string   `json:"text"`
	Expect           []string `json:"expect"`
}

func examples(t *testing.T, path string) []example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []example
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e example
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, e)
	}
	return out
}

// score counts, per language, the categories found that were expected (tp), found but not
// expected (fp) and expected but not found (fn), and prints precision and recall.
func score(t *testing.T, name string, exs []example) map[string][3]int {
	t.Helper()
	counts := map[string][3]int{}
	for _, e := range exs {
		got := Categories(Check(e.Text, e.Language, e.ReplyToComplaint))
		c := counts[e.Language]
		for _, g := range got {
			if slices.Contains(e.Expect, g) {
				c[0]++
			} else {
				c[1]++
				t.Logf("%s %s: found %s in %q", name, e.Language, g, e.Text)
			}
		}
		for _, w := range e.Expect {
			if !slices.Contains(got, w) {
				c[2]++
				t.Logf("%s %s: missed %s in %q", name, e.Language, w, e.Text)
			}
		}
		counts[e.Language] = c
	}
	for _, l := range Languages {
		c := counts[l]
		p, r := ratio(c[0], c[0]+c[1]), ratio(c[0], c[0]+c[2])
		t.Logf("%s %s: precision %.2f, recall %.2f (%d found right, %d found wrongly, %d missed)", name, l, p, r, c[0], c[1], c[2])
	}
	return counts
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// The labelled examples: every category right, in each language.
func TestCoachOnTheLabelledExamples(t *testing.T) {
	for l, c := range score(t, "dev", examples(t, "testdata/dev.jsonl")) {
		if c[1] != 0 || c[2] != 0 {
			t.Errorf("%s: %d found wrongly, %d missed on the labelled examples", l, c[1], c[2])
		}
	}
}

// Replies written apart from the rules, in other words and word forms: the rules must carry
// over, not recite the examples.
func TestCoachOnRepliesItWasNotBuiltFrom(t *testing.T) {
	for l, c := range score(t, "held-out", examples(t, "testdata/heldout.jsonl")) {
		if p, r := ratio(c[0], c[0]+c[1]), ratio(c[0], c[0]+c[2]); p < 0.8 || r < 0.8 {
			t.Errorf("%s: precision %.2f, recall %.2f on replies the rules were not built from; want both ≥ 0.80", l, p, r)
		}
	}
}

// Offsets are in runes, so they point at the same words in Cyrillic as in Latin script.
func TestOffsetsAreRunes(t *testing.T) {
	text := "Спасибо. Вы явно проигнорировали бриф."
	for _, f := range Check(text, "ru", false) {
		if f.Category == Accusation {
			if got := string([]rune(text)[f.Start:f.End]); got != "Вы явно проигнорировали" {
				t.Errorf("the accusation spans %q", got)
			}
			return
		}
	}
	t.Fatal("no accusation found")
}
