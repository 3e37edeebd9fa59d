package accord_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// recorded is a whole engagement run by commands: its log, and its state as JSON after each command.
type recorded struct {
	e      *accord.Engagement
	events []accord.Event
	states []string // states[i]: the engagement after its first counts[i] events
	counts []int
}

// record runs every kind of command on one engagement, checking the events each one appends.
func record(t *testing.T) recorded {
	t.Helper()
	var r recorded
	var err error
	r.e, err = accord.NewEngagement(fl(0), "ws_1", "cli_1", "Logo", "EUR")
	mustOK(t, err)
	e := r.e
	commit := func(name string, want ...string) {
		t.Helper()
		var got []string
		for _, ev := range e.Uncommitted() {
			got = append(got, ev.Type)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s appended %v, want %v", name, got, want)
		}
		r.events = append(r.events, e.Uncommitted()...)
		e.MarkCommitted()
		r.states, r.counts = append(r.states, jsonOf(t, e)), append(r.counts, len(r.events))
	}
	commit("create", "engagement.created")
	ms := func(n int) string { return e.Milestones[n-1].ID }
	odd := accord.Cmd{Now: t0.Add(7*time.Minute + 123456789), By: ana}
	elsewhere := accord.Cmd{Now: t0.Add(40 * time.Minute).In(time.FixedZone("EET", 2*3600)), By: ana}
	var d1, d2, d3 string
	var held *accord.Message
	payment := func(c accord.Cmd, n int, amount string) func() error {
		return func() error { _, err := e.RecordPayment(c, ms(n), eur(amount), "SEPA"); return err }
	}
	delivery := func(c accord.Cmd, n int, id *string) func() error {
		return func() (err error) { *id, err = e.Deliver(c, ms(n), "v", []accord.File{{Name: "a.png"}}); return err }
	}
	steps := []struct {
		name  string
		do    func() error
		types []string // nil: the command must be refused
	}{
		{"write brief", func() error { return e.WriteBrief(fl(1), questions()) }, []string{"brief.written"}},
		{"send brief", func() error { return e.SendBrief(fl(2)) }, []string{"brief.sent"}},
		{"invite", func() error { e.RecordInvitation(fl(2), "bob@example.com", t0.Add(72*time.Hour)); return nil },
			[]string{"client.invited"}},
		{"open portal", func() error { e.RecordPortalOpened(cl(3)); return nil }, []string{"portal.opened"}},
		{"answer badly", func() error { return e.AnswerBrief(cl(3), nil) }, nil},
		{"answer brief", func() error { return e.AnswerBrief(cl(3), answers()) }, []string{"brief.answered"}},
		{"write agreement", func() error { _, err := e.WriteAgreement(fl(4), agreement(), "en", keyOnly); return err },
			[]string{"agreement.written"}},
		{"propose", func() error { return e.ProposeAgreement(fl(5), 1) }, []string{"agreement.proposed"}},
		{"accept half", func() error { return e.AcceptAgreement(cl(6), 1, []string{"scope"}) }, nil},
		{"accept", func() error { return e.AcceptAgreement(odd, 1, termIDs(e.Current())) }, []string{"agreement.accepted"}},
		{"start unpaid", func() error { return e.StartMilestone(fl(8), ms(1)) }, nil},
		{"prepay 1", payment(fl(9), 1, "500.00"), []string{"payment.recorded"}},
		{"start 1", func() error { return e.StartMilestone(fl(10), ms(1)) }, []string{"milestone.started"}},
		{"deliver 1", delivery(fl(20), 1, &d1), []string{"delivery.submitted"}},
		{"send back", func() error { return e.RequestChanges(cl(30), d1, "off <brand> & \"tone\"", "on brand", coolingOff) },
			[]string{"delivery.changes_requested"}},
		{"reply, held", func() (err error) { held, err = e.SendMessage(fl(31), "Héllo ✓", "email", coolingOff); return err },
			[]string{"message.sent"}},
		{"send now", func() error { return e.ReleaseMessage(fl(32), held) }, []string{"message.released"}},
		{"send now again", func() error { return e.ReleaseMessage(fl(32), held) }, nil},
		{"client writes", func() error { _, err := e.SendMessage(cl(33), "ok", "portal", coolingOff); return err },
			[]string{"message.sent"}},
		{"rework", func() error { return e.StartMilestone(elsewhere, ms(1)) }, []string{"milestone.started"}},
		{"deliver 1 again", delivery(fl(41), 1, &d2), []string{"delivery.submitted"}},
		{"accept 1", func() error { return e.AcceptDelivery(cl(42), d2) }, []string{"delivery.accepted"}},
		{"pay 1", payment(fl(43), 1, "500.00"), []string{"payment.recorded"}},
		{"overpay 1", payment(fl(43), 1, "0.01"), nil},
		{"prepay 2", payment(fl(44), 2, "1000.00"), []string{"payment.recorded"}},
		{"start 2", func() error { return e.StartMilestone(fl(45), ms(2)) }, []string{"milestone.started"}},
		{"deliver 2", delivery(fl(46), 2, &d3), []string{"delivery.submitted"}},
		{"accept 2", func() error { return e.AcceptDelivery(cl(47), d3) }, []string{"delivery.accepted"}},
		{"pay 2", payment(fl(48), 2, "1000.00"), []string{"payment.recorded"}},
	}
	for _, s := range steps {
		if err := s.do(); (err == nil) != (s.types != nil) {
			t.Fatalf("%s: error %v", s.name, err)
		}
		commit(s.name, s.types...)
	}
	if e.State != accord.Completed {
		t.Fatalf("scenario ends in %s", e.State)
	}
	return r
}

