// Package archive lists what a zip, tar or gzip file holds without extracting anything: the
// names are made safe to show, and the walk stops at limits on entries, sizes and work.
package archive

import (
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// The formats List reads, named by the MIME types that filetype.Detect gives them.
const (
	Zip  = "application/zip"
	Tar  = "application/x-tar"
	Gzip = "application/gzip" // a tar.gz, or a single gzipped file
)

// Errors that List's callers can tell apart with errors.Is.
var (
	ErrNotArchive = errors.New("archive: not a zip, tar or gzip file; it cannot be listed")
	ErrTooLarge   = errors.New("archive: larger than the listing limits allow")
	ErrCorrupt    = errors.New("archive: damaged or truncated; it cannot be listed")
)

// Defaults for the zero fields of Limits.
const (
	DefaultMaxEntries        = 10_000
	DefaultMaxTotalSize      = 2 << 30   // more than 20 times the default 100 MiB upload
	DefaultMaxNameBytes      = 1024      // longer names are cut, on a character boundary
	DefaultMaxCompressedRead = 256 << 20 // more than any upload under the default limit
)

// headerAllowance is how much decompressed output, beyond the declared sizes, a gzip walk may
// read for tar headers, so that padded headers cannot stretch it.
const headerAllowance = 64 << 20

// Limits bound what List reads and returns; a field that is zero or less takes its default.
type Limits struct {
	MaxEntries        int   // entries listed; past them the Listing is Truncated
	MaxTotalSize      int64 // the sum of the declared uncompressed sizes; past it, ErrTooLarge
	MaxNameBytes      int   // of each neutralised name
	MaxCompressedRead int64 // of gzip input decompressed to walk a tar.gz's headers
}

// Entry is one file or directory that an archive declares.
type Entry struct {
	Name    string // neutralised: relative, '/'-separated, without "." or "..", printable
	Size    int64  // uncompressed, as declared
	Dir     bool
	ModTime time.Time // zero when the archive gives none
}

// Listing is what List found.
type Listing struct {
	Entries   []Entry
	Truncated bool  // the archive holds more than MaxEntries entries; the first ones are listed
	TotalSize int64 // the declared sizes of the listed entries, summed
}

// List lists the archive of the given kind (Zip, Tar or Gzip) that r holds in its first size
// bytes. It never extracts: only headers and, for zip, the central directory are read.
//
// It fails with ErrNotArchive for any other kind, ErrCorrupt when the archive cannot be read,
// and ErrTooLarge when the declared sizes pass MaxTotalSize or a tar.gz needs more than
// MaxCompressedRead of input; with ErrTooLarge the Listing holds the entries walked so far,
// so that a caller can show them with a warning.
func List(r io.ReaderAt, size int64, kind string, lim Limits) (Listing, error) {
	if size < 0 {
		return Listing{}, fmt.Errorf("%w: negative size %d", ErrCorrupt, size)
	}
	w := &walk{lim: lim.orDefaults()}
	var err error
	switch kind {
	case Zip:
		err = listZip(r, size, w)
	case Tar:
		err = listTar(io.NewSectionReader(r, 0, size), w, nil)
	case Gzip:
		err = listGzip(r, size, w)
	default:
		return Listing{}, fmt.Errorf("%w: the file is %q", ErrNotArchive, kind)
	}
	if err != nil && !errors.Is(err, ErrTooLarge) {
		return Listing{}, err
	}
	return w.l, err
}

// orDefaults returns l with each field that is zero or less set to its default.
func (l Limits) orDefaults() Limits {
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = DefaultMaxTotalSize
	}
	if l.MaxNameBytes <= 0 {
		l.MaxNameBytes = DefaultMaxNameBytes
	}
	if l.MaxCompressedRead <= 0 {
		l.MaxCompressedRead = DefaultMaxCompressedRead
	}
	return l
}

// walk collects entries within the limits, whatever the format.
type walk struct {
	lim Limits
	l   Listing
}

// add lists one entry and says whether the walk goes on; past MaxTotalSize it fails.
func (w *walk) add(name string, size int64, dir bool, mod time.Time) (bool, error) {
	if len(w.l.Entries) == w.lim.MaxEntries {
		w.l.Truncated = true
		return false, nil
	}
	size = max(size, 0)
	w.l.TotalSize += min(size, math.MaxInt64-w.l.TotalSize)
	w.l.Entries = append(w.l.Entries, Entry{Name: cleanName(name, w.lim.MaxNameBytes), Size: size, Dir: dir, ModTime: mod})
	if w.l.TotalSize > w.lim.MaxTotalSize {
		return false, fmt.Errorf("%w: the entries declare more than %d bytes uncompressed (a zip bomb's signature)",
			ErrTooLarge, w.lim.MaxTotalSize)
	}
	return true, nil
}
