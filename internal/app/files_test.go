package app

import (
	"strings"
	"testing"
)

func TestCleanFileName(t *testing.T) {
	cases := map[string]string{
		"concept.png":                  "concept.png",
		"../../etc/passwd":             "passwd",
		`C:\Users\ana\logo final.svg`:  "logo final.svg",
		"invoice\u202Egpj.exe":         "invoicegpj.exe",
		"bad\xffname\x00.txt":          "badname.txt",
		`say "hi".txt`:                 "say hi.txt",
		"":                             "file",
		"..":                           "file",
		"Лого_Кафе.png":                "Лого_Кафе.png",
		"отчёт\u200cfinal.txt":         "отчёт\u200cfinal.txt",
		strings.Repeat("я", 200) + ".": strings.Repeat("я", 127),
	}
	for in, want := range cases {
		if got := CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
