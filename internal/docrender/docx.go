package docrender

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The namespaces of WordprocessingML (transitional and strict) and of markup compatibility.
const (
	wNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	wStrictNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	mcNS      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

func isW(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == wNS || n.Space == wStrictNS)
}

// readDOCX reads the body of a Word document, word/document.xml, using word/styles.xml to tell
// headings and lists. Relationships, media, headers, footers and comments are never opened.
func readDOCX(zr *zip.Reader, lim Limits, b *builder) error {
	styles := docxStyles{}
	if err := walkPart(zr, "word/styles.xml", lim, &styleReader{styles: styles}, false); err != nil {
		return err
	}
	return walkPart(zr, "word/document.xml", lim, &docxReader{b: b, styles: styles}, true)
}

// walkPart streams the archive entry name to h; a missing entry is malformed if required.
func walkPart(zr *zip.Reader, name string, lim Limits, h handler, required bool) error {
	rc, err := openPart(zr, name, lim.MaxEntryBytes)
	if err != nil {
		return err
	}
	if rc == nil {
		if required {
			return fmt.Errorf("%w: the archive has no %s", ErrMalformed, name)
		}
		return nil
	}
	defer rc.Close()
	return walkXML(rc, name, lim, h)
}

// docxReader makes blocks of the paragraphs (w:p) of a document, with the text (w:t), tabs
// and breaks of their runs (w:r), bold where a run's properties say so.
type docxReader struct {
	b      *builder
	styles docxStyles
	paras  []BlockKind // the kinds of the open paragraphs, innermost last: text boxes nest them
	bold   bool
}

func (d *docxReader) done() bool { return d.b.full() }

func (d *docxReader) start(e xml.StartElement, stack []xml.Name) bool {
	if e.Name.Space == mcNS && e.Name.Local == "Fallback" {
		return true // the same content as its mc:Choice, for older readers
	}
	if e.Name.Space != wNS && e.Name.Space != wStrictNS {
		return false
	}
	inRun := isW(parent(stack), "r")
	switch e.Name.Local {
	case "moveFrom", "pPrChange", "rPrChange", "sectPr":
		return true // text moved away, superseded properties, page setup
	case "p":
		d.b.end()
		d.paras = append(d.paras, Paragraph)
		d.b.begin(Paragraph)
	case "pStyle", "numPr", "outlineLvl":
		if isW(parent(stack), "pPr") {
			d.paragraphProperty(e)
		}
	case "r":
		d.bold = false
	case "b":
		if runProperty(stack) {
			d.bold = onOff(val(e))
		}
	case "rStyle":
		if runProperty(stack) {
			d.bold = d.bold || d.styles.bold(val(e))
		}
	case "tab", "ptab":
		d.addInRun(inRun, "\t")
	case "br", "cr":
		d.addInRun(inRun, "\n")
	case "noBreakHyphen":
		d.addInRun(inRun, "-")
	}
	return false
}

// paragraphProperty applies a paragraph's style, list numbering or outline level to its kind:
// a heading stays a heading when it is also numbered.
func (d *docxReader) paragraphProperty(e xml.StartElement) {
	if len(d.paras) == 0 {
		return
	}
	k := &d.paras[len(d.paras)-1]
	switch e.Name.Local {
	case "pStyle":
		*k = d.styles.kind(val(e))
	case "numPr":
		if *k == Paragraph {
			*k = Bullet
		}
	case "outlineLvl":
		if lvl, ok := outlineKind(val(e)); ok {
			*k = lvl
		}
	}
	d.b.setKind(*k)
}

// runProperty says whether the innermost element of stack is in a run's properties (w:r/w:rPr),
// not a paragraph mark's (w:pPr/w:rPr).
func runProperty(stack []xml.Name) bool {
	return len(stack) >= 3 && isW(stack[len(stack)-2], "rPr") && isW(stack[len(stack)-3], "r")
}

func (d *docxReader) addInRun(inRun bool, s string) {
	if inRun && len(d.paras) > 0 {
		d.b.add(s, d.bold)
	}
}

func (d *docxReader) end(stack []xml.Name) {
	switch top := stack[len(stack)-1]; {
	case isW(top, "p") && len(d.paras) > 0:
		d.b.end()
		d.paras = d.paras[:len(d.paras)-1]
		if len(d.paras) > 0 {
			d.b.resume(d.paras[len(d.paras)-1])
		}
	case isW(top, "r"):
		d.bold = false
	}
}

func (d *docxReader) text(t []byte, stack []xml.Name) {
	if isW(stack[len(stack)-1], "t") && len(d.paras) > 0 {
		d.b.add(string(t), d.bold)
	}
}

// val returns the w:val attribute of e.
func val(e xml.StartElement) string {
	if v := attr(e, wNS, "val"); v != "" {
		return v
	}
	return attr(e, wStrictNS, "val")
}

// onOff reads a WordprocessingML on/off value, which is on when absent.
func onOff(v string) bool {
	switch strings.ToLower(v) {
	case "0", "false", "off", "none":
		return false
	}
	return true
}

// outlineKind maps an outline level (0 for the top) to a heading; 9 is body text.
func outlineKind(v string) (BlockKind, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 8 {
		return Paragraph, false
	}
	return min(Heading3, Heading1+BlockKind(n)), true
}
