package record

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/sqlite"
	"github.com/accordapp/accord/internal/store/storetest"
)

// bundleOf makes a real record (SQLite, the domain's events, another engagement's events
// interleaved in the same tree) and returns the zip of the first engagement's evidence.
func bundleOf(t *testing.T) ([]byte, *Keys) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "accord.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := storetest.NewFixture(t, st)
	by := f.Freelancer()
	at := storetest.T0
	cmd := func() accord.Cmd { at = at.Add(time.Minute); return accord.Cmd{Now: at, By: by} }
	e, err := accord.NewEngagement(cmd(), f.Workspace.ID, f.Client.ID, "Логотип «Ёлка»", "EUR")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := accord.NewEngagement(cmd(), f.Workspace.ID, f.Client.ID, "Other", "EUR")
	for i := range 6 {
		if err := e.WriteBrief(cmd(), []accord.Question{{Text: fmt.Sprintf("Въпрос %d: what is it for?", i)}}); err != nil {
			t.Fatal(err)
		}
		other.WriteBrief(cmd(), []accord.Question{{Text: "Q"}})
		if err := st.Write(t.Context(), func(tx accord.Tx) error {
			if err := tx.SaveEngagement(e); err != nil {
				return err
			}
			return tx.SaveEngagement(other)
		}); err != nil {
			t.Fatal(err)
		}
	}
	keys := NewKeys(bytes.Repeat([]byte{3}, 32))
	var b *Bundle
	if err := st.Write(t.Context(), func(tx accord.Tx) (err error) {
		b, err = Build(tx, keys, f.Workspace.ID, e.ID, at)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.Extra["report.html"] = []byte("<p>report</p>")
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), keys
}

func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

// rezip writes the files back with events.jsonl replaced.
func rezip(t *testing.T, files map[string][]byte, events []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range files {
		if name == EventsFile {
			data = events
		}
		w, _ := z.Create(name)
		w.Write(data)
	}
	z.Close()
	return buf.Bytes()
}

func TestBundleVerifies(t *testing.T) {
	data, _ := bundleOf(t)
	v, err := Verify(data)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.Events != 7 || v.TreeSize != 14 || v.EngagementID == "" {
		t.Errorf("Verify = %+v; want 7 events of a tree of 14", v)
	}
	files := unzip(t, data)
	for _, name := range []string{EventsFile, CheckpointFile, KeyTextFile, ProofsFile, "report.html"} {
		if len(files[name]) == 0 {
			t.Errorf("the bundle has no %s", name)
		}
	}
	if err := independentCheck(files); err != nil {
		t.Errorf("an RFC 6962 check written from the format alone refuses the bundle: %v", err)
	}
}

