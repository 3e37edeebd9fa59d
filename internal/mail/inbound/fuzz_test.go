package inbound

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// parseErrors are the errors Parse may fail with; any other is a bug.
var parseErrors = []error{ErrTooLarge, ErrAttachmentTooLarge, ErrTooManyAttachments, ErrEmptyReply, ErrMalformed}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds in testdata: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(raw, Limits{MaxBytes: 1 << 20, MaxAttachments: 4, MaxAttachmentBytes: 1 << 12})
		if err != nil {
			if !isParseError(err) {
				t.Fatalf("Parse error %v is none of Parse's errors", err)
			}
			return
		}
		checkParsed(t, m)
	})
}

// isParseError reports whether err is one of parseErrors.
func isParseError(err error) bool {
	for _, e := range parseErrors {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// checkParsed fails t unless m keeps the promises of Parse.
func checkParsed(t *testing.T, m Message) {
	t.Helper()
	if m.From == "" || m.From != strings.ToLower(m.From) || strings.ContainsAny(m.From, " <>") {
		t.Errorf("From = %q, want a bare lowercased address", m.From)
	}
	if m.Text == "" && len(m.Attachments) == 0 {
		t.Error("no text and no attachment, want ErrEmptyReply")
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Subject) {
		t.Errorf("Text %q or Subject %q is not UTF-8", m.Text, m.Subject)
	}
	if lines := strings.Split(m.Text, "\n"); m.Text != "" && (isBlank(lines[0]) || isBlank(lines[len(lines)-1])) {
		t.Errorf("Text %q starts or ends with a blank line", m.Text)
	}
	for _, a := range m.Attachments {
		if a.Filename == "" || strings.ContainsAny(a.Filename, `/\`) || strings.IndexFunc(a.Filename, unicode.IsControl) >= 0 {
			t.Errorf("Filename %q is not a safe base name", a.Filename)
		}
		if len(a.Data) > 1<<12 {
			t.Errorf("attachment %q is %d bytes, over the limit", a.Filename, len(a.Data))
		}
	}
}
