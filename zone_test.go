package accord

import (
	"testing"
	"time"
)

// A zone is the zone database's, loaded once and kept; what is not a zone is refused each time,
// and kept nowhere.
func TestLoadZone(t *testing.T) {
	for range 2 {
		z, err := LoadZone("Europe/Sofia")
		if err != nil {
			t.Fatal(err)
		}
		if _, off := time.Date(2026, 7, 1, 12, 0, 0, 0, z).Zone(); off != 3*3600 {
			t.Errorf("Sofia in July is %ds from UTC, want 10800", off)
		}
	}
	a, _ := LoadZone("Asia/Tokyo")
	b, _ := LoadZone("Asia/Tokyo")
	if a != b || a.String() != "Asia/Tokyo" {
		t.Errorf("Tokyo loaded twice: %p %v and %p %v", a, a, b, b)
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "Europe/Sofia\n"} {
		for range 2 {
			if _, err := LoadZone(bad); ErrorCode(err) != EINVALID {
				t.Errorf("LoadZone(%q): %v, want invalid", bad, err)
			}
		}
		if _, ok := zones.Load(bad); ok {
			t.Errorf("%q is kept", bad)
		}
	}
}
