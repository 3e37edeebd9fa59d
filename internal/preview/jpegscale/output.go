package jpegscale

import "image"

// ratio maps the sampling factors of a three-component frame onto a subsample ratio: the first
// component must have the largest factors, the other two equal ones that divide them.
func (f *frame) ratio() (image.YCbCrSubsampleRatio, error) {
	y, cb, cr := f.comps[0], f.comps[1], f.comps[2]
	if y.h != f.hmax || y.v != f.vmax || cb.h != cr.h || cb.v != cr.v || y.h%cb.h != 0 || y.v%cb.v != 0 {
		return 0, unsupported("unusual chroma sampling")
	}
	switch [2]int{y.h / cb.h, y.v / cb.v} {
	case [2]int{1, 1}:
		return image.YCbCrSubsampleRatio444, nil
	case [2]int{2, 1}:
		return image.YCbCrSubsampleRatio422, nil
	case [2]int{2, 2}:
		return image.YCbCrSubsampleRatio420, nil
	case [2]int{1, 2}:
		return image.YCbCrSubsampleRatio440, nil
	case [2]int{4, 1}:
		return image.YCbCrSubsampleRatio411, nil
	case [2]int{4, 2}:
		return image.YCbCrSubsampleRatio410, nil
	}
	return 0, unsupported("unusual chroma sampling")
}

// image returns the decoded planes as an image of the scaled size, without copying them
// (except RGB files, whose planes are interleaved into an *image.RGBA).
func (d *decoder) image() (image.Image, error) {
	f := d.frame
	if f == nil {
		return nil, formatErr("no frame header")
	}
	for i := range f.comps {
		if !f.comps[i].done {
			return nil, ErrTruncated
		}
	}
	r := image.Rect(0, 0, ceilDiv(f.width, d.scale), ceilDiv(f.height, d.scale))
	c := f.comps
	if len(c) == 1 {
		return &image.Gray{Pix: c[0].pix, Stride: c[0].stride, Rect: r}, nil
	}
	if f.isRGB(d.hints) {
		return f.rgba(r)
	}
	ratio, err := f.ratio()
	if err != nil {
		return nil, err
	}
	return &image.YCbCr{
		Y: c[0].pix, Cb: c[1].pix, Cr: c[2].pix,
		YStride: c[0].stride, CStride: c[1].stride,
		SubsampleRatio: ratio, Rect: r,
	}, nil
}

// rgba interleaves the R, G and B planes of an RGB file, which must not be subsampled.
func (f *frame) rgba(r image.Rectangle) (image.Image, error) {
	c := f.comps
	if c[0].h != c[1].h || c[0].h != c[2].h || c[0].v != c[1].v || c[0].v != c[2].v {
		return nil, unsupported("subsampled RGB")
	}
	img := image.NewRGBA(r)
	w := r.Dx()
	for y := 0; y < r.Dy(); y++ {
		o := y * c[0].stride
		red, green, blue := c[0].pix[o:o+w], c[1].pix[o:o+w], c[2].pix[o:o+w]
		dst := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range red {
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = red[x], green[x], blue[x], 255
		}
	}
	return img, nil
}
