package pdfrender

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/requests"
)

// Pages returns the number of pages in pdf.
func (r *Renderer) Pages(ctx context.Context, pdf []byte) (int, error) {
	var count int
	err := r.withDocument(ctx, pdf, func(_ context.Context, s *session) error {
		count = s.pages
		return nil
	})
	return count, err
}

// Render rasterises n pages from page first (counted from 0), or up to the last page if
// the document ends sooner, each scaled so its longer side is maxSide pixels. When ctx
// ends first the render is stopped and ctx's error returned.
func (r *Renderer) Render(ctx context.Context, pdf []byte, first, n, maxSide int) ([]image.Image, error) {
	var images []image.Image
	err := r.RenderEach(ctx, pdf, first, n, maxSide, func(_ int, img image.Image) error {
		images = append(images, img)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return images, nil
}

// RenderEach is Render handing each page to use as soon as it is ready, so only one page
// is held at a time; an error from use stops the render and is returned.
func (r *Renderer) RenderEach(ctx context.Context, pdf []byte, first, n, maxSide int, use func(page int, img image.Image) error) error {
	if first < 0 || n < 1 || maxSide < 1 {
		return fmt.Errorf("pdfrender: no pages asked for (first %d, n %d, maxSide %d)", first, n, maxSide)
	}
	return r.withDocument(ctx, pdf, func(docCtx context.Context, s *session) error {
		if first >= s.pages {
			return fmt.Errorf("pdfrender: page %d asked of a %d-page document", first+1, s.pages)
		}
		last := min(first+n, s.pages)
		if last-first > r.cfg.MaxPages {
			return fmt.Errorf("%w: %d pages asked for, over the limit of %d", ErrTooLarge, last-first, r.cfg.MaxPages)
		}
		for i := first; i < last; i++ {
			img, err := r.page(docCtx, s, i, maxSide)
			if err != nil {
				return err
			}
			if err := use(i, img); err != nil {
				return err
			}
		}
		return nil
	})
}

// page renders page i under the page deadline.
func (r *Renderer) page(docCtx context.Context, s *session, i, maxSide int) (image.Image, error) {
	ctx, cancel := context.WithTimeout(docCtx, r.cfg.PageTimeout)
	defer cancel()
	var img image.Image
	err := run(ctx, s.inst, func() error {
		var err error
		img, err = r.renderPage(s, i, maxSide)
		return err
	})
	return img, err
}

func (r *Renderer) renderPage(s *session, i, maxSide int) (image.Image, error) {
	page := requests.Page{ByIndex: &requests.PageByIndex{Document: s.doc, Index: i}}
	size, err := s.inst.GetPageSize(&requests.GetPageSize{Page: page})
	if err != nil {
		return nil, fmt.Errorf("%w: loading page %d: %v", ErrCorrupt, i+1, err)
	}
	w, h, ok := fit(size.Width, size.Height, maxSide)
	if !ok {
		return nil, fmt.Errorf("%w: page %d measures %g × %g pt", ErrCorrupt, i+1, size.Width, size.Height)
	}
	if int64(w)*int64(h) > r.cfg.MaxPixels {
		return nil, fmt.Errorf("%w: page %d would be %d × %d pixels, over the limit of %d", ErrTooLarge, i+1, w, h, r.cfg.MaxPixels)
	}
	res, err := s.inst.RenderPageInPixels(&requests.RenderPageInPixels{
		Page: page, Width: maxSide, Height: maxSide, RenderFlags: enums.FPDF_RENDER_FLAG_ANNOT,
	})
	if err != nil {
		// PDFium draws what it can of a damaged page, so a render fails for want of memory.
		return nil, fmt.Errorf("%w: page %d: %v", ErrTooLarge, i+1, err)
	}
	defer res.Cleanup()
	if b := res.Result.RenderedImage.Bounds(); b.Dx() > w || b.Dy() > h {
		return nil, fmt.Errorf("pdfrender: page %d rendered at %v, larger than the %d × %d asked for", i+1, b, w, h)
	}
	return opaque(res.Result.RenderedImage)
}

// fit returns the size in pixels of a page of w × h points whose longer side is maxSide,
// computed as go-pdfium does when asked to fit a page within maxSide × maxSide.
func fit(w, h float64, maxSide int) (int, int, bool) {
	if !(w > 0 && h > 0) || math.IsInf(w, 0) || math.IsInf(h, 0) {
		return 0, 0, false
	}
	side := float64(maxSide)
	if w >= h {
		return maxSide, int(math.Ceil(side * (h / w))), true
	}
	return int(math.Ceil(side * (w / h))), maxSide, true
}
