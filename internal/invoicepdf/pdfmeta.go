package invoicepdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

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
