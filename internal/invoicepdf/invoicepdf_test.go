package invoicepdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/phpdave11/gofpdf"
)

// samples are the documents every text check runs on.
func samples() map[string]Doc {
	return map[string]Doc{
		"invoice en":     invoiceEN(),
		"invoice ru":     invoiceRU(),
		"invoice bg":     invoiceBG(),
		"credit note bg": creditNoteBG(),
		"receipt ru":     receiptRU(),
	}
}

// wants is every string of d that the PDF must show.
func wants(d Doc) []string {
	w := []string{d.Title, d.FromLabel, d.From.Name, d.ToLabel, d.To.Name, d.PaymentLabel, d.Footer}
	w = append(append(w, d.From.Lines...), d.To.Lines...)
	for _, f := range append(append([]Field(nil), d.Meta...), d.Payment...) {
		w = append(w, f.Label, f.Value)
	}
	if len(d.Lines) > 0 {
		w = append(w, d.Columns[:]...)
	}
	for _, l := range d.Lines {
		w = append(w, l.Description, l.Quantity, l.UnitPrice, l.Amount)
	}
	for _, t := range d.Totals {
		w = append(w, t.Label, t.Amount)
	}
	return append(w, d.Notes...)
}

func TestRenderShowsAllText(t *testing.T) {
	for name, d := range samples() {
		t.Run(name, func(t *testing.T) {
			text := streamText(t, render(t, d))
			if strings.ContainsRune(text, utf8.RuneError) {
				t.Error("the PDF text holds U+FFFD, a character that did not survive")
			}
			got := squash(text)
			for _, w := range wants(d) {
				if !strings.Contains(got, squash(w)) {
					t.Errorf("the PDF text lacks %q", w)
				}
			}
		})
	}
}

// TestRenderKeepsCyrillic checks whole Cyrillic phrases letter for letter, ё and the
// Bulgarian ъ included, as pdftotext reads them back from the embedded fonts.
func TestRenderKeepsCyrillic(t *testing.T) {
	for d, phrases := range map[*Doc][]string{
		ptr(invoiceRU()): {"Счёт № INV-2026-0007", "Итого к оплате", "ООО «Ромашка»", "Ёлки-палки: съёмка переносится"},
		ptr(invoiceBG()): {"Фактура № 0000000007", "Общо за плащане", "Дата на данъчното събитие", "ул. „Шипка“ 12, 1504 София"},
	} {
		text := spaced(pdfText(t, render(t, *d)))
		for _, p := range phrases {
			if !strings.Contains(text, p) {
				t.Errorf("%s: the PDF text lacks %q", d.Title, p)
			}
		}
	}
}

// TestRenderKeepsAmountsBesideLabels checks that each total's amount is on the line of
// its label, and each line's amount on the line where its description starts.
func TestRenderKeepsAmountsBesideLabels(t *testing.T) {
	for name, d := range samples() {
		t.Run(name, func(t *testing.T) {
			lines := strings.Split(spaced(pdfText(t, render(t, d))), "\n")
			for _, tot := range d.Totals {
				if !onOneLine(lines, spaced(tot.Label), spaced(tot.Amount)) {
					t.Errorf("no line holds %q followed by %q", spaced(tot.Label), spaced(tot.Amount))
				}
			}
			for _, f := range append(append([]Field(nil), d.Meta...), d.Payment...) {
				if !onOneLine(lines, spaced(f.Label), spaced(f.Value)) {
					t.Errorf("no line holds %q followed by %q", spaced(f.Label), spaced(f.Value))
				}
			}
			for _, l := range d.Lines {
				first := strings.Join(strings.Fields(l.Description)[:2], " ")
				if !onOneLine(lines, first, l.Quantity, spaced(l.UnitPrice), spaced(l.Amount)) {
					t.Errorf("no line holds %q, then %q, %q and %q", first, l.Quantity, l.UnitPrice, l.Amount)
				}
			}
		})
	}
}

