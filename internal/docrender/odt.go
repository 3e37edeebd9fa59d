package docrender

import (
	"archive/zip"
	"encoding/xml"
	"strconv"
	"strings"
)

// The namespaces of OpenDocument.
const (
	officeNS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	textNS   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	styleNS  = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	foNS     = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
)

// maxSpaces bounds the spaces one text:s adds, whatever its text:c says.
const maxSpaces = 1000

// readODT reads the body of an OpenDocument text, content.xml, with the styles of styles.xml
// and of content.xml itself to tell bold text. Headers, footers, notes, comments and tracked
// deletions are left out.
func readODT(zr *zip.Reader, lim Limits, b *builder) error {
	r := &odtReader{b: b, styles: map[string]*odtStyle{}}
	if err := walkPart(zr, "styles.xml", lim, r, false); err != nil {
		return err
	}
	return walkPart(zr, "content.xml", lim, r, true)
}

// odtStyle is what a style says about the weight of text, and the style it inherits from.
type odtStyle struct {
	parent        string
	bold, hasBold bool
}

// odtReader makes blocks of the paragraphs (text:p) and headings (text:h) of office:body.
type odtReader struct {
	b      *builder
	styles map[string]*odtStyle
	style  *odtStyle   // the style:style being read
	inBody bool        // within office:body
	paras  []BlockKind // the kinds of the open paragraphs, innermost last: frames nest them
	bold   []bool      // whether the text of each open element is bold, innermost last
	items  int         // open list items
}

func (o *odtReader) done() bool { return o.b.full() }

func (o *odtReader) start(e xml.StartElement, stack []xml.Name) bool {
	if skipODT(e.Name) {
		return true
	}
	o.bold = append(o.bold, o.boldFor(e))
	switch n := e.Name; {
	case n.Space == officeNS && n.Local == "body":
		o.inBody = true
	case n.Space == styleNS:
		o.styleElement(e, stack)
	case n.Space == textNS && o.inBody:
		o.textElement(e)
	}
	return false
}

// skipODT tells the elements whose text is not the body's: notes, comments, tracked changes,
// and the headers and footers of the page styles.
func skipODT(n xml.Name) bool {
	switch n.Space {
	case textNS:
		return n.Local == "note" || n.Local == "tracked-changes"
	case officeNS:
		return n.Local == "annotation" || n.Local == "master-styles"
	}
	return false
}

// boldFor says whether the text of e is bold: by its style, if it is a paragraph, heading or
// span whose style sets the weight, and otherwise as its parent's is.
func (o *odtReader) boldFor(e xml.StartElement) bool {
	inherited := len(o.bold) > 0 && o.bold[len(o.bold)-1]
	if e.Name.Space != textNS || (e.Name.Local != "p" && e.Name.Local != "h" && e.Name.Local != "span") {
		return inherited
	}
	name := attr(e, textNS, "style-name")
	for range maxStyleChain {
		st := o.styles[name]
		if st == nil {
			break
		}
		if st.hasBold {
			return st.bold
		}
		name = st.parent
	}
	return inherited
}

func (o *odtReader) styleElement(e xml.StartElement, stack []xml.Name) {
	switch e.Name.Local {
	case "style":
		o.style = &odtStyle{parent: attr(e, styleNS, "parent-style-name")}
		o.styles[attr(e, styleNS, "name")] = o.style
	case "text-properties":
		if p := parent(stack); o.style != nil && p.Space == styleNS && p.Local == "style" {
			if w := attr(e, foNS, "font-weight"); w != "" {
				o.style.bold, o.style.hasBold = isBoldWeight(w), true
			}
		}
	}
}

// isBoldWeight reads fo:font-weight: "bold", or a number from 100 to 900 where 600 is semibold.
func isBoldWeight(w string) bool {
	n, err := strconv.Atoi(w)
	return w == "bold" || err == nil && n >= 600
}

func (o *odtReader) textElement(e xml.StartElement) {
	switch e.Name.Local {
	case "h":
		o.beginParagraph(outlineHeading(attr(e, textNS, "outline-level")))
	case "p":
		kind := o.styleKind(attr(e, textNS, "style-name"))
		if kind == Paragraph && o.items > 0 {
			kind = Bullet
		}
		o.beginParagraph(kind)
	case "list-item":
		o.items++
	case "s":
		n, err := strconv.Atoi(attr(e, textNS, "c"))
		if err != nil || n < 1 {
			n = 1
		}
		o.add(strings.Repeat(" ", min(n, maxSpaces)))
	case "tab":
		o.add("\t")
	case "line-break":
		o.add("\n")
	}
}

// outlineHeading maps text:outline-level (1 for the top, the default) to a heading.
func outlineHeading(level string) BlockKind {
	n, err := strconv.Atoi(level)
	if err != nil || n < 1 {
		n = 1
	}
	return min(Heading3, Heading1+BlockKind(min(n, 3)-1))
}

// styleKind tells a title, heading or list paragraph by its style's name or its ancestors'.
func (o *odtReader) styleKind(name string) BlockKind {
	for range maxStyleChain {
		if k, ok := kindByStyleName(name); ok {
			return k
		}
		st := o.styles[name]
		if st == nil {
			break
		}
		name = st.parent
	}
	return Paragraph
}

func (o *odtReader) beginParagraph(kind BlockKind) {
	o.b.end()
	o.paras = append(o.paras, kind)
	o.b.begin(kind)
}

func (o *odtReader) add(s string) {
	if len(o.paras) > 0 {
		o.b.add(s, o.bold[len(o.bold)-1])
	}
}

func (o *odtReader) end(stack []xml.Name) {
	o.bold = o.bold[:len(o.bold)-1]
	top := stack[len(stack)-1]
	switch {
	case top.Space == officeNS && top.Local == "body":
		o.inBody = false
	case top.Space == styleNS && top.Local == "style":
		o.style = nil
	case top.Space != textNS || !o.inBody:
	case (top.Local == "p" || top.Local == "h") && len(o.paras) > 0:
		o.b.end()
		o.paras = o.paras[:len(o.paras)-1]
		if len(o.paras) > 0 {
			o.b.resume(o.paras[len(o.paras)-1])
		}
	case top.Local == "list-item":
		o.items--
	}
}

// text adds the characters of a paragraph, heading, span or link, with runs of white space
// collapsed to one space as OpenDocument says (text:s and text:tab stand for the others).
func (o *odtReader) text(t []byte, stack []xml.Name) {
	top := stack[len(stack)-1]
	if top.Space != textNS || !strings.Contains(" p h span a meta ", " "+top.Local+" ") {
		return
	}
	s := collapseSpace(t)
	if o.b.blank() {
		s = strings.TrimLeft(s, " ")
	}
	o.add(s)
}

// collapseSpace replaces each run of XML white space in t with one space.
func collapseSpace(t []byte) string {
	var sb strings.Builder
	space := false
	for _, r := range string(t) {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(r)
	}
	if space {
		sb.WriteByte(' ')
	}
	return sb.String()
}
