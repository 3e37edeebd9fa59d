package labelled

import "testing"

// The scorer counts what was found right, found wrongly and missed, per language, so that a
// reader that finds nothing, or the wrong thing, cannot pass as perfect.
func TestScoreCounts(t *testing.T) {
	exs := []Example{
		{Language: "en", Text: "a", Expect: []string{"x", "y"}},
		{Language: "en", Text: "b", Expect: nil},
		{Language: "ru", Text: "c", Expect: []string{"x"}},
	}
	read := func(e Example) []string {
		switch e.Text {
		case "a":
			return []string{"x", "z"}
		case "b":
			return []string{"y"}
		}
		return nil
	}
	var notes int
	got := Score(exs, read, func(string, ...any) { notes++ })
	if got["en"] != (Counts{Right: 1, Wrong: 2, Missed: 1}) || got["ru"] != (Counts{Missed: 1}) || notes != 4 {
		t.Fatalf("counts %+v, %d notes", got, notes)
	}
	if p, r := got["en"].Precision(), got["en"].Recall(); p != 1.0/3 || r != 0.5 {
		t.Errorf("precision %v, recall %v", p, r)
	}
	if _, err := ScoreFile("testdata/none.jsonl", read, t.Logf); err == nil {
		t.Error("a missing file scored")
	}
}
