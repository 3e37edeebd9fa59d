package filetype

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/tiff"
)

// Builders of real, minimal files of each type.

func sample() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	return img
}

func pngFile(t testing.TB) []byte {
	var b bytes.Buffer
	must(t, png.Encode(&b, sample()))
	return b.Bytes()
}

func jpegFile(t testing.TB) []byte {
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, sample(), nil))
	return b.Bytes()
}

func gifFile(t testing.TB) []byte {
	var b bytes.Buffer
	must(t, gif.Encode(&b, sample(), nil))
	return b.Bytes()
}

func tiffLE(t testing.TB) []byte {
	var b bytes.Buffer
	must(t, tiff.Encode(&b, sample(), nil))
	return b.Bytes()
}

// tiffBE is a 1×1 grey big-endian TIFF, written by hand: x/image/tiff writes little-endian only.
func tiffBE() []byte {
	b := []byte("MM\x00*\x00\x00\x00\x08")
	tags := [][3]uint32{{256, 3, 1}, {257, 3, 1}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1},
		{273, 4, 8 + 2 + 8*12 + 4}, {278, 3, 1}, {279, 4, 1}}
	b = binary.BigEndian.AppendUint16(b, uint16(len(tags)))
	for _, tag := range tags {
		b = binary.BigEndian.AppendUint16(b, uint16(tag[0]))
		b = binary.BigEndian.AppendUint16(b, uint16(tag[1]))
		b = binary.BigEndian.AppendUint32(b, 1)
		if tag[1] == 3 {
			b = binary.BigEndian.AppendUint16(b, uint16(tag[2]))
			b = append(b, 0, 0)
		} else {
			b = binary.BigEndian.AppendUint32(b, tag[2])
		}
	}
	return append(binary.BigEndian.AppendUint32(b, 0), 0x80) // no next IFD; one grey pixel
}

// webpFile is a 1×1 lossless WebP.
func webpFile() []byte {
	return []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
}

// isoFile is an ISO base media file: an ftyp box with the brands, then an empty free box.
func isoFile(major string, compatible ...string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(16+4*len(compatible)))
	b = append(append(b, "ftyp"+major...), 0, 0, 2, 0)
	for _, c := range compatible {
		b = append(b, c...)
	}
	return append(b, "\x00\x00\x00\x08free"...)
}

// ebmlFile is a Matroska EBML header naming docType, then the start of a Segment.
func ebmlFile(docType string) []byte {
	body := []byte("\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08")
	body = append(append(body, 0x42, 0x82, 0x80|byte(len(docType))), docType...)
	body = append(body, "\x42\x87\x81\x04\x42\x85\x81\x02"...)
	b := append([]byte("\x1A\x45\xDF\xA3"), 0x80|byte(len(body)))
	return append(append(b, body...), "\x18\x53\x80\x67\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF"...)
}

// riffFile is a RIFF file of the given form with one empty chunk.
func riffFile(form, chunk string) []byte {
	b := append([]byte("RIFF"), 12, 0, 0, 0)
	return append(append(b, form+chunk...), 0, 0, 0, 0)
}

// pdfFile is a one-page PDF without content.
func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
		"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n" +
		"trailer<</Root 1 0 R>>\n%%EOF\n")
}

// psdFile is the header of a 1×1 RGB Photoshop file of the given version (1 PSD, 2 PSB).
func psdFile(version byte) []byte {
	b := append([]byte("8BPS\x00"), version, 0, 0, 0, 0, 0, 0, 0, 3)
	b = binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(b, 1), 1)
	return append(b, 0, 8, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
}

// part is a file inside a built zip or tar.
type part struct{ name, body string }

// zipFile builds a zip whose parts are deflated, except a first "mimetype" part, stored.
func zipFile(t testing.TB, parts ...part) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		h := &zip.FileHeader{Name: p.name, Method: zip.Deflate}
		if p.name == "mimetype" {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		must(t, err)
		_, err = w.Write([]byte(p.body))
		must(t, err)
	}
	must(t, zw.Close())
	return b.Bytes()
}

// docxParts are the parts of a minimal Word document.
var docxParts = []part{
	{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
	{"_rels/.rels", `<?xml version="1.0"?><Relationships/>`},
	{"word/document.xml", `<?xml version="1.0"?><w:document/>`},
}

func odfParts(mimetype string) []part {
	return []part{{"mimetype", mimetype}, {"META-INF/manifest.xml", "<manifest/>"}, {"content.xml", "<document/>"}}
}

func tarFile(t testing.TB, parts ...part) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, p := range parts {
		must(t, tw.WriteHeader(&tar.Header{Name: p.name, Mode: 0o644, Size: int64(len(p.body)), Typeflag: tar.TypeReg}))
		_, err := tw.Write([]byte(p.body))
		must(t, err)
	}
	must(t, tw.Close())
	return b.Bytes()
}

func gzipFile(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	must(t, err)
	must(t, zw.Close())
	return b.Bytes()
}

// utf16File encodes ASCII s as UTF-16 after a byte order mark.
func utf16File(s string, bigEndian bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	b := order.AppendUint16(nil, 0xFEFF)
	for _, r := range s {
		b = order.AppendUint16(b, uint16(r))
	}
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
