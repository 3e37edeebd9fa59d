package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPluralsAndData(t *testing.T) {
	c := New()
	cases := []struct {
		key  string
		data map[string]any
		want string
	}{
		{"term.revisions", map[string]any{"n": 1}, "1 round of revisions is included; more are paid work"},
		{"term.revisions", map[string]any{"n": 3}, "3 rounds of revisions are included; more are paid work"},
		{"milestone.prepayment_missing", map[string]any{"n": 2, "prepayment": "500.00 EUR", "received": "0.00 EUR"},
			"Milestone 2 cannot start: prepayment of 500.00 EUR not received (0.00 EUR so far)."},
		{"brief.not_draft", map[string]any{"state": "brief_sent"},
			"The brief can only be changed or sent while the engagement is a draft; it is waiting for the client's brief."},
		{"no.such.key", nil, "no.such.key"},
	}
	for _, tc := range cases {
		if got := c.T("en", tc.key, tc.data); got != tc.want {
			t.Errorf("T(%s, %v) = %q, want %q", tc.key, tc.data, got, tc.want)
		}
	}
	if got := c.Lang("bg-BG,ru;q=0.8"); got != "en" {
		t.Errorf("Lang falls back to %q, want en while only English exists", got)
	}
}

// Every message key the code and the templates name must be in the catalog, so no person
// ever reads a bare key.
func TestEveryKeyInUseIsInTheCatalog(t *testing.T) {
	c := New()
	root := filepath.Join("..", "..")
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`Errorf\([^,]+, "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\.Add\([^,]+, "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\bt \$?\.?[A-Za-z]* "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`Catalog\.T\([^,]+, "([a-z_.]*[a-z_])"`),
	}
	seen := 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if !strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, ".html") {
			return nil
		}
		b, _ := os.ReadFile(path)
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(string(b), -1) {
				seen++
				if !c.Has(m[1]) {
					t.Errorf("%s uses message %q, which the catalog lacks", path, m[1])
				}
			}
		}
		return nil
	})
	if seen < 100 {
		t.Fatalf("found only %d message uses; the scan is broken", seen)
	}
}
