package docrender

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// part is one entry of a test archive.
type part struct{ name, body string }

// zipOf returns an archive of parts, the first stored and the rest deflated.
func zipOf(t testing.TB, parts ...part) []byte { return zipWith(t, zip.Deflate, parts...) }

// zipWith returns an archive of parts, the first stored and the rest compressed by method.
func zipWith(t testing.TB, method uint16, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, p := range parts {
		m := method
		if i == 0 {
			m = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`

// documentXML wraps body in a WordprocessingML document.
func documentXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` +
		body + `</w:body></w:document>`
}

// docxOf returns a minimal DOCX whose body is body, with more parts if given.
func docxOf(t testing.TB, body string, more ...part) []byte {
	return zipOf(t, append([]part{{"[Content_Types].xml", contentTypes}, {"word/document.xml", documentXML(body)}}, more...)...)
}

// contentXML wraps automatic styles and a body in an OpenDocument content.xml.
func contentXML(styles, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:automatic-styles>` + styles + `</office:automatic-styles><office:body><office:text>` + body + `</office:text></office:body></office:document-content>`
}

// odtOf returns a minimal ODT whose body is body, with automatic styles.
func odtOf(t testing.TB, styles, body string) []byte {
	return zipOf(t,
		part{"mimetype", "application/vnd.oasis.opendocument.text"},
		part{"content.xml", contentXML(styles, body)},
	)
}

func extractBytes(data []byte, kind string, lim Limits) (Doc, error) {
	return Extract(bytes.NewReader(data), int64(len(data)), kind, lim)
}

var kindNames = map[BlockKind]string{Paragraph: "p", Heading1: "h1", Heading2: "h2", Heading3: "h3", Bullet: "li"}

// describe shows each block as its kind and text, bold text between asterisks.
func describe(d Doc) []string {
	var out []string
	for _, b := range d.Blocks {
		var sb strings.Builder
		sb.WriteString(kindNames[b.Kind] + ":")
		for _, r := range b.Runs {
			if r.Bold {
				sb.WriteString("*" + r.Text + "*")
			} else {
				sb.WriteString(r.Text)
			}
		}
		out = append(out, sb.String())
	}
	return out
}

func checkBlocks(t *testing.T, d Doc, want ...string) {
	t.Helper()
	got := describe(d)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n got %q\nwant %q", got, want)
	}
}
