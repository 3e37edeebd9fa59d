package app

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/accordapp/accord"
)

// An emailed reply longer than a message may be is cut and marked, never bounced; control
// characters go.
func TestReplyText(t *testing.T) {
	long := strings.Repeat("ж", accord.MaxMessageRunes+50)
	got := replyText(long)
	if n := utf8.RuneCountInString(got); n != accord.MaxMessageRunes || !strings.HasSuffix(got, "…") {
		t.Errorf("a long reply became %d runes ending %q", n, got[len(got)-3:])
	}
	if got := replyText("Да\x00, согласна\x07"); got != "Да, согласна" {
		t.Errorf("control characters kept: %q", got)
	}
	if got := replyText("short"); got != "short" {
		t.Errorf("a short reply changed: %q", got)
	}
}

// An emailed file is served as its own type only when a browser shows that type without
// running anything.
func TestDownloadType(t *testing.T) {
	for in, want := range map[string]string{
		"application/pdf":          "application/pdf",
		"image/png":                "image/png",
		"text/html":                "application/octet-stream",
		"image/svg+xml":            "application/octet-stream",
		"application/x-msdownload": "application/octet-stream",
		"":                         "application/octet-stream",
	} {
		if got := downloadType(in); got != want {
			t.Errorf("downloadType(%q) = %q, want %q", in, got, want)
		}
	}
}
