package filetype

import (
	"bytes"
	"compress/bzip2"
	"errors"
	"io"
	"strings"
	"testing"

	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want Type
	}{
		{"png", pngFile(t), pngType},
		{"jpeg", jpegFile(t), jpegType},
		{"gif", gifFile(t), gifType},
		{"webp", webpFile(), webpType},
		{"tiff little-endian", tiffLE(t), tiffType},
		{"tiff big-endian", tiffBE(), tiffType},
		{"heic", isoFile("heic", "mif1", "heic"), heicType},
		{"heif naming heic among its brands", isoFile("mif1", "mif1", "heic"), heicType},
		{"heif", isoFile("mif1", "mif1", "miaf"), heifType},
		{"avif", isoFile("avif", "avif", "mif1", "miaf", "MA1B"), avifType},
		{"mp4", isoFile("isom", "isom", "iso2", "avc1", "mp41"), mp4Type},
		{"mov", isoFile("qt  ", "qt  "), movType},
		{"3gp", isoFile("3gp4", "isom", "3gp4"), gppType},
		{"m4a is audio", isoFile("M4A ", "M4A ", "mp42", "isom"), other},
		{"webm", ebmlFile("webm"), webmType},
		{"matroska", ebmlFile("matroska"), mkvType},
		{"avi", riffFile("AVI ", "LIST"), aviType},
		{"wav is audio", riffFile("WAVE", "fmt "), other},
		{"pdf", pdfFile(), pdfType},
		{"psd", psdFile(1), psdType},
		{"psb", psdFile(2), psbType},
		{"xcf", []byte("gimp xcf v011\x00\x00\x00\x00\x01"), xcfType},
		{"eps", []byte("%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"), epsType},
		{"docx", zipFile(t, docxParts...), docxType},
		{"docm", zipFile(t, append(docxParts, part{"word/vbaProject.bin", "\x00"})...), docmType},
		{"odt", zipFile(t, odfParts("application/vnd.oasis.opendocument.text")...), mimetypes["application/vnd.oasis.opendocument.text"]},
		{"krita", zipFile(t, odfParts("application/x-krita")...), mimetypes["application/x-krita"]},
		{"ods is an archive", zipFile(t, odfParts("application/vnd.oasis.opendocument.spreadsheet")...), zipType},
		{"zip", zipFile(t, part{"a.txt", "a"}, part{"b/c.png", "c"}), zipType},
		{"empty zip", zipFile(t), zipType},
		{"tar", tarFile(t, part{"a.txt", "hello"}), tarType},
		{"tar whose first entry imitates a pdf", tarFile(t, part{"%PDF-1.7 not really", "x"}), tarType},
		{"tar.gz", gzipFile(t, tarFile(t, part{"a.txt", "hello"})), tgzType},
		{"gz", gzipFile(t, []byte("just some text")), gzipType},
		{"bzip2", []byte("BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00"), bzip2Type},
		{"xz", []byte("\xFD7zXZ\x00\x00\x04\xE6\xD6\xB4\x46"), xzType},
		{"7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), sevenType},
		{"rar 4", []byte("Rar!\x1A\x07\x00\xCF\x90\x73"), rarType},
		{"rar 5", []byte("Rar!\x1A\x07\x01\x00\x33\x92"), rarType},
		{"text", []byte("Hello, client.\nThe draft is attached.\n"), utf8Text},
		{"cyrillic text with a BOM", []byte("\xEF\xBB\xBFСмета по проекту\r\n"), utf8Text},
		{"utf-16le", utf16File("Hello\r\n", false), utf16LEText},
		{"utf-16be", utf16File("Hello\r\n", true), utf16BEText},
		{"json", []byte(`{"a": [1, 2, 3]}`), utf8Text},
		{"html is plain text", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), utf8Text},
		{"svg is plain text", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), utf8Text},
		{"xml is plain text", []byte(`<?xml version="1.0"?><a/>`), utf8Text},
		{"text with a NUL", []byte("almost\x00text"), other},
		{"invalid utf-8", []byte("caf\xe9"), other},
		{"utf-16 without a BOM", utf16File("Hello", false)[2:], other},
		{"utf-16 cut in half a character", utf16File("Hello", false)[:5], other},
		{"elf", []byte("\x7FELF\x02\x01\x01\x00\x00\x00"), other},
		{"png cut in its signature", pngFile(t)[:4], other},
		{"docx cut short", zipFile(t, docxParts...)[:200], zipType},
		{"empty", nil, other},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Detect(bytes.NewReader(c.data), int64(len(c.data)))
			if err != nil || got != c.want {
				t.Fatalf("Detect = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestDetectNamed(t *testing.T) {
	markdown := Type{Document, "text/markdown; charset=utf-8", ".md"}
	for _, c := range []struct {
		name, file string
		data       []byte
		want       Type
	}{
		{"markdown", "README.md", []byte("# Delivery\n\n- logo\n"), markdown},
		{"markdown, upper case", `dir\NOTES.MARKDOWN`, []byte("*draft*"), markdown},
		{"utf-16 markdown", "a.md", utf16File("# Hi", false), Type{Document, "text/markdown; charset=utf-16le", ".md"}},
		{"text named .txt", "notes.txt", []byte("# not a heading"), utf8Text},
		{"png named .pdf", "invoice.pdf", pngFile(t), pngType},
		{"png named .md", "logo.md", pngFile(t), pngType},
		{"zip named .docx without word/document.xml", "report.docx", zipFile(t, docxParts[:2]...), zipType},
		{"html named .txt", "notes.txt", []byte("<html><body onload=alert(1)>"), utf8Text},
		{"html named .md", "page.md", []byte("\n  <script>alert(1)</script>\n# Title"), utf8Text},
		{"svg named .md", "x.md", []byte("<svg/>"), utf8Text},
		{"pdf named .html", "index.html", pdfFile(), pdfType},
		{"binary named .md", "x.md", []byte("\x00\x01"), other},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := DetectNamed(bytes.NewReader(c.data), int64(len(c.data)), c.file)
			if err != nil || got != c.want {
				t.Fatalf("DetectNamed = %+v, %v; want %+v", got, err, c.want)
			}
		})
	}
}

