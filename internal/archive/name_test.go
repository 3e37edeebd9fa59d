package archive

import "testing"

func TestCleanName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"docs/brief.txt", "docs/brief.txt"},
		{"../../etc/passwd", "etc/passwd"},
		{"/abs/path", "abs/path"},
		{`C:\x\y`, "x/y"},
		{"c:relative", "relative"},
		{`\\?\C:\Windows\x`, "Windows/x"},
		{`\\server\share\f`, "server/share/f"},
		{"a/./b/../c", "a/b/c"},
		{"a//b///c/", "a/b/c"},
		{"a/.. /b/ ./c", "a/b/c"},
		{"...hidden/file", "...hidden/file"},
		{"tab\there\x00nul\x7f", "tabherenul"},
		{"caf\xe9", "caf"},
		{"\u202Etxt.exe", "txt.exe"},
		{"", unnamed},
		{"../..", unnamed},
		{"/", unnamed},
	} {
		if got := cleanName(c.in, 64); got != c.want {
			t.Errorf("cleanName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCleanNameCutsOnCharacters(t *testing.T) {
	if got := cleanName("ab/éé", 5); got != "ab/é" {
		t.Errorf("got %q", got)
	}
	if got := cleanName("ab/cd", 3); got != "ab" {
		t.Errorf("got %q", got)
	}
}
