// Package mail delivers mail from Accord's outbox through an SMTP relay.
package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/accordapp/accord"
)

// DefaultTimeout bounds connecting to the relay and each SMTP exchange when SMTP.Timeout is zero.
const DefaultTimeout = 15 * time.Second

// DefaultPort is the relay port used when SMTP.Addr names no port.
const DefaultPort = 25

// EngagementHeader is the header that carries the id of the engagement a mail belongs to.
const EngagementHeader = "X-Accord-Engagement"

// authMechanisms are the SASL mechanisms tried, in order of preference, when SMTP.Username is set;
// PLAIN and LOGIN are refused on an unencrypted connection to anything but localhost.
var authMechanisms = []gomail.SMTPAuthType{
	gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5,
	gomail.SMTPAuthPlain, gomail.SMTPAuthLogin,
}

// SMTP sends mail through a relay at Addr (host:port), without authentication or with it when Username is set.
//
// From defaults to "Accord <accord@HOST>", HOST being the relay's host name or "localhost".
// TLS is "none" for a plain connection, or "" or "starttls" for STARTTLS whenever the relay offers it.
// Timeout bounds connecting and each SMTP exchange; zero means DefaultTimeout.
// The context passed to Send bounds connecting only.
type SMTP struct {
	Addr, From, Username, Password string
	TLS                            string
	Timeout                        time.Duration
}

// Send delivers m through the relay; on error the mail stays in the outbox.
func (s *SMTP) Send(ctx context.Context, m accord.Mail) error {
	if err := s.send(ctx, m); err != nil {
		return fmt.Errorf("mail %s to %q not sent via SMTP relay %q, it stays in the outbox: %w", m.ID, m.To, s.Addr, err)
	}
	return nil
}

// send composes m and hands it to the relay in one SMTP session.
func (s *SMTP) send(ctx context.Context, m accord.Mail) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	host, port, err := splitAddr(s.Addr)
	if err != nil {
		return err
	}
	msg, err := s.message(host, m)
	if err != nil {
		return fmt.Errorf("composing message: %w", err)
	}
	c, err := s.client(host, port)
	if err != nil {
		return fmt.Errorf("configuring SMTP client: %w", err)
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// client returns a go-mail client for the relay, with the configured timeout, TLS policy and credentials.
func (s *SMTP) client(host string, port int) (*gomail.Client, error) {
	policy, err := tlsPolicy(s.TLS)
	if err != nil {
		return nil, err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSPolicy(policy),
	}
	if s.Username != "" {
		opts = append(opts,
			gomail.WithUsername(s.Username),
			gomail.WithPassword(s.Password),
			gomail.WithOpportunisticSMTPAuth(authMechanisms...))
	}
	return gomail.NewClient(host, opts...)
}

// message builds the text/plain UTF-8 message for m, sent from s.From or the default sender for host.
func (s *SMTP) message(host string, m accord.Mail) (*gomail.Msg, error) {
	msg := gomail.NewMsg(
		gomail.WithCharset(gomail.CharsetUTF8),
		gomail.WithEncoding(gomail.EncodingQP),
		gomail.WithNoDefaultUserAgent())
	from := s.From
	if from == "" {
		from = defaultFrom(host)
	}
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	for _, f := range m.Attachments {
		if err := msg.AttachReader(f.Name, bytes.NewReader(f.Data), gomail.WithFileContentType(gomail.ContentType(f.ContentType))); err != nil {
			return nil, fmt.Errorf("attaching %s: %w", f.Name, err)
		}
	}
	msg.SetDateWithValue(sentAt(m.At))
	setMessageID(msg, m.ID)
	msg.SetUserAgent("Accord")
	if m.EngagementID != "" {
		msg.SetGenHeader(EngagementHeader, m.EngagementID)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyTo(m.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply address %q: %w", m.ReplyTo, err)
		}
	}
	return msg, nil
}

// setMessageID sets a Message-ID made from the outbox id at the sender's domain, or a random one when id cannot be used.
func setMessageID(msg *gomail.Msg, id string) {
	from := msg.GetFrom()
	if !validIDLeft(id) || len(from) == 0 {
		msg.SetMessageID()
		return
	}
	_, domain, _ := strings.Cut(from[0].Address, "@")
	if !validIDLeft(domain) {
		msg.SetMessageID()
		return
	}
	msg.SetMessageIDWithValue(id + "@" + domain)
}

// validIDLeft reports whether s is a non-empty dot-atom of letters, digits, '_', '-' and '.', safe in a Message-ID.
func validIDLeft(s string) bool {
	if s == "" || strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

// sentAt returns the Date for a mail queued at t, or now when t is unset.
func sentAt(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// defaultFrom returns the sender used when SMTP.From is empty: accord at the relay's host name, or at localhost.
func defaultFrom(host string) string {
	domain := strings.TrimSuffix(host, ".")
	if domain == "" || net.ParseIP(domain) != nil {
		domain = "localhost"
	}
	return "Accord <accord@" + domain + ">"
}

// tlsPolicy maps SMTP.TLS to a go-mail TLS policy.
func tlsPolicy(mode string) (gomail.TLSPolicy, error) {
	switch strings.ToLower(strings.TrimSpace(mode)) {
	case "", "starttls":
		return gomail.TLSOpportunistic, nil
	case "none":
		return gomail.NoTLS, nil
	}
	return gomail.NoTLS, fmt.Errorf("unknown TLS mode %q, want \"none\" or \"starttls\"", mode)
}

// splitAddr splits a relay address into host and port, the port defaulting to DefaultPort.
func splitAddr(addr string) (string, int, error) {
	if addr == "" {
		return "", 0, errors.New("no relay address")
	}
	host, p, err := net.SplitHostPort(addr)
	var aerr *net.AddrError
	if errors.As(err, &aerr) && aerr.Err == "missing port in address" {
		host, p, err = strings.Trim(addr, "[]"), strconv.Itoa(DefaultPort), nil
	}
	if err != nil {
		return "", 0, fmt.Errorf("relay address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("relay address %q: invalid port %q", addr, p)
	}
	if host == "" {
		return "", 0, fmt.Errorf("relay address %q: no host", addr)
	}
	return host, port, nil
}
