package record

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// Keys holds the one secret every workspace's signing key is derived from. It is kept outside
// the database the keys sign: in the data folder, or given by configuration (so that several
// instances sign alike).
type Keys struct{ secret []byte }

// KeyFile is the secret's file in the data folder.
const KeyFile = "record.key"

// LoadKeys reads the secret: configured (base64 of 32 bytes, from ACCORD_RECORD_KEY) when given,
// else the data folder's record.key. With make, a missing file is made, readable by its owner
// alone; without, a missing secret is an error that says where it should be.
func LoadKeys(dataDir, configured string, make bool) (*Keys, error) {
	if configured != "" {
		return keysOf(configured, "ACCORD_RECORD_KEY")
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && make {
		if err := writeSecret(dataDir, path); err != nil {
			return nil, fmt.Errorf("record key: %w", err)
		}
		return LoadKeys(dataDir, "", false)
	}
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("there is no record key in %s: run accord serve once with this --data, or set ACCORD_RECORD_KEY to the servers' secret", path)
	}
	if err != nil {
		return nil, fmt.Errorf("record key: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		slog.Warn("the record key can be read by others than its owner; chmod 600 it", "file", path, "mode", st.Mode().Perm())
	}
	return keysOf(string(b), path)
}

// writeSecret makes a new secret in path, whole or not at all: it is written to a temporary file
// and linked into place, so a process starting meanwhile never reads half of one, and of two
// processes making one at once, one wins and both read it.
func writeSecret(dataDir, path string) error {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	f, err := os.CreateTemp(dataDir, KeyFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(secret) + "\n"); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(f.Name(), path); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}

func keysOf(enc, where string) (*Keys, error) {
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil || len(secret) != 32 {
		return nil, fmt.Errorf("the record key in %s must be 32 bytes in base64 (make one with: head -c 32 /dev/urandom | base64)", where)
	}
	return &Keys{secret}, nil
}

// NewKeys returns keys derived from secret (32 bytes), for tests and tools.
func NewKeys(secret []byte) *Keys { return &Keys{secret} }

func (k *Keys) private(workspaceID string) ed25519.PrivateKey {
	seed, err := hkdf.Key(sha256.New, k.secret, nil, "accord record key "+workspaceID, ed25519.SeedSize)
	if err != nil {
		panic(err) // only for a length HKDF cannot give, and SeedSize is not one
	}
	return ed25519.NewKeyFromSeed(seed)
}

// VerifierKey is the workspace's public key as a signed-note verifier key.
func (k *Keys) VerifierKey(workspaceID string) string {
	vkey, err := note.NewEd25519VerifierKey(Origin(workspaceID), k.private(workspaceID).Public().(ed25519.PublicKey))
	if err != nil {
		panic(err) // only for a bad name, and Origin makes good ones
	}
	return vkey
}

// Signer signs the workspace's checkpoints.
func (k *Keys) Signer(workspaceID string) note.Signer {
	vkey := k.VerifierKey(workspaceID)
	// A verifier key is name+hash+base64(alg||public); the signer key is the same with the seed.
	// (base64 has '+' in its alphabet: the fields are the first two.)
	name, rest, _ := strings.Cut(vkey, "+")
	hash, _, _ := strings.Cut(rest, "+")
	seed := k.private(workspaceID).Seed()
	skey := "PRIVATE+KEY+" + name + "+" + hash + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, seed...))
	s, err := note.NewSigner(skey)
	if err != nil {
		panic(err)
	}
	return s
}

// LinkKey is the secret that signs links to originals, derived from the same secret as the
// record's keys but for that use alone.
// SealKey is the key that seals a workspace's secrets kept in the database (its Stripe keys),
// derived from the secret as the other keys are, so that a copy of the database alone holds none.
func (k *Keys) SealKey(workspaceID string) []byte {
	key, err := hkdf.Key(sha256.New, k.secret, nil, "accord sealed secrets "+workspaceID, 32)
	if err != nil {
		panic(err)
	}
	return key
}

func (k *Keys) LinkKey() []byte {
	key, err := hkdf.Key(sha256.New, k.secret, nil, "accord original links", 32)
	if err != nil {
		panic(err)
	}
	return key
}
