package jpegscale

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"sort"
)

// This file is a small baseline JPEG encoder for the tests, written from T.81, to make files the
// standard library's encoder cannot: any sampling, restart intervals, one-component scans, four
// Huffman tables, 16-bit quantisation tables and RGB components. It uses a float DCT and Huffman
// tables built from the symbol counts of the image.

type encodeOpts struct {
	quality    int       // 1..100
	sampling   [3][2]int // h, v of each component; zero means 1×1
	gray       bool
	rgb        bool // R, G, B components with an Adobe APP14 transform flag of 0
	restart    int  // MCUs per restart interval
	separate   bool // one scan per component instead of an interleaved one
	extended   bool // SOF1, 16-bit DQT and four Huffman tables
	extraJunk  bool // APP1, COM and fill bytes between segments
	fillBefore bool // 0xFF fill bytes before each RSTn
}

type encPlane struct {
	pix    []byte
	w, h   int // samples
	hs, vs int // sampling factors
}

type token struct {
	table int // index into the scan's Huffman tables: 2*component + (0 DC, 1 AC)
	sym   byte
	bits  uint32
	n     uint
	rst   int // when >= 0: a restart marker, no symbol
}

type jpegEncoder struct {
	opts    encodeOpts
	w, h    int
	planes  []encPlane
	hmax    int
	vmax    int
	quant   [2][64]int // natural order
	out     bytes.Buffer
	acc     uint32
	nacc    uint
	codes   [8][257]uint32
	lengths [8][257]uint
}

func encodeTest(img image.Image, o encodeOpts) []byte {
	if o.quality == 0 {
		o.quality = 90
	}
	e := &jpegEncoder{opts: o, w: img.Bounds().Dx(), h: img.Bounds().Dy()}
	e.makePlanes(img)
	e.makeQuant()
	e.header()
	if o.separate {
		for c := range e.planes {
			e.scanOf([]int{c})
		}
	} else {
		all := make([]int, len(e.planes))
		for i := range all {
			all[i] = i
		}
		e.scanOf(all)
	}
	e.out.Write([]byte{0xFF, markEOI})
	return e.out.Bytes()
}

func (e *jpegEncoder) makePlanes(img image.Image) {
	n := 3
	if e.opts.gray {
		n = 1
	}
	full := make([][]byte, n)
	for i := range full {
		full[i] = make([]byte, e.w*e.h)
	}
	b := img.Bounds()
	for y := 0; y < e.h; y++ {
		for x := 0; x < e.w; x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			r8, g8, b8 := uint8(r>>8), uint8(g>>8), uint8(bl>>8)
			switch {
			case e.opts.gray:
				full[0][y*e.w+x] = color.GrayModel.Convert(color.RGBA{r8, g8, b8, 255}).(color.Gray).Y
			case e.opts.rgb:
				full[0][y*e.w+x], full[1][y*e.w+x], full[2][y*e.w+x] = r8, g8, b8
			default:
				full[0][y*e.w+x], full[1][y*e.w+x], full[2][y*e.w+x] = color.RGBToYCbCr(r8, g8, b8)
			}
		}
	}
	e.hmax, e.vmax = 1, 1
	f := make([][2]int, n)
	for i := range f {
		f[i] = e.opts.sampling[i]
		if f[i][0] == 0 {
			f[i] = [2]int{1, 1}
		}
		e.hmax, e.vmax = max(e.hmax, f[i][0]), max(e.vmax, f[i][1])
	}
	for i := range full {
		e.planes = append(e.planes, subsample(full[i], e.w, e.h, f[i][0], f[i][1], e.hmax, e.vmax))
	}
}

