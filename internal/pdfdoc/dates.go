package pdfdoc

import (
	"bytes"
	"regexp"
	"time"

	"github.com/phpdave11/gofpdf"
)

// maroto gives no access to its gofpdf document, so sort the font catalogs of every
// gofpdf document (it changes only their order) to make the output reproducible.
func init() { gofpdf.SetDefaultCatalogSort(true) }

// infoDate matches the dates gofpdf writes in the document information dictionary.
var infoDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:\d{14}\)`)

// fixDates replaces the dates gofpdf stamps from the clock: with created, or, when it
// is zero, with blanks of the same length so the cross-reference offsets stay valid.
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
