package pdfrender

import (
	"fmt"
	"image"
)

// opaque copies a rendered page out of WebAssembly memory, which the render's cleanup
// frees, and lays any transparency over white paper.
func opaque(src image.Image) (*image.RGBA, error) {
	rgba, ok := src.(*image.RGBA)
	if !ok {
		return nil, fmt.Errorf("pdfrender: PDFium rendered a %T, not RGBA", src)
	}
	b := rgba.Rect
	if b.Empty() || rgba.Stride < 4*b.Dx() || len(rgba.Pix) < rgba.Stride*(b.Dy()-1)+4*b.Dx() {
		return nil, fmt.Errorf("pdfrender: PDFium rendered %d bytes for %v", len(rgba.Pix), b)
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := range b.Dy() {
		copy(dst.Pix[y*dst.Stride:][:4*b.Dx()], rgba.Pix[y*rgba.Stride:])
	}
	overWhite(dst.Pix)
	return dst, nil
}

// overWhite composites straight-alpha RGBA pixels, as PDFium renders them, onto white.
func overWhite(pix []byte) {
	for i := 0; i+3 < len(pix); i += 4 {
		a := uint32(pix[i+3])
		if a == 0xff {
			continue
		}
		for c := i; c < i+3; c++ {
			pix[c] = uint8((uint32(pix[c])*a + 0xff*(0xff-a) + 0x7f) / 0xff)
		}
		pix[i+3] = 0xff
	}
}
