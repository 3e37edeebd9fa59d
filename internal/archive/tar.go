package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// blockLen is a tar header's length; the ustar magic sits at offset 257 in it.
const blockLen = 512

// listTar walks a tar's headers; data that src can seek past (a plain tar) is never read. When
// a capped reader feeds src, its failure is reported instead of the damage it causes.
func listTar(src io.Reader, w *walk, caps []*capped) error {
	tr := tar.NewReader(src)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) { // the name is neutralised below
			return readFailure(caps, fmt.Errorf("%w: a tar header after entry %d cannot be read: %v", ErrCorrupt, len(w.l.Entries), err))
		}
		if h.Typeflag == tar.TypeXGlobalHeader {
			continue // defaults for the entries that follow, not an entry
		}
		if more, err := w.add(h.Name, h.Size, h.Typeflag == tar.TypeDir, modTime(h)); !more || err != nil {
			return err
		}
	}
}

// listGzip lists a tar.gz's tar, or a bare gzipped file as its one entry, named by its header.
func listGzip(r io.ReaderAt, size int64, w *walk) error {
	in := &capped{r: io.NewSectionReader(r, 0, size), n: w.lim.MaxCompressedRead,
		err: fmt.Errorf("%w: listing needs more than %d bytes of gzip input", ErrTooLarge, w.lim.MaxCompressedRead)}
	zr, err := gzip.NewReader(in)
	if err != nil {
		return readFailure([]*capped{in}, fmt.Errorf("%w: the gzip header cannot be read: %v", ErrCorrupt, err))
	}
	out := &capped{r: zr, n: min(w.lim.MaxTotalSize, math.MaxInt64-headerAllowance) + headerAllowance,
		err: fmt.Errorf("%w: the tar inside decompresses past its declared sizes", ErrTooLarge)}
	caps := []*capped{in, out}
	br := bufio.NewReaderSize(out, 4096)
	block, err := br.Peek(blockLen)
	if err != nil && err != io.EOF { // io.EOF: a file shorter than a tar block
		return readFailure(caps, fmt.Errorf("%w: the gzip data cannot be read: %v", ErrCorrupt, err))
	}
	if len(block) == blockLen && string(block[257:262]) == "ustar" {
		if err := listTar(br, w, caps); err != nil || w.l.Truncated {
			return err
		}
		return drain(br, caps) // a tar ends before its gzip does; the rest proves the file whole
	}
	_, err = w.add(zr.Name, gzipSize(r, size), false, zr.ModTime.UTC())
	return err
}

// drain reads the gzip stream to its end, whose checksum tells damage apart from padding.
func drain(r io.Reader, caps []*capped) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return readFailure(caps, fmt.Errorf("%w: the gzip data after the tar cannot be read: %v", ErrCorrupt, err))
	}
	return nil
}

// gzipSize is the uncompressed size that a gzip trailer declares: modulo 4 GiB, and only the
// last member's.
func gzipSize(r io.ReaderAt, size int64) int64 {
	var b [4]byte
	if size < 4 || !readFull(r, b[:], size-4) {
		return 0
	}
	return int64(le32(b[:]))
}

// modTime is a header's modification time in UTC, or zero when it gives none.
func modTime(h *tar.Header) time.Time {
	if h.ModTime.Unix() == 0 {
		return time.Time{}
	}
	return h.ModTime.UTC()
}

// capped reads at most n bytes, then fails with err: unlike io.LimitReader it does not pretend
// that the stream ended, so that a limit is never mistaken for the end of an archive.
type capped struct {
	r   io.Reader
	n   int64
	err error
	hit bool
}

func (c *capped) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte
		if n, err := c.r.Read(one[:]); n == 0 && err == io.EOF {
			return 0, io.EOF // the stream ended just at the limit
		}
		c.hit = true
		return 0, c.err
	}
	p = p[:min(int64(len(p)), c.n)]
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// readFailure is the limit that a capped reader hit, if one did, and otherwise err.
func readFailure(caps []*capped, err error) error {
	for _, c := range caps {
		if c.hit {
			return c.err
		}
	}
	return err
}
