package screen

import (
	"regexp/syntax"
	"slices"
	"strings"
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

// The beginnings that let a text pass unread are ones every match has: a rule passed over would
// not have matched, on every labelled text, in its own case and in capitals.
func TestPassedOverRulesWouldNotMatch(t *testing.T) {
	var texts []string
	for _, path := range []string{"testdata/dev.jsonl", "testdata/heldout.jsonl"} {
		examples, err := labelled.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range examples {
			texts = append(texts, e.Text)
		}
	}
	texts = append(texts, everyday...)
	matched := 0
	for _, text := range texts {
		if got, upper := Scan(text), Scan(strings.ToUpper(text)); !slices.Equal(got, upper) {
			t.Errorf("%q: %v, but %v in capitals", text, got, upper)
		}
		low := strings.ToLower(text)
		for _, r := range rules {
			hit := r.re.MatchString(low)
			if hit && r.starts != nil && !containsAny(low, r.starts) {
				t.Errorf("%s matches %q, which holds none of its beginnings %q", r.code, text, r.starts)
			}
			if hit {
				matched++
			}
		}
	}
	if matched == 0 {
		t.Fatal("no rule matched any labelled text")
	}
}

func TestBeginnings(t *testing.T) {
	for _, c := range []struct {
		pattern string
		want    []string
	}{
		{`(?:three|3) digits on`, []string{"three digits on", "3 digits on"}},
		{`card (?:number|data)\p{L}*`, []string{"card number", "card data"}},
		{`кошел[её]к`, []string{"кошелек", "кошелёк"}},
		{`\p{L}*ing fee`, nil},
		{`(?:вашей )?карт`, nil},
		{`pay (?:only )?on`, []string{"pay "}},
	} {
		re, err := syntax.Parse(c.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := beginnings(re)
		if slices.Contains(got, "") {
			got = nil
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("beginnings(%q) = %q, want %q", c.pattern, got, c.want)
		}
	}
}

func TestRuleWordsMustBeLowerCase(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a rule with a capital letter was accepted; it could never match the lowered text")
		}
	}()
	either(Pressure, `Half price`)
}
