package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"io"
	"math"

	"golang.org/x/image/tiff"
)

// x/image/tiff decodes a TIFF one strip or tile (a block) at a time into a buffer beside the
// image: a compressed block through a bytes.Buffer that doubles as it fills (at most 4 times
// the block in all), an uncompressed one in 10 MB chunks appended to each other (about 3
// times, and the chunk) or, under 10 MB, at once. Most TIFFs have strips of a few KB, but a
// TIFF written in one strip, as x/image/tiff itself writes them, costs that buffer per pixel.

const (
	tiffChunk = 10 << 20 // x/image/tiff's maxChunkSize

	tagBitsPerSample   = 258
	tagCompression     = 259
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagTileWidth       = 322
	tagTileLength      = 323
	maxTIFFEntries     = 4096
)

// tiffBytesPerPixel adds to bpp, the decoded image's, what the largest block's buffer costs per
// pixel of a w×h TIFF read from src, positioned at its start.
func tiffBytesPerPixel(src io.ReadSeeker, bpp, w, h int) int {
	ifd, err := readIFD(src)
	if err != nil {
		return bpp + 4*8 // the worst: one compressed strip that x/image/tiff cuts at 8 bytes per pixel
	}
	spp, bits := max(1, ifd[tagSamplesPerPixel]), max(1, ifd[tagBitsPerSample])
	bw, bh := w, h
	if ifd[tagTileWidth] > 0 {
		bw, bh = ifd[tagTileWidth], ifd[tagTileLength]
	} else if rows := ifd[tagRowsPerStrip]; rows > 0 && rows < h {
		bh = rows
	}
	if bw <= 0 || bh <= 0 || bw > maxDim || bh > maxDim || spp > 8 || bits > 64 {
		return bpp + 4*8
	}
	block := int64((bw*spp*bits+7)/8) * int64(bh)
	cost := block // uncompressed, read at once
	switch c := ifd[tagCompression]; {
	case c > 1:
		cost = 4 * block
	case block >= tiffChunk:
		cost = 3*block + tiffChunk
	}
	px := int64(w) * int64(h)
	return bpp + int((cost+px-1)/px)
}

// readIFD reads the first image file directory's entries of a TIFF: the first value of each
// of the tags that say how its pixel data is laid out.
func readIFD(r io.ReadSeeker) (map[int]int, error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	var hdr [8]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	var order binary.ByteOrder = binary.LittleEndian
	if string(hdr[:2]) == "MM" {
		order = binary.BigEndian
	}
	if _, err := r.Seek(start+int64(order.Uint32(hdr[4:])), io.SeekStart); err != nil {
		return nil, err
	}
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	count := int(order.Uint16(n[:]))
	if count > maxTIFFEntries {
		return nil, errors.New("preview: too many TIFF entries")
	}
	entries := make([]byte, 12*count)
	if _, err := io.ReadFull(r, entries); err != nil {
		return nil, err
	}
	ifd := map[int]int{}
	for e := entries; len(e) >= 12; e = e[12:] {
		tag, typ, cnt := int(order.Uint16(e)), order.Uint16(e[2:]), order.Uint32(e[4:])
		switch tag {
		case tagBitsPerSample, tagCompression, tagSamplesPerPixel, tagRowsPerStrip, tagTileWidth, tagTileLength:
		default:
			continue
		}
		v := e[8:12]
		switch {
		case typ == 3 && cnt > 2: // SHORTs stored elsewhere: the first will do
			if _, err := r.Seek(start+int64(order.Uint32(v)), io.SeekStart); err != nil {
				return nil, err
			}
			var b [2]byte
			if _, err := io.ReadFull(r, b[:]); err != nil {
				return nil, err
			}
			ifd[tag] = int(order.Uint16(b[:]))
		case typ == 3:
			ifd[tag] = int(order.Uint16(v))
		case typ == 4 && cnt == 1:
			ifd[tag] = int(min(order.Uint32(v), math.MaxInt32))
		}
	}
	return ifd, nil
}

// isTIFF reports whether a file starts as a TIFF does, in either byte order.
func isTIFF(prefix []byte) bool {
	return bytes.HasPrefix(prefix, []byte("II*\x00")) || bytes.HasPrefix(prefix, []byte("MM\x00*"))
}

// tiffReader is the TIFF starting at start in src as an io.ReaderAt, so that x/image/tiff reads
// its IFD and its blocks where they are instead of buffering the whole file up to them.
func tiffReader(src io.ReadSeeker, start int64) *io.SectionReader {
	ra, ok := src.(io.ReaderAt)
	if !ok {
		ra = seekReaderAt{src}
	}
	return io.NewSectionReader(ra, start, math.MaxInt64-start)
}

func decodeTIFF(src io.ReadSeeker, start int64) (image.Image, error) {
	return tiff.Decode(tiffReader(src, start))
}

// seekReaderAt reads at offsets by seeking: the decoder is the reader's only user meanwhile.
type seekReaderAt struct{ r io.ReadSeeker }

func (s seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}
