package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

// isoBox builds an ISO BMFF box.
func isoBox(typ string, payload ...[]byte) []byte {
	body := bytes.Join(payload, nil)
	return append(append(binary.BigEndian.AppendUint32(nil, uint32(8+len(body))), typ...), body...)
}

func u16be(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func u32be(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// heifWith returns the header boxes of an HEIF file whose primary item 1 is of type typ, with
// the given properties, all essential.
func heifWith(brand, typ string, props ...[]byte) []byte {
	full := []byte{0, 0, 0, 0}
	infe := isoBox("infe", []byte{2, 0, 0, 0}, u16be(1), u16be(0), []byte(typ), []byte{0})
	assoc := []byte{byte(len(props))}
	for i := range props {
		assoc = append(assoc, byte(0x80|(i+1)))
	}
	meta := isoBox("meta", full,
		isoBox("hdlr", make([]byte, 8), []byte("pict"), make([]byte, 13)),
		isoBox("pitm", full, u16be(1)),
		isoBox("iinf", full, u16be(1), infe),
		isoBox("iprp", isoBox("ipco", props...), isoBox("ipma", full, u32be(1), u16be(1), assoc)))
	return append(isoBox("ftyp", []byte(brand), u32be(0), []byte("mif1"), []byte(brand)), meta...)
}

func ispe(w, h int) []byte { return isoBox("ispe", []byte{0, 0, 0, 0}, u32be(w), u32be(h)) }

func TestHEIFHeader(t *testing.T) {
	rotated, err := readHEIF(bytes.NewReader(heifWith("heic", "hvc1", ispe(40, 30), isoBox("irot", []byte{1}))))
	if err != nil || rotated.width != 30 || rotated.height != 40 {
		t.Errorf("a 40x30 image turned 90°: %+v, %v; want 30x40", rotated, err)
	}
	upside, err := readHEIF(bytes.NewReader(heifWith("heic", "hvc1", ispe(40, 30), isoBox("irot", []byte{2}))))
	if err != nil || upside.width != 40 || upside.height != 30 {
		t.Errorf("a 40x30 image turned 180°: %+v, %v; want 40x30", upside, err)
	}
	if _, err := readHEIF(bytes.NewReader(heifWith("heic", "hvc1"))); err == nil || errors.Is(err, errNotHEIF) {
		t.Errorf("an image without ispe: err = %v", err)
	}
	// mdat before meta, as some cameras write them: skipped without being read.
	mdatFirst := heifWith("heic", "hvc1", ispe(40, 30))
	mdatFirst = append(append(bytes.Clone(mdatFirst[:24]), isoBox("mdat", make([]byte, 1000))...), mdatFirst[24:]...)
	if img, err := readHEIF(bytes.NewReader(mdatFirst)); err != nil || img.width != 40 {
		t.Errorf("mdat before meta: %+v, %v", img, err)
	}
}

func TestMakeUnsupportedISOFiles(t *testing.T) {
	tests := map[string][]byte{
		"mp4":          append(isoBox("ftyp", []byte("isom"), u32be(0x200), []byte("isomiso2mp41")), isoBox("mdat", make([]byte, 64))...),
		"avif":         heifWith("avif", "av01", ispe(40, 30)),
		"jpeg in heif": heifWith("mif1", "jpeg", ispe(40, 30)),
	}
	for name, in := range tests {
		if _, err := Make(bytes.NewReader(in), testWatermark); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", name, err)
		}
	}
}
