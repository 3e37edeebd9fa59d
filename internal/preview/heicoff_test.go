//go:build !heic

package preview

import (
	"bytes"
	"errors"
	"testing"
)

func warmHEIC() error { return nil }

// Without the HEIC decoder an HEIC file is still read from its header, so a flood is refused
// as too large, and otherwise it gets no preview, saying why.
func TestNoHEICInTheDefaultBuild(t *testing.T) {
	_, err := Make(bytes.NewReader(readFixture(t, "photo.heic")), testWatermark)
	if !errors.Is(err, ErrUnsupported) || !errors.Is(err, errNoHEIC) {
		t.Fatalf("an HEIC in the default build: %v", err)
	}
	if _, err := Make(bytes.NewReader(readFixture(t, "huge.heic")), testWatermark); !errors.Is(err, errTooLarge) {
		t.Fatalf("an HEIC flood in the default build: %v", err)
	}
}
