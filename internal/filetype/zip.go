package filetype

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"

	"github.com/accordapp/accord/internal/archive"
)

// Types that a zip's entries prove.
var (
	zipType  = Type{Archive, "application/zip", ".zip"}
	docxType = Type{Document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"}
	docmType = Type{Document, "application/vnd.ms-word.document.macroEnabled.12", ".docm"}
)

// mimetypes are the zip types that name themselves in a first, stored entry called "mimetype",
// as OpenDocument does; other such zips (spreadsheets, EPUB) are archives.
var mimetypes = map[string]Type{
	"application/vnd.oasis.opendocument.text": {Document, "application/vnd.oasis.opendocument.text", ".odt"},
	"application/x-krita":                     {Design, "application/x-krita", ".kra"},
	"image/openraster":                        {Design, "image/openraster", ".ora"},
}

// maxZipEntries bounds the entries read to tell a document: an Office file's parts come first.
const maxZipEntries = 4096

// sniffContainer tells a document from a zip archive by the zip's central directory.
func sniffContainer(r io.ReaderAt, size int64, head []byte) (Type, bool) {
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) && !bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return Type{}, false
	}
	l, err := archive.List(r, size, archive.Zip, archive.Limits{MaxEntries: maxZipEntries, MaxTotalSize: math.MaxInt64})
	if err != nil && !errors.Is(err, archive.ErrTooLarge) {
		return zipType, true // a damaged zip proves no document
	}
	if t, ok := selfNamed(head, l.Entries); ok {
		return t, true
	}
	return officeType(l.Entries), true
}

// selfNamed reads the "mimetype" entry that starts the zip, stored: its local header comes first
// in head, and the central directory gives its size, which a data descriptor may hide there.
func selfNamed(head []byte, entries []archive.Entry) (Type, bool) {
	if len(head) < 30 || len(entries) == 0 || entries[0].Name != "mimetype" || entries[0].Size > 128 {
		return Type{}, false
	}
	method, nameLen, extraLen := le16(head[8:]), int(le16(head[26:])), int(le16(head[28:]))
	start, end := 30+nameLen+extraLen, 30+nameLen+extraLen+int(entries[0].Size)
	if method != 0 || end > len(head) || string(head[30:30+nameLen]) != "mimetype" {
		return Type{}, false
	}
	t, ok := mimetypes[string(head[start:end])]
	return t, ok
}

// officeType is DOCX (or DOCM, with macros) for a zip of a Word document's parts, else a zip.
func officeType(entries []archive.Entry) Type {
	var types, doc, macros bool
	for _, e := range entries {
		types = types || strings.EqualFold(e.Name, "[Content_Types].xml")
		doc = doc || strings.EqualFold(e.Name, "word/document.xml")
		macros = macros || strings.EqualFold(e.Name, "word/vbaProject.bin")
	}
	switch {
	case types && doc && macros:
		return docmType
	case types && doc:
		return docxType
	}
	return zipType
}

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
