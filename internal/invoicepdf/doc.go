// Package invoicepdf lays out an invoice, a credit note or a payment receipt as an
// A4 PDF. Every string arrives translated and formatted by the caller (dates, money,
// tax labels); the package only places them: the title and the document's fields,
// the two parties side by side, a table of lines with right-aligned amounts that
// flows onto further pages under a repeated header, the totals, a payment box, the
// notes and a footer that numbers the pages when there are several.
//
// The fonts are the Go fonts, embedded: they cover Latin, Cyrillic and Greek, but
// not every currency sign. A character they cannot draw (₽, ₴, emoji, CJK) makes
// Render fail with ErrUnsupportedText rather than print an empty box; thin and
// narrow spaces are set as ordinary (no-break) spaces.
package invoicepdf

import (
	"fmt"
	"strings"
	"time"

	"github.com/accordapp/accord/internal/pdffont"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
)

// Doc is one invoice, credit note or receipt, every string ready to print.
// Empty strings and sections are left out of the layout; only Title is required.
// Any string may hold "\n" to break a line.
type Doc struct {
	Title string  // "Invoice INV-2026-0007", "Счёт № INV-2026-0007", "Фактура № 0000000007"
	Meta  []Field // issue date, due date, reference, milestone…, listed under the title

	FromLabel, ToLabel string // headings over the parties: "From"/"Bill to", "Исполнитель"/"Заказчик"
	From, To           Party

	Columns [4]string // headers of the lines table: description, quantity, unit price, amount
	Lines   []Line
	Totals  []Total // under the table, right-aligned: net, VAT, total, prepayment, due

	PaymentLabel string  // heading of the payment box, e.g. "Payment details"; may be empty
	Payment      []Field // bank, IBAN, BIC, payment reference…

	Notes  []string // "Tax not charged: …", "This credit note corrects INV-…"
	Footer string   // small print at the bottom of every page; "2 / 3" goes at its right when there are pages to count

	Lang    string    // BCP 47 tag of the text, "en", "ru", "bg": the catalog's /Lang (PDF 1.4); may be empty
	Created time.Time // the PDF's creation date; zero leaves it blank, so output is reproducible
}

// Party is who issues or receives the document.
type Party struct {
	Name  string
	Lines []string // address lines, tax ids already labelled ("VAT BG123456789")
}

// Line is one row of the lines table.
type Line struct {
	Description, Quantity, UnitPrice, Amount string
}

// Total is one row under the table; Strong sets it in bold, above a rule (the total due).
type Total struct {
	Label, Amount string
	Strong        bool
}

// Field is a label and its value.
type Field struct {
	Label, Value string
}

// Creator is the PDF's /Creator.
const Creator = "Accord"

// The page: A4 in millimetres. The footer is laid out inside the bottom margin's line.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	marginSide   = 15.0
	marginTop    = 14.0
	marginBottom = 12.0
	contentWidth = pageWidth - 2*marginSide
	bodyHeight   = pageHeight - marginTop - marginBottom
	leading      = 1.28
	// gridSize makes one grid column a tenth of a millimetre, so columns take any width.
	gridSize = int(contentWidth * 10)
	// guard is an invisible footer that keeps each page clear of gofpdf's page break
	// (see pageGuard); slack is what each page leaves unused besides, for rounding.
	guard = 0.01
	slack = 0.5
)

// Render lays out d on A4 pages and returns the PDF. It fails, before laying out
// anything, when d is larger than the limits (ErrTooLarge) or holds text the fonts
// cannot draw or that is not text (ErrUnsupportedText). It is safe for concurrent use.
func Render(d Doc) ([]byte, error) {
	d, err := clean(d)
	if err != nil {
		return nil, err
	}
	l, err := newLayout()
	if err != nil {
		return nil, err
	}
	foot := l.footer(d.Footer)
	pages := l.paginate(l.blocks(d), foot)
	cfg, err := newConfig(d)
	if err != nil {
		return nil, err
	}
	m := maroto.New(cfg)
	if err := m.RegisterFooter(pageGuard()); err != nil {
		return nil, fmt.Errorf("invoicepdf: %w", err)
	}
	for i, p := range pages {
		m.AddPages(l.page(p, foot, i+1, len(pages)))
	}
	out, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("invoicepdf: generating %q: %w", d.Title, err)
	}
	pdf := pdffont.FixDates(out.GetBytes(), d.Created)
	return setLang(pdf, d.Lang)
}

func newConfig(d Doc) (*entity.Config, error) {
	fonts, err := customFonts()
	if err != nil {
		return nil, err
	}
	b := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithMaxGridSize(gridSize).
		WithLeftMargin(marginSide).
		WithRightMargin(marginSide).
		WithTopMargin(marginTop).
		WithBottomMargin(marginBottom).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: family, Style: fontstyle.Normal, Size: 9, Color: black}).
		WithCompression(true).
		WithTitle(oneLine(d.Title), true).
		WithSubject(oneLine(d.Title), true).
		WithCreator(Creator, true)
	if d.From.Name != "" {
		b = b.WithAuthor(oneLine(d.From.Name), true)
	}
	if !d.Created.IsZero() {
		b = b.WithCreationDate(d.Created.UTC())
	}
	return b.Build(), nil
}

// pageGuard is an invisible footer, a sliver tall, that keeps a page's last row clear
// of the bottom margin. maroto fills a page while rows fit to the millimetre but leaves
// the page break itself to gofpdf, which breaks as soon as a cell passes the margin by
// a rounding error, before maroto's own filler row; with no columns the guard only
// moves the cursor, which never breaks a page.
func pageGuard() core.Row { return row.New(guard) }

// oneLine joins the lines of s for the document information, which has no line breaks.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
