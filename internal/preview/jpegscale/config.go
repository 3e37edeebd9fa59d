package jpegscale

import (
	"bufio"
	"image"
	"io"
)

// DecodeConfig reads the header of a JPEG, up to its frame header, and returns its size and the
// colour model of the image that Decode (or image/jpeg) returns. It describes variants that Decode
// refuses with ErrUnsupported too, so that a caller can check their size before falling back.
func DecodeConfig(r io.Reader) (image.Config, error) {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, markSOI} {
		return image.Config{}, formatErr("missing SOI marker")
	}
	var h hints
	for {
		m, err := streamMarker(br)
		if err != nil {
			return image.Config{}, err
		}
		if (m >= markRST0 && m <= markRST7) || m == markTEM {
			continue
		}
		if m == markSOS || m == markEOI || m == markSOI {
			return image.Config{}, formatErr("no frame header before the image data")
		}
		p, err := streamPayload(br, m)
		if err != nil {
			return image.Config{}, err
		}
		if isFrameMarker(m) {
			return frameConfig(m, p, h)
		}
		h.parseApp(m, p)
	}
}

// frameConfig describes the frame of a SOFn segment.
func frameConfig(m byte, p []byte, h hints) (image.Config, error) {
	f, err := parseFrame(m, p)
	if err != nil {
		return image.Config{}, err
	}
	if n := len(f.comps); n != 1 && n != 3 && n != 4 {
		return image.Config{}, formatErr("neither 1, 3 nor 4 components")
	}
	return image.Config{ColorModel: f.colorModel(h), Width: f.width, Height: f.height}, nil
}

// streamMarker reads up to and including the next marker, skipping fill bytes and stray data.
func streamMarker(br *bufio.Reader) (byte, error) {
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, ErrTruncated
		}
		if c != 0xFF {
			continue
		}
		for c == 0xFF {
			if c, err = br.ReadByte(); err != nil {
				return 0, ErrTruncated
			}
		}
		if c != 0 {
			return c, nil
		}
	}
}

// streamPayload reads the payload of a segment that the header needs (SOFn, APP0, APP14) and
// skips that of any other.
func streamPayload(br *bufio.Reader, m byte) ([]byte, error) {
	var l [2]byte
	if _, err := io.ReadFull(br, l[:]); err != nil {
		return nil, ErrTruncated
	}
	n := be16(l[:]) - 2
	if n < 0 {
		return nil, formatErr("bad segment length")
	}
	if !isFrameMarker(m) && m != markAPP0 && m != markAPPE {
		if _, err := br.Discard(n); err != nil {
			return nil, ErrTruncated
		}
		return nil, nil
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(br, p); err != nil {
		return nil, ErrTruncated
	}
	return p, nil
}