// subsample box-averages a full-size plane down to sampling factors hs×vs of hmax×vmax.
func subsample(pix []byte, w, h, hs, vs, hmax, vmax int) encPlane {
	fx, fy := hmax/hs, vmax/vs
	p := encPlane{w: ceilDiv(w*hs, hmax), h: ceilDiv(h*vs, vmax), hs: hs, vs: vs}
	p.pix = make([]byte, p.w*p.h)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			sum, n := 0, 0
			for yy := y * fy; yy < min(y*fy+fy, h); yy++ {
				for xx := x * fx; xx < min(x*fx+fx, w); xx++ {
					sum += int(pix[yy*w+xx])
					n++
				}
			}
			p.pix[y*p.w+x] = byte((sum + n/2) / n)
		}
	}
	return p
}

func (e *jpegEncoder) makeQuant() {
	s := 5000 / max(e.opts.quality, 1)
	if e.opts.quality >= 50 {
		s = 200 - 2*e.opts.quality
	}
	for t := 0; t < 2; t++ {
		for i := range e.quant[t] {
			u, v := i%8, i/8
			base := 10 + 6*(u+v) + 6*t*(u+v)
			q := (base*s + 50) / 100
			e.quant[t][i] = min(max(q, 1), 255)
		}
	}
}

func (e *jpegEncoder) segment(m byte, p []byte) {
	e.out.Write([]byte{0xFF, m, byte((len(p) + 2) >> 8), byte(len(p) + 2)})
	e.out.Write(p)
	if e.opts.extraJunk && m != markSOS {
		e.out.Write([]byte{0xFF, 0xFF}) // fill bytes before the next marker
	}
}

