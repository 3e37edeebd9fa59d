package pdfdoc

import (
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

func newConfig(d Doc) (*entity.Config, error) {
	fonts, err := customFonts()
	if err != nil {
		return nil, err
	}
	b := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithLeftMargin(marginSide).
		WithRightMargin(marginSide).
		WithTopMargin(marginTop).
		WithBottomMargin(marginBottom).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: familySans, Style: fontstyle.Normal, Size: 10, Color: black}).
		WithPageNumber(props.PageNumber{
			Pattern: footerPattern(d.Footer),
			Place:   props.Bottom,
			Family:  familySans,
			Style:   fontstyle.Normal,
			Size:    8,
			Color:   grey,
		}).
		WithCompression(true).
		WithTitle(d.Title, true)
	if !d.Created.IsZero() {
		b = b.WithCreationDate(d.Created.UTC())
	}
	return b.Build(), nil
}

// footerPattern is maroto's page-number pattern, which is the only text it repeats with the numbers.
func footerPattern(footer string) string {
	const numbers = "page {current} / {total}"
	if footer == "" {
		return numbers
	}
	return footer + "  ·  " + numbers
}
