package docrender

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText returns data as UTF-8. It reads UTF-8 (dropping a byte order mark), UTF-16 with a
// byte order mark, and, when data is not valid UTF-8, Windows-1251, the legacy encoding of
// Russian and Bulgarian text. A cut says that data is a prefix, perhaps ending mid-character.
func decodeText(data []byte, cut bool) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return string(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], binary.BigEndian)
	}
	if cut {
		data = trimPartialRune(data)
	}
	if utf8.Valid(data) {
		return string(data)
	}
	s, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil { // Windows-1251 maps every byte, so this is not expected
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(s)
}

func decodeUTF16(data []byte, order binary.ByteOrder) string {
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(units))
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of data.
func trimPartialRune(data []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(data); i++ {
		if utf8.RuneStart(data[len(data)-i]) {
			if !utf8.FullRune(data[len(data)-i:]) {
				return data[:len(data)-i]
			}
			break
		}
	}
	return data
}

// lines splits s at "\n", "\r\n" and "\r".
func lines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
}

// readText makes paragraphs of the lines of s: a blank line ends a paragraph, and each further
// blank line adds an empty one; the lines within a paragraph keep their breaks.
func readText(s string, b *builder) {
	for _, line := range lines(s) {
		if b.full() {
			return
		}
		if strings.TrimSpace(line) == "" {
			if b.blank() {
				b.begin(Paragraph)
			}
			b.end()
			continue
		}
		if !b.blank() {
			b.add("\n", false)
		}
		b.add(strings.TrimRight(line, " \t"), false)
	}
}
