// Package blob keeps file contents in a local folder, one file per SHA-256.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/accordapp/accord"
)

// Dir is a blob store in a folder: a blob lives at ab/cdef… by its hash, so equal files are kept once.
type Dir struct{ root string }

// NewDir returns a blob store rooted at root, creating it if needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	return &Dir{root}, nil
}

// Put writes r to a temporary file, syncs it, and renames it into place, so a crash never
// leaves a partial blob under a hash.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "up-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", 0, err
	}
	if err := tmp.Sync(); err != nil {
		return "", 0, err
	}
	sum := hex.EncodeToString(h.Sum(nil))
	dst := d.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", 0, err
	}
	return sum, n, nil
}

// Open opens the blob stored under sum.
func (d *Dir) Open(ctx context.Context, sum string) (io.ReadSeekCloser, error) {
	if len(sum) != 64 {
		return nil, accord.Errorf(accord.ENOTFOUND, "file.not_found")
	}
	if _, err := hex.DecodeString(sum); err != nil {
		return nil, accord.Errorf(accord.ENOTFOUND, "file.not_found")
	}
	f, err := os.Open(d.path(sum))
	if os.IsNotExist(err) {
		return nil, accord.Errorf(accord.ENOTFOUND, "file.not_found")
	}
	return f, err
}

func (d *Dir) path(sum string) string { return filepath.Join(d.root, sum[:2], sum[2:]) }
