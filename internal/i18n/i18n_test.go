package i18n

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"
	"text/template/parse"
	"unicode"
)

func TestDataAndFallbacks(t *testing.T) {
	c := New()
	cases := []struct {
		lang, key string
		data      map[string]any
		want      string
	}{
		{"en", "term.revisions", map[string]any{"count": 1}, "1 round of revisions is included; more are paid work"},
		{"en", "term.revisions", map[string]any{"count": 3}, "3 rounds of revisions are included; more are paid work"},
		{"en", "brief.not_draft", map[string]any{"state": "brief_sent"},
			"The brief can be sent only while the engagement is a draft; it is waiting for the client's brief."},
		{"en", "no.such.key", nil, "no.such.key"},
		{"xx", "term.revisions", map[string]any{"count": 2}, "2 rounds of revisions are included; more are paid work"},
	}
	for _, tc := range cases {
		if got := c.T(tc.lang, tc.key, tc.data); got != tc.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tc.lang, tc.key, tc.data, got, tc.want)
		}
	}
	for accept, want := range map[string]string{"bg-BG,ru;q=0.8": "bg", "ru-RU": "ru", "de, ru;q=0.5": "ru", "de": "en", "": "en", "garbage;;": "en"} {
		if got := c.Lang(accept); got != want {
			t.Errorf("Lang(%q) = %q, want %q", accept, got, want)
		}
	}
}

// catalogs reads the message files as they are written: key → plural form → text.
func catalogs(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]map[string]string{}
	for _, lang := range []string{"en", "ru", "bg"} {
		b, err := os.ReadFile(filepath.Join("messages", lang+".json"))
		if err != nil {
			t.Fatalf("catalog %s: %v", lang, err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatalf("catalog %s: %v", lang, err)
		}
		msgs := map[string]map[string]string{}
		for k, v := range raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				msgs[k] = map[string]string{"": s}
				continue
			}
			var forms map[string]string
			if err := json.Unmarshal(v, &forms); err != nil {
				t.Fatalf("catalog %s, %s: neither text nor plural forms", lang, k)
			}
			msgs[k] = forms
		}
		out[lang] = msgs
	}
	return out
}

var pluralForms = map[string][]string{"en": {"one", "other"}, "ru": {"few", "many", "one", "other"}, "bg": {"one", "other"}}

var placeholder = regexp.MustCompile(`\{\{\s*\.([A-Za-z_]+)\s*\}\}`)

func placeholders(forms map[string]string) []string {
	var out []string
	for _, s := range forms {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	sort.Strings(out)
	return out
}

// Every catalog has every key, with the same placeholders and its language's plural forms.
func TestCatalogsMatch(t *testing.T) {
	cats := catalogs(t)
	en := cats["en"]
	for lang, msgs := range cats {
		for k, forms := range en {
			got, ok := msgs[k]
			if !ok {
				t.Errorf("%s.json lacks %q (en: %q)", lang, k, forms)
				continue
			}
			if _, plural := forms["other"]; plural {
				var have []string
				for f := range got {
					have = append(have, f)
				}
				sort.Strings(have)
				if !slices.Equal(have, pluralForms[lang]) {
					t.Errorf("%s.json %q has plural forms %v, want %v", lang, k, have, pluralForms[lang])
				}
			}
			if p, want := placeholders(got), placeholders(forms); !slices.Equal(p, want) {
				t.Errorf("%s.json %q uses placeholders %v, en uses %v", lang, k, p, want)
			}
			for _, s := range got {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s.json %q is empty", lang, k)
				}
			}
		}
		for k := range msgs {
			if _, ok := en[k]; !ok {
				t.Errorf("%s.json has %q, which en.json does not", lang, k)
			}
		}
	}
}

// Plural forms follow CLDR's rules: each count renders the form of its category.
func TestPluralsByCLDR(t *testing.T) {
	category := map[string]func(n int) string{
		"en": func(n int) string { return map[bool]string{true: "one", false: "other"}[n == 1] },
		"bg": func(n int) string { return map[bool]string{true: "one", false: "other"}[n == 1] },
		"ru": func(n int) string {
			switch {
			case n%10 == 1 && n%100 != 11:
				return "one"
			case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
				return "few"
			}
			return "many"
		},
	}
	c := New()
	cats := catalogs(t)
	checked := 0
	for lang, msgs := range cats {
		for k, forms := range msgs {
			if _, plural := forms["other"]; !plural {
				continue
			}
			for _, n := range []int{0, 1, 2, 5, 11, 21, 22, 25, 111} {
				data := map[string]any{"count": n}
				for _, p := range placeholders(forms) {
					if p != "count" {
						data[p] = "X"
					}
				}
				var want bytes.Buffer
				template.Must(template.New("").Parse(forms[category[lang](n)])).Execute(&want, data)
				if got := c.T(lang, k, data); got != want.String() {
					t.Errorf("%s %s at %d = %q, want the %s form %q", lang, k, n, got, category[lang](n), want.String())
				}
				checked++
			}
		}
	}
	if checked < 3*9*3 {
		t.Fatalf("checked only %d plural renderings", checked)
	}
}