func TestEventChain(t *testing.T) {
	r := record(t)
	prev := ""
	for i, ev := range r.events {
		if ev.Seq != int64(i+1) || ev.EngagementID != r.e.ID || ev.WorkspaceID != "ws_1" {
			t.Errorf("event %d: seq %d engagement %s workspace %s", i, ev.Seq, ev.EngagementID, ev.WorkspaceID)
		}
		if ev.Hash != accord.ChainHash(prev, ev.Body) {
			t.Errorf("event %d: hash %s, chained %s", ev.Seq, ev.Hash, accord.ChainHash(prev, ev.Body))
		}
		p, _ := hex.DecodeString(prev)
		if sum := sha256.Sum256(append(p, ev.Body...)); ev.Hash != hex.EncodeToString(sum[:]) {
			t.Errorf("event %d: hash is not SHA-256(prev || body)", ev.Seq)
		}
		prev = ev.Hash
	}
	if r.e.Seq != int64(len(r.events)) || r.e.Head != prev {
		t.Errorf("engagement at seq %d head %s, log ends at %d %s", r.e.Seq, r.e.Head, len(r.events), prev)
	}
}

func TestEventBody(t *testing.T) {
	r := record(t)
	for _, ev := range r.events {
		keys, values := topLevel(t, ev.Body)
		if want := []string{"actor", "at", "data", "engagement", "seq", "type", "workspace"}; !slices.Equal(keys, want) {
			t.Fatalf("event %d keys = %v, want %v", ev.Seq, keys, want)
		}
		var compact bytes.Buffer
		mustOK(t, json.Compact(&compact, ev.Body))
		if !bytes.Equal(compact.Bytes(), ev.Body) {
			t.Errorf("event %d body is not compact: %s", ev.Seq, ev.Body)
		}
		at := ev.At.Format(time.RFC3339Nano)
		if values["actor"] != ev.Actor || values["at"] != at || !strings.HasSuffix(at, "Z") || values["type"] != ev.Type ||
			values["engagement"] != ev.EngagementID || values["workspace"] != ev.WorkspaceID || values["seq"] != float64(ev.Seq) {
			t.Errorf("event %d body %s does not match %s %s %s %s", ev.Seq, ev.Body, ev.Actor, at, ev.Type, ev.EngagementID)
		}
		data, err := json.Marshal(ev.Data)
		mustOK(t, err)
		if !bytes.Equal(ev.DataJSON(), data) {
			t.Errorf("event %d data %s, want %s", ev.Seq, ev.DataJSON(), data)
		}
	}
	first := r.events[0]
	if first.Actor != "freelancer:usr_1" || first.Type != "engagement.created" || !first.At.Equal(t0) ||
		string(first.DataJSON()) != `{"client_id":"cli_1","title":"Logo","currency":"EUR"}` {
		t.Errorf("first event = %s", first.Body)
	}
	want := `{"actor":"freelancer:usr_1","at":"2026-11-23T10:00:00Z","data":{"client_id":"cli_1","title":"Logo","currency":"EUR"},` +
		`"engagement":"` + r.e.ID + `","seq":1,"type":"engagement.created","workspace":"ws_1"}`
	if string(first.Body) != want {
		t.Errorf("first body = %s\nwant %s", first.Body, want)
	}
}

// topLevel returns the keys of a JSON object in the order written, and their values.
func topLevel(t *testing.T, body []byte) ([]string, map[string]any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("body %s is not an object", body)
	}
	var keys []string
	values := map[string]any{}
	for dec.More() {
		tok, err := dec.Token()
		mustOK(t, err)
		k := tok.(string)
		var v any
		mustOK(t, dec.Decode(&v))
		keys, values[k] = append(keys, k), v
	}
	return keys, values
}

func TestDecodeEvent(t *testing.T) {
	r := record(t)
	prev := ""
	var decoded []accord.Event
	for _, ev := range r.events {
		got, err := accord.DecodeEvent(ev.Body, prev, ev.Hash)
		mustOK(t, err)
		if got.Type != ev.Type || got.Seq != ev.Seq || got.Actor != ev.Actor || !got.At.Equal(ev.At) ||
			got.EngagementID != ev.EngagementID || got.WorkspaceID != ev.WorkspaceID || got.Hash != ev.Hash ||
			!bytes.Equal(got.Body, ev.Body) || got.Data.EventType() != ev.Type || jsonOf(t, got.Data) != jsonOf(t, ev.Data) {
			t.Errorf("decoded event %d (%s %s %v) differs from %s", ev.Seq, got.Type, got.Actor, got.At, ev.Body)
		}
		decoded = append(decoded, got)
		prev = ev.Hash
	}
	if got := jsonOf(t, accord.Replay(decoded)); got != r.states[len(r.states)-1] {
		t.Errorf("replay of the decoded log =\n%s\nwant\n%s", got, r.states[len(r.states)-1])
	}
}

