package archive

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var writeCorpus = flag.Bool("write-corpus", false, "rewrite testdata/fuzz/FuzzList from the builders")

// fuzzLimits are small, so that each input is quick and the limits themselves get exercised.
var fuzzLimits = Limits{MaxEntries: 64, MaxTotalSize: 1 << 20, MaxNameBytes: 48, MaxCompressedRead: 1 << 20}

// FuzzList lists each input as every format and checks what comes back.
func FuzzList(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{Zip, Tar, Gzip} {
			l, err := List(bytes.NewReader(data), int64(len(data)), kind, fuzzLimits)
			if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("%s: error %v is none of the package's", kind, err)
			}
			checkListing(t, l)
		}
	})
}

// checkListing fails unless every promise that a Listing makes holds.
func checkListing(t *testing.T, l Listing) {
	if len(l.Entries) > fuzzLimits.MaxEntries || l.TotalSize < 0 {
		t.Fatalf("%d entries, total %d", len(l.Entries), l.TotalSize)
	}
	for _, e := range l.Entries {
		if e.Size < 0 || !safeName(e.Name) {
			t.Fatalf("entry %q of size %d", e.Name, e.Size)
		}
	}
}

// safeName says whether a name is what cleanName promises.
func safeName(s string) bool {
	if s == unnamed {
		return true
	}
	if s == "" || len(s) > fuzzLimits.MaxNameBytes || !utf8.ValidString(s) || strings.ContainsAny(s, `\`) ||
		strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return false
	}
	for _, seg := range strings.Split(s, "/") {
		if strings.TrimRight(seg, ". ") == "" {
			return false
		}
	}
	return true
}

// TestWriteFuzzCorpus writes the seed corpus of FuzzList when run with -write-corpus.
func TestWriteFuzzCorpus(t *testing.T) {
	if !*writeCorpus {
		t.Skip("run with -write-corpus to rewrite the seed corpus")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzList")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// seeds are small valid archives of each format, and a few awkward ones.
func seeds(t *testing.T) map[string][]byte {
	files := []file{{"dir/", ""}, {"dir/a.txt", "hello"}, {"../up/b.txt", "world"}}
	tr := tarOf(t, files...)
	return map[string][]byte{
		"zip":           zipOf(t, files...),
		"zip-empty":     zipOf(t),
		"zip-cp437":     zipOf(t, file{"caf\x82.txt", "x"}),
		"tar":           tr,
		"tar-gz":        gzipOf(t, "", tr),
		"gz-bare":       gzipOf(t, "notes.txt", []byte("hello")),
		"tar-truncated": tr[:700],
		"tar-gz-big":    gzipOf(t, "", tarOf(t, file{"zeros", strings.Repeat("\x00", 1<<16)})),
		"garbage":       []byte("PK\x05\x06 not really an archive"),
	}
}
