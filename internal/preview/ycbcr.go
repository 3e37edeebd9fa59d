package preview

import (
	"image"
)

// The fast path for photos: a JPEG decodes to YCbCr, and its preview is encoded as YCbCr, so the
// preview is scaled and watermarked in YCbCr too, plane by plane, with no colour conversion at
// all (each costs as much as the scaling). The watermark is a translucent grey: over a colour
// it lightens or darkens the luma and pulls the chroma toward neutral by the same alpha.

// renderYCbCr makes the w×h watermarked preview of a decoded JPEG as 4:2:0 YCbCr.
func renderYCbCr(src *image.YCbCr, w, h int, watermark string) (*image.YCbCr, error) {
	dst := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	b := src.Rect
	scalePlane(dst.Y, w, h, dst.YStride, src.Y[src.YOffset(b.Min.X, b.Min.Y):], b.Dx(), b.Dy(), src.YStride)
	cw, ch := chromaSize(src)
	dcw, dch := (w+1)/2, (h+1)/2
	off := src.COffset(b.Min.X, b.Min.Y)
	scalePlane(dst.Cb, dcw, dch, dst.CStride, src.Cb[off:], cw, ch, src.CStride)
	scalePlane(dst.Cr, dcw, dch, dst.CStride, src.Cr[off:], cw, ch, src.CStride)
	t, err := newTile(watermarkText(watermark), fontSize(image.Pt(w, h)))
	if err != nil {
		return nil, err
	}
	t.applyYCbCr(dst)
	return dst, nil
}

// chromaSize is the size of an image's chroma planes.
func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// scalePlane resamples one 8-bit plane of sw×sh to dw×dh: by averaging the source pixels each
// destination pixel covers (a box filter: what a downscale should do), or bilinearly where it
// grows.
func scalePlane(dst []byte, dw, dh, dstride int, src []byte, sw, sh, sstride int) {
	if dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0 {
		return
	}
	// Fixed-point 16.16 source spans of each destination column, computed once.
	xs := make([]int32, dw+1)
	for x := range xs {
		xs[x] = int32(int64(x) * int64(sw) << 16 / int64(dw))
	}
	acc := make([]uint32, dw) // one destination row's weighted sums
	for y := range dh {
		y0 := int64(y) * int64(sh) << 16 / int64(dh)
		y1 := int64(y+1) * int64(sh) << 16 / int64(dh)
		clear(acc)
		var total uint32
		for sy := int(y0 >> 16); sy < sh && int64(sy)<<16 < y1; sy++ {
			wy := uint32(min(y1, int64(sy+1)<<16)-max(y0, int64(sy)<<16)) >> 8 // 8.8
			row := src[sy*sstride : sy*sstride+sw]
			for x := range dw {
				a, b := xs[x], xs[x+1]
				var sum uint32
				for sx := int(a >> 16); sx < sw && int32(sx)<<16 < b; sx++ {
					wx := uint32(min(b, int32(sx+1)<<16)-max(a, int32(sx)<<16)) >> 8
					sum += uint32(row[sx]) * wx
				}
				acc[x] += sum >> 8 * wy
			}
			total += wy
		}
		out := dst[y*dstride : y*dstride+dw]
		for x := range dw {
			span := uint32(xs[x+1]-xs[x]) >> 8
			if d := span * total >> 8; d > 0 {
				out[x] = uint8(min(255, (acc[x]+d/2)/d))
			}
		}
	}
}

// applyYCbCr blends the tile over a 4:2:0 image: luma per pixel, chroma per 2×2 block by the
// block's mean alpha.
func (t *tile) applyYCbCr(dst *image.YCbCr) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	alphas := make([]uint32, (w+1)/2) // the chroma row's summed alpha, two luma rows at a time
	for y := range h {
		if y%2 == 0 {
			clear(alphas)
		}
		row := dst.Y[y*dst.YStride : y*dst.YStride+w]
		u := toFixed(-float64(y)*sin30, t.w)
		v := toFixed(float64(y)*cos30, t.h)
		wFix, hFix := t.w*one, t.h*one
		for x := range row {
			if l, a := t.sample(u, v); a != 0 {
				row[x] = uint8((uint32(row[x])*(255-a)+127)/255 + l)
				alphas[x/2] += a
			}
			u, v = advance(u, stepU, wFix), advance(v, stepV, hFix)
		}
		if y%2 == 1 || y == h-1 {
			c := (y / 2) * dst.CStride
			for i, sum := range alphas {
				if sum == 0 {
					continue
				}
				a := min(255, sum/4)
				cb, cr := &dst.Cb[c+i], &dst.Cr[c+i]
				*cb = uint8(128 + (int32(*cb)-128)*int32(255-a)/255)
				*cr = uint8(128 + (int32(*cr)-128)*int32(255-a)/255)
			}
		}
	}
}
