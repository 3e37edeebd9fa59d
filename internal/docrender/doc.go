// Package docrender lays text documents (plain text, Markdown, DOCX, ODT) out into page images,
// so that a client can preview a copywriter's delivery without being handed its text.
//
// Extract reads a document into a Doc, a list of paragraphs, headings and bullets of plain and
// bold text, within Limits that bound the bytes, XML and text it reads. Render lays a Doc out
// onto A4-shaped greyscale pages with the Go fonts, which cover Latin, Cyrillic and Greek.
package docrender

import (
	"errors"
	"path"
	"strings"
)

// The kinds of document Extract reads.
const (
	KindText     = "text"     // plain text: UTF-8, UTF-16 with a byte order mark, or Windows-1251
	KindMarkdown = "markdown" // Markdown, read as text with its common markup
	KindDOCX     = "docx"     // Office Open XML (Word) document
	KindODT      = "odt"      // OpenDocument text (LibreOffice, Google Docs export)
)

// Errors Extract returns, wrapped with what was wrong.
var (
	ErrUnsupported = errors.New("docrender: unsupported kind of document")
	ErrTooLarge    = errors.New("docrender: document too large or too complex to preview")
	ErrMalformed   = errors.New("docrender: document is damaged or not of its stated kind")
)

// BlockKind is what a block of text is: a paragraph, a heading or a bullet.
type BlockKind int

// The kinds of block, from body text to the largest heading.
const (
	Paragraph BlockKind = iota
	Heading1
	Heading2
	Heading3
	Bullet
)

// Doc is the text of a document, as blocks in reading order.
type Doc struct {
	Blocks []Block
	// Truncated says that text beyond Limits.MaxRunes was dropped.
	Truncated bool
}

// Block is one paragraph, heading or bullet point.
type Block struct {
	Kind BlockKind
	Runs []Run
}

// Run is a stretch of text in one weight. Its text is valid UTF-8 with no control characters
// other than "\n" (a line break within the block) and "\t" (a tab).
type Run struct {
	Text string
	Bold bool
}

// KindFor returns the kind of document a file name says it is, or "" for none that Extract reads.
func KindFor(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text":
		return KindText
	case ".md", ".markdown":
		return KindMarkdown
	case ".docx":
		return KindDOCX
	case ".odt":
		return KindODT
	}
	return ""
}
