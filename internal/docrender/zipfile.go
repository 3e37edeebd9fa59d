package docrender

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// maxDirectoryBytes bounds what is read of an archive's directory, which archive/zip keeps in
// memory whole: 4 MiB holds some 40,000 entries, where a DOCX or ODT has a few dozen.
const maxDirectoryBytes = 4 << 20

var errDirectoryTooLarge = fmt.Errorf("%w: the archive's directory is over %d MiB", ErrTooLarge, maxDirectoryBytes>>20)

// meteredReaderAt fails once more than left bytes have been read, while left is not negative.
type meteredReaderAt struct {
	r    io.ReaderAt
	left int64
}

func (m *meteredReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if m.left >= 0 {
		if int64(len(p)) > m.left {
			return 0, errDirectoryTooLarge
		}
		m.left -= int64(len(p))
	}
	return m.r.ReadAt(p, off)
}

// openZip reads the directory of a zip archive of size bytes.
func openZip(r io.ReaderAt, size int64, kind string) (*zip.Reader, error) {
	m := &meteredReaderAt{r: r, left: maxDirectoryBytes}
	zr, err := zip.NewReader(m, size)
	if errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("%w: not a %s (zip) file: %v", ErrMalformed, kind, err)
	}
	m.left = -1 // the entries are read through capReaders
	return zr, nil
}

// openPart opens the entry name of an archive, reading at most max uncompressed bytes of it; it
// returns (nil, nil) if there is no such entry.
func openPart(zr *zip.Reader, name string, max int64) (io.ReadCloser, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		if f.UncompressedSize64 > uint64(max) {
			return nil, tooLargePart(name, max)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
		}
		return &capReader{rc: rc, r: io.LimitReader(rc, max+1), max: max, name: name}, nil
	}
	return nil, nil
}

func tooLargePart(name string, max int64) error {
	return fmt.Errorf("%w: %s is over %d KiB uncompressed", ErrTooLarge, name, max>>10)
}

// capReader fails with ErrTooLarge once more than max bytes are read, whatever the archive
// claimed the entry's size to be.
type capReader struct {
	rc   io.Closer
	r    io.Reader // rc, limited to max+1 bytes
	n    int64
	max  int64
	name string
}

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return 0, tooLargePart(c.name, c.max)
	}
	return n, err
}

func (c *capReader) Close() error { return c.rc.Close() }
