package screen

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

type example struct {
	Language string   `json:"language"`
	Text     string   `json:"text"`
	Expect   []string `json:"expect"`
}

func load(t *testing.T, path string) []example {
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

// score prints precision and recall per language and returns found right, wrongly, missed.
func score(t *testing.T, name string, exs []example) map[string][3]int {
	t.Helper()
	counts := map[string][3]int{}
	for _, e := range exs {
		got := Scan(e.Text)
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
	for _, l := range []string{"en", "ru", "bg"} {
		c := counts[l]
		t.Logf("%s %s: precision %.2f, recall %.2f (%d right, %d wrong, %d missed)", name, l, ratio(c[0], c[0]+c[1]), ratio(c[0], c[0]+c[2]), c[0], c[1], c[2])
	}
	return counts
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func TestScreenOnTheLabelledExamples(t *testing.T) {
	for l, c := range score(t, "dev", load(t, "testdata/dev.jsonl")) {
		if c[1] != 0 || c[2] != 0 {
			t.Errorf("%s: %d found wrongly, %d missed on the labelled examples", l, c[1], c[2])
		}
	}
}

// Messages written apart from the rules: they must carry over to other words and word forms.
func TestScreenOnMessagesItWasNotBuiltFrom(t *testing.T) {
	for l, c := range score(t, "held-out", load(t, "testdata/heldout.jsonl")) {
		if p, r := ratio(c[0], c[0]+c[1]), ratio(c[0], c[0]+c[2]); p < 0.8 || r < 0.8 {
			t.Errorf("%s: precision %.2f, recall %.2f; want both ≥ 0.80", l, p, r)
		}
	}
}
