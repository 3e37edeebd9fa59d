package inbound

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

const (
	client   = "client@example.com"
	known    = "r-7f3kq2@reply.example"
	other    = "r-9xk2m@reply.example"
	broken   = "r-broken@reply.example" // accepted, but the app fails to store what comes
	stranger = "stranger@example.net"
)

// delivery is one call of Deliver.
type delivery struct {
	from, to string
	raw      []byte
}

func (d delivery) String() string { return d.from + " → " + d.to }

// recorder is a Deliverer as the app would be: client may write to known and other, and what
// comes is parsed before it is kept.
type recorder struct {
	mu  sync.Mutex
	got []delivery
}

func (r *recorder) Accept(_ context.Context, from, to string) error {
	switch {
	case to != known && to != other && to != broken:
		return ErrUnknownRecipient
	case from != client:
		return ErrSenderRefused
	}
	return nil
}

func (r *recorder) Deliver(_ context.Context, from, to string, raw []byte) error {
	if to == broken {
		return errors.New("store: database is locked")
	}
	if _, err := Parse(raw, Limits{}); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, delivery{from, to, bytes.Clone(raw)})
	return nil
}

func (r *recorder) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// startServer runs a Server on loopback until the test ends and returns its address.
func startServer(t *testing.T, d Deliverer, cfg Config) string {
	t.Helper()
	cfg.Domain = "mx.reply.example"
	cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := NewServer(d, cfg)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after Close")
		}
	})
	return l.Addr().String()
}

// dial opens an SMTP session with the server at addr, greeted.
func dial(t *testing.T, addr string) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.CommandTimeout, c.SubmissionTimeout = 10*time.Second, 10*time.Second
	t.Cleanup(func() { c.Close() })
	if err := c.Hello("mail.example.com"); err != nil {
		t.Fatal(err)
	}
	return c
}

// send writes raw as the message of the session under way and returns the server's reply.
func send(t *testing.T, c *smtp.Client, raw []byte) error {
	t.Helper()
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write(raw); err != nil {
		t.Fatalf("writing the message: %v", err)
	}
	return w.Close()
}

// checkReply fails t unless err is the SMTP reply code with enhanced code enhanced.
func checkReply(t *testing.T, what string, err error, code int, enhanced smtp.EnhancedCode) {
	t.Helper()
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != code || se.EnhancedCode != enhanced {
		t.Fatalf("%s: reply = %v, want %d %v", what, err, code, enhanced)
	}
}

// clientReply is a client's answer, with a line that SMTP dot-stuffs.
var clientReply = []byte("From: Client <Client@Example.com>\r\nTo: " + known + "\r\nSubject: Re: Draft\r\n" +
	"Message-ID: <r1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
	"Looks good.\r\n.and this line starts with a dot\r\n\r\nOn Mon, 1 Dec 2026 at 10:00, Ann <" + known + "> wrote:\r\n> Draft attached\r\n")

func TestServerDeliversByteForByte(t *testing.T) {
	rec := &recorder{}
	c := dial(t, startServer(t, rec, Config{}))
	if err := c.Mail(client, nil); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{known, other, known} {
		if err := c.Rcpt(to, nil); err != nil {
			t.Fatalf("RCPT %s: %v", to, err)
		}
	}
	if err := send(t, c, clientReply); err != nil {
		t.Fatalf("DATA: %v", err)
	}
	got := rec.deliveries()
	if len(got) != 2 || got[0].to != known || got[1].to != other {
		t.Fatalf("deliveries = %v, want one to %s and one to %s", got, known, other)
	}
	for _, d := range got {
		if d.from != client || !bytes.Equal(d.raw, clientReply) {
			t.Errorf("delivered to %s from %s:\n%q\nwant from %s:\n%q", d.to, d.from, d.raw, client, clientReply)
		}
	}
	m, err := Parse(got[0].raw, Limits{})
	if err != nil || m.Text != "Looks good.\n.and this line starts with a dot" {
		t.Errorf("Parse of the delivered message = %q, %v", m.Text, err)
	}
}

func TestServerRefuses(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		code     int
		enhanced smtp.EnhancedCode
	}{
		{"unknown recipient", client, "r-nobody@reply.example", 550, smtp.EnhancedCode{5, 1, 1}},
		{"refused sender", stranger, known, 550, smtp.EnhancedCode{5, 7, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := dial(t, startServer(t, rec, Config{}))
			if err := c.Mail(tt.from, nil); err != nil {
				t.Fatal(err)
			}
			checkReply(t, "RCPT", c.Rcpt(tt.to, nil), tt.code, tt.enhanced)
			if _, err := c.Data(); err == nil {
				t.Error("DATA accepted with no recipient")
			}
			if got := rec.deliveries(); len(got) != 0 {
				t.Errorf("deliveries = %v, want none", got)
			}
		})
	}
}

func TestServerKeepsAcceptedBesideUnknown(t *testing.T) {
	rec := &recorder{}
	c := dial(t, startServer(t, rec, Config{}))
	if err := c.Mail(client, nil); err != nil {
		t.Fatal(err)
	}
	checkReply(t, "RCPT unknown", c.Rcpt("r-nobody@reply.example", nil), 550, smtp.EnhancedCode{5, 1, 1})
	if err := c.Rcpt(known, nil); err != nil {
		t.Fatal(err)
	}
	if err := send(t, c, clientReply); err != nil {
		t.Fatal(err)
	}
	if got := rec.deliveries(); len(got) != 1 || got[0].to != known {
		t.Fatalf("deliveries = %v, want one to %s", got, known)
	}
}

func TestServerRejectsMessages(t *testing.T) {
	big := append(bytes.Clone(clientReply[:bytes.Index(clientReply, []byte("\r\n\r\n"))+4]), strings.Repeat("x", 70)+"\r\n"...)
	big = append(big, bytes.Repeat([]byte(strings.Repeat("y", 70)+"\r\n"), 100)...)
	tests := []struct {
		name     string
		to       string
		raw      []byte
		code     int
		enhanced smtp.EnhancedCode
	}{
		{"over MaxBytes", known, big, 552, smtp.EnhancedCode{5, 3, 4}},
		{"the Deliverer fails", broken, clientReply, 451, smtp.EnhancedCode{4, 3, 0}},
		{"only a quote", known, readTestdata(t, "only_quote.eml"), 550, smtp.EnhancedCode{5, 6, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			c := dial(t, startServer(t, rec, Config{MaxBytes: 4096}))
			if err := c.Mail(client, nil); err != nil {
				t.Fatal(err)
			}
			if err := c.Rcpt(tt.to, nil); err != nil {
				t.Fatal(err)
			}
			checkReply(t, "end of DATA", send(t, c, tt.raw), tt.code, tt.enhanced)
			if got := rec.deliveries(); len(got) != 0 {
				t.Errorf("deliveries = %v, want none", got)
			}
			if err := c.Noop(); err != nil {
				t.Errorf("session unusable after the rejection: %v", err)
			}
		})
	}
}

func TestServerRefusesDeclaredSize(t *testing.T) {
	c := dial(t, startServer(t, &recorder{}, Config{MaxBytes: 4096}))
	checkReply(t, "MAIL FROM with SIZE", c.Mail(client, &smtp.MailOptions{Size: 10000}), 552, smtp.EnhancedCode{5, 3, 4})
}
