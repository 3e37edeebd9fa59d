package inbound

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // windows-1251, KOI8-R, ISO-8859-5 and the rest
	"github.com/emersion/go-message/mail"
)

// Defaults for the zero fields of Limits; DefaultMaxBytes is Config.MaxBytes's too.
const (
	DefaultMaxBytes           = 32 << 20 // base64 makes a 24 MiB file about this big
	DefaultMaxAttachments     = 20
	DefaultMaxAttachmentBytes = 24 << 20
)

// Limits bound what Parse reads; a field that is zero or less takes its default.
type Limits struct {
	MaxBytes           int64 // the raw message
	MaxAttachments     int
	MaxAttachmentBytes int64 // each attachment, decoded
}

// Message is a client's reply as Accord keeps it.
type Message struct {
	From        string    // the header From's address, bare and lowercased
	Subject     string    // decoded
	MessageID   string    // without angle brackets
	Date        time.Time // zero when missing or unreadable
	Text        string    // the new part of the reply, without quoted history or signature
	Attachments []Attachment
}

// Attachment is a file that came with a reply.
type Attachment struct {
	Filename    string // a base name safe to show and store; "attachment" when the mail gave none
	ContentType string // the media type, without parameters
	Data        []byte
}

// Parse reads a raw message and returns the reply it holds.
//
// It fails with ErrTooLarge, ErrAttachmentTooLarge or ErrTooManyAttachments past limits, with
// ErrMalformed when the message cannot be read or names no sender, and with ErrEmptyReply when
// the message brings neither text of its own nor a file.
func Parse(raw []byte, limits Limits) (Message, error) {
	limits = limits.orDefaults()
	if n := int64(len(raw)); n > limits.MaxBytes {
		return Message{}, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, n, limits.MaxBytes)
	}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !unknownEncoding(err) {
		return Message{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	m, err := readHeader(mail.Header{Header: e.Header})
	if err != nil {
		return Message{}, err
	}
	b := body{limits: limits}
	if err := b.walk(e, 0); err != nil {
		return Message{}, err
	}
	m.Text, m.Attachments = newText(b.text()), b.attachments
	if m.Text == "" && len(m.Attachments) == 0 {
		return Message{}, ErrEmptyReply
	}
	return m, nil
}

// orDefaults returns l with each field that is zero or less set to its default.
func (l Limits) orDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxAttachments <= 0 {
		l.MaxAttachments = DefaultMaxAttachments
	}
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	return l
}

// readHeader returns the message's sender, subject, id and date; only a missing sender fails it.
func readHeader(h mail.Header) (Message, error) {
	if list, err := h.AddressList("From"); err == nil && len(list) > 1 {
		// Several authors: whose words these are cannot be told, so none is taken for the client.
		return Message{}, fmt.Errorf("%w: %d addresses in From", ErrMalformed, len(list))
	}
	if len(h.Values("From")) > 1 {
		return Message{}, fmt.Errorf("%w: more than one From header", ErrMalformed)
	}
	from := headerAddress(h)
	if from == "" {
		return Message{}, fmt.Errorf("%w: no sender address in From %q", ErrMalformed, h.Get("From"))
	}
	m := Message{From: from}
	m.Subject, _ = h.Subject() // on error, the subject as it came
	m.Subject = strings.ToValidUTF8(m.Subject, "\uFFFD")
	m.MessageID, _ = h.MessageID()
	if m.MessageID == "" {
		m.MessageID = strings.Trim(h.Get("Message-Id"), "<> \t")
	}
	m.MessageID = strings.ToValidUTF8(m.MessageID, "")
	m.Date, _ = h.Date() // zero when unreadable
	return m, nil
}

// headerAddress returns the first From address, bare and lowercased, reading loosely when the
// header breaks RFC 5322 (unquoted dots or commas in the name are common).
func headerAddress(h mail.Header) string {
	if list, err := h.AddressList("From"); err == nil && len(list) > 0 {
		return strings.ToLower(list[0].Address)
	}
	v := h.Get("From")
	if i := strings.LastIndexByte(v, '<'); i >= 0 {
		v, _, _ = strings.Cut(v[i+1:], ">")
	}
	v = strings.TrimSpace(v)
	if strings.Count(v, "@") != 1 || strings.ContainsAny(v, " \t<>,;\"") || strings.HasPrefix(v, "@") || strings.HasSuffix(v, "@") {
		return ""
	}
	return strings.ToLower(strings.ToValidUTF8(v, ""))
}
