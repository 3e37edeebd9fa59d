package invoicepdf

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits on a Doc. They are far above any real invoice and keep a hostile or
// broken input from taking minutes and hundreds of pages.
const (
	MaxLines      = 500  // rows of the lines table
	MaxFields     = 50   // Meta, Payment, Totals, Notes and each party's Lines, each
	MaxRunes      = 2000 // characters in any one string
	MaxFooter     = 300  // characters in Footer, which is repeated on every page
	MaxTotalRunes = 200_000
)

var (
	// ErrTooLarge is wrapped by the error for a Doc over one of the limits.
	ErrTooLarge = errors.New("invoicepdf: document too large")
	// ErrUnsupportedText is wrapped by the error for a string that is not valid
	// UTF-8, holds control characters, or holds a character the fonts cannot draw.
	ErrUnsupportedText = errors.New("invoicepdf: text cannot be set")
	// ErrInvalid is wrapped by the error for a Doc missing its title or with a bad Lang.
	ErrInvalid = errors.New("invoicepdf: invalid document")
)

// langTag is the shape of a BCP 47 tag as far as the PDF's /Lang needs it.
var langTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// clean checks d against the limits and returns a copy, d's slices untouched, whose
// strings are ready to set: line ends made "\n", tabs and the spaces the fonts lack
// made spaces, invisible format characters dropped.
func clean(d Doc) (Doc, error) {
	c := cleaner{glyphs: map[rune]bool{}}
	c.count("Lines", len(d.Lines), MaxLines)
	c.count("Meta", len(d.Meta), MaxFields)
	c.count("Payment", len(d.Payment), MaxFields)
	c.count("Totals", len(d.Totals), MaxFields)
	c.count("Notes", len(d.Notes), MaxFields)
	c.count("From.Lines", len(d.From.Lines), MaxFields)
	c.count("To.Lines", len(d.To.Lines), MaxFields)
	if c.err != nil {
		return Doc{}, c.err
	}

	d.Title = c.text("Title", d.Title, MaxRunes)
	d.Meta = c.fields("Meta", d.Meta)
	d.FromLabel = c.text("FromLabel", d.FromLabel, MaxRunes)
	d.ToLabel = c.text("ToLabel", d.ToLabel, MaxRunes)
	d.From = c.party("From", d.From)
	d.To = c.party("To", d.To)
	for i := range d.Columns {
		d.Columns[i] = c.text(fmt.Sprintf("Columns[%d]", i), d.Columns[i], MaxRunes)
	}
	lines := make([]Line, len(d.Lines))
	for i, l := range d.Lines {
		p := fmt.Sprintf("Lines[%d].", i)
		lines[i] = Line{
			Description: c.text(p+"Description", l.Description, MaxRunes),
			Quantity:    c.text(p+"Quantity", l.Quantity, MaxRunes),
			UnitPrice:   c.text(p+"UnitPrice", l.UnitPrice, MaxRunes),
			Amount:      c.text(p+"Amount", l.Amount, MaxRunes),
		}
	}
	d.Lines = lines
	totals := make([]Total, len(d.Totals))
	for i, t := range d.Totals {
		p := fmt.Sprintf("Totals[%d].", i)
		totals[i] = Total{Label: c.text(p+"Label", t.Label, MaxRunes), Amount: c.text(p+"Amount", t.Amount, MaxRunes), Strong: t.Strong}
	}
	d.Totals = totals
	d.PaymentLabel = c.text("PaymentLabel", d.PaymentLabel, MaxRunes)
	d.Payment = c.fields("Payment", d.Payment)
	d.Notes = c.strings("Notes", d.Notes)
	d.Footer = c.text("Footer", d.Footer, MaxFooter)
	if c.err != nil {
		return Doc{}, c.err
	}
	if c.total > MaxTotalRunes {
		return Doc{}, fmt.Errorf("%w: its strings hold %d characters in all; at most %d are allowed", ErrTooLarge, c.total, MaxTotalRunes)
	}
	if strings.TrimSpace(d.Title) == "" {
		return Doc{}, fmt.Errorf("%w: Title is empty", ErrInvalid)
	}
	if d.Lang != "" && !langTag.MatchString(d.Lang) {
		return Doc{}, fmt.Errorf("%w: Lang %q is not a language tag such as \"en\" or \"bg-BG\"", ErrInvalid, d.Lang)
	}
	return d, nil
}

// cleaner keeps the first error and the characters counted so far.
type cleaner struct {
	err    error
	total  int
	glyphs map[rune]bool
}

func (c *cleaner) count(name string, n, max int) {
	if c.err == nil && n > max {
		c.err = fmt.Errorf("%w: %s has %d entries; at most %d are allowed", ErrTooLarge, name, n, max)
	}
}

func (c *cleaner) party(name string, p Party) Party {
	return Party{Name: c.text(name+".Name", p.Name, MaxRunes), Lines: c.strings(name+".Lines", p.Lines)}
}

func (c *cleaner) fields(name string, fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		p := fmt.Sprintf("%s[%d].", name, i)
		out[i] = Field{Label: c.text(p+"Label", f.Label, MaxRunes), Value: c.text(p+"Value", f.Value, MaxRunes)}
	}
	return out
}

func (c *cleaner) strings(name string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = c.text(fmt.Sprintf("%s[%d]", name, i), s, MaxRunes)
	}
	return out
}

// text returns s ready to set, or "" once an error is kept.
func (c *cleaner) text(name, s string, max int) string {
	if c.err != nil {
		return ""
	}
	if !utf8.ValidString(s) {
		c.err = fmt.Errorf("%w: %s is not valid UTF-8", ErrUnsupportedText, name)
		return ""
	}
	n := utf8.RuneCountInString(s)
	if n > max {
		c.err = fmt.Errorf("%w: %s is %d characters long; at most %d are allowed", ErrTooLarge, name, n, max)
		return ""
	}
	c.total += n
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
		case r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029':
			// A lone carriage return and the Unicode line and paragraph separators break
			// the line as "\n" does; a tab is a space.
			if r == '\t' {
				r = ' '
			} else {
				r = '\n'
			}
		case r == '\u2007' || r == '\u202f':
			r = '\u00a0' // the figure and the narrow no-break space: the fonts have neither
		case r >= '\u2000' && r <= '\u200a' || r == '\u205f' || r == '\u3000':
			r = ' ' // thin, hair, en, em… spaces
		case r == '\u00ad' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\ufeff':
			continue // soft hyphen, zero-width characters: nothing to draw
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Co, r):
			c.err = fmt.Errorf("%w: %s holds the control or format character %U", ErrUnsupportedText, name, r)
			return ""
		case !c.hasGlyph(r):
			c.err = fmt.Errorf("%w: %s holds %q (%U), which the document's fonts cannot draw", ErrUnsupportedText, name, r, r)
			return ""
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (c *cleaner) hasGlyph(r rune) bool {
	if r == ' ' || r == '\u00a0' {
		return true
	}
	ok, seen := c.glyphs[r]
	if !seen {
		ok = hasGlyph(r)
		c.glyphs[r] = ok
	}
	return ok
}
