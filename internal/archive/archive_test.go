package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestListFormats(t *testing.T) {
	files := []file{{"docs/", ""}, {"docs/brief.txt", "the brief"}, {"logo.png", "not really a png"}}
	want := []Entry{{Name: "docs", Dir: true, ModTime: when}, {Name: "docs/brief.txt", Size: 9, ModTime: when},
		{Name: "logo.png", Size: 16, ModTime: when}}
	for _, c := range []struct {
		name, kind string
		data       []byte
		want       []Entry
	}{
		{"zip", Zip, zipOf(t, files...), want},
		{"tar", Tar, tarOf(t, files...), want},
		{"tar.gz", Gzip, gzipOf(t, "", tarOf(t, files...)), want},
		{"bare gz", Gzip, gzipOf(t, "notes.txt", []byte("hello, client")), []Entry{{Name: "notes.txt", Size: 13, ModTime: when}}},
		{"bare gz without a name", Gzip, gzipOf(t, "", []byte("x")), []Entry{{Name: unnamed, Size: 1, ModTime: when}}},
		{"empty zip", Zip, zipOf(t), nil},
		{"empty tar", Tar, tarOf(t), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := list(c.data, c.kind, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(l.Entries, c.want) || l.Truncated {
				t.Fatalf("listed %+v (truncated %v), want %+v", l.Entries, l.Truncated, c.want)
			}
			if l.TotalSize != sizes(c.want) {
				t.Errorf("total %d, want %d", l.TotalSize, sizes(c.want))
			}
		})
	}
}

func sizes(es []Entry) (n int64) {
	for _, e := range es {
		n += e.Size
	}
	return n
}

func TestListNeutralisesNames(t *testing.T) {
	files := []file{{"../../etc/passwd", "x"}, {"/abs/path", "x"}, {`C:\x\y`, "x"}, {"a/./b/../c", "x"}, {"..", "x"}}
	want := []string{"etc/passwd", "abs/path", "x/y", "a/b/c", unnamed}
	for kind, data := range map[string][]byte{Zip: zipOf(t, files...), Tar: tarOf(t, files...)} {
		l, err := list(data, kind, Limits{})
		if err != nil || !slices.Equal(names(l), want) {
			t.Errorf("%s: listed %q (err %v), want %q", kind, names(l), err, want)
		}
	}
}

