package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// HEIF (ISO/IEC 23008-12) is a tree of ISO BMFF boxes: an ftyp naming its brands, a meta box
// describing its items and their properties, and the coded data, mostly in an mdat box. What
// an HEIC preview needs before decoding is all in ftyp and meta: which item is the primary
// image, its type (one HEVC image, or a grid of HEVC tiles), its size (ispe), rotation (irot),
// bit depth and chroma format (hvcC) and whether an alpha plane goes with it (auxl + auxC).

const (
	maxHEIFMeta  = 4 << 20 // bytes: a meta box is a few KB, even with a hundred tiles
	maxHEIFBoxes = 64      // top-level boxes read before giving up on finding the meta box
	maxHEIFItems = 4096    // items, properties and associations: iPhone photos have about 60
)

// heicBrands are the ftyp brands of HEVC-coded HEIF files, as internal/filetype knows them.
var heicBrands = []string{"heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs"}

// heifBrands are those of HEIF files in general, whose items may be HEVC or not (AVIF, JPEG).
var heifBrands = []string{"mif1", "msf1", "mif2", "miaf"}

// errNotHEIF says that a file with an ftyp box is some other ISO BMFF file (MP4, MOV, AVIF …).
var errNotHEIF = errors.New("preview: not an HEIF image")

// heifImage is what an HEIF file's meta box says of its primary image.
type heifImage struct {
	width, height int  // as displayed: after the rotation
	tiles         int  // HEVC images to decode: 1, or the grid's tiles
	highBitDepth  bool // more than 8 bits per sample: decoded at 16 bits, then converted
	chroma        int  // hvcC chroma_format_idc: 0 grey, 1 4:2:0, 2 4:2:2, 3 4:4:4
	alpha         bool // an alpha plane is decoded alongside
}

// isHEIF reports whether a file starts with an ftyp box, as every ISO BMFF file does.
func isHEIF(prefix []byte) bool {
	return len(prefix) >= 12 && string(prefix[4:8]) == "ftyp"
}

// box is one box's header: its type and where its payload lies.
type box struct {
	typ         string
	start, size int64 // of the payload, from the start of what it was read from; -1: to the end
}

// readBoxHeader reads the header of the box at r's position.
func readBoxHeader(r io.Reader) (box, int64, error) {
	var h [16]byte
	if _, err := io.ReadFull(r, h[:8]); err != nil {
		return box{}, 0, err
	}
	size, n := int64(binary.BigEndian.Uint32(h[:4])), int64(8)
	b := box{typ: string(h[4:8])}
	switch size {
	case 0:
		b.size = -1
		return b, n, nil
	case 1:
		if _, err := io.ReadFull(r, h[8:16]); err != nil {
			return box{}, 0, err
		}
		size, n = int64(binary.BigEndian.Uint64(h[8:16])), 16
	}
	if size < n {
		return box{}, 0, fmt.Errorf("preview: HEIF box %q of %d bytes", b.typ, size)
	}
	b.size = size - n
	return b, n, nil
}

// readHEIF reads an HEIF file's ftyp and meta boxes from r, positioned at the file's start,
// and what they say of the primary image; a file that is no HEVC-coded HEIF image (an MP4, an
// AVIF) gives errNotHEIF. Only the boxes before meta are skipped over, none is read whole.
func readHEIF(r io.ReadSeeker) (heifImage, error) {
	ftyp, _, err := readBoxHeader(r)
	if err != nil || ftyp.typ != "ftyp" || ftyp.size < 8 || ftyp.size > 4096 {
		return heifImage{}, errNotHEIF
	}
	brands := make([]byte, ftyp.size)
	if _, err := io.ReadFull(r, brands); err != nil {
		return heifImage{}, errNotHEIF
	}
	hevc, heif := false, false
	for i := 0; i+4 <= len(brands); i += 4 {
		if i == 4 {
			continue // the minor version
		}
		hevc = hevc || slices.Contains(heicBrands, string(brands[i:i+4]))
		heif = heif || slices.Contains(heifBrands, string(brands[i:i+4]))
	}
	if !hevc && !heif {
		return heifImage{}, errNotHEIF
	}
	for range maxHEIFBoxes {
		b, _, err := readBoxHeader(r)
		if err != nil {
			return heifImage{}, fmt.Errorf("preview: reading HEIF header: no meta box: %w", err)
		}
		if b.typ != "meta" {
			if b.size < 0 {
				break
			}
			if _, err := r.Seek(b.size, io.SeekCurrent); err != nil {
				return heifImage{}, fmt.Errorf("preview: reading HEIF header: %w", err)
			}
			continue
		}
		if b.size < 0 || b.size > maxHEIFMeta {
			return heifImage{}, fmt.Errorf("%w: an HEIF meta box of %d bytes", errTooLarge, b.size)
		}
		meta := make([]byte, b.size)
		if _, err := io.ReadFull(r, meta); err != nil {
			return heifImage{}, fmt.Errorf("preview: reading HEIF header: %w", err)
		}
		return parseHEIFMeta(meta)
	}
	return heifImage{}, errors.New("preview: reading HEIF header: no meta box")
}

