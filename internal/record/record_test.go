package record

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// vector is one of transparency-dev/merkle's test vectors (testdata/merkle/SOURCE.md).
type vector struct {
	LeafIdx  int64    `json:"leafIdx"`
	TreeSize int64    `json:"treeSize"`
	Root     string   `json:"root"`
	LeafHash string   `json:"leafHash"`
	Size1    int64    `json:"size1"`
	Size2    int64    `json:"size2"`
	Root1    string   `json:"root1"`
	Root2    string   `json:"root2"`
	Proof    []string `json:"proof"`
	Desc     string   `json:"desc"`
	WantErr  bool     `json:"wantErr"`
}

func loadVectors(t *testing.T, kind string) map[string]vector {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "merkle", kind, "*", "*.json"))
	if err != nil || len(paths) < 20 {
		t.Fatalf("found %d %s vectors (%v); want the copied set", len(paths), kind, err)
	}
	out := map[string]vector{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v vector
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = v
	}
	return out
}

// proofOf decodes a vector's hashes. An empty one makes the case fail, as a verifier must; the
// vectors' placeholder values ("don't care", "WrongLeaf") are shorter than a hash and stand for
// themselves, zero-padded: they are compared, never hashed into something that holds.
func proofOf(ss []string) ([]tlog.Hash, bool) {
	out := make([]tlog.Hash, len(ss))
	for i, s := range ss {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) == 0 || len(b) > tlog.HashSize {
			return nil, false
		}
		copy(out[i][:], b)
	}
	return out, true
}

// runVectors checks each vector of a kind: its proof and its two hashes (last in the list given)
// are decoded, and check must fail exactly where the vector wants an error.
func runVectors(t *testing.T, kind string, hashes func(v vector) []string, check func(v vector, proof []tlog.Hash, a, b tlog.Hash) error) {
	happy := 0
	for name, v := range loadVectors(t, kind) {
		hs, ok := proofOf(append(v.Proof, hashes(v)...))
		var err error = errBadHash
		if ok {
			n := len(hs)
			err = check(v, hs[:n-2], hs[n-2], hs[n-1])
		}
		if (err != nil) != v.WantErr {
			t.Errorf("%s (%s): err = %v, want error %v", name, v.Desc, err, v.WantErr)
		}
		if !v.WantErr {
			happy++
		}
	}
	if happy < 5 {
		t.Errorf("only %d vectors should hold; the set is not the one copied", happy)
	}
}

func TestInclusionVectors(t *testing.T) {
	runVectors(t, "inclusion", func(v vector) []string { return []string{v.Root, v.LeafHash} },
		func(v vector, proof []tlog.Hash, root, leaf tlog.Hash) error {
			return CheckInclusion(proof, v.TreeSize, root, v.LeafIdx, leaf)
		})
}

func TestConsistencyVectors(t *testing.T) {
	runVectors(t, "consistency", func(v vector) []string { return []string{v.Root1, v.Root2} },
		func(v vector, proof []tlog.Hash, root1, root2 tlog.Hash) error {
			return CheckConsistency(proof, v.Size1, root1, v.Size2, root2)
		})
}

var errBadHash = &Failure{Reason: "a hash of the proof is not 32 bytes"}

func TestCheckpointSignAndOpen(t *testing.T) {
	keys := NewKeys(bytes.Repeat([]byte{7}, 32))
	h := Head{Size: 5, Root: tlog.RecordHash([]byte("x"))}
	cp, err := Sign(keys.Signer("ws_a"), h)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(cp.Note, "\n")
	if lines[0] != "accord/ws_a" || lines[1] != "5" || lines[2] != base64.StdEncoding.EncodeToString(h.Root[:]) || lines[3] != "" ||
		!strings.HasPrefix(lines[4], "— accord/ws_a ") {
		t.Fatalf("checkpoint is not in the signed-note form:\n%s", cp.Note)
	}
	got, err := Open([]byte(cp.Note), keys.VerifierKey("ws_a"))
	if err != nil || got.Size != 5 || got.Root != h.Root || got.Origin != "accord/ws_a" {
		t.Fatalf("Open = %+v, %v", got, err)
	}
	if _, err := Open([]byte(cp.Note), keys.VerifierKey("ws_b")); err == nil {
		t.Error("another workspace's key opened the checkpoint")
	}
	other := NewKeys(bytes.Repeat([]byte{8}, 32))
	if _, err := Open([]byte(cp.Note), other.VerifierKey("ws_a")); err == nil {
		t.Error("a key from another secret opened the checkpoint")
	}
	forged := strings.Replace(cp.Note, "\n5\n", "\n6\n", 1)
	if _, err := Open([]byte(forged), keys.VerifierKey("ws_a")); err == nil {
		t.Error("a checkpoint with its size changed still opened")
	}
	for i := range 200 { // base64 keys hold '+' now and then: every workspace must get a signer
		ws := fmt.Sprint("ws_", i)
		cp, err := Sign(keys.Signer(ws), h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Open([]byte(cp.Note), keys.VerifierKey(ws)); err != nil {
			t.Fatalf("%s: %v", ws, err)
		}
	}
	if keys.VerifierKey("ws_a") != NewKeys(bytes.Repeat([]byte{7}, 32)).VerifierKey("ws_a") {
		t.Error("one secret gave two keys for one workspace")
	}
}

func TestLoadKeys(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadKeys(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want it made, owner-only", err, st.Mode())
	}
	k2, err := LoadKeys(dir, "", true)
	if err != nil || k2.VerifierKey("w") != k1.VerifierKey("w") {
		t.Fatalf("a second load gave another key (%v)", err)
	}
	conf := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))
	k3, err := LoadKeys(dir, conf, false)
	if err != nil || k3.VerifierKey("w") == k1.VerifierKey("w") {
		t.Fatalf("a configured key was not used (%v)", err)
	}
	if _, err := LoadKeys(t.TempDir(), "", false); err == nil || !strings.Contains(err.Error(), "accord serve") {
		t.Errorf("a missing key without make: %v; want a clear refusal", err)
	}
	if _, err := LoadKeys(dir, "c2hvcnQ=", false); err == nil || !strings.Contains(err.Error(), "32 bytes") {
		t.Errorf("a short configured key: %v; want a clear refusal", err)
	}
}