func TestListZipNameEncodings(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	add := func(h *zip.FileHeader) {
		if _, err := zw.CreateHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	add(&zip.FileHeader{Name: "caf\x82 \x9c.txt", NonUTF8: true}) // CP437: é and £
	add(&zip.FileHeader{Name: "смета.pdf"})                       // archive/zip sets the UTF-8 flag
	raw := "r\x82sum\x82.doc"
	extra := binary.LittleEndian.AppendUint16(nil, 0x7075)
	extra = binary.LittleEndian.AppendUint16(extra, uint16(5+len("résumé.doc")))
	extra = binary.LittleEndian.AppendUint32(append(extra, 1), crc32.ChecksumIEEE([]byte(raw)))
	add(&zip.FileHeader{Name: raw, NonUTF8: true, Extra: append(extra, "résumé.doc"...)})
	add(&zip.FileHeader{Name: "evil\u202Egpj.exe\x1b[0m"})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := list(b.Bytes(), Zip, Limits{})
	want := []string{"café £.txt", "смета.pdf", "résumé.doc", "evilgpj.exe[0m"}
	if err != nil || !slices.Equal(names(l), want) {
		t.Fatalf("listed %q (err %v), want %q", names(l), err, want)
	}
}

func TestListZipManyEntries(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range 100_000 {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f/%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	l, err := list(b.Bytes(), Zip, Limits{})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("listing took %v", took)
	}
	if err != nil || len(l.Entries) != DefaultMaxEntries || !l.Truncated || l.Entries[9999].Name != "f/9999" {
		t.Fatalf("listed %d entries (truncated %v, err %v), want the first %d and truncated",
			len(l.Entries), l.Truncated, err, DefaultMaxEntries)
	}
}

func TestListZipDeclaredSizes(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, size := range []uint64{100, 1 << 40, 1 << 40} { // 1 TiB each: zip64 sizes
		h := &zip.FileHeader{Name: fmt.Sprint("bomb", i), Method: zip.Deflate, UncompressedSize64: size, CompressedSize64: 2}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte{3, 0}) // an empty deflate stream
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := list(b.Bytes(), Zip, Limits{})
	if !errors.Is(err, ErrTooLarge) || !slices.Equal(names(l), []string{"bomb0", "bomb1"}) || l.Entries[1].Size != 1<<40 {
		t.Fatalf("listed %+v, err %v; want the two first entries and ErrTooLarge", l.Entries, err)
	}
}

func TestListTarGzCompressedReadLimit(t *testing.T) {
	noise := make([]byte, 1<<20)
	rand.Read(noise)
	data := gzipOf(t, "", tarOf(t, file{"noise.bin", string(noise)}, file{"after.txt", "x"}))
	start := time.Now()
	l, err := list(data, Gzip, Limits{MaxCompressedRead: 64 << 10})
	if !errors.Is(err, ErrTooLarge) || !slices.Equal(names(l), []string{"noise.bin"}) {
		t.Fatalf("listed %q, err %v; want the first entry and ErrTooLarge", names(l), err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("took %v", took)
	}
	if l, err := list(data, Gzip, Limits{}); err != nil || len(l.Entries) != 2 {
		t.Fatalf("within the default limit: listed %q, err %v", names(l), err)
	}
}

func TestListTarDeclaredSizes(t *testing.T) {
	big := tarOf(t, file{"a", strings.Repeat("0", 3000)}, file{"b", "x"})
	for kind, data := range map[string][]byte{Tar: big, Gzip: gzipOf(t, "", big)} {
		l, err := list(data, kind, Limits{MaxTotalSize: 1000})
		if !errors.Is(err, ErrTooLarge) || !slices.Equal(names(l), []string{"a"}) {
			t.Errorf("%s: listed %q, err %v; want a and ErrTooLarge", kind, names(l), err)
		}
	}
}

func TestListLimits(t *testing.T) {
	data := tarOf(t, file{"a", ""}, file{"b", ""}, file{strings.Repeat("é", 40), ""}, file{"d", ""})
	l, err := list(data, Tar, Limits{MaxEntries: 3, MaxNameBytes: 11})
	if err != nil || !l.Truncated || !slices.Equal(names(l), []string{"a", "b", "ééééé"}) {
		t.Fatalf("listed %q (truncated %v, err %v)", names(l), l.Truncated, err)
	}
}

func TestListSkipsGlobalHeaders(t *testing.T) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeXGlobalHeader, Name: "global", PAXRecords: map[string]string{"comment": "x"}})
	tw.WriteHeader(&tar.Header{Name: strings.Repeat("long/", 30) + "name", Typeflag: tar.TypeReg, Format: tar.FormatPAX})
	tw.Close()
	l, err := list(b.Bytes(), Tar, Limits{})
	if err != nil || len(l.Entries) != 1 || !strings.HasSuffix(l.Entries[0].Name, "long/name") {
		t.Fatalf("listed %q, err %v", names(l), err)
	}
}

func TestListZipWithPrependedData(t *testing.T) {
	data := append([]byte("MZ a self-extractor stub\x00\x00"), zipOf(t, file{"inside.txt", "x"})...)
	if l, err := list(data, Zip, Limits{}); err != nil || !slices.Equal(names(l), []string{"inside.txt"}) {
		t.Fatalf("listed %q, err %v", names(l), err)
	}
}

func TestListCorrupt(t *testing.T) {
	z := zipOf(t, file{"a.txt", "hello"}, file{"b.txt", "world"})
	badDir := bytes.Clone(z)
	copy(badDir[bytes.LastIndex(badDir, []byte(sigCentral)):], "PK\x09\x09")
	tr := tarOf(t, file{"a.txt", strings.Repeat("a", 2000)}, file{"b.txt", "b"})
	badHeader := bytes.Clone(tr)
	badHeader[148] ^= 1 // the checksum
	tgz := gzipOf(t, "", tr)
	for _, c := range []struct {
		name, kind string
		data       []byte
	}{
		{"zip cut in half", Zip, z[:len(z)/2]},
		{"zip with a broken directory", Zip, badDir},
		{"not a zip", Zip, []byte("hello")},
		{"empty zip file", Zip, nil},
		{"tar cut in its data", Tar, tr[:1000]},
		{"tar with a bad checksum", Tar, badHeader},
		{"tar.gz cut short", Gzip, tgz[:len(tgz)/2]},
		{"not gzip", Gzip, []byte("hello")},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := list(c.data, c.kind, Limits{}); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestListNotArchive(t *testing.T) {
	if _, err := list([]byte("%PDF-1.7"), "application/pdf", Limits{}); !errors.Is(err, ErrNotArchive) {
		t.Fatalf("err %v, want ErrNotArchive", err)
	}
}
