// Package filetype tells what an uploaded file is from its content alone: never from its name
// or from a type that the uploader declared, which are the uploader's to forge.
package filetype

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Kinds of file, by what Accord can show of them.
const (
	Image    = "image"
	PDF      = "pdf"
	Document = "document" // DOCX, ODT, plain text and Markdown
	Archive  = "archive"
	Video    = "video"
	Design   = "design"
	Other    = "other"
)

// SniffLen is how much of a file's start Detect reads; for a zip it also reads the end and the
// central directory.
const SniffLen = 64 << 10

// Type is what a file's content shows it to be.
type Type struct {
	Kind string // one of the kinds above
	MIME string // safe to serve: never a type that a browser renders as a page
	Ext  string // the usual extension, with its dot
}

// other is every file whose content proves nothing better.
var other = Type{Other, "application/octet-stream", ".bin"}

// Detect tells the type of the file that r holds in its first size bytes. An empty or
// unrecognised file is Other; only a failure to read is an error.
func Detect(r io.ReaderAt, size int64) (Type, error) {
	t, _, err := detect(r, size)
	return t, err
}

// DetectNamed is Detect, except that a file whose content is plain text and whose name ends in
// .md or .markdown is Markdown: the name never changes any other outcome.
func DetectNamed(r io.ReaderAt, size int64, name string) (Type, error) {
	t, plain, err := detect(r, size)
	if err != nil || !plain || !isMarkdownName(name) {
		return t, err
	}
	t.MIME = strings.Replace(t.MIME, "text/plain", "text/markdown", 1)
	t.Ext = ".md"
	return t, nil
}

func isMarkdownName(name string) bool {
	switch strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/"))) {
	case ".md", ".markdown":
		return true
	}
	return false
}

// detect also says whether the file is plain text that is not markup, which alone may be
// Markdown.
func detect(r io.ReaderAt, size int64) (Type, bool, error) {
	head, size, err := readHead(r, size)
	if err != nil || len(head) == 0 {
		return other, false, err
	}
	if t, ok := sniffMagic(head); ok {
		return t, false, nil
	}
	if t, ok := sniffContainer(r, size, head); ok {
		return t, false, nil
	}
	return sniffText(head, int64(len(head)) == size)
}

// readHead reads the first SniffLen bytes; a reader that ends before size makes the file as
// short as what it holds.
func readHead(r io.ReaderAt, size int64) ([]byte, int64, error) {
	if size < 0 {
		return nil, 0, fmt.Errorf("filetype: negative file size %d", size)
	}
	head := make([]byte, min(size, SniffLen))
	n, err := r.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, 0, fmt.Errorf("filetype: reading the file's first bytes: %w", err)
	}
	if n < len(head) {
		return head[:n], int64(n), nil
	}
	return head, size, nil
}
