package filetype

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Types that an ISO base media file's brands name.
var (
	avifType = Type{Image, "image/avif", ".avif"}
	heicType = Type{Image, "image/heic", ".heic"}
	heifType = Type{Image, "image/heif", ".heif"}
	movType  = Type{Video, "video/quicktime", ".mov"}
	mp4Type  = Type{Video, "video/mp4", ".mp4"}
	gppType  = Type{Video, "video/3gpp", ".3gp"}
	gpp2Type = Type{Video, "video/3gpp2", ".3g2"}
)

// brandType is a type and the brands that name it.
type brandType struct {
	brands []string
	t      Type
}

// imageBrands are sought, in this order, among all of a file's brands: HEIF files list the
// generic ISO brands of video too, and may name HEIC only among the compatible ones.
var imageBrands = []brandType{
	{[]string{"avif", "avis"}, avifType},
	{[]string{"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"}, heicType},
	{[]string{"mif1", "msf1", "mif2"}, heifType},
}

// videoBrands name a video; the first brand of the file that is among them decides, the major
// brand first.
var videoBrands = []brandType{
	{[]string{"qt  "}, movType},
	{[]string{"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42", "mp71",
		"avc1", "av01", "dash", "M4V ", "M4VH", "M4VP", "f4v ", "mmp4", "MSNV", "XAVC"}, mp4Type},
	{[]string{"3gp4", "3gp5", "3gp6", "3gp7", "3ge6", "3ge7", "3gg6"}, gppType},
	{[]string{"3g2a", "3g2b", "3g2c"}, gpp2Type},
}

// notVideo are major brands of files that list MP4 brands but are audio or camera raw.
var notVideo = []string{"M4A ", "M4B ", "M4P ", "F4A ", "F4B ", "crx "}

// sniffFtyp reads the major and compatible brands of an ftyp box at the start of the file.
func sniffFtyp(head []byte) (Type, bool) {
	if len(head) < 16 || string(head[4:8]) != "ftyp" {
		return Type{}, false
	}
	n := binary.BigEndian.Uint32(head)
	if n < 16 || n%4 != 0 {
		return Type{}, false
	}
	brands := []string{string(head[8:12])}
	if slices.Contains(notVideo, brands[0]) {
		return other, true
	}
	for i := 16; i+4 <= int(min(n, uint32(len(head)), 1024)); i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	for _, bt := range imageBrands {
		for _, b := range brands {
			if slices.Contains(bt.brands, b) {
				return bt.t, true
			}
		}
	}
	for _, b := range brands {
		for _, bt := range videoBrands {
			if slices.Contains(bt.brands, b) {
				return bt.t, true
			}
		}
	}
	return other, true
}

// sniffRIFF tells WebP from AVI by the RIFF form type; other RIFF files (WAV) are Other.
func sniffRIFF(head []byte) (Type, bool) {
	if len(head) < 16 || string(head[:4]) != "RIFF" {
		return Type{}, false
	}
	switch string(head[8:12]) {
	case "WEBP":
		chunk := string(head[12:16])
		return webpType, chunk == "VP8 " || chunk == "VP8L" || chunk == "VP8X"
	case "AVI ":
		return aviType, true
	}
	return other, true
}

// sniffEBML reads the DocType in a Matroska or WebM file's EBML header.
func sniffEBML(head []byte) (Type, bool) {
	if len(head) < 5 || string(head[:4]) != "\x1A\x45\xDF\xA3" {
		return Type{}, false
	}
	size, n, ok := vint(head, 4)
	if !ok {
		return other, true
	}
	end := 4 + n + int(min(size, uint64(len(head)-4-n)))
	for i := 4 + n; i < end; {
		idLen := bits.LeadingZeros8(head[i]) + 1
		if idLen > 4 {
			break
		}
		size, n, ok := vint(head, i+idLen)
		body := i + idLen + n
		if !ok || body > end || size > uint64(end-body) {
			break
		}
		if string(head[i:i+idLen]) == "\x42\x82" { // DocType
			return docType(string(head[body : body+int(size)])), true
		}
		i = body + int(size)
	}
	return other, true
}

func docType(s string) Type {
	switch s {
	case "webm":
		return webmType
	case "matroska":
		return mkvType
	}
	return other
}

// vint reads the EBML variable-length integer at b[i:]: its value and its length in bytes.
func vint(b []byte, i int) (uint64, int, bool) {
	if i >= len(b) || b[i] == 0 {
		return 0, 0, false
	}
	n := bits.LeadingZeros8(b[i]) + 1
	if i+n > len(b) {
		return 0, 0, false
	}
	v := uint64(b[i] & (0xFF >> n))
	for _, c := range b[i+1 : i+n] {
		v = v<<8 | uint64(c)
	}
	return v, n, true
}
