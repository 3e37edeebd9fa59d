package docrender

import (
	"encoding/xml"
	"strings"
)

// docxStyle is what a style of word/styles.xml says about the paragraphs or runs using it.
type docxStyle struct {
	name, basedOn string
	kind          BlockKind // from its outline level or numbering, if hasKind
	hasKind       bool
	bold          bool
}

// docxStyles are the styles of a document by their IDs.
type docxStyles map[string]*docxStyle

// maxStyleChain bounds how many w:basedOn links are followed, in case they form a loop.
const maxStyleChain = 10

// kind returns the kind of paragraph a style makes, by its name ("heading 1", "Title", "List
// Paragraph"), its outline level or numbering, or the style it is based on.
func (s docxStyles) kind(id string) BlockKind {
	for range maxStyleChain {
		st := s[id]
		if st == nil {
			k, _ := kindByStyleName(id)
			return k
		}
		if k, ok := kindByStyleName(st.name); ok {
			return k
		}
		if st.hasKind {
			return st.kind
		}
		if k, ok := kindByStyleName(id); ok {
			return k
		}
		id = st.basedOn
	}
	return Paragraph
}

// bold says whether a character style, or one it is based on, is bold ("Strong" is).
func (s docxStyles) bold(id string) bool {
	for range maxStyleChain {
		if normalStyleName(id) == "strong" {
			return true
		}
		st := s[id]
		if st == nil {
			return false
		}
		if st.bold || normalStyleName(st.name) == "strong" {
			return true
		}
		id = st.basedOn
	}
	return false
}

// kindByStyleName tells the built-in heading, title and list styles by name or ID, which
// Word and LibreOffice spell "Heading1", "heading 1", "Heading_20_1" or "Title".
func kindByStyleName(name string) (BlockKind, bool) {
	n := normalStyleName(name)
	switch {
	case n == "title":
		return Heading1, true
	case n == "subtitle":
		return Heading2, true
	case strings.HasPrefix(n, "heading") && len(n) == len("heading")+1 && n[7] >= '1' && n[7] <= '9':
		return min(Heading3, Heading1+BlockKind(n[7]-'1')), true
	case strings.HasPrefix(n, "list"):
		return Bullet, true
	}
	return Paragraph, false
}

func normalStyleName(name string) string {
	name = strings.ReplaceAll(strings.ToLower(name), "_20_", "")
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(name)
}

// styleReader collects the styles of word/styles.xml.
type styleReader struct {
	styles docxStyles
	cur    *docxStyle
}

func (r *styleReader) done() bool { return false }

func (r *styleReader) start(e xml.StartElement, stack []xml.Name) bool {
	if isW(e.Name, "style") {
		r.cur = &docxStyle{}
		r.styles[attr(e, e.Name.Space, "styleId")] = r.cur
		return false
	}
	if r.cur == nil {
		return false
	}
	p := parent(stack)
	switch {
	case isW(e.Name, "name") && isW(p, "style"):
		r.cur.name = val(e)
	case isW(e.Name, "basedOn") && isW(p, "style"):
		r.cur.basedOn = val(e)
	case isW(e.Name, "outlineLvl") && isW(p, "pPr"):
		r.cur.kind, r.cur.hasKind = outlineKind(val(e))
	case isW(e.Name, "numPr") && isW(p, "pPr") && !r.cur.hasKind:
		r.cur.kind, r.cur.hasKind = Bullet, true
	case isW(e.Name, "b") && isW(p, "rPr") && len(stack) >= 3 && isW(stack[len(stack)-3], "style"):
		r.cur.bold = onOff(val(e))
	}
	return false
}

func (r *styleReader) end(stack []xml.Name) {
	if isW(stack[len(stack)-1], "style") {
		r.cur = nil
	}
}

func (r *styleReader) text([]byte, []xml.Name) {}
