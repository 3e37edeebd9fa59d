package inbound

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFilenameBytes is the longest file name most file systems take.
const maxFilenameBytes = 255

// safeFilename returns the base name of an attachment's name, without control or invisible
// formatting characters (such as right-to-left overrides) and at most maxFilenameBytes long;
// "attachment" when nothing is left.
func safeFilename(name string) string {
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	return truncateName(name)
}

// truncateName shortens name to maxFilenameBytes, keeping its extension when it is short.
func truncateName(name string) string {
	if len(name) <= maxFilenameBytes {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	stem := name[:maxFilenameBytes-len(ext)]
	for !utf8.ValidString(stem) {
		stem = stem[:len(stem)-1]
	}
	return stem + ext
}
