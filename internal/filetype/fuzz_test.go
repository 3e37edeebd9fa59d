package filetype

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var writeCorpus = flag.Bool("write-corpus", false, "rewrite testdata/fuzz/FuzzDetect from the builders")

var kinds = []string{Image, PDF, Document, Archive, Video, Design, Other}

// FuzzDetect detects each input, also as a Markdown-named file, and checks what comes back.
func FuzzDetect(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Detect(bytes.NewReader(data), int64(len(data)))
		if err != nil || !slices.Contains(kinds, got.Kind) || got.MIME == "" || got.Ext == "" {
			t.Fatalf("Detect = %+v, %v", got, err)
		}
		if renderable(got.MIME) {
			t.Fatalf("a type that a browser may render: %+v", got)
		}
		named, err := DetectNamed(bytes.NewReader(data), int64(len(data)), "x.md")
		if err != nil || named != got && (got.Ext != ".txt" || named.Ext != ".md") {
			t.Fatalf("the name turned %+v into %+v (%v)", got, named, err)
		}
	})
}

// renderable says whether a browser may render a MIME type as a page or run it as a script.
func renderable(mime string) bool {
	essence, _, _ := strings.Cut(mime, ";")
	return strings.Contains(essence, "html") || strings.HasSuffix(essence, "xml") ||
		strings.Contains(essence, "script") || strings.Contains(essence, "svg")
}

// TestWriteFuzzCorpus writes the seed corpus of FuzzDetect when run with -write-corpus.
func TestWriteFuzzCorpus(t *testing.T) {
	if !*writeCorpus {
		t.Skip("run with -write-corpus to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDetect")
	must(t, os.MkdirAll(dir, 0o755))
	for name, data := range seeds(t) {
		must(t, os.WriteFile(filepath.Join(dir, name), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data), 0o644))
	}
}

// seeds are a small file of most types, and a few awkward ones.
func seeds(t *testing.T) map[string][]byte {
	return map[string][]byte{
		"png":      pngFile(t),
		"jpeg":     jpegFile(t),
		"gif":      gifFile(t),
		"webp":     webpFile(),
		"tiff-be":  tiffBE(),
		"heic":     isoFile("mif1", "mif1", "heic"),
		"mp4":      isoFile("isom", "isom", "avc1"),
		"webm":     ebmlFile("webm"),
		"pdf":      pdfFile(),
		"psd":      psdFile(1),
		"docx":     zipFile(t, docxParts...),
		"odt":      zipFile(t, odfParts("application/vnd.oasis.opendocument.text")...),
		"tar":      tarFile(t, part{"a.txt", "hello"}),
		"tar-gz":   gzipFile(t, tarFile(t, part{"a.txt", "hello"})),
		"bzip2":    []byte("BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00"),
		"text":     []byte("Привет, client.\n"),
		"utf16":    utf16File("Hello\r\n", true),
		"html":     []byte("<!DOCTYPE html><script>alert(1)</script>"),
		"zip-cut":  zipFile(t, docxParts...)[:120],
		"nul-text": []byte("text\x00"),
	}
}
