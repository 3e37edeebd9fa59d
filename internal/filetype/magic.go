package filetype

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"slices"
	"strconv"
)

// Types that a signature at a fixed offset proves.
var (
	jpegType  = Type{Image, "image/jpeg", ".jpg"}
	pngType   = Type{Image, "image/png", ".png"}
	gifType   = Type{Image, "image/gif", ".gif"}
	webpType  = Type{Image, "image/webp", ".webp"}
	tiffType  = Type{Image, "image/tiff", ".tiff"}
	bmpType   = Type{Image, "image/bmp", ".bmp"}
	pdfType   = Type{PDF, "application/pdf", ".pdf"}
	psdType   = Type{Design, "image/vnd.adobe.photoshop", ".psd"}
	psbType   = Type{Design, "image/vnd.adobe.photoshop", ".psb"}
	xcfType   = Type{Design, "image/x-xcf", ".xcf"}
	figType   = Type{Design, "application/x-figma", ".fig"}
	blendType = Type{Design, "application/x-blender", ".blend"}
	epsType   = Type{Design, "application/postscript", ".eps"}
	psType    = Type{Design, "application/postscript", ".ps"}
	aviType   = Type{Video, "video/x-msvideo", ".avi"}
	webmType  = Type{Video, "video/webm", ".webm"}
	mkvType   = Type{Video, "video/x-matroska", ".mkv"}
	tarType   = Type{Archive, "application/x-tar", ".tar"}
	gzipType  = Type{Archive, "application/gzip", ".gz"}
	tgzType   = Type{Archive, "application/gzip", ".tar.gz"}
	bzip2Type = Type{Archive, "application/x-bzip2", ".bz2"}
	xzType    = Type{Archive, "application/x-xz", ".xz"}
	zstdType  = Type{Archive, "application/zstd", ".zst"}
	sevenType = Type{Archive, "application/x-7z-compressed", ".7z"}
	rarType   = Type{Archive, "application/vnd.rar", ".rar"}
)

// sniffer says whether a file's first bytes prove a type.
type sniffer func(head []byte) (Type, bool)

// sniffers are tried in order; tar comes first because its header starts with the first entry's
// name, which may imitate any other signature.
var sniffers = []sniffer{
	sniffTar,
	at(0, "\xFF\xD8\xFF", jpegType),
	at(0, "\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", pngType),
	at(0, "GIF87a", gifType), at(0, "GIF89a", gifType),
	at(0, "II*\x00", tiffType), at(0, "MM\x00*", tiffType), // classic TIFF, little- and big-endian
	at(0, "II+\x00", tiffType), at(0, "MM\x00+", tiffType), // BigTIFF
	sniffBMP,
	at(0, "%PDF-", pdfType),
	at(0, "8BPS\x00\x01", psdType), at(0, "8BPS\x00\x02", psbType),
	at(0, "gimp xcf ", xcfType), at(0, "fig-kiwi", figType), at(0, "BLENDER", blendType),
	sniffPostScript, at(0, "\xC5\xD0\xD3\xC6", epsType), // DOS EPS binary header
	sniffRIFF, sniffFtyp, sniffEBML,
	sniffGzip,
	sniffBzip2,
	at(0, "\xFD7zXZ\x00", xzType),
	at(0, "\x28\xB5\x2F\xFD", zstdType),
	at(0, "7z\xBC\xAF\x27\x1C", sevenType),
	at(0, "Rar!\x1A\x07\x00", rarType), at(0, "Rar!\x1A\x07\x01\x00", rarType),
}

// sniffMagic tries each sniffer in turn.
func sniffMagic(head []byte) (Type, bool) {
	for _, s := range sniffers {
		if t, ok := s(head); ok {
			return t, true
		}
	}
	return Type{}, false
}

// at is a sniffer for a signature at a fixed offset.
func at(off int, sig string, t Type) sniffer {
	return func(head []byte) (Type, bool) {
		return t, len(head) >= off+len(sig) && string(head[off:off+len(sig)]) == sig
	}
}

// sniffTar wants the ustar magic at 257 and a header checksum that adds up.
func sniffTar(head []byte) (Type, bool) {
	return tarType, isTarHeader(head)
}

func isTarHeader(b []byte) bool {
	if len(b) < 512 || string(b[257:262]) != "ustar" {
		return false
	}
	want, err := strconv.ParseUint(string(bytes.Trim(b[148:156], " \x00")), 8, 32)
	sum := uint64(8 * ' ') // the checksum field counts as spaces
	for i, c := range b[:512] {
		if i < 148 || i >= 156 {
			sum += uint64(c)
		}
	}
	return err == nil && sum == want
}

// sniffBMP wants "BM", zero reserved fields and a known DIB header length.
func sniffBMP(head []byte) (Type, bool) {
	if len(head) < 18 || string(head[:2]) != "BM" || binary.LittleEndian.Uint32(head[6:]) != 0 {
		return Type{}, false
	}
	dib := binary.LittleEndian.Uint32(head[14:])
	return bmpType, slices.Contains([]uint32{12, 40, 52, 56, 64, 108, 124}, dib)
}

// sniffPostScript tells Encapsulated PostScript, named on its first line, from PostScript.
func sniffPostScript(head []byte) (Type, bool) {
	if !bytes.HasPrefix(head, []byte("%!PS")) {
		return Type{}, false
	}
	line, _, _ := bytes.Cut(head[:min(len(head), 256)], []byte("\n"))
	if bytes.Contains(line, []byte("EPSF")) {
		return epsType, true
	}
	return psType, true
}

// sniffGzip tells a tar.gz from another gzipped file by inflating the first tar block from the
// bytes already read.
func sniffGzip(head []byte) (Type, bool) {
	if !bytes.HasPrefix(head, []byte("\x1F\x8B\x08")) {
		return Type{}, false
	}
	zr, err := gzip.NewReader(bytes.NewReader(head))
	if err != nil {
		return gzipType, true
	}
	block := make([]byte, 512)
	n, _ := io.ReadFull(zr, block)
	if isTarHeader(block[:n]) {
		return tgzType, true
	}
	return gzipType, true
}

// sniffBzip2 wants "BZh", a block size, and the magic of a first block or of an empty stream's end.
func sniffBzip2(head []byte) (Type, bool) {
	if len(head) < 10 || string(head[:3]) != "BZh" || head[3] < '1' || head[3] > '9' {
		return Type{}, false
	}
	block := string(head[4:10])
	return bzip2Type, block == "1AY&SY" || block == "\x17\x72\x45\x38\x50\x90"
}
