package record

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/accordapp/accord"
)

// The files of an evidence bundle (docs/evidence.md describes them for anyone writing a verifier).
const (
	EventsFile     = "events.jsonl"
	CheckpointFile = "checkpoint.txt"
	KeyTextFile    = "key.txt"
	ProofsFile     = "proofs.json"
)

// Bundle is the evidence of one engagement: its events, where each stands in the workspace's
// tree, the proofs, and a signed head of that tree.
type Bundle struct {
	EngagementID string
	Events       [][]byte // each event's stored bytes: the leaf data
	// Recorded are the same events decoded, for the report that goes with them.
	Recorded   []accord.Event
	Indexes    []int64
	Proofs     []tlog.RecordProof
	Checkpoint Checkpoint
	Key        string
	// Extra are the files for people (report.html, report.pdf), which no proof covers.
	Extra map[string][]byte
}

// Proofs is proofs.json.
type Proofs struct {
	TreeSize int64        `json:"tree_size"`
	Leaves   []LeafProofs `json:"leaves"`
}

// LeafProofs is one leaf's inclusion proof in proofs.json.
type LeafProofs struct {
	Index int64    `json:"index"`
	Proof []string `json:"proof"`
}

// Build gathers an engagement's evidence in tx and signs the tree's current head, which it
// keeps among the heads handed out (so tx must be a write transaction).
func Build(tx accord.Tx, keys *Keys, workspaceID, engagementID string, now time.Time) (*Bundle, error) {
	evs, err := tx.Events(engagementID)
	if err != nil {
		return nil, err
	}
	leaves, err := tx.RecordLeaves(engagementID)
	if err != nil {
		return nil, err
	}
	if len(leaves) != len(evs) {
		return nil, fmt.Errorf("engagement %s has %d events but %d leaves in the record", engagementID, len(evs), len(leaves))
	}
	tree := Tree{tx, workspaceID}
	head, err := tree.Head()
	if err != nil {
		return nil, err
	}
	cp, err := Sign(keys.Signer(workspaceID), head)
	if err != nil {
		return nil, err
	}
	if err := tx.AddRecordHead(accord.RecordHead{WorkspaceID: workspaceID, Size: head.Size, Root: head.Root, At: now}); err != nil {
		return nil, err
	}
	b := &Bundle{EngagementID: engagementID, Checkpoint: cp, Key: keys.VerifierKey(workspaceID), Extra: map[string][]byte{},
		Recorded: evs}
	for i, ev := range evs {
		if leaves[i].Seq != ev.Seq || ev.WorkspaceID != workspaceID {
			return nil, fmt.Errorf("event %d of %s is not the leaf at %d", ev.Seq, engagementID, leaves[i].Index)
		}
		p, err := tree.Inclusion(leaves[i].Index, head.Size)
		if err != nil {
			return nil, err
		}
		b.Events = append(b.Events, ev.Body)
		b.Indexes = append(b.Indexes, leaves[i].Index)
		b.Proofs = append(b.Proofs, p)
	}
	return b, nil
}

// Write writes the bundle as a zip.
func (b *Bundle) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	var events bytes.Buffer
	for _, ev := range b.Events {
		events.Write(ev)
		events.WriteByte('\n')
	}
	proofs := Proofs{TreeSize: b.Checkpoint.Size, Leaves: make([]LeafProofs, len(b.Events))}
	for i := range b.Events {
		proofs.Leaves[i] = LeafProofs{Index: b.Indexes[i], Proof: Base64(b.Proofs[i])}
	}
	pj, err := json.MarshalIndent(proofs, "", " ")
	if err != nil {
		return err
	}
	files := []struct {
		name string
		data []byte
	}{
		{EventsFile, events.Bytes()},
		{CheckpointFile, []byte(b.Checkpoint.Note)},
		{KeyTextFile, []byte(b.Key + "\n")},
		{ProofsFile, append(pj, '\n')},
	}
	for _, name := range []string{"report.html", "report.pdf"} {
		if data, ok := b.Extra[name]; ok {
			files = append(files, struct {
				name string
				data []byte
			}{name, data})
		}
	}
	for _, f := range files {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: b.modified()})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// modified is the time the zip gives its files: the last event's, so one record makes one zip.
