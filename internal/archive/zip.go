package archive

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Zip record signatures and fixed lengths (APPNOTE.TXT 4.3).
const (
	sigCentral   = "PK\x01\x02"
	sigEnd       = "PK\x05\x06"
	sigEnd64     = "PK\x06\x06"
	sigLocator64 = "PK\x06\x07"
	centralLen   = 46
	endLen       = 22
	end64Len     = 56
	locator64Len = 20
	maxComment   = 0xFFFF
)

// zipDir is where a zip's central directory lies and how many entries it declares.
type zipDir struct {
	start, size int64
	records     uint64
}

// listZip walks the central directory alone: the local headers and the data are never read.
func listZip(r io.ReaderAt, size int64, w *walk) error {
	d, err := findZipDir(r, size)
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, d.start, d.size), 64<<10)
	var head [centralLen]byte
	var buf []byte
	for n := uint64(0); n < d.records; n++ {
		if _, err := io.ReadFull(br, head[:]); err != nil || string(head[:4]) != sigCentral {
			return fmt.Errorf("%w: the zip central directory breaks off at entry %d of %d", ErrCorrupt, n+1, d.records)
		}
		nameLen, extraLen := int(le16(head[28:])), int(le16(head[30:]))
		if cap(buf) < nameLen+extraLen {
			buf = make([]byte, nameLen+extraLen)
		}
		buf = buf[:nameLen+extraLen]
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("%w: the zip central directory breaks off in entry %d", ErrCorrupt, n+1)
		}
		if _, err := br.Discard(int(le16(head[32:]))); err != nil {
			return fmt.Errorf("%w: the zip central directory breaks off in entry %d", ErrCorrupt, n+1)
		}
		if more, err := addZipEntry(w, head[:], buf[:nameLen], buf[nameLen:]); !more || err != nil {
			return err
		}
	}
	return nil
}

// addZipEntry adds the entry that a central directory header, its name and extra fields declare.
func addZipEntry(w *walk, head, name, extra []byte) (bool, error) {
	usize := uint64(le32(head[24:]))
	mod := msdosTime(le16(head[14:]), le16(head[12:]))
	utf8Flag := le16(head[8:])&0x800 != 0
	var unicodePath []byte
	for f := extra; len(f) >= 4; {
		id, n := le16(f), int(le16(f[2:]))
		data := f[4:min(4+n, len(f))]
		switch {
		case id == 0x0001 && usize == math.MaxUint32 && len(data) >= 8: // zip64 sizes
			usize = binary.LittleEndian.Uint64(data)
		case id == 0x5455 && len(data) >= 5 && data[0]&1 != 0: // extended timestamp
			mod = time.Unix(int64(int32(le32(data[1:]))), 0).UTC()
		case id == 0x7075 && len(data) >= 5 && data[0] == 1 && le32(data[1:]) == crc32.ChecksumIEEE(name):
			unicodePath = data[5:] // Info-ZIP Unicode path, valid while it matches the name's CRC
		}
		f = f[4+len(data):]
	}
	s := zipName(name, utf8Flag)
	if unicodePath != nil {
		s = string(unicodePath)
	}
	dir := strings.HasSuffix(s, "/") || strings.HasSuffix(s, `\`)
	return w.add(s, int64(min(usize, math.MaxInt64)), dir, mod)
}

// zipName decodes a name: UTF-8 when flagged or valid (writers often omit the flag), and
// otherwise CP437, the zip format's original code page, so that old names stay readable.
func zipName(raw []byte, utf8Flag bool) string {
	if utf8Flag || utf8.Valid(raw) {
		return string(raw)
	}
	var b strings.Builder
	for _, c := range raw {
		b.WriteRune(charmap.CodePage437.DecodeByte(c))
	}
	return b.String()
}

// msdosTime reads an MS-DOS date and time, which carry no zone; they are taken as UTC.
func msdosTime(date, tod uint16) time.Time {
	if date == 0 {
		return time.Time{}
	}
	return time.Date(int(date>>9)+1980, time.Month(date>>5&0xF), int(date&0x1F),
		int(tod>>11), int(tod>>5&0x3F), int(tod&0x1F)*2, 0, time.UTC)
}

// findZipDir reads the end-of-central-directory record, and its zip64 form when there is one.
func findZipDir(r io.ReaderAt, size int64) (zipDir, error) {
	tail := min(size, endLen+maxComment)
	buf := make([]byte, tail)
	if n, _ := r.ReadAt(buf, size-tail); n < len(buf) {
		return zipDir{}, fmt.Errorf("%w: the zip's last %d bytes cannot be read", ErrCorrupt, tail)
	}
	i := lastEnd(buf)
	if i < 0 {
		return zipDir{}, fmt.Errorf("%w: no zip end-of-central-directory record", ErrCorrupt)
	}
	e, endAt := buf[i:], size-tail+int64(i)
	d := zipDir{records: uint64(le16(e[10:])), size: int64(le32(e[12:])), start: int64(le32(e[16:]))}
	if d.records == 0xFFFF || d.size == math.MaxUint32 || d.start == math.MaxUint32 {
		if d64, at, ok := readZip64Dir(r, endAt); ok {
			d, endAt = d64, at
		}
	}
	if d.start < 0 || d.size < 0 || d.size > endAt || d.start > endAt-d.size {
		return zipDir{}, fmt.Errorf("%w: the zip central directory lies outside the file", ErrCorrupt)
	}
	if d.records > 0 && !sigAt(r, d.start, sigCentral) && sigAt(r, endAt-d.size, sigCentral) {
		d.start = endAt - d.size // data prepended to the zip, as in a self-extractor
	}
	return d, nil
}

// lastEnd finds the last end-of-central-directory record whose comment fits in buf.
func lastEnd(buf []byte) int {
	for i := len(buf) - endLen; i >= 0; i-- {
		if string(buf[i:i+4]) == sigEnd && i+endLen+int(le16(buf[i+20:])) <= len(buf) {
			return i
		}
	}
	return -1
}

// readZip64Dir reads the zip64 end record that the locator before endAt points to, and says
// where that record starts: the central directory ends there.
func readZip64Dir(r io.ReaderAt, endAt int64) (zipDir, int64, bool) {
	var loc [locator64Len]byte
	if endAt < locator64Len || !readFull(r, loc[:], endAt-locator64Len) || string(loc[:4]) != sigLocator64 {
		return zipDir{}, 0, false
	}
	at := binary.LittleEndian.Uint64(loc[8:])
	var e [end64Len]byte
	if at > uint64(endAt) || !readFull(r, e[:], int64(at)) || string(e[:4]) != sigEnd64 {
		return zipDir{}, 0, false
	}
	size, start := binary.LittleEndian.Uint64(e[40:]), binary.LittleEndian.Uint64(e[48:])
	if size > math.MaxInt64 || start > math.MaxInt64 {
		return zipDir{}, 0, false
	}
	return zipDir{records: binary.LittleEndian.Uint64(e[32:]), size: int64(size), start: int64(start)}, int64(at), true
}

// sigAt says whether the four bytes at off are sig.
func sigAt(r io.ReaderAt, off int64, sig string) bool {
	var b [4]byte
	return off >= 0 && readFull(r, b[:], off) && string(b[:]) == sig
}

func readFull(r io.ReaderAt, b []byte, off int64) bool {
	n, _ := r.ReadAt(b, off)
	return n == len(b)
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
