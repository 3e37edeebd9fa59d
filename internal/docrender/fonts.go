package docrender

import (
	"fmt"
	"image"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// goFonts are Go Regular and Go Bold, parsed once; they cover Latin, Cyrillic and Greek.
var goFonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var fs [2]*opentype.Font
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return fs, fmt.Errorf("docrender: parsing the Go fonts: %w", err)
		}
		fs[i] = f
	}
	return fs, nil
})

// weights are a face in regular and bold, indexed by Run.Bold.
type weights [2]font.Face

func (w weights) of(bold bool) font.Face {
	if bold {
		return w[1]
	}
	return w[0]
}

// newWeights returns the Go fonts at size pixels: regular and bold, or bold twice for a heading.
// Hinting rounds the advances to whole pixels, which keeps small text crisp.
func newWeights(size float64, allBold bool) (weights, error) {
	fs, err := goFonts()
	if err != nil {
		return weights{}, err
	}
	var w weights
	for i := range w {
		f := fs[i]
		if allBold {
			f = fs[1]
		}
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return weights{}, fmt.Errorf("docrender: making a %.1f px face: %w", size, err)
		}
		w[i] = newCachingFace(face)
	}
	return w, nil
}

// maxCachedGlyphs bounds the glyphs one face remembers: a page uses a hundred or so.
const maxCachedGlyphs = 4096

// cachingFace remembers the glyphs it has rasterized, which otherwise takes most of the time
// of drawing a page. It is as unsafe for concurrent use as the face it wraps.
type cachingFace struct {
	font.Face
	glyphs map[glyphKey]cachedGlyph
}

// glyphKey is a rune at a sub-pixel position.
type glyphKey struct {
	r    rune
	x, y fixed.Int26_6
}

type cachedGlyph struct {
	offset image.Point // of the mask from the dot's pixel
	mask   *image.Alpha
	adv    fixed.Int26_6
	ok     bool
}

func newCachingFace(f font.Face) *cachingFace {
	return &cachingFace{Face: f, glyphs: map[glyphKey]cachedGlyph{}}
}

func (c *cachingFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	key := glyphKey{r: r, x: dot.X & 63, y: dot.Y & 63}
	origin := image.Pt(dot.X.Floor(), dot.Y.Floor())
	g, hit := c.glyphs[key]
	if !hit {
		g = c.rasterize(dot, r, origin)
		if len(c.glyphs) < maxCachedGlyphs {
			c.glyphs[key] = g
		}
	}
	if !g.ok {
		return image.Rectangle{}, nil, image.Point{}, g.adv, false
	}
	min := origin.Add(g.offset)
	return image.Rectangle{Min: min, Max: min.Add(g.mask.Rect.Size())}, g.mask, image.Point{}, g.adv, true
}

func (c *cachingFace) rasterize(dot fixed.Point26_6, r rune, origin image.Point) cachedGlyph {
	dr, mask, mp, adv, ok := c.Face.Glyph(dot, r)
	if !ok {
		return cachedGlyph{adv: adv}
	}
	copied := image.NewAlpha(image.Rectangle{Max: dr.Size()})
	draw.Draw(copied, copied.Rect, mask, mp, draw.Src)
	return cachedGlyph{offset: dr.Min.Sub(origin), mask: copied, adv: adv, ok: true}
}