func TestRenderFlowsOntoPages(t *testing.T) {
	d := longInvoice(80)
	pdf := render(t, d)
	n := pageCount(t, pdf)
	if n < 2 {
		t.Fatalf("80 lines fill %d page; want more than one", n)
	}
	pages := strings.Split(strings.TrimSuffix(pdfText(t, pdf), "\f"), "\f")
	if len(pages) != n {
		t.Fatalf("pdftotext found %d pages, pdfinfo %d", len(pages), n)
	}
	all := squash(streamText(t, pdf))
	for i, l := range d.Lines {
		if c := strings.Count(all, squash(l.Description)); c != 1 {
			t.Errorf("line %d, %q, is in the PDF %d times; want once", i+1, l.Description, c)
		}
	}
	header := regexp.MustCompile(`(?m)^\s*Наименование\s+Кол-во\s+Цена\s+Сумма\s*$`)
	for i, p := range pages {
		// -layout may drop the spaces around the slash, which are there.
		if want := fmt.Sprintf(`\b%d ?/ ?%d$`, i+1, n); !regexp.MustCompile(want).MatchString(lastLine(p)) {
			t.Errorf("page %d ends with %q; want the page numbers %d / %d", i+1, lastLine(p), i+1, n)
		}
		if !strings.Contains(spaced(lastLine(p)), d.Footer) {
			t.Errorf("page %d ends with %q; want the footer %q", i+1, lastLine(p), d.Footer)
		}
		if strings.Contains(p, "Позиция") && len(header.FindAllString(p, -1)) != 1 {
			t.Errorf("page %d has lines of the table but not its header once:\n%s", i+1, p)
		}
	}
	if !strings.Contains(spaced(pages[n-1]), "Итого к оплате 3 168,00 €") {
		t.Error("the last page lacks the total")
	}
}

// TestRenderBreaksPagesWhereItCounts renders invoices around the first page break,
// where the totals and the payment box move to the next page, with a footer of one
// line and of two: the pages maroto makes are the pages the footers count.
func TestRenderBreaksPagesWhereItCounts(t *testing.T) {
	for n := 17; n <= 27; n++ {
		d := longInvoice(n)
		if n%2 == 0 {
			d.Footer = strings.Repeat("Длинный нижний колонтитул ", 10)
		}
		pdf := render(t, d)
		count := pageCount(t, pdf)
		pages := strings.Split(strings.TrimSuffix(pdfText(t, pdf), "\f"), "\f")
		if len(pages) != count {
			t.Fatalf("%d lines: pdftotext found %d pages, pdfinfo %d", n, len(pages), count)
		}
		for i, p := range pages {
			numbers := regexp.MustCompile(fmt.Sprintf(`\b%d ?/ ?%d\b`, i+1, count))
			if count > 1 && !numbers.MatchString(p) {
				t.Errorf("%d lines: page %d of %d does not say so; it ends with %q", n, i+1, count, lastLine(p))
			}
		}
	}
}

// TestMetricsMatchGofpdf checks the widths wrap measures against gofpdf's own, which
// maroto uses to decide whether a line fits: wrap's margin, fitShare, must cover the
// difference, or maroto would wrap a line again over the next one.
func TestMetricsMatchGofpdf(t *testing.T) {
	l, err := newLayout()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []face{l.cell, l.strong} {
		pdf := gofpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes(family, "", bytes.Clone(ttfs[f.style]))
		pdf.SetFont(family, "", f.size)
		for _, s := range wants(invoiceRU()) {
			want, got := pdf.GetStringWidth(s), f.width(s)
			if math.Abs(got-want) > want*(1-fitShare)/4+0.01 {
				t.Errorf("%q at %vpt %s: wrap measures %.3f mm, gofpdf %.3f mm", s, f.size, f.style, got, want)
			}
		}
	}
}

func TestRenderOnePageHasNoPageNumbers(t *testing.T) {
	text := pdfText(t, render(t, invoiceEN()))
	if regexp.MustCompile(`\d+ / \d+`).MatchString(text) {
		t.Errorf("a one-page invoice shows page numbers:\n%s", text)
	}
}

