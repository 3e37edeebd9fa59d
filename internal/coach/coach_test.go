package coach

import (
	"testing"

	"github.com/accordapp/accord/internal/labelled"
)

// score prints precision and recall per language on a file of labelled examples.
func score(t *testing.T, path string) map[string]labelled.Counts {
	t.Helper()
	counts, err := labelled.ScoreFile(path, func(e labelled.Example) []string {
		return Categories(Check(e.Text, e.Language, e.ReplyToComplaint))
	}, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// The labelled examples: every category right, in each language.
func TestCoachOnTheLabelledExamples(t *testing.T) {
	for l, c := range score(t, "testdata/dev.jsonl") {
		if c.Wrong != 0 || c.Missed != 0 {
			t.Errorf("%s: %d found wrongly, %d missed on the labelled examples", l, c.Wrong, c.Missed)
		}
	}
}

// Replies written apart from the rules, in other words and word forms: the rules must carry
// over, not recite the examples.
func TestCoachOnRepliesItWasNotBuiltFrom(t *testing.T) {
	for l, c := range score(t, "testdata/heldout.jsonl") {
		if c.Precision() < 0.8 || c.Recall() < 0.8 {
			t.Errorf("%s: precision %.2f, recall %.2f on replies the rules were not built from; want both ≥ 0.80", l, c.Precision(), c.Recall())
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
