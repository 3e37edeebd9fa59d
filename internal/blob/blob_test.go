package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func TestPutOpen(t *testing.T) {
	d, err := NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	body := strings.Repeat("original bytes ", 1000)
	sum, n, err := d.Put(ctx, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(body))
	if sum != hex.EncodeToString(want[:]) || n != int64(len(body)) {
		t.Fatalf("Put = %s, %d; want %x, %d", sum, n, want, len(body))
	}
	f, err := d.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(f)
	f.Close()
	if string(got) != body {
		t.Fatal("blob bytes differ from what was put")
	}
	left, _ := os.ReadDir(filepath.Join(d.root, "tmp"))
	if len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestOpenMissing(t *testing.T) {
	d, _ := NewDir(t.TempDir())
	for _, sum := range []string{"", "../../etc/passwd", strings.Repeat("a", 64), strings.Repeat("z", 64)} {
		if _, err := d.Open(context.Background(), sum); accord.ErrorCode(err) != accord.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want not_found", sum, err)
		}
	}
}

func TestStagedIsInvisibleUntilCommitted(t *testing.T) {
	d, _ := NewDir(t.TempDir())
	ctx := context.Background()
	s, err := d.Stage(ctx, strings.NewReader("draft"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Open(ctx, s.SHA256); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Fatalf("a staged blob is readable under its hash: %v", err)
	}
	r, err := d.OpenStaged(s)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	r.Close()
	if string(b) != "draft" {
		t.Fatalf("staged bytes %q", b)
	}
	d.Discard(s)
	if left, _ := os.ReadDir(filepath.Join(d.root, "tmp")); len(left) != 0 {
		t.Fatalf("a discarded blob is left: %v", left)
	}
	s2, _ := d.Stage(ctx, strings.NewReader("final"))
	if err := d.Commit(ctx, s2); err != nil {
		t.Fatal(err)
	}
	if f, err := d.Open(ctx, s2.SHA256); err != nil {
		t.Fatalf("a committed blob is not readable: %v", err)
	} else {
		f.Close()
	}
	if _, err := d.OpenStaged(accord.StagedBlob{Ref: "/etc/passwd"}); err == nil {
		t.Fatal("OpenStaged reads outside its folder")
	}
}

func TestOpeningSweepsOldStagedFiles(t *testing.T) {
	root := t.TempDir()
	d, _ := NewDir(root)
	old, _ := d.Stage(context.Background(), strings.NewReader("left by a crash"))
	recent, _ := d.Stage(context.Background(), strings.NewReader("upload under way"))
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old.Ref, past, past)
	NewDir(root)
	if _, err := os.Stat(old.Ref); !os.IsNotExist(err) {
		t.Error("a staged file from two hours ago survived")
	}
	if _, err := os.Stat(recent.Ref); err != nil {
		t.Errorf("a recent staged file was swept: %v", err)
	}
}
