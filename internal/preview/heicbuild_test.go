package preview

import (
	"os"
	"strings"
	"testing"
)

// skipHEIC skips a case named for HEIC in a build that decodes none.
func skipHEIC(t *testing.T, name string) {
	t.Helper()
	if strings.HasPrefix(name, "heic") && !heicBuilt {
		t.Skip("this build decodes no HEIC; go test -tags heic,nodynamic runs it")
	}
}

// readFixture reads a file of testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