// independentCheck verifies a bundle with nothing but SHA-256, Ed25519 and the format in
// docs/evidence.md: none of this package's code, nor tlog's or note's.
func independentCheck(files map[string][]byte) error {
	// key.txt: name+hexhash+base64(0x01 || 32-byte public key)
	parts := strings.SplitN(strings.TrimSpace(string(files[KeyTextFile])), "+", 3) // base64 may hold "+"
	if len(parts) != 3 {
		return errors.New("key.txt is not name+hash+key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		return errors.New("key.txt holds no Ed25519 key")
	}
	pub := ed25519.PublicKey(raw[1:])
	keyHash := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	// checkpoint.txt: the signed text, a blank line, then "— name base64(keyhash[:4] || sig)"
	cp := string(files[CheckpointFile])
	text, sigs, ok := strings.Cut(cp, "\n\n")
	if !ok {
		return errors.New("checkpoint.txt has no blank line before its signature")
	}
	text += "\n"
	line := strings.TrimSuffix(sigs, "\n")
	prefix := "— " + parts[0] + " "
	if !strings.HasPrefix(line, prefix) {
		return fmt.Errorf("the signature line %q is not by %s", line, parts[0])
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, prefix))
	if err != nil || len(sig) != 4+ed25519.SignatureSize || !bytes.Equal(sig[:4], keyHash[:4]) {
		return errors.New("the signature is not by this key")
	}
	if !ed25519.Verify(pub, []byte(text), sig[4:]) {
		return errors.New("the signature does not hold")
	}
	lines := strings.Split(text, "\n")
	if lines[0] != parts[0] {
		return errors.New("the checkpoint's origin is not the key's name")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return err
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		return errors.New("bad root")
	}
	var proofs struct {
		TreeSize int64 `json:"tree_size"`
		Leaves   []struct {
			Index int64    `json:"index"`
			Proof []string `json:"proof"`
		} `json:"leaves"`
	}
	if err := json.Unmarshal(files[ProofsFile], &proofs); err != nil {
		return err
	}
	if proofs.TreeSize != size {
		return errors.New("proofs are of another tree")
	}
	events := strings.Split(strings.TrimSuffix(string(files[EventsFile]), "\n"), "\n")
	if len(events) != len(proofs.Leaves) {
		return errors.New("one proof per event")
	}
	for i, ev := range events {
		h := sha256.Sum256(append([]byte{0}, ev...))
		var path [][]byte
		for _, p := range proofs.Leaves[i].Proof {
			b, err := base64.StdEncoding.DecodeString(p)
			if err != nil {
				return err
			}
			path = append(path, b)
		}
		if !inclusion(proofs.Leaves[i].Index, size, h[:], path, root) {
			return fmt.Errorf("event %d is not in the tree", i+1)
		}
	}
	return nil
}

// inclusion is RFC 9162 §2.1.3.2's verification of an inclusion proof.
func inclusion(index, size int64, leaf []byte, path [][]byte, root []byte) bool {
	if index >= size {
		return false
	}
	fn, sn := index, size-1
	r := leaf
	node := func(l, r []byte) []byte {
		s := sha256.Sum256(append(append([]byte{1}, l...), r...))
		return s[:]
	}
	for _, p := range path {
		if sn == 0 {
			return false
		}
		if fn&1 == 1 || fn == sn {
			r = node(p, r)
			if fn&1 == 0 {
				for fn&1 == 0 && fn != 0 {
					fn >>= 1
					sn >>= 1
				}
			}
		} else {
			r = node(r, p)
		}
		fn >>= 1
		sn >>= 1
	}
	return sn == 0 && bytes.Equal(r, root)
}

func TestBundleTamperingIsCaught(t *testing.T) {
	data, _ := bundleOf(t)
	files := unzip(t, data)
	events := files[EventsFile]
	lines := strings.SplitAfter(string(events), "\n")
	lines = lines[:len(lines)-1]
	check := func(what string, changed []byte, wantLine int) {
		t.Helper()
		_, err := Verify(rezip(t, files, changed))
		var f *Failure
		if !errors.As(err, &f) {
			t.Fatalf("%s: Verify = %v; want it caught", what, err)
		}
		if wantLine > 0 && f.Line != wantLine {
			t.Errorf("%s: failure names line %d (%v), want line %d", what, f.Line, f, wantLine)
		}
	}
	// Every byte changed, one at a time, to a byte it is not.
	lineOf := func(pos int) int { return strings.Count(string(events[:pos]), "\n") + 1 }
	for pos := range events {
		for _, b := range []byte{events[pos] ^ 0x01, ' ', '\n'} {
			if b == events[pos] {
				continue
			}
			changed := bytes.Clone(events)
			changed[pos] = b
			want := lineOf(pos)
			if events[pos] == '\n' && pos == len(events)-1 {
				want = 0 // the last newline gone: the file's form fails, not one event
			}
			check(fmt.Sprintf("byte %d %q→%q", pos, events[pos], b), changed, want)
		}
		deleted := append(bytes.Clone(events[:pos]), events[pos+1:]...)
		check(fmt.Sprintf("byte %d deleted", pos), deleted, 0)
	}
	// Every event removed, and every pair of events swapped.
	for i := range lines {
		rest := append(append([]string{}, lines[:i]...), lines[i+1:]...)
		want := i + 1
		if i == len(lines)-1 {
			want = 0 // the last one gone: the missing tail is named
		}
		check(fmt.Sprintf("event %d removed", i+1), []byte(strings.Join(rest, "")), want)
		for j := i + 1; j < len(lines); j++ {
			sw := append([]string{}, lines...)
			sw[i], sw[j] = sw[j], sw[i]
			check(fmt.Sprintf("events %d and %d swapped", i+1, j+1), []byte(strings.Join(sw, "")), i+1)
		}
	}
	check("an event appended twice", append(bytes.Clone(events), lines[len(lines)-1]...), len(lines)+1)
}

