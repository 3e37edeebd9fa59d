package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/mail/inbound"
)

// replyPrefix starts the local part of every reply address: r-<token>@<MailDomain>.
const replyPrefix = "r-"

// ReplyAddress is the engagement's reply address: mail to it from one of the client's contacts
// lands in the engagement's messages. Its token is random, so it names no id and guesses none.
func (a *App) ReplyAddress(tx accord.Tx, ws, id string) (string, error) {
	tok, err := tx.ReplyToken(ws, id)
	if err != nil {
		return "", err
	}
	return replyPrefix + tok + "@" + a.MailDomain, nil
}

// setReplyTo gives a client's email its engagement's reply address, so an answer threads back.
func (a *App) setReplyTo(ctx context.Context, m *accord.Mail) error {
	if m.EngagementID == "" || strings.HasPrefix(m.Kind, "notify_") || a.MailDomain == "" {
		return nil
	}
	return a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		m.ReplyTo, err = a.ReplyAddress(tx, m.WorkspaceID, m.EngagementID)
		return err
	})
}

// Inbound is what the SMTP server hands the mail it receives to.
func (a *App) Inbound() inbound.Deliverer { return inboundMail{a} }

type inboundMail struct{ a *App }

// engagementOf finds the engagement a reply address names, and checks that from is one of its
// client's contacts: the client's own address, or one invited to this engagement.
func (in inboundMail) engagementOf(tx accord.Tx, from, to string) (accord.EngagementRef, error) {
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(to)), "@")
	tok, isReply := strings.CutPrefix(local, replyPrefix)
	if !ok || !isReply || tok == "" || !strings.EqualFold(domain, in.a.MailDomain) {
		return accord.EngagementRef{}, inbound.ErrUnknownRecipient
	}
	ref, err := tx.EngagementByReplyToken(tok)
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return ref, inbound.ErrUnknownRecipient
	}
	if err != nil {
		return ref, err
	}
	e, err := tx.Engagement(ref.WorkspaceID, ref.ID)
	if err != nil {
		return ref, err
	}
	from = strings.ToLower(strings.TrimSpace(from))
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return ref, err
	}
	if strings.EqualFold(cl.Email, from) {
		return ref, nil
	}
	invited, err := tx.InvitedEngagements(from)
	if err != nil {
		return ref, err
	}
	for _, p := range invited {
		if p.EngagementID == ref.ID {
			return ref, nil
		}
	}
	return ref, inbound.ErrSenderRefused
}

// Accept says at RCPT TO whether this sender may write to this reply address.
func (in inboundMail) Accept(ctx context.Context, from, to string) error {
	return in.a.Store.Read(ctx, func(tx accord.Tx) error {
		_, err := in.engagementOf(tx, from, to)
		return err
	})
}

// Deliver puts a received reply on the engagement's record: the header From must be a contact
// too (the envelope sender proves nothing); the text without quotes and signature becomes a
// client message, the attachments its files, and the raw message is kept as a blob. A message
// delivered again (a sender retrying) is taken once.
func (in inboundMail) Deliver(ctx context.Context, from, to string, raw []byte) error {
	a := in.a
	msg, err := inbound.Parse(raw, inbound.Limits{})
	if err != nil {
		return err
	}
	var ref accord.EngagementRef
	if err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		ref, err = in.engagementOf(tx, msg.From, to)
		return err
	}); err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	rawSum := hex.EncodeToString(sum[:])
	if err := a.keepBlob(ctx, raw); err != nil {
		return err
	}
	files := make([]accord.File, 0, len(msg.Attachments))
	for _, att := range msg.Attachments {
		if err := a.keepBlob(ctx, att.Data); err != nil {
			return err
		}
		fs := sha256.Sum256(att.Data)
		ct := att.ContentType
		if ct == "" {
			ct = http.DetectContentType(att.Data)
		}
		files = append(files, accord.File{ID: accord.NewID("file"), Name: att.Filename, Size: int64(len(att.Data)),
			SHA256: hex.EncodeToString(fs[:]), ContentType: ct})
	}
	id := msg.MessageID
	if id == "" {
		id = "sha256:" + rawSum
	}
	pre := screenOf(replyText(msg.Text))
	_, err = a.change(ctx, ref.WorkspaceID, ref.ID, func(tx accord.Tx, e *accord.Engagement) error {
		fresh, err := tx.MarkInbound(e.ID, id, a.Clock.Now())
		if err != nil || !fresh {
			return err
		}
		by, err := a.contactName(tx, e, accord.Actor{Kind: "client", ID: msg.From, Name: msg.From})
		if err != nil {
			return err
		}
		c := a.cmd(by)
		m, err := e.ReceiveEmail(c, replyText(msg.Text), files, rawSum)
		if err != nil {
			return err
		}
		if err := tx.CreateMessage(*m); err != nil {
			return err
		}
		if err := a.screenText(tx, e, m.Body, "message", pre); err != nil {
			return err
		}
		return a.notify(tx, e, accord.NotifyClientMessage, map[string]any{"author": m.AuthorName, "body": m.Body})
	})
	if accord.ErrorCode(err) == accord.EINVALID {
		return fmt.Errorf("%w: %v", inbound.ErrEmptyReply, err)
	}
	return err
}

// keepBlob stores contents under their hash.
func (a *App) keepBlob(ctx context.Context, data []byte) error {
	st, err := a.Blobs.Stage(ctx, bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := a.Blobs.Commit(ctx, st); err != nil {
		a.Blobs.Discard(st)
		return errors.Join(errors.New("keeping a received email"), err)
	}
	return nil
}

// replyText is an emailed reply's text as a message holds it: control characters dropped, and a
// reply longer than a message may be cut, marked so; the raw email keeps every word.
func replyText(s string) string {
	s = strings.ToValidUTF8(accord.CleanText(s), "")
	if r := []rune(s); len(r) > accord.MaxMessageRunes {
		s = string(r[:accord.MaxMessageRunes-1]) + "…"
	}
	return s
}