// sources returns the text of the code and templates that people's words come from.
func sources(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join("..", "..")
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		if strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html") {
			b, _ := os.ReadFile(path)
			out[path] = string(b)
		}
		return nil
	})
	return out
}

// Every message key the code and the templates name must be in the catalog, so no person
// ever reads a bare key.
func TestEveryKeyInUseIsInTheCatalog(t *testing.T) {
	c := New()
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`Errorf\([^,]+, "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\.Add\([^,]+, "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\bt \$?\.?[A-Za-z]* "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`\.(?:T|In)\([^,]+, "([a-z_.]*[a-z_])"`),
		regexp.MustCompile(`(?:Key|key): +"([a-z_]+\.[a-z_.]*[a-z_])"`),
	}
	seen := 0
	for path, src := range sources(t) {
		for _, p := range patterns {
			for _, m := range p.FindAllStringSubmatch(src, -1) {
				seen++
				if !c.Has(m[1]) {
					t.Errorf("%s uses message %q, which the catalog lacks", path, m[1])
				}
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d message uses; the scan is broken", seen)
	}
}

// A key nothing names is dead weight that translators would keep up. A key counts as named
// when its text can be put together from at most three string literals of the code and the
// templates' actions ("state." + "agreement_" + "proposed"): keys are built from such parts.
func TestNoUnusedKeys(t *testing.T) {
	lits := map[string]bool{}
	for path, src := range sources(t) {
		if strings.HasSuffix(path, ".html") {
			src = strings.Join(actions.FindAllString(src, -1), "\n")
		}
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			lits[m[1]] = true
		}
	}
	for k := range catalogs(t)["en"] {
		if !assembled(k, lits, 3) {
			t.Errorf("en.json has %q, which nothing uses", k)
		}
	}
}

var (
	literal = regexp.MustCompile(`"([^"\\\n]*)"`)
	actions = regexp.MustCompile(`\{\{.*?\}\}`)
)

// assembled reports whether s is the join of at most n literals.
func assembled(s string, lits map[string]bool, n int) bool {
	if lits[s] {
		return true
	}
	if n <= 1 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if lits[s[:i]] && assembled(s[i:], lits, n-1) {
			return true
		}
	}
	return false
}

// Templates print only the catalog's words: their own text holds no letters but the brand's.
func TestTemplatesPrintOnlyCatalogText(t *testing.T) {
	dir := filepath.Join("..", "server", "templates")
	names, _ := filepath.Glob(filepath.Join(dir, "*.html"))
	if len(names) < 5 {
		t.Fatalf("found %d templates in %s", len(names), dir)
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	attr := regexp.MustCompile(`\b(?:placeholder|title|alt|aria-label|label)="([^"]*)"`)
	shownValue := regexp.MustCompile(`<input\b[^>]*\bvalue="([^"]*)"`) // a button's or an option's value is not shown
	for _, name := range names {
		b, _ := os.ReadFile(name)
		tr := parse.New(name)
		tr.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tr.Parse(string(b), "{{", "}}", trees); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var text strings.Builder
		for _, tree := range trees {
			walkText(tree.Root, &text)
		}
		s := text.String()
		for _, m := range append(attr.FindAllStringSubmatch(s, -1), shownValue.FindAllStringSubmatch(s, -1)...) {
			if hasWords(m[1]) && !strings.Contains(m[0], `type="hidden"`) && !strings.Contains(m[0], `type="checkbox"`) && !strings.Contains(m[0], `type="radio"`) {
				t.Errorf("%s: attribute text %q is not from the catalog", filepath.Base(name), m[1])
			}
		}
		for _, chunk := range strings.Split(tag.ReplaceAllString(s, "\x00"), "\x00") {
			if hasWords(chunk) {
				t.Errorf("%s: text %q is not from the catalog", filepath.Base(name), strings.TrimSpace(chunk))
			}
		}
	}
}

func hasWords(s string) bool {
	s = strings.ReplaceAll(s, "Accord", "")
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

func walkText(n parse.Node, out *strings.Builder) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkText(c, out)
		}
	case *parse.TextNode:
		out.Write(n.Text)
	case *parse.ActionNode:
		out.WriteString("\x01") // an action stands between texts, never joins two into one word
	case *parse.IfNode:
		walkText(n.List, out)
		walkText(n.ElseList, out)
	case *parse.RangeNode:
		walkText(n.List, out)
		walkText(n.ElseList, out)
	case *parse.WithNode:
		walkText(n.List, out)
		walkText(n.ElseList, out)
	}
}