// heifMeta is what parseHEIFMeta gathers from a meta box's children.
type heifMeta struct {
	primary    uint32
	types      map[uint32]string    // item → its type: hvc1, grid, iden, av01, Exif …
	props      []box                // ipco's properties, index 1 is props[0]
	assoc      map[uint32][]int     // item → indexes of its properties
	refs       map[string][]heifRef // reference type (dimg, auxl …) → references
	data       []byte               // the meta box's payload, which the boxes above point into
	sawPrimary bool
}

type heifRef struct {
	from uint32
	to   []uint32
}

func parseHEIFMeta(data []byte) (heifImage, error) {
	m := heifMeta{types: map[uint32]string{}, assoc: map[uint32][]int{}, refs: map[string][]heifRef{}, data: data}
	if len(data) < 4 {
		return heifImage{}, errors.New("preview: HEIF meta box too short")
	}
	err := eachBox(data, 4, len(data), func(b box) error { // after meta's version and flags
		p := data[b.start : b.start+b.size]
		switch b.typ {
		case "pitm":
			return m.parsePitm(p)
		case "iinf":
			return m.parseIinf(p, b.start)
		case "iprp":
			return m.parseIprp(b)
		case "iref":
			return m.parseIref(p)
		}
		return nil
	})
	if err != nil {
		return heifImage{}, err
	}
	if !m.sawPrimary {
		return heifImage{}, errors.New("preview: HEIF file without a primary item")
	}
	return m.primaryImage()
}

// eachBox calls fn for each box in data[from:to], with positions relative to data.
func eachBox(data []byte, from, to int, fn func(box) error) error {
	r := bytes.NewReader(data[from:to])
	for n := 0; r.Len() > 0; n++ {
		if n > maxHEIFItems {
			return errors.New("preview: too many HEIF boxes")
		}
		b, _, err := readBoxHeader(r)
		if err != nil {
			return fmt.Errorf("preview: truncated HEIF box: %w", err)
		}
		off := int64(to-from-r.Len()) + int64(from)
		if b.size < 0 {
			b.size = int64(to) - off
		}
		if b.size > int64(to)-off {
			return fmt.Errorf("preview: HEIF box %q overruns its parent", b.typ)
		}
		b.start = off
		if err := fn(b); err != nil {
			return err
		}
		r.Seek(b.size, io.SeekCurrent)
	}
	return nil
}

// reader reads big-endian fields from a box's payload, remembering the first overrun.
type reader struct {
	p   []byte
	bad bool
}

func (r *reader) take(n int) []byte {
	if r.bad || len(r.p) < n {
		r.bad = true
		return make([]byte, n)
	}
	b := r.p[:n]
	r.p = r.p[n:]
	return b
}

func (r *reader) u8() uint8   { return r.take(1)[0] }
func (r *reader) u16() uint16 { return binary.BigEndian.Uint16(r.take(2)) }
func (r *reader) u32() uint32 { return binary.BigEndian.Uint32(r.take(4)) }

// id reads an item ID: 16 bits, or 32 where wide.
func (r *reader) id(wide bool) uint32 {
	if wide {
		return r.u32()
	}
	return uint32(r.u16())
}

// fullBox reads a full box's version and flags.
func (r *reader) fullBox() (version uint8, flags uint32) {
	v := r.u32()
	return uint8(v >> 24), v & 0xFFFFFF
}

func (r *reader) err(typ string) error {
	if r.bad {
		return fmt.Errorf("preview: truncated HEIF %s box", typ)
	}
	return nil
}

func (m *heifMeta) parsePitm(p []byte) error {
	r := &reader{p: p}
	v, _ := r.fullBox()
	m.primary, m.sawPrimary = r.id(v > 0), true
	return r.err("pitm")
}

func (m *heifMeta) parseIinf(p []byte, at int64) error {
	r := &reader{p: p}
	v, _ := r.fullBox()
	if v == 0 {
		r.u16()
	} else {
		r.u32()
	}
	if r.bad {
		return r.err("iinf")
	}
	from := int(at) + len(p) - len(r.p)
	return eachBox(m.data, from, int(at)+len(p), func(b box) error {
		if b.typ != "infe" {
			return nil
		}
		r := &reader{p: m.data[b.start : b.start+b.size]}
		v, _ := r.fullBox()
		if v < 2 { // no item type before version 2
			return r.err("infe")
		}
		id := r.id(v > 2)
		r.u16() // protection index
		typ := string(r.take(4))
		if len(m.types) >= maxHEIFItems {
			return errors.New("preview: too many HEIF items")
		}
		m.types[id] = typ
		return r.err("infe")
	})
}

