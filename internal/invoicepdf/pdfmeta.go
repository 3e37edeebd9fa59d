package invoicepdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/phpdave11/gofpdf"
)

// maroto gives no access to its gofpdf document, so sort the font catalogs of every
// gofpdf document (it changes only their order) to make the output reproducible.
// internal/pdfdoc sets the same default.
func init() { gofpdf.SetDefaultCatalogSort(true) }

// infoDate matches the dates gofpdf writes in the document information dictionary.
var infoDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:\d{14}\)`)

// fixDates replaces the dates gofpdf stamps from the clock (maroto sets only the
// creation date, never the modification date): with created, or, when it is zero,
// with blanks of the same length so the cross-reference offsets stay valid.
func fixDates(pdf []byte, created time.Time) []byte {
	// The information dictionary follows the last stream; binary streams are not searched.
	start := bytes.LastIndex(pdf, []byte("endstream"))
	if start < 0 {
		start = 0
	}
	stamp := "D:" + created.UTC().Format("20060102150405")
	tail := infoDate.ReplaceAllFunc(pdf[start:], func(m []byte) []byte {
		if created.IsZero() {
			return bytes.Repeat([]byte(" "), len(m))
		}
		return append(bytes.Clone(m[:len(m)-len(stamp)-1]), stamp+")"...)
	})
	return append(pdf[:start:start], tail...)
}

var (
	pdf13, pdf14 = []byte("%PDF-1.3"), []byte("%PDF-1.4")
	catalog      = []byte("/Type /Catalog")
	startxref    = regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n?$`)
)

// setLang adds /Lang to the document catalog, which neither maroto nor gofpdf can
// set. gofpdf writes the catalog as the last object, right before the cross-reference
// table, so text added inside it moves nothing but that table: only the startxref
// offset at the end of the file changes.
func setLang(pdf []byte, lang string) ([]byte, error) {
	if lang == "" {
		return pdf, nil
	}
	at := bytes.LastIndex(pdf, catalog)
	m := startxref.FindSubmatchIndex(pdf)
	if at < 0 || m == nil {
		return nil, fmt.Errorf("invoicepdf: setting the language: the PDF has no catalog or startxref where gofpdf puts them")
	}
	xref, err := strconv.Atoi(string(pdf[m[2]:m[3]]))
	if err != nil || xref < at || !bytes.HasPrefix(pdf[xref:], []byte("xref")) {
		return nil, fmt.Errorf("invoicepdf: setting the language: the catalog does not come right before the cross-reference table")
	}
	insert := []byte("\n/Lang (" + lang + ")") // langTag admits no character to escape
	at += len(catalog)
	out := make([]byte, 0, len(pdf)+len(insert)+4)
	out = append(out, pdf[:at]...)
	if bytes.HasPrefix(out, pdf13) { // /Lang is PDF 1.4; the header keeps its length
		copy(out, pdf14)
	}
	out = append(out, insert...)
	out = append(out, pdf[at:m[2]]...)
	out = strconv.AppendInt(out, int64(xref+len(insert)), 10)
	return append(out, pdf[m[3]:]...), nil
}