// TestRenderKeepsLongText sets the longest strings allowed: descriptions that wrap over
// many lines, a word too long for its column, and parties taller than a page.
func TestRenderKeepsLongText(t *testing.T) {
	d := invoiceEN()
	long := strings.Repeat("Retouching of skin, hair and background, ", 49)[:MaxRunes]
	word := strings.Repeat("ABCDEFGHIJ", 9) // 90 letters, no space to break at
	d.Lines = append(d.Lines,
		Line{Description: long, Quantity: "1", UnitPrice: "€1.00", Amount: "€1.00"},
		Line{Description: "See " + word + " for the gallery", Quantity: "1", UnitPrice: "€0.00", Amount: "€0.00"},
	)
	d.Notes = append(d.Notes, "Line one of a note\nline two of the same note", word+word)
	var lines []string
	for i := range MaxFields {
		lines = append(lines, fmt.Sprintf("Address line %02d: %s", i, strings.Repeat("far away ", 10)))
	}
	d.From.Lines, d.To.Lines = lines, lines[:10]
	pdf := render(t, d)
	if n := pageCount(t, pdf); n < 2 {
		t.Errorf("%d pages; the parties alone are taller than a page", n)
	}
	got := squash(streamText(t, pdf))
	for _, w := range wants(d) {
		if !strings.Contains(got, squash(w)) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
}

func TestRenderRefusesWhatItCannotSet(t *testing.T) {
	long := strings.Repeat("я", MaxRunes+1)
	tooMany := func(n int) []Line { return make([]Line, n) }
	for name, c := range map[string]struct {
		edit func(*Doc)
		want error
	}{
		"501 lines":           {func(d *Doc) { d.Lines = tooMany(MaxLines + 1) }, ErrTooLarge},
		"a long description":  {func(d *Doc) { d.Lines[0].Description = long }, ErrTooLarge},
		"a long title":        {func(d *Doc) { d.Title = long }, ErrTooLarge},
		"a long footer":       {func(d *Doc) { d.Footer = strings.Repeat("a", MaxFooter+1) }, ErrTooLarge},
		"too many meta":       {func(d *Doc) { d.Meta = make([]Field, MaxFields+1) }, ErrTooLarge},
		"too many characters": {func(d *Doc) { d.Lines = manyLines(MaxLines, 1000) }, ErrTooLarge},
		"the rouble sign":     {func(d *Doc) { d.Totals[0].Amount = "1" + nb + "234,50" + nb + "₽" }, ErrUnsupportedText},
		"an emoji":            {func(d *Doc) { d.Notes = []string{"Спасибо 🙂"} }, ErrUnsupportedText},
		"Chinese":             {func(d *Doc) { d.To.Name = "中国" }, ErrUnsupportedText},
		"a control character": {func(d *Doc) { d.Meta[0].Value = "12\x07" }, ErrUnsupportedText},
		"invalid UTF-8":       {func(d *Doc) { d.From.Lines[0] = "\xff\xfe" }, ErrUnsupportedText},
		"no title":            {func(d *Doc) { d.Title = " " }, ErrInvalid},
		"a bad language":      {func(d *Doc) { d.Lang = "ru) /Evil (" }, ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			d := invoiceRU()
			c.edit(&d)
			pdf, err := Render(d)
			if !errors.Is(err, c.want) {
				t.Fatalf("Render: %v; want an error wrapping %v", err, c.want)
			}
			if pdf != nil {
				t.Error("Render returned a PDF along with its error")
			}
			t.Log(err)
		})
	}
}

func TestRenderAcceptsTheLimits(t *testing.T) {
	d := invoiceRU()
	d.Lines = manyLines(MaxLines, MaxTotalRunes/MaxLines-100)
	start := time.Now()
	pdf := render(t, d)
	t.Logf("%d lines of %d characters: %d pages, %d KiB in %v", len(d.Lines), utf8.RuneCountInString(d.Lines[0].Description),
		pageCount(t, pdf), len(pdf)/1024, time.Since(start).Round(time.Millisecond))
}

func TestRenderSpacesTheFontsLack(t *testing.T) {
	d := invoiceEN()
	d.Totals[0].Amount = "1\u202f234.50\u2009€" // narrow no-break space, thin space
	d.Notes = []string{"Tab\there, soft\u00adhyphen, zero\u200bwidth"}
	text := spaced(pdfText(t, render(t, d)))
	for _, w := range []string{"Net 1 234.50 €", "Tab here, softhyphen, zerowidth"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF text lacks %q", w)
		}
	}
}

func TestRenderDoesNotChangeItsInput(t *testing.T) {
	d := invoiceEN()
	d.Lines[0].Description = "tab\there"
	Render(d)
	if d.Lines[0].Description != "tab\there" {
		t.Errorf("Render changed the caller's line to %q", d.Lines[0].Description)
	}
}

