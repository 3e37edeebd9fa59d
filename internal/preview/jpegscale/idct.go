package jpegscale

// The inverse DCTs below are integer versions of the 8-point transform
//
//	y[n] = Σk ck·X[k]·cos((2n+1)kπ/16), ck = 1/(2√2) for k = 0 and 1/2 otherwise,
//
// computed as 2√2·y[n] by the Loeffler–Ligtenberg–Moschytz factorisation (an even half that is
// the 4-point transform, an odd half of nine multiplications), so that the 2-D result
// carries a factor of 8. A scale of 1/2, 1/4 or 1/8 keeps only the lowest 4, 2 or 1 frequencies
// of each direction: sampling their band-limited reconstruction at the centres of 2, 4 or 8
// pixel spans is exactly the 4-, 2- or 1-point inverse DCT of those coefficients, with the same
// factor. Constants are scaled by 2^constBits; the first pass keeps its full precision (the
// arithmetic is 64-bit) and the second removes both scalings at once.

const constBits = 13

// The LLM constants, scaled by 2^constBits (TestIDCTConstants checks them); ck = cos(kπ/16).
const (
	c0298 = 2446  // √2(-c1+c3+c5-c7)
	c0390 = 3196  // √2(c3-c5)
	c0541 = 4433  // √2·c6
	c0765 = 6270  // √2(c2-c6)
	c0899 = 7373  // √2(c3-c7)
	c1175 = 9633  // √2·c3
	c1501 = 12299 // √2(c1+c3-c5-c7)
	c1847 = 15137 // √2(c2+c6)
	c1961 = 16069 // √2(c3+c5)
	c2053 = 16819 // √2(c1+c3-c5+c7)
	c2562 = 20995 // √2(c1+c3)
	c3072 = 25172 // √2(c1+c3+c5-c7)
)

// outShift removes the 2^constBits of each pass and the 2-D factor of 8; outBias rounds and adds
// the level shift of 128.
const (
	outShift = 2*constBits + 3
	outBias  = 1<<(outShift-1) + 128<<outShift
)

func clamp(v int) byte {
	if uint(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return byte(v)
}

// idct8 writes the 8×8 pixels of a dequantised block (natural order) at dst with the given
// stride. The 1-D transforms are written out in place, not called, as they run 16 times a block.
func idct8(blk *[64]int32, dst []byte, stride int) {
	var ws [64]int
	for c := 0; c < 8; c++ {
		x0, x1, x2, x3 := int(blk[c]), int(blk[8+c]), int(blk[16+c]), int(blk[24+c])
		x4, x5, x6, x7 := int(blk[32+c]), int(blk[40+c]), int(blk[48+c]), int(blk[56+c])
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			dc := x0 << constBits
			ws[c], ws[8+c], ws[16+c], ws[24+c], ws[32+c], ws[40+c], ws[48+c], ws[56+c] = dc, dc, dc, dc, dc, dc, dc, dc
			continue
		}
		e0, e1, e2, e3 := even8(x0<<constBits, x2, x4<<constBits, x6)
		z5 := (x7 + x3 + x5 + x1) * c1175
		z1, z2 := (x7+x1)*-c0899, (x5+x3)*-c2562
		z3, z4 := (x7+x3)*-c1961+z5, (x5+x1)*-c0390+z5
		o0, o1 := x1*c1501+z1+z4, x3*c3072+z2+z3
		o2, o3 := x5*c2053+z2+z4, x7*c0298+z1+z3
		ws[c], ws[56+c] = e0+o0, e0-o0
		ws[8+c], ws[48+c] = e1+o1, e1-o1
		ws[16+c], ws[40+c] = e2+o2, e2-o2
		ws[24+c], ws[32+c] = e3+o3, e3-o3
	}
	for r := 0; r < 8; r++ {
		in, out := (*[8]int)(ws[8*r:]), (*[8]byte)(dst[r*stride:])
		x0, x1, x2, x3, x4, x5, x6, x7 := in[0], in[1], in[2], in[3], in[4], in[5], in[6], in[7]
		if x1|x2|x3|x4|x5|x6|x7 == 0 {
			p := clamp((x0<<constBits + outBias) >> outShift)
			*out = [8]byte{p, p, p, p, p, p, p, p}
			continue
		}
		e0, e1, e2, e3 := even8(x0<<constBits+outBias, x2, x4<<constBits, x6)
		z5 := (x7 + x3 + x5 + x1) * c1175
		z1, z2 := (x7+x1)*-c0899, (x5+x3)*-c2562
		z3, z4 := (x7+x3)*-c1961+z5, (x5+x1)*-c0390+z5
		o0, o1 := x1*c1501+z1+z4, x3*c3072+z2+z3
		o2, o3 := x5*c2053+z2+z4, x7*c0298+z1+z3
		out[0], out[7] = clamp((e0+o0)>>outShift), clamp((e0-o0)>>outShift)
		out[1], out[6] = clamp((e1+o1)>>outShift), clamp((e1-o1)>>outShift)
		out[2], out[5] = clamp((e2+o2)>>outShift), clamp((e2-o2)>>outShift)
		out[3], out[4] = clamp((e3+o3)>>outShift), clamp((e3-o3)>>outShift)
	}
}

// even8 is the even half of the 8-point transform; x0 and x4 come already scaled.
func even8(x0, x2, x4, x6 int) (e0, e1, e2, e3 int) {
	t0, t1 := x0+x4, x0-x4
	z := (x2 + x6) * c0541
	r2 := z + x2*c0765 // √2(x2·cos(2π/16) + x6·cos(6π/16))
	r3 := z - x6*c1847 // √2(x2·cos(6π/16) - x6·cos(2π/16))
	return t0 + r2, t1 + r3, t1 - r3, t0 - r2
}

// idct4 writes the 4×4 pixels of a block decoded at half size.
func idct4(blk *[64]int32, dst []byte, stride int) {
	var ws [16]int
	for c := 0; c < 4; c++ {
		x0, x1, x2, x3 := int(blk[c]), int(blk[8+c]), int(blk[16+c]), int(blk[24+c])
		e0, e1, e2, e3 := even8(x0<<constBits, x1, x2<<constBits, x3)
		ws[c], ws[4+c], ws[8+c], ws[12+c] = e0, e1, e2, e3
	}
	for r := 0; r < 4; r++ {
		in := (*[4]int)(ws[4*r:])
		out := (*[4]byte)(dst[r*stride:])
		e0, e1, e2, e3 := even8(in[0]<<constBits+outBias, in[1], in[2]<<constBits, in[3])
		out[0], out[1] = clamp(e0>>outShift), clamp(e1>>outShift)
		out[2], out[3] = clamp(e2>>outShift), clamp(e3>>outShift)
	}
}

// idct2 writes the 2×2 pixels of a block decoded at quarter size.
func idct2(blk *[64]int32, dst []byte, stride int) {
	x00, x01, x10, x11 := int(blk[0])+4+128<<3, int(blk[1]), int(blk[8]), int(blk[9])
	a, b := x00+x10, x00-x10 // top and bottom, before the horizontal frequency
	c, d := x01+x11, x01-x11
	top, bottom := (*[2]byte)(dst), (*[2]byte)(dst[stride:])
	top[0], top[1] = clamp((a+c)>>3), clamp((a-c)>>3)
	bottom[0], bottom[1] = clamp((b+d)>>3), clamp((b-d)>>3)
}

// dcPixel is the one pixel of a block decoded at an eighth of its size.
func dcPixel(dc int32) byte {
	return clamp((int(dc) + 4 + 128<<3) >> 3)
}
