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
	"time"

	"github.com/accordapp/accord"
)

// Dir is a blob store in a folder: a blob lives at ab/cdef… by its hash, so equal files are kept
// once; staged blobs wait in tmp/ until committed.
type Dir struct{ root string }

// NewDir returns a blob store rooted at root, creating it if needed, and sweeps away staged
// files that a crash left behind (older than an hour, so no upload under way is touched).
func NewDir(root string) (*Dir, error) {
	tmp := filepath.Join(root, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("blob folder: %w", err)
	}
	entries, _ := os.ReadDir(tmp)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
	return &Dir{root}, nil
}

// Stage writes r to a temporary file, synced, and returns its hash.
func (d *Dir) Stage(ctx context.Context, r io.Reader) (accord.StagedBlob, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "up-*")
	if err != nil {
		return accord.StagedBlob{}, err
	}
	s := accord.StagedBlob{Ref: tmp.Name()}
	h := sha256.New()
	s.Size, err = io.Copy(io.MultiWriter(tmp, h), r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return accord.StagedBlob{}, err
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// OpenStaged reads a staged blob.
func (d *Dir) OpenStaged(s accord.StagedBlob) (io.ReadSeekCloser, error) {
	if filepath.Dir(s.Ref) != filepath.Join(d.root, "tmp") {
		return nil, fmt.Errorf("blob: %q is not staged here", s.Ref)
	}
	return os.Open(s.Ref)
}

// Commit renames a staged blob into place; a crash never leaves a partial blob under a hash.
func (d *Dir) Commit(ctx context.Context, s accord.StagedBlob) error {
	if filepath.Dir(s.Ref) != filepath.Join(d.root, "tmp") || len(s.SHA256) != 64 {
		return fmt.Errorf("blob: %q is not staged here", s.Ref)
	}
	dst := d.path(s.SHA256)
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	return os.Rename(s.Ref, dst)
}

// Discard removes a staged blob.
func (d *Dir) Discard(s accord.StagedBlob) {
	if filepath.Dir(s.Ref) == filepath.Join(d.root, "tmp") {
		os.Remove(s.Ref)
	}
}

// Put stages r and commits it at once.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	s, err := d.Stage(ctx, r)
	if err != nil {
		return "", 0, err
	}
	if err := d.Commit(ctx, s); err != nil {
		d.Discard(s)
		return "", 0, err
	}
	return s.SHA256, s.Size, nil
}

// Open opens the blob committed under sum.
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
