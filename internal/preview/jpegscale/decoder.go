package jpegscale

import (
	"bytes"
	"image"
)

// decoder holds the state of one Decode: the data, the tables defined so far and the frame.
type decoder struct {
	data    []byte
	pos     int
	scale   int
	frame   *frame
	hints   hints
	restart int // MCUs per restart interval, 0 for none
	quant   [4][64]int32
	quantOK [4]bool
	huff    [2][4]huffTable // [class: 0 DC, 1 AC][id]
	huffOK  [2][4]bool
}

// decode walks the segments from SOI to EOI, decoding each scan as it comes.
func (d *decoder) decode() (image.Image, error) {
	if len(d.data) < 2 || d.data[0] != 0xFF || d.data[1] != markSOI {
		return nil, formatErr("missing SOI marker")
	}
	d.pos = 2
	for {
		m, ok := d.nextMarker()
		if !ok || m == markEOI {
			// Data that simply stops after the last scan is accepted, as by most decoders.
			return d.image()
		}
		if err := d.segment(m); err != nil {
			return nil, err
		}
	}
}

// nextMarker finds the next marker at or after d.pos, skipping fill bytes and any stray data.
func (d *decoder) nextMarker() (byte, bool) {
	for {
		i := bytes.IndexByte(d.data[d.pos:], 0xFF)
		if i < 0 {
			d.pos = len(d.data)
			return 0, false
		}
		d.pos += i + 1
		for d.pos < len(d.data) && d.data[d.pos] == 0xFF {
			d.pos++
		}
		if d.pos >= len(d.data) {
			return 0, false
		}
		m := d.data[d.pos]
		d.pos++
		if m != 0 {
			return m, true
		}
	}
}

// segment handles the segment of marker m.
func (d *decoder) segment(m byte) error {
	if (m >= markRST0 && m <= markRST7) || m == markTEM {
		return nil // no payload; a stray RSTn carries no information
	}
	if m == markSOI {
		return formatErr("second SOI marker")
	}
	p, err := d.payload()
	if err != nil {
		return err
	}
	switch {
	case isFrameMarker(m):
		return d.parseFrame(m, p)
	case m == markDAC:
		return unsupported("arithmetic coding")
	case m == markDHT:
		return d.parseDHT(p)
	case m == markDQT:
		return d.parseDQT(p)
	case m == markDRI:
		return d.parseDRI(p)
	case m == markSOS:
		return d.scan(p)
	case m == markAPP0 || m == markAPPE:
		d.hints.parseApp(m, p)
	}
	return nil // other APPn, COM, DNL and unknown segments are skipped
}

// payload returns the payload of the segment at d.pos and moves past it.
func (d *decoder) payload() ([]byte, error) {
	if d.pos+2 > len(d.data) {
		return nil, ErrTruncated
	}
	n := be16(d.data[d.pos:])
	if n < 2 {
		return nil, formatErr("bad segment length")
	}
	if d.pos+n > len(d.data) {
		return nil, ErrTruncated
	}
	p := d.data[d.pos+2 : d.pos+n]
	d.pos += n
	return p, nil
}

// parseFrame reads the SOFn segment and allocates the planes of a supported frame.
func (d *decoder) parseFrame(m byte, p []byte) error {
	if d.frame != nil {
		return formatErr("second frame header")
	}
	f, err := parseFrame(m, p)
	if err != nil {
		return err
	}
	if err := f.supported(); err != nil {
		return err
	}
	if len(f.comps) == 3 && !f.isRGB(d.hints) {
		if _, err := f.ratio(); err != nil {
			return err
		}
	}
	f.layout(d.scale)
	d.frame = f
	return nil
}

func (d *decoder) parseDRI(p []byte) error {
	if len(p) != 2 {
		return formatErr("bad DRI segment")
	}
	d.restart = be16(p)
	return nil
}