func TestRenderSetsMetadata(t *testing.T) {
	d := invoiceRU()
	d.Created = time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)
	info := string(poppler(t, "pdfinfo", render(t, d), "-isodates", "-"))
	for _, want := range []string{
		`(?m)^Title:\s+Счёт № INV-2026-0007$`,
		`(?m)^Subject:\s+Счёт № INV-2026-0007$`,
		`(?m)^Author:\s+ИП Петров Иван Сергеевич$`,
		`(?m)^Creator:\s+Accord$`,
		`(?m)^CreationDate:\s+2026-03-12T09:30:00`,
		`(?m)^ModDate:\s+2026-03-12T09:30:00`,
		`(?m)^Page size:\s+595\.28 x 841\.89 pts \(A4\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(info) {
			t.Errorf("pdfinfo does not match %s:\n%s", want, info)
		}
	}
}

func TestRenderSetsLanguage(t *testing.T) {
	for _, lang := range []string{"en", "ru", "bg", "bg-BG"} {
		d := invoiceBG()
		d.Lang = lang
		pdf := render(t, d)
		if !bytes.Contains(pdf, []byte("/Lang ("+lang+")")) {
			t.Errorf("%s: the catalog has no /Lang (%s)", lang, lang)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.4")) {
			t.Errorf("%s: the PDF says it is version %q; /Lang needs 1.4", lang, pdf[:8])
		}
		// poppler complains on stderr of a broken cross-reference table, which it repairs.
		poppler(t, "pdfinfo", pdf, "-")
	}
	if pdf := render(t, Doc{Title: "No language"}); bytes.Contains(pdf, []byte("/Lang")) {
		t.Error("a document with no Lang has a /Lang")
	}
}

func TestRenderIsReproducible(t *testing.T) {
	d := longInvoice(30)
	a, b := render(t, d), render(t, d)
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same document differ")
	}
	if bytes.Contains(a, []byte("/CreationDate")) {
		t.Error("a document with no Created date has a /CreationDate")
	}
}

func TestRenderMinimal(t *testing.T) {
	text := pdfText(t, render(t, Doc{Title: "Receipt 1", Totals: []Total{{Label: "Paid", Amount: "€1.00", Strong: true}}}))
	if !strings.Contains(spaced(text), "Receipt 1") || !onOneLine(strings.Split(spaced(text), "\n"), "Paid", "€1.00") {
		t.Errorf("unexpected text:\n%s", text)
	}
}

func BenchmarkRender(b *testing.B) {
	d := longInvoice(50)
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

func manyLines(n, runes int) []Line {
	ls := make([]Line, n)
	for i := range ls {
		desc := fmt.Sprintf("Line %03d ", i) + strings.Repeat("слово ", runes)
		ls[i] = Line{Description: string([]rune(desc)[:runes]), Quantity: "1", UnitPrice: "1,00" + nb + "€", Amount: "1,00" + nb + "€"}
	}
	return ls
}

func ptr[T any](v T) *T { return &v }

func render(t *testing.T, d Doc) []byte {
	t.Helper()
	pdf, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("INVOICEPDF_OUT"); dir != "" { // to look at the PDFs
		name := regexp.MustCompile(`\W+`).ReplaceAllString(t.Name(), "_") + ".pdf"
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pdf
}

// pdfText is the text pdftotext lays out from pdf, keeping the lines of the page:
// side by side columns share lines, so a wrapped description is interleaved with the
// amounts beside it.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return string(poppler(t, "pdftotext", pdf, "-layout", "-enc", "UTF-8", "-", "-"))
}

// streamText is the text pdftotext reads from pdf in the order it is drawn, which is
// column after column: each wrapped text comes out whole.
func streamText(t *testing.T, pdf []byte) string {
	t.Helper()
	return string(poppler(t, "pdftotext", pdf, "-raw", "-enc", "UTF-8", "-", "-"))
}

func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(poppler(t, "pdfinfo", pdf, "-"))
	if m == nil {
		t.Fatal("pdfinfo printed no page count")
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// poppler runs a poppler-utils tool with the PDF written to a file in place of the
// first "-" among args; a missing tool skips the test, or fails it when CI is set. It
// fails when the tool writes to stderr, as poppler does of a PDF it finds broken.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		msg := tool + " is not installed (Debian: apt-get install poppler-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so the PDF checks may not be skipped")
		}
		t.Skip(msg + "; skipping the PDF checks, which fail instead when CI is set")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append([]string(nil), args...)
	for i, a := range args {
		if a == "-" {
			args[i] = file
			break
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(tool, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v: %s", tool, err, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s complains of the PDF: %s", tool, stderr.Bytes())
	}
	return out
}

// spaced makes no-break spaces plain and runs of spaces one, line by line.
func spaced(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, nb, " "), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// squash removes all whitespace, so text matches however it was wrapped.
func squash(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, nb, " ")), "") }

// onOneLine reports whether one of lines holds all parts, in order.
func onOneLine(lines []string, parts ...string) bool {
	for _, l := range lines {
		rest, ok := l, true
		for _, p := range parts {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

func lastLine(page string) string {
	lines := strings.Split(strings.TrimRight(page, "\n "), "\n")
	return lines[len(lines)-1]
}

func TestRenderConcurrently(t *testing.T) {
	want := render(t, invoiceBG())
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			pdf, err := Render(invoiceBG())
			if err == nil && !bytes.Equal(pdf, want) {
				err = errors.New("a concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
