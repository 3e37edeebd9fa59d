package screen

import (
	"testing"

	"github.com/accordapp/accord/internal/labelled"
)

// score prints precision and recall per language on a file of labelled examples.
func score(t *testing.T, path string) map[string]labelled.Counts {
	t.Helper()
	counts, err := labelled.ScoreFile(path, func(e labelled.Example) []string { return Scan(e.Text) }, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

func TestScreenOnTheLabelledExamples(t *testing.T) {
	for l, c := range score(t, "testdata/dev.jsonl") {
		if c.Wrong != 0 || c.Missed != 0 {
			t.Errorf("%s: %d found wrongly, %d missed on the labelled examples", l, c.Wrong, c.Missed)
		}
	}
}

// Messages written apart from the rules: they must carry over to other words and word forms.
func TestScreenOnMessagesItWasNotBuiltFrom(t *testing.T) {
	for l, c := range score(t, "testdata/heldout.jsonl") {
		if c.Precision() < 0.8 || c.Recall() < 0.8 {
			t.Errorf("%s: precision %.2f, recall %.2f; want both ≥ 0.80", l, c.Precision(), c.Recall())
		}
	}
}
