package pdfdoc

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	hash      = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	russian   = "Согласованный объём: 12 фотографий, две правки"
	bulgarian = "Предплащане: 400,00 €, получено"
)

// sampleDoc is an evidence report with a timeline of n rows.
func sampleDoc(n int) Doc {
	timeline := make([]Row, n)
	for i := range timeline {
		what := fmt.Sprintf("Message #%03d: the client asked for the colour of the second photo to be warmer", i)
		switch i % 3 {
		case 1:
			what = fmt.Sprintf("Сообщение #%03d: %s, и ещё одна правка по свету и кадрированию", i, russian)
		case 2:
			what = fmt.Sprintf("Съобщение #%03d: %s по банков път", i, bulgarian)
		}
		timeline[i] = Row{Cells: []string{fmt.Sprintf("2026-03-01 10:%02d", i%60), "Клиент", what}}
	}
	return Doc{
		Title:    "Evidence report: wedding photography",
		Subtitle: []string{"Freelancer: Иван Петров", "Client: Мария Иванова", "1 March 2026 – 30 April 2026"},
		Footer:   "Accord evidence report",
		Sections: []Section{
			{Heading: "Agreement", Text: []string{
				"The freelancer and the client agreed on the scope below. " + russian + ". " + bulgarian + ".",
				strings.Repeat("Это длинный абзац, который должен переноситься по словам и не обрезаться. ", 12),
			}},
			{Heading: "Files", Widths: []int{8, 4}, Rows: []Row{{Cells: []string{"delivery-final.zip", hash}, Mono: true}}},
			{Heading: "Hashes", Widths: []int{3, 9}, Rows: []Row{{Cells: []string{"sha256", hash}, Mono: true}}},
			{Heading: "Хронология / Timeline", Widths: []int{3, 2, 7}, Rows: timeline},
		},
	}
}

// wants is every piece of text in d that the PDF must contain.
func wants(d Doc) []string {
	w := append([]string{d.Title}, d.Subtitle...)
	for _, s := range d.Sections {
		w = append(append(w, s.Heading), s.Text...)
		for _, r := range s.Rows {
			w = append(w, r.Cells...)
		}
	}
	return w
}

func TestRenderKeepsAllText(t *testing.T) {
	for _, n := range []int{3, 200} {
		t.Run(strconv.Itoa(n)+" rows", func(t *testing.T) {
			d := sampleDoc(n)
			got := squash(withoutFooters(pdfText(t, render(t, d))))
			for _, w := range wants(d) {
				if !strings.Contains(got, squash(w)) {
					t.Errorf("the PDF text lacks %q", w)
				}
			}
		})
	}
}

func TestRenderFlowsOntoPages(t *testing.T) {
	d := sampleDoc(200)
	pdf := render(t, d)
	n := pageCount(t, pdf)
	if n < 2 {
		t.Fatalf("200 rows fill %d page; want more than one", n)
	}
	pages := strings.Split(strings.TrimSuffix(pdfText(t, pdf), "\f"), "\f")
	if len(pages) != n {
		t.Fatalf("pdftotext found %d pages, pdfinfo %d", len(pages), n)
	}
	for i, p := range pages {
		if want := fmt.Sprintf("%s · page %d / %d", d.Footer, i+1, n); !strings.Contains(p, want) {
			t.Errorf("page %d lacks the footer %q", i+1, want)
		}
	}
}

func TestRenderIsReproducible(t *testing.T) {
	d := sampleDoc(20)
	if a, b := render(t, d), render(t, d); !bytes.Equal(a, b) {
		t.Error("two renders of the same document differ")
	}
	if bytes.Contains(render(t, d), []byte("/CreationDate")) {
		t.Error("a document with no Created date has a /CreationDate")
	}
	d.Created = time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)
	pdf := render(t, d)
	for _, want := range []string{"/CreationDate (D:20260501123000)", "/ModDate (D:20260501123000)"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("the PDF lacks %s", want)
		}
	}
}

func TestRenderRejectsBadWidths(t *testing.T) {
	for name, s := range map[string]Section{
		"too few widths": {Widths: []int{6}, Rows: []Row{{Cells: []string{"a", "b"}}}},
		"over the grid":  {Widths: []int{6, 7}, Rows: []Row{{Cells: []string{"a", "b"}}}},
		"zero width":     {Widths: []int{0, 6}, Rows: []Row{{Cells: []string{"a", "b"}}}},
		"no cells":       {Rows: []Row{{}}},
		"13 cells":       {Rows: []Row{{Cells: make([]string, 13)}}},
	} {
		if _, err := Render(Doc{Sections: []Section{s}}); err == nil {
			t.Errorf("%s: Render returned no error", name)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	d := sampleDoc(50)
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

func render(t *testing.T, d Doc) []byte {
	t.Helper()
	pdf, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// pdfText is the text pdftotext lays out from pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return string(poppler(t, "pdftotext", pdf, "-layout", "-enc", "UTF-8", "-", "-"))
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

// poppler runs a poppler-utils tool with the PDF written to a file in place of "-"
// as the first argument after args[0]; a missing tool skips, or fails when CI is set.
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
	for i, a := range args {
		if a == "-" {
			args[i] = file
			break
		}
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return out
}

// withoutFooters drops the page footers, which fall between the lines of a paragraph
// that runs onto the next page.
func withoutFooters(text string) string {
	return regexp.MustCompile(`(?m)^.*page \d+ / \d+.*$`).ReplaceAllString(text, "")
}

// squash removes all whitespace, so text matches however it was wrapped.
func squash(s string) string { return strings.Join(strings.Fields(s), "") }