func TestDetectNeverRenderable(t *testing.T) {
	for _, s := range []string{"<html>", "<svg/>", "<?xml?>", "<!-- x -->", "<x:y/>", "<body>"} {
		got, _ := DetectNamed(strings.NewReader(s), int64(len(s)), "index.html")
		if renderable(got.MIME) {
			t.Errorf("%q: %+v", s, got)
		}
	}
}

func TestDetectLongText(t *testing.T) {
	// A text longer than SniffLen, cut by the sniffing within a character.
	s := strings.Repeat("x", SniffLen-1) + "ж and more"
	if got, err := Detect(strings.NewReader(s), int64(len(s))); err != nil || got != utf8Text {
		t.Fatalf("Detect = %+v, %v", got, err)
	}
	// The same cut is a fault when the file ends there.
	cut := s[:SniffLen]
	if got, _ := Detect(strings.NewReader(cut), int64(len(cut))); got != other {
		t.Fatalf("a file ending in half a character: %+v", got)
	}
}

// counter is a ReaderAt that counts the bytes asked of it.
type counter struct {
	r    io.ReaderAt
	read int64
}

func (c *counter) ReadAt(p []byte, off int64) (int, error) {
	c.read += int64(len(p))
	return c.r.ReadAt(p, off)
}

func TestDetectReadsABoundedPrefix(t *testing.T) {
	big := strings.Repeat("a long text file\n", 1<<20)
	c := &counter{r: strings.NewReader(big)}
	if got, err := Detect(c, int64(len(big))); err != nil || got != utf8Text || c.read > SniffLen {
		t.Fatalf("Detect = %+v, %v after reading %d bytes", got, err, c.read)
	}
	// A 1 MiB zip member: the start, the end and the central directory are read, not the member.
	z := zipFile(t, append(docxParts, part{"word/media/big.bin", strings.Repeat("\x00\xff", 1<<19)})...)
	c = &counter{r: bytes.NewReader(z)}
	if got, err := Detect(c, int64(len(z))); err != nil || got != docxType || c.read > 3*SniffLen {
		t.Fatalf("Detect = %+v, %v after reading %d of %d bytes", got, err, c.read, len(z))
	}
}

// failing is a reader that fails.
type failing struct{}

func (failing) ReadAt([]byte, int64) (int, error) { return 0, errors.New("disk on fire") }

func TestDetectErrors(t *testing.T) {
	if _, err := Detect(failing{}, 10); err == nil {
		t.Error("a failing reader gave no error")
	}
	if _, err := Detect(strings.NewReader("x"), -1); err == nil {
		t.Error("a negative size gave no error")
	}
	// A reader shorter than the size it came with: what it holds is the file.
	if got, err := Detect(bytes.NewReader(pngFile(t)), 1<<30); err != nil || got != pngType {
		t.Errorf("short reader: %+v, %v", got, err)
	}
}

func TestBuildersMakeRealFiles(t *testing.T) {
	if _, err := webp.Decode(bytes.NewReader(webpFile())); err != nil {
		t.Errorf("webp: %v", err)
	}
	if _, err := tiff.Decode(bytes.NewReader(tiffBE())); err != nil {
		t.Errorf("big-endian tiff: %v", err)
	}
	if n, err := io.Copy(io.Discard, bzip2.NewReader(bytes.NewReader([]byte("BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00")))); n != 0 || err != nil {
		t.Errorf("bzip2: %d bytes, %v", n, err)
	}
}
