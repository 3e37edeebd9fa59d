package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"testing"
	"time"
)

// when is the modification time that the built archives give their entries.
var when = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

// file is an entry for the builders below; a name ending in '/' is a directory.
type file struct {
	name string
	body string
}

// zipOf builds a zip of files, stored or deflated alternately.
func zipOf(t testing.TB, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, f := range files {
		h := &zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: when}
		if i%2 == 1 {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tarOf builds a tar of files.
func tarOf(t testing.TB, files ...file) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body)), ModTime: when, Typeflag: tar.TypeReg}
		if f.name != "" && f.name[len(f.name)-1] == '/' {
			h.Typeflag, h.Mode = tar.TypeDir, 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// gzipOf compresses data under the given header name ("" for none).
func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name, zw.ModTime = name, when
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// list lists data as kind with lim.
func list(data []byte, kind string, lim Limits) (Listing, error) {
	return List(bytes.NewReader(data), int64(len(data)), kind, lim)
}

// names are the listed entries' names.
func names(l Listing) []string {
	var s []string
	for _, e := range l.Entries {
		s = append(s, e.Name)
	}
	return s
}
