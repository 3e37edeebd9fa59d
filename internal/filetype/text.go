package filetype

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"
)

// Text types. HTML, SVG and XML are text/plain too: served as text/plain a browser shows their
// source and never runs their scripts, which a stranger's file must not do in Accord's origin.
// The charset is explicit so that no browser guesses one.
var (
	utf8Text    = Type{Document, "text/plain; charset=utf-8", ".txt"}
	utf16LEText = Type{Document, "text/plain; charset=utf-16le", ".txt"}
	utf16BEText = Type{Document, "text/plain; charset=utf-16be", ".txt"}
)

// markupStart is how much of a text is read to tell whether it is markup.
const markupStart = 1024

// sniffText says whether head is text: UTF-8, or UTF-16 after its byte order mark, without NULs
// or the other control bytes that only binary files hold. whole says head is the whole file;
// otherwise a character cut at its end is no fault. It also says whether the text may be
// Markdown: markup (a page, an SVG, XML) may not, lest a Markdown renderer pass it through.
func sniffText(head []byte, whole bool) (Type, bool, error) {
	t, start, ok := utf8Text, "", false
	switch {
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		t = utf16LEText
		start, ok = decodeUTF16(head[2:], binary.LittleEndian, whole)
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		t = utf16BEText
		start, ok = decodeUTF16(head[2:], binary.BigEndian, whole)
	default:
		start, ok = decodeUTF8(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), whole)
	}
	if !ok {
		return other, false, nil
	}
	return t, !isMarkup(start), nil
}

// decodeUTF8 checks b and returns its start.
func decodeUTF8(b []byte, whole bool) (string, bool) {
	if !whole {
		b = trimCutRune(b)
	}
	if !utf8.Valid(b) || bytes.IndexFunc(b, isBinaryRune) >= 0 {
		return "", false
	}
	return string(b[:min(len(b), markupStart)]), true
}

// trimCutRune drops an incomplete character from the end of b.
func trimCutRune(b []byte) []byte {
	for i := len(b) - 1; i >= max(0, len(b)-utf8.UTFMax); i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			break
		}
	}
	return b
}

// decodeUTF16 checks b, surrogate pairs included, and returns its start.
func decodeUTF16(b []byte, order binary.ByteOrder, whole bool) (string, bool) {
	if len(b)%2 == 1 && whole {
		return "", false
	}
	var s strings.Builder
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(order.Uint16(b[i:]))
		switch {
		case 0xD800 <= u && u < 0xDC00: // a high surrogate, which a low one must follow
			if i+3 >= len(b) {
				return s.String(), !whole
			}
			low := rune(order.Uint16(b[i+2:]))
			if low < 0xDC00 || low >= 0xE000 {
				return "", false
			}
			u, i = 0x10000+(u-0xD800)<<10+(low-0xDC00), i+2
		case 0xDC00 <= u && u < 0xE000, isBinaryRune(u):
			return "", false
		}
		if s.Len() < markupStart {
			s.WriteRune(u)
		}
	}
	return s.String(), true
}

// isBinaryRune is true of the control characters that the WHATWG MIME Sniffing Standard calls
// binary data bytes: all but tab, line feed, form feed, carriage return and escape.
func isBinaryRune(r rune) bool {
	return r <= 0x08 || r == 0x0B || (0x0E <= r && r <= 0x1A) || (0x1C <= r && r <= 0x1F)
}

// isMarkup says whether a text starts, after white space, with a tag, a comment, a doctype or an
// XML declaration, as HTML, SVG and XML do.
func isMarkup(start string) bool {
	s := strings.TrimLeft(start, " \t\n\f\r")
	if len(s) < 2 || s[0] != '<' {
		return false
	}
	c := s[1] | 0x20
	return ('a' <= c && c <= 'z') || s[1] == '!' || s[1] == '?' || s[1] == '/'
}