func (b *Bundle) modified() time.Time {
	if len(b.Events) == 0 {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var env struct {
		At time.Time `json:"at"`
	}
	json.Unmarshal(b.Events[len(b.Events)-1], &env)
	return env.At.UTC()
}

// fileLimits bound what Verify reads of each file: a bundle is someone else's file, and a small
// zip can unpack to gigabytes.
var fileLimits = map[string]int64{EventsFile: 256 << 20, ProofsFile: 256 << 20, CheckpointFile: 64 << 10, KeyTextFile: 4 << 10}

// Verified is what a bundle that holds proves, and the fingerprint of the key that signed it:
// the bundle carries its own key, so the fingerprint must be the one the client was shown.
type Verified struct {
	Origin       string
	TreeSize     int64
	EngagementID string
	Events       int
	Fingerprint  string
}

// Failure names the first event of a bundle that does not hold, and why.
type Failure struct {
	Line   int    // 1-based line of events.jsonl, 0 when the failure is not one event's
	Seq    int64  // the event's number, as far as it could be read
	Type   string // the event's type, as far as it could be read
	Reason string
}

func (f *Failure) Error() string {
	if f.Line == 0 {
		return f.Reason
	}
	what := fmt.Sprintf("event on line %d", f.Line)
	if f.Type != "" {
		what += fmt.Sprintf(" (seq %d, %s)", f.Seq, f.Type)
	}
	return what + ": " + f.Reason
}

// Verify checks a bundle with the key it carries: the checkpoint's signature, each event's
// inclusion in the signed tree, and that the events are one engagement's, in order, from its
// first. It returns a *Failure naming the first event that does not hold.
func Verify(zipData []byte) (Verified, error) {
	z, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return Verified{}, &Failure{Reason: "not a zip file: " + err.Error()}
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		if _, dup := files[f.Name]; dup {
			return Verified{}, &Failure{Reason: "the bundle holds " + f.Name + " twice"}
		}
		limit, ok := fileLimits[f.Name]
		if !ok {
			continue
		}
		if f.UncompressedSize64 > uint64(limit) {
			return Verified{}, &Failure{Reason: fmt.Sprintf("%s is %d bytes, more than a bundle's %d", f.Name, f.UncompressedSize64, limit)}
		}
		rc, err := f.Open()
		if err != nil {
			return Verified{}, &Failure{Reason: f.Name + ": " + err.Error()}
		}
		files[f.Name], err = io.ReadAll(io.LimitReader(rc, limit+1)) // the header's size is the sender's word
		rc.Close()
		if err != nil {
			return Verified{}, &Failure{Reason: f.Name + ": " + err.Error()}
		}
		if int64(len(files[f.Name])) > limit {
			return Verified{}, &Failure{Reason: fmt.Sprintf("%s is larger than a bundle's %d bytes", f.Name, limit)}
		}
	}
	for _, name := range []string{EventsFile, CheckpointFile, KeyTextFile, ProofsFile} {
		if _, ok := files[name]; !ok {
			return Verified{}, &Failure{Reason: "the bundle has no " + name}
		}
	}
	cp, err := Open(files[CheckpointFile], string(files[KeyTextFile]))
	if err != nil {
		return Verified{}, &Failure{Reason: CheckpointFile + ": " + err.Error()}
	}
	var proofs Proofs
	dec := json.NewDecoder(bytes.NewReader(files[ProofsFile]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&proofs); err != nil {
		return Verified{}, &Failure{Reason: ProofsFile + ": " + err.Error()}
	}
	if proofs.TreeSize != cp.Size {
		return Verified{}, &Failure{Reason: fmt.Sprintf("%s is for a tree of %d, the checkpoint signs one of %d", ProofsFile, proofs.TreeSize, cp.Size)}
	}
	data := files[EventsFile]
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return Verified{}, &Failure{Reason: EventsFile + " must end each line, the last one too, with a newline"}
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines = lines[:len(lines)-1] // after the last newline there is nothing
	v := Verified{Origin: cp.Origin, TreeSize: cp.Size, Fingerprint: Fingerprint(string(files[KeyTextFile]))}
	ws := strings.TrimPrefix(cp.Origin, "accord/")
	for i, line := range lines {
		line = line[:len(line)-1]
		f := &Failure{Line: i + 1}
		var env struct {
			Engagement string `json:"engagement"`
			Workspace  string `json:"workspace"`
			Seq        int64  `json:"seq"`
			Type       string `json:"type"`
		}
		if json.Unmarshal(line, &env) == nil {
			f.Seq, f.Type = env.Seq, env.Type
		}
		if i >= len(proofs.Leaves) {
			f.Reason = ProofsFile + " has no proof for it"
			return v, f
		}
		lp := proofs.Leaves[i]
		proof, err := HashesOf(lp.Proof)
		if err != nil {
			f.Reason = err.Error()
			return v, f
		}
		if err := CheckInclusion(proof, cp.Size, cp.Root, lp.Index, LeafHash(line)); err != nil {
			f.Reason = fmt.Sprintf("its bytes are not leaf %d of the signed tree of %d (%v)", lp.Index, cp.Size, err)
			return v, f
		}
		switch {
		case env.Workspace != ws:
			f.Reason = fmt.Sprintf("it is of workspace %q, the checkpoint of %q", env.Workspace, ws)
		case i == 0 && env.Seq != 1:
			f.Reason = fmt.Sprintf("the bundle starts at event %d, not at the engagement's first", env.Seq)
		case i > 0 && env.Engagement != v.EngagementID:
			f.Reason = fmt.Sprintf("it is of engagement %q, the events before it of %q", env.Engagement, v.EngagementID)
		case i > 0 && env.Seq != int64(i+1):
			f.Reason = fmt.Sprintf("it should be event %d of the engagement", i+1)
		case i > 0 && lp.Index <= proofs.Leaves[i-1].Index:
			f.Reason = "it stands in the tree before the event above it"
		default:
			f = nil
		}
		if f != nil {
			return v, f
		}
		v.EngagementID = env.Engagement
		v.Events++
	}
	if len(proofs.Leaves) > len(lines) {
		return v, &Failure{Reason: fmt.Sprintf("%s proves %d events but %s has %d: the events after line %d are missing",
			ProofsFile, len(proofs.Leaves), EventsFile, len(lines), len(lines))}
	}
	if v.Events == 0 {
		return v, &Failure{Reason: EventsFile + " holds no event"}
	}
	return v, nil
}
