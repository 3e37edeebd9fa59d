package accord

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Event is one entry of an engagement's append-only record. Body holds its canonical JSON
// bytes, fixed when written: they are what is hashed, now and by any later proof.
type Event struct {
	EngagementID string
	WorkspaceID  string
	Seq          int64
	Type         string
	Actor        string
	At           time.Time
	Data         EventData
	Body         []byte
	Hash         string // hex SHA-256 of the previous event's hash bytes followed by Body
}

// EventData is the typed content of one kind of event.
type EventData interface {
	EventType() string
	apply(e *Engagement, ev Event)
}

// envelope fixes the field order of an event's canonical bytes.
type envelope struct {
	Actor      string          `json:"actor"`
	At         string          `json:"at"`
	Data       json.RawMessage `json:"data"`
	Engagement string          `json:"engagement"`
	Seq        int64           `json:"seq"`
	Type       string          `json:"type"`
	Workspace  string          `json:"workspace"`
}

func (ev *Event) seal(prevHash string) {
	data, err := json.Marshal(ev.Data)
	if err != nil {
		panic(fmt.Sprintf("accord: event %s cannot be encoded: %v", ev.Type, err))
	}
	ev.Body, _ = json.Marshal(envelope{ev.Actor, ev.At.Format(time.RFC3339Nano), data,
		ev.EngagementID, ev.Seq, ev.Type, ev.WorkspaceID})
	ev.Hash = ChainHash(prevHash, ev.Body)
}

// ChainHash links body to the event before it: hex(SHA-256(prev hash bytes || body)).
func ChainHash(prevHash string, body []byte) string {
	prev, _ := hex.DecodeString(prevHash)
	h := sha256.New()
	h.Write(prev)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// DecodeEvent reads an event back from its canonical bytes and checks its hash against prevHash.
func DecodeEvent(body []byte, prevHash, hash string) (Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, fmt.Errorf("event body: %w", err)
	}
	// ChainHash reads only the valid hex prefix of prevHash, so a malformed one could pass as another.
	if p, err := hex.DecodeString(prevHash); err != nil || prevHash != "" && len(p) != sha256.Size {
		return Event{}, fmt.Errorf("event %d of %s: previous hash %q is not a hex SHA-256", env.Seq, env.Engagement, prevHash)
	}
	if got := ChainHash(prevHash, body); got != hash {
		return Event{}, fmt.Errorf("event %d of %s: hash %s does not match its bytes (%s)", env.Seq, env.Engagement, hash, got)
	}
	return env.event(body, hash)
}

// ReadEvent reads an event back from its canonical bytes without checking its place in the
// chain: for views, which trust what was checked when it was written and by the record's checks.
func ReadEvent(body []byte, hash string) (Event, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return Event{}, fmt.Errorf("event body: %w", err)
	}
	return env.event(body, hash)
}

func (env envelope) event(body []byte, hash string) (Event, error) {
	mk, ok := eventTypes[env.Type]
	if !ok {
		return Event{}, fmt.Errorf("event %d: unknown type %q", env.Seq, env.Type)
	}
	d := mk()
	if err := json.Unmarshal(env.Data, d); err != nil {
		return Event{}, fmt.Errorf("event %d (%s): %w", env.Seq, env.Type, err)
	}
	at, err := time.Parse(time.RFC3339Nano, env.At)
	if err != nil {
		return Event{}, fmt.Errorf("event %d: time: %w", env.Seq, err)
	}
	return Event{EngagementID: env.Engagement, WorkspaceID: env.Workspace, Seq: env.Seq, Type: env.Type,
		Actor: env.Actor, At: at, Data: d, Body: body, Hash: hash}, nil
}

// DataJSON returns the event's data as it stands in its canonical bytes.
func (ev Event) DataJSON() json.RawMessage {
	var env envelope
	json.Unmarshal(ev.Body, &env)
	return env.Data
}

var eventTypes = map[string]func() EventData{}

// EventTypes are the names of every kind of event, sorted.
func EventTypes() []string {
	out := make([]string, 0, len(eventTypes))
	for t := range eventTypes {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func register(mk ...func() EventData) {
	for _, f := range mk {
		eventTypes[f().EventType()] = f
	}
}
