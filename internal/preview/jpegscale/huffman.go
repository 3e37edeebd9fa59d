package jpegscale

// fastBits is the width of the lookup that decodes most Huffman codes in one step.
const fastBits = 9

// huffTable is a Huffman table (T.81 annex C) ready for decoding: codes of up to fastBits bits
// come from one lookup, longer ones from the canonical-code limits of annex F.2.2.3.
type huffTable struct {
	// fast maps the next fastBits bits to length<<8 | symbol, or to 0 for a longer code.
	fast [1 << fastBits]uint16
	// fastAC maps the next fastBits bits, when they hold both the code of an AC coefficient and
	// its magnitude bits, to value<<16 | run<<8 | bits used; otherwise to 0.
	fastAC  [1 << fastBits]int32
	maxcode [17]int32 // largest code of each length, -1 if none
	delta   [17]int32 // index in vals of a code of each length, minus the code
	count   int32
	vals    [256]byte
}

// build makes the table from the code counts per length (BITS) and the symbols (HUFFVAL),
// refusing counts that assign more codes to a length than it has.
func (t *huffTable) build(counts *[16]byte, vals []byte) error {
	*t = huffTable{count: int32(len(vals))}
	copy(t.vals[:], vals)
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.delta[l] = k - code
		t.maxcode[l] = -1
		if n > 0 {
			if code+n > 1<<l {
				return formatErr("over-subscribed Huffman table")
			}
			t.fillFast(l, code, k, n)
			code, k = code+n, k+n
			t.maxcode[l] = code - 1
		}
		code <<= 1
	}
	t.fillFastAC()
	return nil
}

// fillFastAC derives fastAC from fast.
func (t *huffTable) fillFastAC() {
	for i, e := range t.fast {
		l, size, run := uint(e>>8), uint(e&15), int32(e>>4&15)
		if e == 0 || size == 0 || l+size > fastBits {
			continue
		}
		bits := uint64(i) & (1<<(fastBits-l) - 1)
		v := extend(bits, fastBits-l, size)
		t.fastAC[i] = v<<16 | run<<8 | int32(l+size)
	}
}

// lookup decodes the Huffman code at the top of the n buffered bits of acc (n ≥ 16). It returns
// the symbol and the code's length, or a length of 0 for a bit pattern that is no code.
func (t *huffTable) lookup(acc uint64, n uint) (int, uint) {
	if e := t.fast[(acc>>(n-fastBits))&(1<<fastBits-1)]; e != 0 {
		return int(e & 0xFF), uint(e >> 8)
	}
	return t.lookupLong(acc, n)
}

// lookupLong decodes a code longer than fastBits by the limits of each length (T.81 F.2.2.3).
//
//go:noinline
func (t *huffTable) lookupLong(acc uint64, n uint) (int, uint) {
	bits := int32((acc >> (n - 16)) & 0xFFFF)
	for l := fastBits + 1; l <= 16; l++ {
		code := bits >> (16 - l)
		if code <= t.maxcode[l] {
			i := code + t.delta[l]
			if i < 0 || i >= t.count {
				return 0, 0
			}
			return int(t.vals[i]), uint(l)
		}
	}
	return 0, 0
}

// extend reads the s-bit magnitude (0 < s ≤ 16) at the top of the n buffered bits of acc and
// extends it to a signed value (T.81 F.2.2.1).
func extend(acc uint64, n, s uint) int32 {
	v := int32((acc >> (n - s)) & (1<<s - 1))
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// fillFast enters the n codes of length l, starting at code and symbol index k, into fast.
func (t *huffTable) fillFast(l int, code, k, n int32) {
	if l > fastBits {
		return
	}
	shift := fastBits - l
	for i := int32(0); i < n; i++ {
		e := uint16(l)<<8 | uint16(t.vals[k+i])
		lo := (code + i) << shift
		for j := lo; j < lo+1<<shift; j++ {
			t.fast[j] = e
		}
	}
}

// parseDHT reads the tables of a DHT segment into d.huff.
func (d *decoder) parseDHT(p []byte) error {
	for len(p) > 0 {
		if len(p) < 17 {
			return formatErr("short DHT segment")
		}
		class, id := p[0]>>4, p[0]&15
		if class > 1 || id > 3 {
			return formatErr("bad Huffman table class or id")
		}
		var counts [16]byte
		copy(counts[:], p[1:17])
		n := 0
		for _, c := range counts {
			n += int(c)
		}
		if n > 256 || len(p) < 17+n {
			return formatErr("bad DHT segment length")
		}
		if err := d.huff[class][id].build(&counts, p[17:17+n]); err != nil {
			return err
		}
		d.huffOK[class][id] = true
		p = p[17+n:]
	}
	return nil
}

// parseDQT reads the tables of a DQT segment, 8- or 16-bit, into d.quant in zig-zag order.
func (d *decoder) parseDQT(p []byte) error {
	for len(p) > 0 {
		prec, id := p[0]>>4, p[0]&15
		size := 1 + 64*(1+int(prec))
		if prec > 1 || id > 3 || len(p) < size {
			return formatErr("bad DQT segment")
		}
		q := &d.quant[id]
		for k := range q {
			if prec == 0 {
				q[k] = int32(p[1+k])
			} else {
				q[k] = int32(be16(p[1+2*k:]))
			}
		}
		d.quantOK[id] = true
		p = p[size:]
	}
	return nil
}
