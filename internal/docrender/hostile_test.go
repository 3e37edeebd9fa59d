package docrender

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"time"
)

// bombDOCX returns a DOCX whose document.xml is n bytes: an opening tag and then spaces, which
// deflate to about a thousandth of that.
func bombDOCX(t testing.TB, n int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	head := `<w:document xmlns:w="` + wNS + `"><w:body><w:p><w:r><w:t>`
	if _, err := io.WriteString(w, head); err != nil {
		t.Fatal(err)
	}
	if _, err := io.CopyN(w, spaces{}, n-int64(len(head))); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// spaces reads as endless spaces.
type spaces struct{}

func (spaces) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestZipBomb(t *testing.T) {
	n, lim := int64(200<<20), Limits{}
	if testing.Short() {
		n, lim.MaxEntryBytes = 8<<20, 4<<20
	}
	data := bombDOCX(t, n)
	start := time.Now()
	_, err := extractBytes(data, KindDOCX, lim)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%d MiB document.xml in a %d KiB DOCX: got %v, want ErrTooLarge", n>>20, len(data)>>10, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v to refuse", d)
	}
	t.Logf("%d MiB in %d KiB refused in %v: %v", n>>20, len(data)>>10, time.Since(start), err)
}

// TestZipBombLying gives document.xml a declared size far below its real one, and far above
// the limit: either way reading stops early.
func TestZipBombLying(t *testing.T) {
	body := bytes.Repeat([]byte(" "), 64<<20)
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(body)
	fw.Close()
	for _, declared := range []uint64{100, 1 << 40} {
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: "word/document.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(deflated.Len()), UncompressedSize64: declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(deflated.Bytes())
		zw.Close()
		start := time.Now()
		_, err = extractBytes(out.Bytes(), KindDOCX, Limits{})
		if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrMalformed) || time.Since(start) > 2*time.Second {
			t.Errorf("declared %d bytes: got %v after %v", declared, err, time.Since(start))
		}
	}
}

func TestCapReader(t *testing.T) {
	c := &capReader{rc: io.NopCloser(nil), r: io.LimitReader(spaces{}, 11), max: 10, name: "x"}
	n, err := io.Copy(io.Discard, c)
	if !errors.Is(err, ErrTooLarge) || n > 10 {
		t.Errorf("read %d bytes, err %v", n, err)
	}
}

func TestXMLLimits(t *testing.T) {
	deep := strings.Repeat("<w:x>", 100_000) + strings.Repeat("</w:x>", 100_000)
	many := strings.Repeat("<w:p/>", 10_000)
	wide := `<w:p ` + strings.Repeat(`a=""`, 1<<20) + `/>`
	for name, body := range map[string]string{"deep": deep, "many tokens": many, "wide tag": wide} {
		t.Run(name, func(t *testing.T) {
			_, err := extractBytes(docxOf(t, body), KindDOCX, Limits{MaxXMLTokens: 5_000})
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("got %v, want ErrTooLarge", err)
			}
			t.Log(err)
		})
	}
}

func TestTagGuardSkipsComments(t *testing.T) {
	comment := `<!-- don't ` + strings.Repeat("x", 200<<10) + ` -->`
	d, err := extractBytes(docxOf(t, comment+`<w:p><w:r><w:t a='>'>ok</w:t></w:r></w:p>`), KindDOCX, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, d, "p:ok")
}

func TestZipDirectoryTooLarge(t *testing.T) {
	var parts []part
	for i := range 5000 {
		parts = append(parts, part{fmt.Sprintf("%04d-%s", i, strings.Repeat("n", 1000)), ""})
	}
	_, err := extractBytes(zipOf(t, parts...), KindODT, Limits{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}
