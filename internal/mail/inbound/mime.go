package inbound

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-message"
)

// maxDepth bounds how deep multiparts nest; real mail stays under five.
const maxDepth = 16

// unknownEncoding reports whether err only says a charset or transfer encoding is unknown; the
// part is still readable, as it came.
func unknownEncoding(err error) bool {
	return message.IsUnknownCharset(err) || message.IsUnknownEncoding(err)
}

// body gathers a message's text parts and attachments as its MIME tree is walked.
type body struct {
	limits      Limits
	plain, html []string
	attachments []Attachment
}

// walk reads entity e, at depth in the MIME tree, into b.
func (b *body) walk(e *message.Entity, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%w: multiparts nested over %d deep", ErrMalformed, maxDepth)
	}
	mr := e.MultipartReader()
	if mr == nil {
		return b.leaf(e)
	}
	if t, _ := mediaType(e.Header); t == "multipart/alternative" {
		return b.alternative(mr, depth)
	}
	return eachPart(mr, func(p *message.Entity) error { return b.walk(p, depth+1) })
}

// alternative keeps one version of a multipart/alternative: the first with plain text, else the last.
func (b *body) alternative(mr message.MultipartReader, depth int) error {
	var versions []*body
	err := eachPart(mr, func(p *message.Entity) error {
		v := &body{limits: b.limits}
		versions = append(versions, v)
		return v.walk(p, depth+1)
	})
	if err != nil || len(versions) == 0 {
		return err
	}
	chosen := versions[len(versions)-1]
	for _, v := range versions {
		if len(v.plain) > 0 {
			chosen = v
			break
		}
	}
	b.plain = append(b.plain, chosen.plain...)
	b.html = append(b.html, chosen.html...)
	for _, a := range chosen.attachments {
		if err := b.keep(a); err != nil {
			return err
		}
	}
	return nil
}

// eachPart calls f on each part that mr reads.
func eachPart(mr message.MultipartReader, f func(*message.Entity) error) error {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil && !unknownEncoding(err) {
			return fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if err := f(p); err != nil {
			return err
		}
	}
}

// leaf reads a part that is not multipart: the text of the reply, or a file.
func (b *body) leaf(e *message.Entity) error {
	t, params := mediaType(e.Header)
	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	isText := t == "text/plain" || t == "text/html" || t == ""
	if isText && name == "" && !strings.EqualFold(disp, "attachment") {
		return b.readText(e.Body, t)
	}
	return b.readAttachment(e.Body, name, t)
}

// mediaType returns the part's media type, lowercased, and its parameters; "" when none is given.
func mediaType(h message.Header) (string, map[string]string) {
	t, params, err := h.ContentType()
	if err != nil { // go-message then returns the field as it came
		t, _, _ = strings.Cut(t, ";")
		t = strings.ToLower(strings.TrimSpace(t))
	}
	return t, params
}

// readText keeps one text part, as UTF-8.
func (b *body) readText(r io.Reader, t string) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("%w: reading the text: %v", ErrMalformed, err)
	}
	s := strings.ToValidUTF8(string(data), "\uFFFD")
	if t == "text/html" {
		b.html = append(b.html, s)
	} else {
		b.plain = append(b.plain, s)
	}
	return nil
}

// readAttachment keeps one file, reading no more than the limit allows.
func (b *body) readAttachment(r io.Reader, name, t string) error {
	limit := b.limits.MaxAttachmentBytes
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return fmt.Errorf("%w: reading attachment %q: %v", ErrMalformed, name, err)
	}
	if int64(len(data)) > limit {
		return fmt.Errorf("%w: %q is over %d bytes", ErrAttachmentTooLarge, name, limit)
	}
	if t == "" {
		t = "application/octet-stream"
	}
	return b.keep(Attachment{Filename: safeFilename(name), ContentType: t, Data: data})
}

// keep adds a to the attachments unless there are as many as the limit allows already.
func (b *body) keep(a Attachment) error {
	if len(b.attachments) >= b.limits.MaxAttachments {
		return fmt.Errorf("%w: more than %d", ErrTooManyAttachments, b.limits.MaxAttachments)
	}
	b.attachments = append(b.attachments, a)
	return nil
}

// text returns the plain text parts, or when there are none the HTML ones turned into text.
func (b *body) text() string {
	if len(b.plain) > 0 {
		return strings.Join(b.plain, "\n")
	}
	texts := make([]string, len(b.html))
	for i, h := range b.html {
		texts[i] = htmlText(h)
	}
	return strings.Join(texts, "\n")
}