func (e *jpegEncoder) header() {
	e.out.Write([]byte{0xFF, markSOI})
	if e.opts.rgb {
		e.segment(markAPPE, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00"))
	} else {
		e.segment(markAPP0, []byte("JFIF\x00\x01\x02\x00\x00\x01\x00\x01\x00\x00"))
	}
	if e.opts.extraJunk {
		e.segment(0xE1, bytes.Repeat([]byte("Exif junk "), 50))
		e.segment(0xFE, []byte("a comment \xFF\xD9 with a fake EOI"))
		e.segment(0xE2, nil)
	}
	for t := 0; t < 2; t++ {
		e.segment(markDQT, e.dqt(t))
	}
	e.segment(e.sofMarker(), e.sof())
	if e.opts.restart > 0 {
		e.segment(markDRI, []byte{byte(e.opts.restart >> 8), byte(e.opts.restart)})
	}
}

func (e *jpegEncoder) sofMarker() byte {
	if e.opts.extended {
		return markSOF1
	}
	return markSOF0
}

func (e *jpegEncoder) dqt(t int) []byte {
	p := []byte{byte(t)}
	if e.opts.extended {
		p[0] |= 0x10
	}
	for _, z := range zigzag {
		q := e.quant[t][z]
		if e.opts.extended {
			p = append(p, byte(q>>8))
		}
		p = append(p, byte(q))
	}
	return p
}

func (e *jpegEncoder) sof() []byte {
	p := []byte{8, byte(e.h >> 8), byte(e.h), byte(e.w >> 8), byte(e.w), byte(len(e.planes))}
	for i, pl := range e.planes {
		id := byte(i + 1)
		if e.opts.rgb {
			id = "RGB"[i]
		}
		p = append(p, id, byte(pl.hs<<4|pl.vs), byte(min(i, 1)))
	}
	return p
}

// tableOf is the Huffman table id of component c's DC and AC codes.
func (e *jpegEncoder) tableOf(c int) byte {
	if e.opts.extended {
		return byte(c)
	}
	return byte(min(c, 1))
}

// scanOf encodes one scan of the given components: tokens first, then tables, then bits.
func (e *jpegEncoder) scanOf(comps []int) {
	toks := e.tokens(comps)
	var dht []byte
	seen := map[byte]bool{}
	for _, c := range comps {
		id := e.tableOf(c)
		if seen[id] {
			continue
		}
		seen[id] = true
		for class := 0; class < 2; class++ {
			counts, vals := e.buildTable(toks, 2*int(id)+class)
			dht = append(dht, byte(class<<4)|id)
			dht = append(dht, counts[:]...)
			dht = append(dht, vals...)
		}
	}
	e.segment(markDHT, dht)
	sos := []byte{byte(len(comps))}
	for _, c := range comps {
		id := byte(c + 1)
		if e.opts.rgb {
			id = "RGB"[c]
		}
		t := e.tableOf(c)
		sos = append(sos, id, t<<4|t)
	}
	e.segment(markSOS, append(sos, 0, 63, 0))
	for _, t := range toks {
		if t.rst >= 0 {
			e.flush()
			if e.opts.fillBefore {
				e.out.Write([]byte{0xFF, 0xFF})
			}
			e.out.Write([]byte{0xFF, byte(markRST0 + t.rst%8)})
			continue
		}
		e.put(e.codes[t.table][t.sym], e.lengths[t.table][t.sym])
		e.put(t.bits, t.n)
	}
	e.flush()
}

func (e *jpegEncoder) tokens(comps []int) []token {
	mcusX, mcusY := ceilDiv(e.w, 8*e.hmax), ceilDiv(e.h, 8*e.vmax)
	single := len(comps) == 1
	if single {
		p := e.planes[comps[0]]
		if len(e.planes) == 1 {
			p.w, p.h = e.w, e.h
		}
		mcusX, mcusY = ceilDiv(p.w, 8), ceilDiv(p.h, 8)
	}
	var toks []token
	pred := make([]int, len(e.planes))
	for m := 0; m < mcusX*mcusY; m++ {
		if e.opts.restart > 0 && m > 0 && m%e.opts.restart == 0 {
			toks = append(toks, token{rst: m/e.opts.restart - 1})
			clear(pred)
		}
		mx, my := m%mcusX, m/mcusX
		for _, c := range comps {
			p := e.planes[c]
			hs, vs := p.hs, p.vs
			if single {
				hs, vs = 1, 1
			}
			for v := 0; v < vs; v++ {
				for h := 0; h < hs; h++ {
					toks = e.block(toks, c, (mx*hs+h)*8, (my*vs+v)*8, &pred[c])
				}
			}
		}
	}
	return toks
}

func (e *jpegEncoder) block(toks []token, c, x0, y0 int, pred *int) []token {
	p := e.planes[c]
	var in [64]float64
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			sx, sy := min(x0+x, p.w-1), min(y0+y, p.h-1)
			in[y*8+x] = float64(p.pix[sy*p.w+sx]) - 128
		}
	}
	coef := fdct(&in)
	q := &e.quant[min(c, 1)]
	var zz [64]int
	for k, z := range zigzag {
		zz[k] = int(math.Round(coef[z] / float64(q[z])))
	}
	dc, ac := 2*int(e.tableOf(c)), 2*int(e.tableOf(c))+1
	diff := zz[0] - *pred
	*pred = zz[0]
	s, bits := magnitude(diff)
	toks = append(toks, token{table: dc, sym: byte(s), bits: bits, n: s, rst: -1})
	run := 0
	for k := 1; k < 64; k++ {
		if zz[k] == 0 {
			run++
			continue
		}
		for run > 15 {
			toks = append(toks, token{table: ac, sym: 0xF0, rst: -1})
			run -= 16
		}
		s, bits := magnitude(zz[k])
		toks = append(toks, token{table: ac, sym: byte(run<<4) | byte(s), bits: bits, n: s, rst: -1})
		run = 0
	}
	if run > 0 {
		toks = append(toks, token{table: ac, sym: 0, rst: -1})
	}
	return toks
}

// magnitude is the size category of v and its bits (T.81 F.1.2.1).
func magnitude(v int) (uint, uint32) {
	a := v
	if a < 0 {
		a = -a
	}
	s := uint(0)
	for a>>s != 0 {
		s++
	}
	if v < 0 {
		v += 1<<s - 1
	}
	return s, uint32(v) & (1<<s - 1)
}

// dctBasis[u][x] is cu(u)/2 · cos((2x+1)uπ/16).
var dctBasis = func() (b [8][8]float64) {
	for u := range b {
		for x := range b[u] {
			b[u][x] = cu(u) / 2 * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16)
		}
	}
	return b
}()