func TestBundleFailsWithAnotherKeyOrCheckpoint(t *testing.T) {
	data, _ := bundleOf(t)
	files := unzip(t, data)
	other := NewKeys(bytes.Repeat([]byte{9}, 32))
	for name, change := range map[string]func(map[string][]byte){
		"another key": func(f map[string][]byte) {
			f[KeyTextFile] = []byte(other.VerifierKey(strings.TrimPrefix(strings.SplitN(string(f[CheckpointFile]), "\n", 2)[0], "accord/")))
		},
		"a checkpoint resized": func(f map[string][]byte) {
			f[CheckpointFile] = []byte(strings.Replace(string(f[CheckpointFile]), "\n14\n", "\n13\n", 1))
		},
		"proofs of another size": func(f map[string][]byte) {
			f[ProofsFile] = bytes.Replace(f[ProofsFile], []byte(`"tree_size": 14`), []byte(`"tree_size": 13`), 1)
		},
		"no proofs": func(f map[string][]byte) { delete(f, ProofsFile) },
	} {
		copied := map[string][]byte{}
		for k, v := range files {
			copied[k] = v
		}
		change(copied)
		if _, err := Verify(rezip(t, copied, copied[EventsFile])); err == nil {
			t.Errorf("%s: the bundle still verifies", name)
		}
	}
	if _, err := Verify([]byte("not a zip")); err == nil {
		t.Error("a file that is not a zip verifies")
	}
}

// A small zip that unpacks to far more than a bundle holds is refused before it is read.
func TestVerifyRefusesAZipBomb(t *testing.T) {
	data, keys := bundleOf(t)
	files := unzip(t, data)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, b := range files {
		w, _ := z.Create(name)
		w.Write(b)
	}
	w, _ := z.Create(KeyTextFile + "x") // not a bundle's file: never read
	w.Write(bytes.Repeat([]byte{'k'}, 1<<20))
	z.Close()
	if _, err := Verify(buf.Bytes()); err != nil {
		t.Fatalf("an extra file broke a bundle that holds: %v", err)
	}
	buf.Reset()
	z = zip.NewWriter(&buf)
	for name, b := range files {
		if name == KeyTextFile {
			b = append(b, bytes.Repeat([]byte{' '}, 8<<20)...) // 8 MiB of spaces squeeze to a few KiB
		}
		w, _ := z.Create(name)
		w.Write(b)
	}
	z.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", buf.Len())
	}
	_, err := Verify(buf.Bytes())
	if err == nil || !strings.Contains(err.Error(), KeyTextFile) {
		t.Errorf("Verify of a key.txt of 8 MiB = %v; want it refused by its size", err)
	}
	if v, err := Verify(data); err != nil || v.Fingerprint == "" || v.Fingerprint != Fingerprint(keys.VerifierKey(strings.TrimPrefix(v.Origin, "accord/"))) {
		t.Errorf("Verify names the fingerprint %q (%v); want the signing key's", v.Fingerprint, err)
	}
}