func (m *heifMeta) parseIprp(iprp box) error {
	return eachBox(m.data, int(iprp.start), int(iprp.start+iprp.size), func(b box) error {
		switch b.typ {
		case "ipco":
			return eachBox(m.data, int(b.start), int(b.start+b.size), func(p box) error {
				if len(m.props) >= maxHEIFItems {
					return errors.New("preview: too many HEIF properties")
				}
				m.props = append(m.props, p)
				return nil
			})
		case "ipma":
			r := &reader{p: m.data[b.start : b.start+b.size]}
			v, flags := r.fullBox()
			n := r.u32()
			for i := uint32(0); i < n && !r.bad; i++ {
				id := r.id(v >= 1)
				for range r.u8() {
					var idx int
					if flags&1 != 0 {
						idx = int(r.u16() & 0x7FFF)
					} else {
						idx = int(r.u8() & 0x7F)
					}
					if len(m.assoc[id]) < maxHEIFItems && idx > 0 {
						m.assoc[id] = append(m.assoc[id], idx)
					}
				}
			}
			return r.err("ipma")
		}
		return nil
	})
}

func (m *heifMeta) parseIref(p []byte) error {
	r := &reader{p: p}
	v, _ := r.fullBox()
	if r.bad {
		return r.err("iref")
	}
	n := 0
	return eachBox(p, 4, len(p), func(b box) error {
		r := &reader{p: p[b.start : b.start+b.size]}
		ref := heifRef{from: r.id(v > 0)}
		count := int(r.u16())
		for range count {
			if n++; n > maxHEIFItems {
				return errors.New("preview: too many HEIF references")
			}
			ref.to = append(ref.to, r.id(v > 0))
		}
		m.refs[b.typ] = append(m.refs[b.typ], ref)
		return r.err("iref")
	})
}

// property returns the payload of the first property of the given type associated with item.
func (m *heifMeta) property(item uint32, typ string) ([]byte, bool) {
	for _, idx := range m.assoc[item] {
		if idx <= len(m.props) && m.props[idx-1].typ == typ {
			p := m.props[idx-1]
			return m.data[p.start : p.start+p.size], true
		}
	}
	return nil, false
}

// refsFrom returns the items that item refers to with references of type typ.
func (m *heifMeta) refsFrom(item uint32, typ string) []uint32 {
	var to []uint32
	for _, r := range m.refs[typ] {
		if r.from == item {
			to = append(to, r.to...)
		}
	}
	return to
}

func (m *heifMeta) primaryImage() (heifImage, error) {
	item := m.primary
	img := heifImage{tiles: 1, chroma: 1}
	coded := []uint32{item}
	switch m.types[item] {
	case "hvc1":
	case "grid", "iden":
		coded = m.refsFrom(item, "dimg")
		if len(coded) == 0 || m.types[item] == "iden" && len(coded) != 1 {
			return heifImage{}, fmt.Errorf("preview: HEIF %s image without its images", m.types[item])
		}
		for _, c := range coded {
			if m.types[c] != "hvc1" {
				return heifImage{}, fmt.Errorf("%w: an HEIF %s image of %q images", errNotHEIF, m.types[item], m.types[c])
			}
		}
		img.tiles = len(coded)
	default:
		return heifImage{}, fmt.Errorf("%w: the primary item is of type %q", errNotHEIF, m.types[item])
	}
	p, ok := m.property(item, "ispe")
	if !ok && m.types[item] == "iden" {
		p, ok = m.property(coded[0], "ispe")
	}
	if !ok {
		return heifImage{}, errors.New("preview: HEIF image without its size (ispe)")
	}
	r := &reader{p: p}
	r.fullBox()
	w, h := r.u32(), r.u32()
	if err := r.err("ispe"); err != nil {
		return heifImage{}, err
	}
	if w > 1<<30 || h > 1<<30 {
		return heifImage{}, fmt.Errorf("%w: an HEIF image of %dx%d px", errTooLarge, w, h)
	}
	img.width, img.height = int(w), int(h)
	if p, ok := m.property(item, "irot"); ok && len(p) > 0 && p[0]&1 == 1 { // 90° or 270°
		img.width, img.height = img.height, img.width
	}
	if p, ok := m.property(coded[0], "hvcC"); ok && len(p) > 18 {
		img.chroma = int(p[16] & 3)
		img.highBitDepth = p[17]&7 > 0 || p[18]&7 > 0
	}
	for _, a := range m.refs["auxl"] {
		if slices.Contains(a.to, item) && m.isAlpha(a.from) {
			img.alpha = true
		}
	}
	return img, nil
}

// isAlpha reports whether an auxiliary item is an alpha plane.
func (m *heifMeta) isAlpha(item uint32) bool {
	p, ok := m.property(item, "auxC")
	if !ok || len(p) < 4 {
		return false
	}
	urn, _, _ := bytes.Cut(p[4:], []byte{0})
	return string(urn) == "urn:mpeg:hevc:2015:auxid:1" || string(urn) == "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"
}
