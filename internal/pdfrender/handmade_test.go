package pdfrender

import (
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"fmt"
	"strings"
)

// handmade assembles a PDF from the bodies of objects 1, 2, … with a correct
// cross-reference table; object 1 is the catalog.
func handmade(objects ...string) []byte { return assemble("", objects) }

// assemble is handmade with extra trailer entries.
func assemble(trailer string, objects []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, trailer, xref)
	return b.Bytes()
}

// stream is the body of a stream object holding data, with extra dictionary entries.
func stream(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// deflated is data compressed for a /FlateDecode stream.
func deflated(data []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// onePage is a one-page PDF: objects 1–4 are the catalog, the page tree, the page and
// its content; extra objects follow from 5.
func onePage(mediaBox, resources string, content []byte, extra ...string) []byte {
	return handmade(append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Resources << %s >> /Contents 4 0 R >>", mediaBox, resources),
		stream("/Filter /FlateDecode", deflated(content)),
	}, extra...)...)
}

// square is a small valid page: a black square on white.
func square() []byte {
	return onePage("0 0 200 200", "", []byte("0 g 50 50 100 100 re f"))
}

// nestedForms is a tiny page that paints form n, which paints form n-1 ten times, down
// to form 0, a filled rectangle: 10^n rectangles from a few hundred bytes.
func nestedForms(n int) []byte {
	extra := []string{stream("/Type /XObject /Subtype /Form /BBox [0 0 600 800]", []byte("0 0 600 800 re f"))}
	for i := 1; i <= n; i++ {
		// Form i is object 5+i and paints form i-1, object 4+i.
		extra = append(extra, stream(
			fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources << /XObject << /F %d 0 R >> >>", 4+i),
			[]byte(strings.Repeat("/F Do ", 10))))
	}
	return onePage("0 0 600 800", fmt.Sprintf("/XObject << /F %d 0 R >>", 5+n), []byte("/F Do"), extra...)
}

// floodedPage is a page whose content stream fills the whole page ops times.
func floodedPage(ops int) []byte {
	return onePage("0 0 600 800", "", bytes.Repeat([]byte("0.5 g 0 0 600 800 re f\n"), ops))
}

// padding is the Standard security handler's password padding.
var padding = []byte("\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08" +
	"\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a")

func padded(password string) []byte { return append([]byte(password), padding...)[:32] }

func rc4Crypt(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// encrypted is square's page protected by a user password, with the Standard security
// handler's 40-bit RC4 (revision 2, PDF 1.1), the oldest that every reader supports.
func encrypted(user, owner string) []byte {
	const perms = -4
	id := []byte("accord-pdfrender")
	ownerKey := md5.Sum(padded(owner))
	o := rc4Crypt(ownerKey[:5], padded(user))
	h := md5.New()
	h.Write(padded(user))
	h.Write(o)
	binary.Write(h, binary.LittleEndian, int32(perms))
	h.Write(id)
	key := h.Sum(nil)[:5]
	u := rc4Crypt(key, padding)
	// The content is object 4: its key is the file key with the object and generation numbers.
	objKey := md5.Sum(append(bytes.Clone(key), 4, 0, 0, 0, 0))
	content := rc4Crypt(objKey[:10], deflated([]byte("0 g 50 50 100 100 re f")))
	return assemble(fmt.Sprintf("/Encrypt 5 0 R /ID [<%x> <%x>]", id, id), []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", content),
		fmt.Sprintf("<< /Filter /Standard /V 1 /R 2 /O <%x> /U <%x> /P %d >>", o, u, perms),
	})
}
