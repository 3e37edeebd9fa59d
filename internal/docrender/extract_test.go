package docrender

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestExtractTextUTF8(t *testing.T) {
	src := "Здравей, свят!\r\nВтори ред.\r\n\r\nНовый абзац.\n\n\nEnglish\ttab\x00"
	d, err := extractBytes([]byte(src), KindText, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, d, "p:Здравей, свят!\nВтори ред.", "p:Новый абзац.", "p:", "p:English\ttab")
}

func TestExtractTextUTF16(t *testing.T) {
	for _, tc := range []struct {
		name string
		bom  []byte
		put  func(b []byte, v uint16) []byte
	}{
		{"LE", []byte{0xFF, 0xFE}, func(b []byte, v uint16) []byte { return append(b, byte(v), byte(v>>8)) }},
		{"BE", []byte{0xFE, 0xFF}, func(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.bom
			for _, u := range utf16.Encode([]rune("Привет, мир 𝄞\nЩастие")) {
				data = tc.put(data, u)
			}
			d, err := extractBytes(data, KindText, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			checkBlocks(t, d, "p:Привет, мир 𝄞\nЩастие")
		})
	}
}

func TestExtractTextWindows1251(t *testing.T) {
	data := []byte{0xCF, 0xF0, 0xE8, 0xE2, 0xE5, 0xF2} // "Привет" in Windows-1251
	d, err := extractBytes(data, KindText, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, d, "p:Привет")
}

func TestExtractMarkdown(t *testing.T) {
	src := "# Заглавие #\n\nТекст с **удебелен** и *курсив* и `код`, [връзка](https://example.com) и snake_case.\n" +
		"Продолжение строки.  \nТвёрдый перенос.\n\n" +
		"- първи\n* втори с __bold__\n  продолжение\n\n1. numbered\n\n" +
		"Setext\n======\n\n### Third\n\n#### Fourth\n\n> quoted\n\n---\n\n```go\nfunc main() {\n\tfmt.Println(\"**\")\n}\n```\n" +
		"Escaped \\*stars\\* and 2 * 3 * 4 and <b>tag</b> and <https://x.org>."
	d, err := extractBytes([]byte(src), KindMarkdown, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, d,
		"h1:Заглавие",
		"p:Текст с *удебелен* и курсив и код, връзка и snake_case. Продолжение строки.\nТвёрдый перенос.",
		"li:първи",
		"li:втори с *bold* продолжение",
		"p:1. numbered",
		"h1:Setext",
		"h3:Third",
		"h3:Fourth",
		"p:quoted",
		"p:",
		"p:func main() {\n    fmt.Println(\"**\")\n}",
		"p:Escaped *stars* and 2 * 3 * 4 and tag and https://x.org.",
	)
}

func TestExtractDOCX(t *testing.T) {
	styles := part{"word/styles.xml", `<?xml version="1.0"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My Section"/><w:basedOn w:val="2"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="Loud"><w:name w:val="Loud"/><w:rPr><w:b/></w:rPr></w:style>
</w:styles>`}
	body := `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Договор</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="1"/><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>Раздел первый</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Обычный текст, </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>жирный</w:t></w:r><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve"> и не</w:t></w:r><w:r><w:tab/><w:t>таб</w:t><w:br/><w:t>ред</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Mine"/></w:pPr><w:r><w:t>Втори раздел</w:t></w:r></w:p>
<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>Точка от списъка</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="ListParagraph"/></w:pPr><w:r><w:rPr><w:rStyle w:val="Loud"/></w:rPr><w:t>Ещё пункт</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>Трети</w:t></w:r><w:del><w:r><w:delText>изтрито</w:delText></w:r></w:del><w:ins><w:r><w:t> вмъкнато</w:t></w:r></w:ins></w:p>
<w:p><w:r><w:t>До рамки </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>в рамке</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>после</w:t></w:r></w:p>
<w:p/>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>клетка</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`
	d, err := extractBytes(docxOf(t, body, styles), KindDOCX, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, d,
		"h1:Договор",
		"h1:Раздел первый",
		"p:Обычный текст, *жирный* и не\tтаб\nред",
		"h2:Втори раздел",
		"li:Точка от списъка",
		"li:*Ещё пункт*",
		"h3:Трети вмъкнато",
		"p:До рамки ",
		"p:в рамке",
		"p:после",
		"p:",
		"p:клетка",
	)
}

func TestExtractODT(t *testing.T) {
	styles := `<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/>
<style:style style:name="P2" style:family="paragraph"><style:text-properties fo:font-weight="700"/></style:style>`
	body := `<text:p text:style-name="P1">Заглавие</text:p>
<text:h text:outline-level="2">Раздел  второй</text:h>
<text:p>Обычный <text:span text:style-name="T1">жирный</text:span> текст<text:s text:c="3"/>с пробелами<text:tab/>таб<text:line-break/>ред<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>бележка</text:p></text:note-body></text:note></text:p>
<text:list><text:list-item><text:p>Точка едно</text:p></text:list-item><text:list-item><text:p>Точка <text:a>две</text:a></text:p></text:list-item></text:list>
<text:p text:style-name="P2">Целият абзац</text:p>
<text:h text:outline-level="7">Дълбоко</text:h>
<text:p><text:s text:c="2000000000"/></text:p>`
	d, err := extractBytes(odtOf(t, styles, body), KindODT, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"h1:Заглавие",
		"h2:Раздел второй",
		"p:Обычный *жирный* текст   с пробелами\tтаб\nред",
		"li:Точка едно",
		"li:Точка две",
		"p:*Целият абзац*",
		"h3:Дълбоко",
	}
	got := describe(d)
	if len(got) != len(want)+1 || len(d.Blocks[len(want)].Runs[0].Text) != maxSpaces {
		t.Fatalf("got %q", got)
	}
	checkBlocks(t, Doc{Blocks: d.Blocks[:len(want)]}, want...)
}

func TestExtractTruncates(t *testing.T) {
	d, err := extractBytes([]byte("абвгд\n\nежзий\n\nклмно"), KindText, Limits{MaxRunes: 9})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Truncated {
		t.Error("not truncated")
	}
	checkBlocks(t, d, "p:абвгд", "p:ежз")
}

func TestExtractRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		kind string
		lim  Limits
		want error
	}{
		{"unknown kind", []byte("x"), "pdf", Limits{}, ErrUnsupported},
		{"not a zip", []byte("PK not really"), KindDOCX, Limits{}, ErrMalformed},
		{"no document.xml", zipOf(t, part{"word/other.xml", "<a/>"}), KindDOCX, Limits{}, ErrMalformed},
		{"no content.xml", zipOf(t, part{"mimetype", "x"}), KindODT, Limits{}, ErrMalformed},
		{"broken XML", docxOf(t, "<w:p><w:r>"), KindDOCX, Limits{}, ErrMalformed},
		{"mismatched tags", docxOf(t, "<w:p></w:r>"), KindDOCX, Limits{}, ErrMalformed},
		{"external entity", zipOf(t, part{"word/document.xml", `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="` + wNS + `"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`}), KindDOCX, Limits{}, ErrMalformed},
		{"over MaxInputBytes", []byte("0123456789"), KindText, Limits{MaxInputBytes: 9}, ErrTooLarge},
		{"styles.xml over MaxEntryBytes", docxOf(t, "", part{"word/styles.xml", "<a>" + strings.Repeat(" ", 2000) + "</a>"}), KindDOCX, Limits{MaxEntryBytes: 1000}, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := extractBytes(tc.data, tc.kind, tc.lim)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestKindFor(t *testing.T) {
	for name, want := range map[string]string{"a.TXT": KindText, "b.md": KindMarkdown, "c.docx": KindDOCX, "d.odt": KindODT, "e.pdf": "", "f": ""} {
		if got := KindFor(name); got != want {
			t.Errorf("KindFor(%q) = %q, want %q", name, got, want)
		}
	}
}
