package docrender

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fuzzKinds are the kinds FuzzExtract reads its input as, chosen by its second argument.
var fuzzKinds = []string{KindText, KindMarkdown, KindDOCX, KindODT}

// fuzzLimits are small, so that each input takes milliseconds.
var fuzzLimits = Limits{MaxEntryBytes: 1 << 20, MaxXMLTokens: 50_000, MaxRunes: 5_000}

func FuzzExtract(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, k byte) {
		d, err := extractBytes(data, fuzzKinds[int(k)%len(fuzzKinds)], fuzzLimits)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrMalformed) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		checkDoc(t, d)
		pages, _, err := Render(context.Background(), d, Options{Width: MinWidth, MaxPages: 2})
		if err != nil || len(pages) < 1 || len(pages) > 2 {
			t.Fatalf("Render: %d pages, %v", len(pages), err)
		}
	})
}

// checkDoc checks what Extract promises of a Doc: valid kinds, text within the rune budget,
// valid UTF-8 with no control characters but "\n" and "\t", and no empty runs.
func checkDoc(t *testing.T, d Doc) {
	t.Helper()
	runes := len(d.Blocks)
	for _, b := range d.Blocks {
		if b.Kind < Paragraph || b.Kind > Bullet {
			t.Fatalf("block kind %d", b.Kind)
		}
		for _, r := range b.Runs {
			if r.Text == "" || !utf8.ValidString(r.Text) {
				t.Fatalf("run %q", r.Text)
			}
			for _, c := range r.Text {
				if unicode.IsControl(c) && c != '\n' && c != '\t' {
					t.Fatalf("control character %U in %q", c, r.Text)
				}
			}
			runes += utf8.RuneCountInString(r.Text)
		}
	}
	if runes > fuzzLimits.MaxRunes {
		t.Fatalf("%d runes, over the limit of %d", runes, fuzzLimits.MaxRunes)
	}
}

// TestWriteFuzzSeeds writes the seed corpus of FuzzExtract to testdata when
// ACCORD_WRITE_FUZZ_SEEDS is set: each kind, and archives stored as well as deflated, so that
// mutations reach the XML.
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("ACCORD_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set ACCORD_WRITE_FUZZ_SEEDS=1 to rewrite testdata/fuzz/FuzzExtract")
	}
	utf16le := []byte{0xFF, 0xFE}
	for _, c := range "Здравей\r\nсвят" {
		utf16le = append(utf16le, byte(c), byte(c>>8))
	}
	docx := []part{{"[Content_Types].xml", contentTypes}, {"word/document.xml", documentXML(
		`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Заглавие</w:t></w:r></w:p>` +
			`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Жирный</w:t></w:r><w:r><w:tab/><w:t>текст</w:t><w:br/></w:r></w:p>` +
			`<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>точка</w:t></w:r></w:p>`)}}
	odt := []part{{"mimetype", "application/vnd.oasis.opendocument.text"}, {"content.xml", contentXML(
		`<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>`,
		`<text:h text:outline-level="1">Заглавие</text:h><text:p>Обычный <text:span text:style-name="T1">жирный</text:span>`+
			`<text:s text:c="2"/>текст<text:tab/><text:line-break/></text:p><text:list><text:list-item><text:p>точка</text:p></text:list-item></text:list>`)}}
	seeds := []struct {
		name string
		data []byte
		kind byte
	}{
		{"text-utf8", []byte("Привет, мир!\n\nЗдравей, свят!\tTab\n"), 0},
		{"text-utf16", utf16le, 0},
		{"markdown", []byte("# Заглавие\n\nТекст **удебелен** и *курсив*, `код`, [връзка](http://x).\n\n- точка\n- още\n\n```\ncode\n```\n"), 1},
		{"docx", zipWith(t, zip.Deflate, docx...), 2},
		{"docx-stored", zipWith(t, zip.Store, docx...), 2},
		{"odt", zipWith(t, zip.Deflate, odt...), 3},
		{"odt-stored", zipWith(t, zip.Store, odt...), 3},
	}
	for _, s := range seeds {
		if _, err := extractBytes(s.data, fuzzKinds[s.kind], fuzzLimits); err != nil {
			t.Fatalf("seed %s: %v", s.name, err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbyte(%q)\n", s.data, s.kind)
		if err := os.WriteFile(filepath.Join("testdata", "fuzz", "FuzzExtract", s.name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
