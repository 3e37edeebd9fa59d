package pdfdoc

import (
	"fmt"
	"slices"
	"sync"

	"github.com/accordapp/accord/internal/pdffont"

	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// The families the Go fonts are registered under; they cover Latin, Cyrillic and Greek.
const (
	familySans = "go"
	familyMono = "gomono"
)

// customFonts are the TrueType fonts gofpdf embeds, as subsets of the glyphs used. Each render
// gets copies: gofpdf's subsetting appends into the bytes it is given, which would race between
// renders sharing the Go fonts' slices.
func customFonts() ([]*entity.CustomFont, error) {
	return repository.New().
		AddUTF8FontFromBytes(familySans, fontstyle.Normal, slices.Clone(goregular.TTF)).
		AddUTF8FontFromBytes(familySans, fontstyle.Bold, slices.Clone(gobold.TTF)).
		AddUTF8FontFromBytes(familyMono, fontstyle.Normal, slices.Clone(gomono.TTF)).
		Load()
}

// parsed holds the fonts parsed once; sfnt allows concurrent use with separate buffers.
var parsed = sync.OnceValues(func() (map[string]*sfnt.Font, error) {
	fonts := map[string]*sfnt.Font{}
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "bold": gobold.TTF, "mono": gomono.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			return nil, fmt.Errorf("pdfdoc: parsing the Go %s font: %w", name, err)
		}
		fonts[name] = f
	}
	return fonts, nil
})

// newMetrics measures text in one of the Go fonts; metrics cache widths and are not shared.
func newMetrics(name string) (*pdffont.Metrics, error) {
	fonts, err := parsed()
	if err != nil {
		return nil, err
	}
	return pdffont.NewMetrics(fonts[name]), nil
}
