package docrender

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
)

// handler receives the elements and text of an XML part, with the names of the elements that
// enclose them (the innermost last).
type handler interface {
	// start may return true to skip the element and all it contains.
	start(e xml.StartElement, stack []xml.Name) (skip bool)
	end(stack []xml.Name)
	text(t []byte, stack []xml.Name)
	// done says that the handler needs no more of the part.
	done() bool
}

// walkXML streams an XML part to h within the depth and token limits. encoding/xml expands only
// the five predefined entities and never fetches anything, so a DTD can neither grow the text
// nor reach outside the archive.
func walkXML(r io.Reader, part string, lim Limits, h handler) error {
	d := xml.NewDecoder(&tagGuard{r: r, part: part})
	var stack []xml.Name
	skipAt := 0 // the depth of the element being skipped, or 0
	for tokens := 0; !h.done(); tokens++ {
		if tokens >= lim.MaxXMLTokens {
			return fmt.Errorf("%w: %s has over %d XML tokens", ErrTooLarge, part, lim.MaxXMLTokens)
		}
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlError(part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= lim.MaxXMLDepth {
				return fmt.Errorf("%w: %s nests XML deeper than %d elements", ErrTooLarge, part, lim.MaxXMLDepth)
			}
			stack = append(stack, t.Name)
			if skipAt == 0 && h.start(t, stack) {
				skipAt = len(stack)
			}
		case xml.EndElement:
			if skipAt == 0 {
				h.end(stack)
			} else if skipAt == len(stack) {
				skipAt = 0
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if skipAt == 0 && len(stack) > 0 {
				h.text(t, stack)
			}
		}
	}
	return nil
}

func xmlError(part string, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	return fmt.Errorf("%w: %s: %v", ErrMalformed, part, err)
}

// attr returns the value of e's attribute space:local, or "".
func attr(e xml.StartElement, space, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}

// parent returns the name of the element enclosing the innermost one of stack.
func parent(stack []xml.Name) xml.Name {
	if len(stack) < 2 {
		return xml.Name{}
	}
	return stack[len(stack)-2]
}

// maxTagBytes bounds one XML tag: encoding/xml holds all of a start tag's attributes at once,
// and a 32 MiB tag of short attributes takes some 400 MB of memory.
const maxTagBytes = 64 << 10

// tagGuard passes XML through, failing once a tag runs longer than maxTagBytes.
type tagGuard struct {
	r     io.Reader
	part  string
	state byte // one of the guard states below
	n     int  // bytes of the current tag
}

const (
	outsideTag = iota
	tagOpened  // just after "<"
	inTag
	inQuote  // within "..." in a tag
	inApostr // within '...' in a tag
)

func (g *tagGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if g.state == outsideTag {
			j := bytes.IndexByte(p[i:n], '<')
			if j < 0 {
				break
			}
			i += j
		}
		g.scan(p[i])
		if g.n > maxTagBytes {
			return 0, fmt.Errorf("%w: %s has an XML tag over %d KiB long", ErrTooLarge, g.part, maxTagBytes>>10)
		}
	}
	return n, err
}

// scan moves the guard past c. Comments, CDATA, declarations and processing instructions
// ("<!", "<?") hold no attributes and are not counted.
func (g *tagGuard) scan(c byte) {
	switch g.state {
	case outsideTag:
		g.state, g.n = tagOpened, 1
	case tagOpened:
		g.state = inTag
		if c == '!' || c == '?' {
			g.state = outsideTag
		}
	case inTag:
		g.n++
		switch c {
		case '>':
			g.state = outsideTag
		case '"':
			g.state = inQuote
		case '\'':
			g.state = inApostr
		}
	case inQuote, inApostr:
		g.n++
		if c == '"' && g.state == inQuote || c == '\'' && g.state == inApostr {
			g.state = inTag
		}
	}
}
