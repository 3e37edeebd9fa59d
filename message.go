package accord

import (
	"slices"
	"time"
)

// Message is one message between freelancer and client; a held message reaches the client at SendAt.
type Message struct {
	ID           string    `json:"id"`
	EngagementID string    `json:"engagement_id"`
	Author       string    `json:"author"` // "freelancer" or "client"
	AuthorName   string    `json:"author_name"`
	Body         string    `json:"body"`
	At           time.Time `json:"at"`
	SendAt       time.Time `json:"send_at"`
	Channel      string    `json:"channel"`
	// Files came with the message (attachments of an email), kept as blobs.
	Files []File `json:"files,omitempty"`
	// Email is the SHA-256 of the raw email the message came in, kept for the record.
	Email string `json:"email,omitempty"`
}

// MaxMessageRunes is the longest a message may be, in characters.
const MaxMessageRunes = 20000

// Held reports whether the message is still being held back from the client at now.
func (m *Message) Held(now time.Time) bool { return m.SendAt.After(now) }

// SendMessage puts a message on the record. For coolingOff after the client sends work back,
// a freelancer's message is held for coolingOff, so that an angry reply can be reconsidered.
func (e *Engagement) SendMessage(c Cmd, body, channel string, coolingOff time.Duration) (*Message, error) {
	var v Invalid
	if body = v.Text("body", body, true, MaxMessageRunes); v.Err() != nil {
		return nil, v.Err()
	}
	m := &Message{ID: NewID("msg"), EngagementID: e.ID, Author: c.By.Kind, AuthorName: c.By.Name,
		Body: body, At: c.Now.UTC(), SendAt: c.Now.UTC(), Channel: channel}
	if c.By.Kind == "freelancer" && c.Now.Before(e.CoolingOffUntil) {
		m.SendAt = c.Now.Add(coolingOff).UTC()
	}
	e.record(c, MessageSent{MessageID: m.ID, Author: m.Author, Body: m.Body, SendAt: m.SendAt, Channel: channel})
	return m, nil
}

// ReceiveEmail puts on the record a client's reply by email: the new text of it, the files
// attached, and the hash of the raw message, which is kept. A reply may be files alone.
func (e *Engagement) ReceiveEmail(c Cmd, body string, files []File, raw string) (*Message, error) {
	if c.By.Kind != "client" {
		return nil, Errorf(EFORBIDDEN, "message.email_from_client")
	}
	var v Invalid
	body = v.Text("body", body, len(files) == 0, MaxMessageRunes)
	if err := v.Err(); err != nil {
		return nil, err
	}
	m := &Message{ID: NewID("msg"), EngagementID: e.ID, Author: c.By.Kind, AuthorName: c.By.Name,
		Body: body, At: c.Now.UTC(), SendAt: c.Now.UTC(), Channel: "email", Files: files, Email: raw}
	e.record(c, MessageSent{MessageID: m.ID, Author: m.Author, Body: m.Body, SendAt: m.SendAt, Channel: m.Channel,
		Files: files, Email: raw})
	return m, nil
}

// ReleaseMessage ends a hold early; the override is on the record.
func (e *Engagement) ReleaseMessage(c Cmd, m *Message) error {
	if !m.Held(c.Now) {
		return Errorf(ECONFLICT, "message.not_held")
	}
	e.record(c, MessageReleased{MessageID: m.ID, HeldUntil: m.SendAt})
	m.SendAt = c.Now.UTC()
	return nil
}

// EditHeld changes the text of a message still held back from the client; the record keeps
// both texts.
func (e *Engagement) EditHeld(c Cmd, m *Message, body string) error {
	if !m.Held(c.Now) {
		return Errorf(ECONFLICT, "message.not_held")
	}
	var v Invalid
	if body = v.Text("body", body, true, MaxMessageRunes); v.Err() != nil {
		return v.Err()
	}
	e.record(c, MessageEdited{MessageID: m.ID, Body: body})
	m.Body = body
	return nil
}

// CancelHeld withdraws a message still held back: the client never gets it; the record keeps it.
func (e *Engagement) CancelHeld(c Cmd, m *Message) error {
	if !m.Held(c.Now) {
		return Errorf(ECONFLICT, "message.not_held")
	}
	e.record(c, MessageCancelled{MessageID: m.ID})
	return nil
}

// DeliverHeld notes that a held message's time came and it went to the client; false when it
// went already (sent now, or by an earlier run) or was withdrawn.
func (e *Engagement) DeliverHeld(c Cmd, messageID string) bool {
	if !slices.Contains(e.Holding, messageID) {
		return false
	}
	e.record(c, MessageDue{MessageID: messageID})
	return true
}

// RecordInvitation notes on the record that the client was invited to the portal.
func (e *Engagement) RecordInvitation(c Cmd, email string, expires time.Time) {
	e.record(c, ClientInvited{Email: email, ExpiresAt: expires.UTC()})
}

// RecordPortalOpened notes on the record that a client contact opened the portal.
func (e *Engagement) RecordPortalOpened(c Cmd) {
	e.record(c, PortalOpened{})
}