func fdct(in *[64]float64) [64]float64 {
	var tmp, out [64]float64
	for y := 0; y < 8; y++ {
		for u := 0; u < 8; u++ {
			s := 0.0
			for x := 0; x < 8; x++ {
				s += in[y*8+x] * dctBasis[u][x]
			}
			tmp[y*8+u] = s
		}
	}
	for u := 0; u < 8; u++ {
		for v := 0; v < 8; v++ {
			s := 0.0
			for y := 0; y < 8; y++ {
				s += tmp[y*8+u] * dctBasis[v][y]
			}
			out[v*8+u] = s
		}
	}
	return out
}

func cu(u int) float64 {
	if u == 0 {
		return 1 / math.Sqrt2
	}
	return 1
}

// buildTable makes a Huffman table for the symbols of one table, no code longer than 16 bits and
// none all ones, and records its codes.
func (e *jpegEncoder) buildTable(toks []token, table int) ([16]byte, []byte) {
	freq := make([]int, 257)
	for _, t := range toks {
		if t.rst < 0 && t.table == table {
			freq[t.sym]++
		}
	}
	freq[256] = 1 // reserves the all-ones code
	var lens []int
	for {
		lens = huffmanLengths(freq)
		if slicesMax(lens) <= 16 {
			break
		}
		for i := range freq {
			if freq[i] > 0 {
				freq[i] = freq[i]/2 + 1
			}
		}
	}
	lens[256] = slicesMax(lens) // the reserved code must be the very last one
	syms := []int{}
	for s, l := range lens {
		if l > 0 {
			syms = append(syms, s)
		}
	}
	sort.Slice(syms, func(i, j int) bool {
		if lens[syms[i]] != lens[syms[j]] {
			return lens[syms[i]] < lens[syms[j]]
		}
		return syms[i] < syms[j]
	})
	var counts [16]byte
	var vals []byte
	code, l := uint32(0), 1
	for _, s := range syms {
		for l < lens[s] {
			code <<= 1
			l++
		}
		e.codes[table][s], e.lengths[table][s] = code, uint(l)
		code++
		if s < 256 {
			counts[l-1]++
			vals = append(vals, byte(s))
		}
	}
	return counts, vals
}

func slicesMax(v []int) int {
	m := 0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// huffmanLengths returns the code length of each symbol of non-zero frequency.
func huffmanLengths(freq []int) []int {
	type node struct{ f, a, b, sym int }
	var nodes []node
	var live []int
	for s, f := range freq {
		if f > 0 {
			nodes = append(nodes, node{f: f, a: -1, b: -1, sym: s})
			live = append(live, len(nodes)-1)
		}
	}
	for len(live) > 1 {
		sort.Slice(live, func(i, j int) bool { return nodes[live[i]].f < nodes[live[j]].f })
		a, b := live[0], live[1]
		nodes = append(nodes, node{f: nodes[a].f + nodes[b].f, a: a, b: b, sym: -1})
		live = append(live[2:], len(nodes)-1)
	}
	lens := make([]int, len(freq))
	var walk func(i, d int)
	walk = func(i, d int) {
		if nodes[i].sym >= 0 {
			lens[nodes[i].sym] = max(d, 1)
			return
		}
		walk(nodes[i].a, d+1)
		walk(nodes[i].b, d+1)
	}
	walk(live[0], 0)
	return lens
}

func (e *jpegEncoder) put(bits uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		e.acc = e.acc<<1 | (bits>>uint(i))&1
		e.nacc++
		if e.nacc == 8 {
			e.emit(byte(e.acc))
			e.acc, e.nacc = 0, 0
		}
	}
}

func (e *jpegEncoder) emit(b byte) {
	e.out.WriteByte(b)
	if b == 0xFF {
		e.out.WriteByte(0)
	}
}

// flush pads the last byte with one bits.
func (e *jpegEncoder) flush() {
	for e.nacc != 0 {
		e.put(1, 1)
	}
}
