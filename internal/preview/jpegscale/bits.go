package jpegscale

import "encoding/binary"

// bitReader reads the entropy-coded data of a scan: it removes the 0x00 stuffed after each 0xFF
// byte and stops at the first marker, or the end of the data, feeding zero bits from there on
// and counting them so that reading past the real data can be detected.
type bitReader struct {
	data []byte
	pos  int    // next byte to load
	acc  uint64 // the low n bits are the next bits of the stream, first bit highest
	n    uint
	pad  uint // zero bytes fed after the data stopped
	stop bool // a marker or the end of data was reached
	eof  bool // it was the end of data
}

// reset starts reading at data[pos].
func (b *bitReader) reset(data []byte, pos int) {
	*b = bitReader{data: data, pos: pos}
}

// fill loads bytes until more than 56 bits are buffered.
func (b *bitReader) fill() {
	if !b.stop && b.pos+8 <= len(b.data) {
		x := binary.BigEndian.Uint64(b.data[b.pos:])
		if !hasFF(x) {
			k := (64 - b.n) >> 3
			b.acc = b.acc<<(8*k) | x>>(64-8*k)
			b.n += 8 * k
			b.pos += int(k)
			if b.n > 56 {
				return
			}
		}
	}
	for b.n <= 56 {
		b.acc = b.acc<<8 | uint64(b.next())
		b.n += 8
	}
}

// next returns the next data byte, or 0 once a marker or the end of data is reached.
func (b *bitReader) next() byte {
	if !b.stop {
		if b.pos >= len(b.data) {
			b.stop, b.eof = true, true
		} else if c := b.data[b.pos]; c != 0xFF {
			b.pos++
			return c
		} else if b.pos+1 < len(b.data) && b.data[b.pos+1] == 0 {
			b.pos += 2
			return 0xFF
		} else {
			b.stop, b.eof = true, b.pos+1 >= len(b.data)
		}
	}
	b.pad++
	return 0
}

// hasFF reports whether any byte of x is 0xFF.
func hasFF(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	v := ^x
	return (v-lo)&^v&hi != 0
}

// overrun reports whether bits past the real data have been consumed.
func (b *bitReader) overrun() bool {
	return b.pad*8 > b.n
}

// overrunErr says how the data stopped.
func (b *bitReader) overrunErr() error {
	if b.eof {
		return ErrTruncated
	}
	return formatErr("scan data ends before its last block")
}
