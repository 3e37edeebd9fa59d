package archive

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unnamed stands for a name that neutralising left empty.
const unnamed = "(unnamed)"

// cleanName makes an entry's name safe to show and to compare: '\' becomes '/', invalid UTF-8,
// control and bidirectional-override characters go, a leading drive letter or device prefix
// goes, and so do empty, "." and ".." segments, so the name is relative and cannot climb.
func cleanName(name string, maxBytes int) string {
	if len(name) > 4*maxBytes {
		name = name[:4*maxBytes] // a name this long is hostile: its start is enough to show
	}
	name = strings.Map(printable, strings.ToValidUTF8(name, ""))
	var segs []string
	for _, seg := range strings.Split(name, "/") {
		if len(segs) == 0 {
			seg = stripDevice(seg)
		}
		// Windows drops trailing dots and spaces, so " .. " would climb there too.
		if strings.TrimRight(seg, ". ") != "" {
			segs = append(segs, seg)
		}
	}
	name = cutUTF8(strings.Join(segs, "/"), maxBytes)
	if name == "" {
		return unnamed
	}
	return name
}

// printable maps '\' to '/' and drops what would garble or disguise a name on screen.
func printable(r rune) rune {
	switch {
	case r == '\\':
		return '/'
	case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == utf8.RuneError:
		return -1
	}
	return r
}

// stripDevice removes a drive letter ("C:") or a Windows device prefix ("?" of \\?\) from the
// first segment of a name.
func stripDevice(seg string) string {
	if seg == "?" {
		return ""
	}
	if len(seg) >= 2 && seg[1] == ':' && ('a' <= seg[0]|0x20 && seg[0]|0x20 <= 'z') {
		return seg[2:]
	}
	return seg
}

// cutUTF8 shortens s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], "/")
}