func TestDecodeEventRefusesTampering(t *testing.T) {
	r := record(t)
	prev := ""
	for _, ev := range r.events {
		for i := range ev.Body {
			body := slices.Clone(ev.Body)
			body[i] ^= 0x01
			if _, err := accord.DecodeEvent(body, prev, ev.Hash); err == nil {
				t.Fatalf("event %d with byte %d changed (%s) decodes", ev.Seq, i, body)
			}
		}
		if _, err := accord.DecodeEvent(append(slices.Clone(ev.Body), ' '), prev, ev.Hash); err == nil {
			t.Errorf("event %d with a byte added decodes", ev.Seq)
		}
		if _, err := accord.DecodeEvent(ev.Body, prev, strings.ToUpper(ev.Hash)); err == nil {
			t.Errorf("event %d decodes against a hash in another spelling", ev.Seq)
		}
		prev = ev.Hash
	}
}

func TestDecodeEventRefusesWrongPrevHash(t *testing.T) {
	r := record(t)
	first, second := r.events[0], r.events[1]
	flipped := []byte(first.Hash)
	flipped[10] = map[bool]byte{true: '1', false: '0'}[flipped[10] == '0']
	other := accord.ChainHash("", []byte("other"))
	tests := []struct {
		name string
		ev   accord.Event
		prev string
	}{
		{"first event chained to something", first, other},
		{"first event with a prev hash that is not hex", first, "zz"},
		{"second event chained to nothing", second, ""},
		{"second event chained to itself", second, second.Hash},
		{"second event chained to another hash", second, other},
		{"second event, prev hash with one character changed", second, string(flipped)},
		{"second event, prev hash with a character added", second, first.Hash + "0"},
		{"second event, prev hash with garbage added", second, first.Hash + "x"},
		{"second event, prev hash cut short", second, first.Hash[:62]},
	}
	for _, tt := range tests {
		if _, err := accord.DecodeEvent(tt.ev.Body, tt.prev, tt.ev.Hash); err == nil {
			t.Errorf("%s: decodes", tt.name)
		}
	}
}

func TestDecodeEventRefusesUnknownType(t *testing.T) {
	body := []byte(`{"actor":"system:x","at":"2026-11-23T10:00:00Z","data":{},"engagement":"eng_1","seq":1,"type":"engagement.exploded","workspace":"ws_1"}`)
	if _, err := accord.DecodeEvent(body, "", accord.ChainHash("", body)); err == nil {
		t.Error("an unknown event type decodes")
	}
	bad := []byte(`{"actor":"system:x","at":"yesterday","data":{},"engagement":"eng_1","seq":1,"type":"portal.opened","workspace":"ws_1"}`)
	if _, err := accord.DecodeEvent(bad, "", accord.ChainHash("", bad)); err == nil {
		t.Error("an event with a bad time decodes")
	}
}

// State is the fold of the log: replaying the log up to any command gives the state after it.
func TestReplay(t *testing.T) {
	r := record(t)
	for i, n := range r.counts {
		if got := jsonOf(t, accord.Replay(r.events[:n])); got != r.states[i] {
			t.Fatalf("replay of %d events =\n%s\nwant\n%s", n, got, r.states[i])
		}
	}
	if got := jsonOf(t, accord.Replay(r.events)); got != jsonOf(t, r.e) {
		t.Errorf("replay differs from the engagement")
	}
	// Applying the rest of the log to a replayed prefix gives the same engagement.
	e := accord.Replay(r.events[:10])
	for _, ev := range r.events[10:] {
		e.Apply(ev)
	}
	if jsonOf(t, e) != jsonOf(t, r.e) || e.Seq != r.e.Seq || e.Head != r.e.Head {
		t.Errorf("replay in two parts differs")
	}
	if got := accord.Replay(nil); got.ID != "" || got.Seq != 0 || got.State != "" {
		t.Errorf("replay of nothing = %+v", got)
	}
}

// A replayed engagement goes on recording: its next event extends the same chain.
func TestReplayThenRecord(t *testing.T) {
	e := started(t)
	events := e.Uncommitted()
	r := accord.Replay(events)
	deliver(t, e, 1)
	deliver(t, r, 1)
	a, b := e.Uncommitted()[len(events)], r.Uncommitted()[0]
	if b.Seq != int64(len(events)+1) || b.Hash != accord.ChainHash(events[len(events)-1].Hash, b.Body) || a.Type != b.Type {
		t.Errorf("event after replay: seq %d hash %s", b.Seq, b.Hash)
	}
}
