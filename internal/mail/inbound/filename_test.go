package inbound

import (
	"strings"
	"testing"
)

func TestSafeFilename(t *testing.T) {
	long := strings.Repeat("я", 200) + ".pdf"
	tests := []struct{ in, want string }{
		{"report.pdf", "report.pdf"},
		{"../../etc/passwd", "passwd"},
		{`C:\Users\bob\Desktop\смета.xlsx`, "смета.xlsx"},
		{"evil\x00name\x07.txt", "evilname.txt"},
		{"invoice\u202Efdp.exe", "invoicefdp.exe"}, // a right-to-left override shows it as invoiceexe.pdf
		{"  spaced.doc  ", "spaced.doc"},
		{"", "attachment"},
		{"..", "attachment"},
		{"dir/", "attachment"},
		{"bad\xffutf8.txt", "badutf8.txt"},
		{long, strings.Repeat("я", 125) + ".pdf"},
	}
	for _, tt := range tests {
		if got := safeFilename(tt.in); got != tt.want {
			t.Errorf("safeFilename(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
