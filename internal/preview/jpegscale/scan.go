package jpegscale

// zigzag maps the position of a coefficient in the coded sequence to its natural (row-major)
// index in the 8×8 block (T.81 figure A.6).
var zigzag = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// lastNeeded is, per scale, the last coded position whose coefficient the reduced IDCT reads.
var lastNeeded = map[int]int{1: 63, 2: lastInCorner(4), 4: lastInCorner(2), 8: 0}

// lastInCorner is the last coded position that lies in the top-left n×n corner of the block.
func lastInCorner(n int) int {
	last := 0
	for k, z := range zigzag {
		if int(z)/8 < n && int(z)%8 < n {
			last = k
		}
	}
	return last
}

// scanComp is one component of a scan with its tables.
type scanComp struct {
	c      *component
	h, v   int // blocks per MCU: the sampling factors, or 1×1 in a one-component scan
	dc, ac *huffTable
	q      [64]int32 // quantisation table in coded order
}

// unit is one block of an MCU: its component and its place in the MCU, in blocks.
type unit struct{ comp, dx, dy int }

// scan is a scan ready to decode: its components, MCU grid and restart interval.
type scan struct {
	comps        []scanComp
	units        []unit // the blocks of an MCU in coding order
	mcusX, mcusY int
	restart      int
	scale        int
	bs           int // pixels per block side at this scale
	last         int // see lastNeeded
}

// scan reads a SOS header, decodes the entropy-coded data after it and leaves d.pos at its end.
func (d *decoder) scan(p []byte) error {
	s, err := d.newScan(p)
	if err != nil {
		return err
	}
	end, err := s.decode(d.data, d.pos)
	if err != nil {
		return err
	}
	d.pos = end
	for i := range s.comps {
		s.comps[i].c.done = true
	}
	return nil
}

// newScan checks a SOS header against the frame and the tables defined so far.
func (d *decoder) newScan(p []byte) (*scan, error) {
	f := d.frame
	if f == nil {
		return nil, formatErr("scan before frame header")
	}
	if len(p) < 1 || p[0] == 0 || int(p[0]) > len(f.comps) || len(p) != 4+2*int(p[0]) {
		return nil, formatErr("bad SOS segment")
	}
	n := int(p[0])
	s := &scan{comps: make([]scanComp, n), mcusX: f.mcusX, mcusY: f.mcusY,
		restart: d.restart, scale: d.scale, bs: 8 / d.scale, last: lastNeeded[d.scale]}
	for i := range s.comps {
		if err := d.scanComp(&s.comps[i], p[1+2*i], p[2+2*i], s.comps[:i]); err != nil {
			return nil, err
		}
	}
	// Ss, Se, Ah and Al (p[1+2n:]) are fixed for sequential scans; like most decoders, ignore them.
	if n == 1 {
		c := &s.comps[0]
		c.h, c.v = 1, 1
		s.mcusX, s.mcusY = f.blocks(c.c)
	}
	for i, c := range s.comps {
		for v := 0; v < c.v; v++ {
			for h := 0; h < c.h; h++ {
				s.units = append(s.units, unit{i, h, v})
			}
		}
	}
	return s, nil
}

// scanComp fills sc from a component selector and its table selectors.
func (d *decoder) scanComp(sc *scanComp, id, tables byte, before []scanComp) error {
	f := d.frame
	for i := range f.comps {
		if f.comps[i].id == id {
			sc.c = &f.comps[i]
		}
	}
	if sc.c == nil {
		return formatErr("scan names an unknown component")
	}
	for _, o := range before {
		if o.c == sc.c {
			return formatErr("component twice in one scan")
		}
	}
	td, ta := tables>>4, tables&15
	if td > 3 || ta > 3 || !d.huffOK[0][td] || !d.huffOK[1][ta] || !d.quantOK[sc.c.tq] {
		return formatErr("scan uses an undefined table")
	}
	sc.h, sc.v = sc.c.h, sc.c.v
	sc.dc, sc.ac = &d.huff[0][td], &d.huff[1][ta]
	sc.q = d.quant[sc.c.tq]
	return nil
}

// block Huffman-decodes one block of component i into blk. Every coefficient is decoded to
// stay in step with the data, but only those the scale's IDCT reads are dequantised and stored.
func (w *worker) block(s *scan, sc *scanComp, i int, blk *[64]int32) error {
	br := &w.br
	if br.n < 32 {
		br.fill()
	}
	t, l := sc.dc.lookup(br.acc, br.n)
	if l == 0 || t > 11 {
		return formatErr("bad DC code")
	}
	br.n -= l
	if t > 0 {
		w.pred[i] += extend(br.acc, br.n, uint(t))
		br.n -= uint(t)
	}
	blk[0] = w.pred[i] * sc.q[0]
	return br.ac(sc, blk, s.last)
}

// ac decodes the AC coefficients of a block, storing those up to coded position last. It keeps
// the bit buffer in locals, not in the reader, while it runs.
func (br *bitReader) ac(sc *scanComp, blk *[64]int32, last int) error {
	acc, n, t := br.acc, br.n, sc.ac
	for k := 1; k < 64; k++ {
		if n < 32 {
			br.acc, br.n = acc, n
			br.fill()
			acc, n = br.acc, br.n
		}
		if e := t.fastAC[(acc>>(n-fastBits))&(1<<fastBits-1)]; e != 0 {
			k += int(e >> 8 & 15)
			n -= uint(e & 15)
			if k > 63 {
				return formatErr("bad AC coefficient")
			}
			if k <= last {
				blk[zigzag[k]] = (e >> 16) * sc.q[k]
			}
			continue
		}
		rs, l := t.lookup(acc, n)
		r, size := rs>>4, uint(rs&15)
		n -= l
		switch {
		case l == 0:
			return formatErr("bad AC code")
		case size == 0 && r != 15:
			br.acc, br.n = acc, n
			return nil // end of block
		case size == 0:
			k += 15 // sixteen zeros
			continue
		}
		if k += r; k > 63 || size > 10 {
			return formatErr("bad AC coefficient")
		}
		if k <= last {
			blk[zigzag[k]] = extend(acc, n, size) * sc.q[k]
		}
		n -= size
	}
	br.acc, br.n = acc, n
	return nil
}
