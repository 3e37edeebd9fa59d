package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/docrender"
	"github.com/accordapp/accord/internal/filetype"
	"github.com/accordapp/accord/internal/preview"
)

// Renderer makes the preview of one kind of file: watermarked JPEG pages, never the file's own
// bytes, text or full resolution. A file it cannot preview (broken, too large, too slow) gives
// no pages and ErrNoPreview wrapped with why; only a caller's ended context is another error.
type Renderer interface {
	Preview(ctx context.Context, src io.ReadSeeker, f accord.File, mark string) ([][]byte, error)
}

// ErrNoPreview says that a file stays without a preview, and why.
var ErrNoPreview = errors.New("no preview")

// Previews of many pages stop at previewPages; a document gets documentBudget to lay out.
const (
	previewPages   = 20
	documentBudget = 30 * time.Second
	pdfPageSide    = 1000 // px, the long side a PDF page is rasterised at
)

// renderers are the previews of each kind of file, over the app's budget and PDF renderer.
func (a *App) renderers() map[string]Renderer {
	return map[string]Renderer{
		filetype.Image:    imageRenderer{a.Previews},
		filetype.Document: documentRenderer{a.Previews},
		filetype.PDF:      pdfRenderer{a.Previews, a.PDFPages},
	}
}

// renderPreview renders a delivered file's preview with the renderer of its kind and commits
// its pages, returning the file's preview fields; a file that cannot be previewed gets none.
func (a *App) renderPreview(ctx context.Context, f accord.File, mark string) (accord.File, error) {
	r, ok := a.renderers()[f.Kind]
	if !ok {
		return accord.File{}, nil // archives, video, design files: their name, size, kind and listing
	}
	in, err := a.Blobs.Open(ctx, f.SHA256)
	if err != nil {
		return accord.File{}, err
	}
	defer in.Close()
	pages, err := r.Preview(ctx, in, f, mark)
	if errors.Is(err, ErrNoPreview) {
		if !errors.Is(err, preview.ErrUnsupported) {
			a.Log.Info("no preview", "file", f.Name, "err", err)
		}
		return accord.File{}, nil
	}
	if err != nil {
		return accord.File{}, err
	}
	var out accord.File
	for _, p := range pages {
		st, err := a.Blobs.Stage(ctx, bytes.NewReader(p))
		if err != nil {
			return accord.File{}, err
		}
		if err := a.Blobs.Commit(ctx, st); err != nil {
			a.Blobs.Discard(st)
			return accord.File{}, err
		}
		out.Pages = append(out.Pages, st.SHA256)
	}
	if len(out.Pages) > 0 {
		out.Preview, out.PreviewType = out.Pages[0], preview.ContentType
	}
	if len(out.Pages) == 1 {
		out.Pages = nil
	}
	return out, nil
}

// noPreview wraps why a file gets no preview, unless the caller's context ended.
func noPreview(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return errors.Join(ErrNoPreview, err)
}

// imageRenderer previews a photo or a picture: one page, at most 1200 px and half the original.
type imageRenderer struct{ budget *preview.Budget }

func (r imageRenderer) Preview(ctx context.Context, src io.ReadSeeker, _ accord.File, mark string) ([][]byte, error) {
	data, err := r.budget.Make(ctx, src, mark)
	if err != nil {
		return nil, noPreview(ctx, err)
	}
	return [][]byte{data}, nil
}

// watermarkPages previews pages Accord laid out itself.
func watermarkPages(ctx context.Context, budget *preview.Budget, pages []image.Image, mark string) ([][]byte, error) {
	out := make([][]byte, 0, len(pages))
	for _, p := range pages {
		data, err := budget.MakePage(ctx, p, mark)
		if err != nil {
			return nil, noPreview(ctx, err)
		}
		out = append(out, data)
	}
	return out, nil
}

// documentRenderer lays a text document (DOCX, ODT, Markdown, plain text) out into pages.
type documentRenderer struct{ budget *preview.Budget }

// docKinds are the documents docrender lays out, by the type filetype gives them.
var docKinds = map[string]string{
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": docrender.KindDOCX,
	"application/vnd.oasis.opendocument.text":                                 docrender.KindODT,
}

func (r documentRenderer) Preview(ctx context.Context, src io.ReadSeeker, f accord.File, mark string) ([][]byte, error) {
	kind := docKinds[f.ContentType]
	switch {
	case kind != "":
	case strings.HasPrefix(f.ContentType, "text/markdown"):
		kind = docrender.KindMarkdown
	case strings.HasPrefix(f.ContentType, "text/plain"):
		kind = docrender.KindText
	default:
		return nil, noPreview(ctx, errors.New("no layout for "+f.ContentType))
	}
	ra, ok := src.(io.ReaderAt)
	if !ok {
		ra = io.NewSectionReader(readerAt{src}, 0, f.Size)
	}
	doc, err := docrender.Extract(ra, f.Size, kind, docrender.Limits{})
	if err != nil {
		return nil, noPreview(ctx, err)
	}
	rctx, cancel := context.WithTimeout(ctx, documentBudget)
	defer cancel()
	gray, _, err := docrender.Render(rctx, doc, docrender.Options{MaxPages: previewPages})
	if err != nil {
		return nil, noPreview(ctx, err)
	}
	pages := make([]image.Image, len(gray))
	for i, g := range gray {
		pages[i] = g
	}
	return watermarkPages(ctx, r.budget, pages, mark)
}

// pdfRenderer rasterises a PDF's first pages at a low resolution.
type pdfRenderer struct {
	budget *preview.Budget
	pdf    PDFPages
}

func (r pdfRenderer) Preview(ctx context.Context, src io.ReadSeeker, _ accord.File, mark string) ([][]byte, error) {
	if r.pdf == nil {
		return nil, noPreview(ctx, errors.New("no PDF renderer on this server"))
	}
	data, err := io.ReadAll(src)
	if err != nil {
		return nil, err
	}
	var pages []image.Image
	if err := r.pdf.RenderEach(ctx, data, 0, previewPages, pdfPageSide, func(_ int, img image.Image) error {
		pages = append(pages, img)
		return nil
	}); err != nil {
		return nil, noPreview(ctx, err)
	}
	return watermarkPages(ctx, r.budget, pages, mark)
}
