package pdfdoc

import (
	"strings"
	"testing"
)

func TestWrapFitsEveryLine(t *testing.T) {
	l, err := newLayout()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text  string
		width float64
		f     face
	}{
		{hash, 30, l.mono},
		{hash, 200, l.mono},
		{strings.Repeat(russian+" ", 20), 80, l.body},
		{"https://example.com/" + strings.Repeat("a", 200), 50, l.cell},
		{"x", 0.1, l.body}, // narrower than one rune: the rune still goes out
	} {
		lines := wrap(tc.text, tc.width, tc.f)
		for _, ln := range lines {
			if tc.f.width(ln) > tc.width && len([]rune(ln)) > 1 {
				t.Errorf("line %q is %.1f mm wide; want at most %.1f", ln, tc.f.width(ln), tc.width)
			}
		}
		if got, want := squash(strings.Join(lines, "")), squash(tc.text); got != want {
			t.Errorf("wrap(%.20q…) lost text: got %q", tc.text, got)
		}
	}
}

func TestEqualSpansFillTheGrid(t *testing.T) {
	for n := 1; n <= gridSize; n++ {
		s, err := equalSpans(n)
		sum := 0
		for _, w := range s {
			sum += w
		}
		if err != nil || sum != gridSize {
			t.Errorf("equalSpans(%d) = %v, %v; want spans adding up to %d", n, s, err, gridSize)
		}
	}
}
