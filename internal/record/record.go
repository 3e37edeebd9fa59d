// Package record makes an engagement's record checkable by anyone: each workspace's events are
// the leaves of a Merkle tree (RFC 6962), whose heads the workspace signs with its own Ed25519
// key as C2SP signed notes. It proves inclusion and consistency from the store's hashes, keeps
// the keys, writes evidence bundles and verifies them offline.
package record

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/accordapp/accord"
)

// Origin is the first line of a workspace's checkpoints and the name of its key.
func Origin(workspaceID string) string { return "accord/" + workspaceID }

// Head is a tree head: the tree's size and root hash.
type Head struct {
	Size int64
	Root tlog.Hash
}

// text is the head's checkpoint body (C2SP tlog-checkpoint): origin, size, base64 root.
func (h Head) text(origin string) string {
	return origin + "\n" + strconv.FormatInt(h.Size, 10) + "\n" + base64.StdEncoding.EncodeToString(h.Root[:]) + "\n"
}

// Checkpoint is a signed tree head, as handed out.
type Checkpoint struct {
	Origin string
	Head
	Note string // the signed note's text, exactly as signed
}

// Sign makes the signed checkpoint of h.
func Sign(s note.Signer, h Head) (Checkpoint, error) {
	msg, err := note.Sign(&note.Note{Text: h.text(s.Name())}, s)
	if err != nil {
		return Checkpoint{}, err
	}
	return Checkpoint{Origin: s.Name(), Head: h, Note: string(msg)}, nil
}

// Open checks a checkpoint's signature with the verifier key and reads its head.
func Open(msg []byte, vkey string) (Checkpoint, error) {
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("the key is not a signed-note verifier key: %w", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("the checkpoint's signature does not hold for key %s: %w", v.Name(), err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		return Checkpoint{}, errors.New("the checkpoint needs an origin, a size and a root hash, one a line")
	}
	c := Checkpoint{Origin: lines[0], Note: string(msg)}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("the checkpoint is of %q, the key of %q", c.Origin, v.Name())
	}
	if c.Size, err = strconv.ParseInt(lines[1], 10, 64); err != nil || c.Size < 0 || strconv.FormatInt(c.Size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("the checkpoint's size %q is not a number", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return Checkpoint{}, fmt.Errorf("the checkpoint's root %q is not a base64 SHA-256", lines[2])
	}
	copy(c.Root[:], root)
	return c, nil
}

// Tree reads one workspace's tree in a transaction.
type Tree struct {
	Tx          accord.Tx
	WorkspaceID string
}

// ReadHashes reads stored hashes: Tree is a tlog.HashReader.
func (t Tree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	hs, err := t.Tx.RecordHashes(t.WorkspaceID, indexes)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(hs))
	for i, h := range hs {
		out[i] = h
	}
	return out, nil
}

// Head is the tree's current head.
func (t Tree) Head() (Head, error) {
	n, err := t.Tx.RecordSize(t.WorkspaceID)
	if err != nil {
		return Head{}, err
	}
	return t.HeadAt(n)
}

// HeadAt is the head the tree had when it held n leaves.
func (t Tree) HeadAt(n int64) (Head, error) {
	root, err := tlog.TreeHash(n, t)
	return Head{n, root}, err
}

// Inclusion proves that leaf index is in the tree of the given size.
func (t Tree) Inclusion(index, size int64) (tlog.RecordProof, error) {
	return tlog.ProveRecord(size, index, t)
}

// Consistency proves that the tree of size from is a prefix of the tree of size to.
func (t Tree) Consistency(from, to int64) (tlog.TreeProof, error) {
	if from < 1 || from > to {
		return nil, fmt.Errorf("a consistency proof needs 1 ≤ from ≤ to, not %d and %d", from, to)
	}
	return tlog.ProveTree(to, from, t)
}

// CheckInclusion verifies that leafHash is leaf index of the tree (size, root).
func CheckInclusion(proof []tlog.Hash, size int64, root tlog.Hash, index int64, leafHash tlog.Hash) error {
	if index < 0 || index >= size {
		return fmt.Errorf("leaf %d is outside a tree of %d", index, size)
	}
	return tlog.CheckRecord(proof, size, root, index, leafHash)
}

// CheckConsistency verifies that the tree (size1, root1) is a prefix of the tree (size2, root2).
// A tree of no leaves proves nothing, so size1 must be at least 1.
func CheckConsistency(proof []tlog.Hash, size1 int64, root1 tlog.Hash, size2 int64, root2 tlog.Hash) error {
	if size1 < 1 || size1 > size2 {
		return fmt.Errorf("no consistency between trees of %d and %d leaves", size1, size2)
	}
	if size1 == size2 {
		if len(proof) != 0 || root1 != root2 {
			return errors.New("two heads of one size must be the same head, with an empty proof")
		}
		return nil
	}
	return tlog.CheckTree(proof, size2, root2, size1, root1)
}

// LeafHash is RFC 6962's hash of one leaf's data.
func LeafHash(data []byte) tlog.Hash { return tlog.RecordHash(data) }

// HashesOf decodes base64 hashes.
func HashesOf(b64 []string) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(b64))
	for i, s := range b64 {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			return nil, fmt.Errorf("proof hash %d (%q) is not a base64 SHA-256", i, s)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// Base64 encodes hashes for JSON.
func Base64(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = base64.StdEncoding.EncodeToString(h[:])
	}
	return out
}

// Fingerprint is a short, readable name of a verifier key: its first 8 bytes of SHA-256 in hex,
// grouped by four.
func Fingerprint(vkey string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(vkey)))
	hex := fmt.Sprintf("%x", sum[:8])
	var b bytes.Buffer
	for i := 0; i < len(hex); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex[i : i+4])
	}
	return b.String()
}
