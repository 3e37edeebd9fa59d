package jpegscale

import "image/color"

// Markers (T.81 table B.1).
const (
	markSOF0 = 0xC0 // baseline sequential, Huffman
	markSOF1 = 0xC1 // extended sequential, Huffman
	markSOF2 = 0xC2 // progressive, Huffman
	markDHT  = 0xC4
	markDAC  = 0xCC // arithmetic conditioning: arithmetic coding
	markRST0 = 0xD0
	markRST7 = 0xD7
	markSOI  = 0xD8
	markEOI  = 0xD9
	markSOS  = 0xDA
	markDQT  = 0xDB
	markDNL  = 0xDC
	markDRI  = 0xDD
	markAPP0 = 0xE0
	markAPPE = 0xEE // Adobe
	markTEM  = 0x01
)

// component is one colour component of the frame and the plane it is decoded into.
type component struct {
	id     byte
	h, v   int // sampling factors
	tq     int // quantisation table selector
	pix    []byte
	stride int
	done   bool // some scan has decoded it
}

// frame is what a SOFn segment says about the image.
type frame struct {
	marker        byte
	precision     int
	width, height int
	comps         []component
	hmax, vmax    int
	mcusX, mcusY  int // MCUs of an interleaved scan
}

// hints are the colour-space signals of the APP0 (JFIF) and APP14 (Adobe) segments.
type hints struct {
	jfif, adobe bool
	transform   byte
}

// isFrameMarker reports whether m starts a frame of any coding process.
func isFrameMarker(m byte) bool {
	return m >= 0xC0 && m <= 0xCF && m != markDHT && m != 0xC8 && m != markDAC
}

// parseFrame reads a SOFn segment; it checks the syntax but not whether the variant is supported.
func parseFrame(m byte, p []byte) (*frame, error) {
	if len(p) < 6 {
		return nil, formatErr("short SOF segment")
	}
	f := &frame{marker: m, precision: int(p[0]), height: be16(p[1:]), width: be16(p[3:])}
	n := int(p[5])
	if n == 0 || len(p) != 6+3*n {
		return nil, formatErr("bad SOF segment length")
	}
	for i := 0; i < n; i++ {
		c := component{id: p[6+3*i], h: int(p[7+3*i] >> 4), v: int(p[7+3*i] & 15), tq: int(p[8+3*i])}
		if c.h < 1 || c.h > 4 || c.v < 1 || c.v > 4 || c.tq > 3 {
			return nil, formatErr("bad component in SOF")
		}
		for _, o := range f.comps {
			if o.id == c.id {
				return nil, formatErr("duplicate component id")
			}
		}
		f.comps = append(f.comps, c)
		f.hmax, f.vmax = max(f.hmax, c.h), max(f.vmax, c.v)
	}
	if f.width == 0 {
		return nil, formatErr("zero image width")
	}
	return f, nil
}

// supported reports, as an error, why Decode cannot decode the frame.
func (f *frame) supported() error {
	switch {
	case f.marker == markSOF2 || f.marker == 0xC6 || f.marker == 0xCA || f.marker == 0xCE:
		return unsupported("progressive")
	case f.marker == 0xC3 || f.marker == 0xC7 || f.marker == 0xCB || f.marker == 0xCF:
		return unsupported("lossless")
	case f.marker >= 0xC9:
		return unsupported("arithmetic coding")
	case f.marker == 0xC5:
		return unsupported("hierarchical")
	case f.precision != 8:
		return unsupported("12-bit samples")
	case len(f.comps) == 4:
		return unsupported("CMYK or YCCK")
	case len(f.comps) != 1 && len(f.comps) != 3:
		return formatErr("neither 1 nor 3 components")
	case f.height == 0:
		return unsupported("height defined by DNL")
	case f.width > MaxDimension || f.height > MaxDimension || f.width*f.height > MaxPixels:
		return ErrTooLarge
	}
	return nil
}

// colorModel is the colour model of the image Decode (or image/jpeg) returns for the frame.
func (f *frame) colorModel(h hints) color.Model {
	switch len(f.comps) {
	case 1:
		return color.GrayModel
	case 3:
		if f.isRGB(h) {
			return color.RGBAModel
		}
		return color.YCbCrModel
	}
	return color.CMYKModel
}

// isRGB reports whether three components hold R, G and B rather than Y, Cb and Cr: so says an
// Adobe transform flag of 0 or, in a file without JFIF or Adobe segment, ids 'R', 'G', 'B'.
func (f *frame) isRGB(h hints) bool {
	if h.adobe {
		return h.transform == 0
	}
	c := f.comps
	return !h.jfif && len(c) == 3 && c[0].id == 'R' && c[1].id == 'G' && c[2].id == 'B'
}

// layout computes the MCU grid and each component's padded plane at the output scale.
func (f *frame) layout(scale int) {
	f.mcusX = ceilDiv(f.width, 8*f.hmax)
	f.mcusY = ceilDiv(f.height, 8*f.vmax)
	if len(f.comps) == 1 {
		// A lone component is never interleaved: its MCU is one block whatever its factors.
		f.hmax, f.vmax = 1, 1
		f.comps[0].h, f.comps[0].v = 1, 1
		f.mcusX, f.mcusY = ceilDiv(f.width, 8), ceilDiv(f.height, 8)
	}
	bs := 8 / scale
	for i := range f.comps {
		c := &f.comps[i]
		c.stride = f.mcusX * c.h * bs
		c.pix = make([]byte, c.stride*f.mcusY*c.v*bs)
	}
}

// blocks returns the number of blocks per line and per column of component c alone, as a
// one-component scan codes it.
func (f *frame) blocks(c *component) (int, int) {
	w := ceilDiv(f.width*c.h, f.hmax)
	h := ceilDiv(f.height*c.v, f.vmax)
	return ceilDiv(w, 8), ceilDiv(h, 8)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func be16(p []byte) int { return int(p[0])<<8 | int(p[1]) }

// parseApp reads the colour hints of APP0 (JFIF) and APP14 (Adobe) segments.
func (h *hints) parseApp(m byte, p []byte) {
	switch {
	case m == markAPP0 && len(p) >= 5 && string(p[:5]) == "JFIF\x00":
		h.jfif = true
	case m == markAPPE && len(p) >= 12 && string(p[:5]) == "Adobe":
		h.adobe, h.transform = true, p[11]
	}
}
