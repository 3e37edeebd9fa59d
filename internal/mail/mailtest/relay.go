// Package mailtest runs a real SMTP relay on loopback for tests, recording what it receives.
package mailtest

import (
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the relay saw it.
type Received struct {
	From string
	To   []string
	Data []byte
}

// Relay is an in-process SMTP server on loopback that records what it receives.
type Relay struct {
	Addr string

	user, pass string // when user is set, the relay requires AUTH PLAIN with these credentials

	mu   sync.Mutex
	msgs []Received
}

// StartRelay starts a relay on 127.0.0.1:0, requiring AUTH PLAIN when user is set; it stops with the test.
func StartRelay(t *testing.T, user, pass string) *Relay {
	t.Helper()
	r := &Relay{user: user, pass: pass}
	srv := smtp.NewServer(r)
	srv.Domain = "relay.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.Addr = l.Addr().String()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Close()
		l.Close() // Close alone misses a listener that Serve has not registered yet
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("relay did not stop")
		}
	})
	return r
}

// NewSession starts a session, one that offers AUTH only when the relay requires it.
func (r *Relay) NewSession(*smtp.Conn) (smtp.Session, error) {
	s := &session{relay: r, authed: r.user == ""}
	if r.user == "" {
		return s, nil
	}
	return &authSession{s}, nil
}

// Messages returns what the relay received so far.
func (r *Relay) Messages() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Received(nil), r.msgs...)
}

// session collects one SMTP conversation's envelope and data.
type session struct {
	relay  *Relay
	authed bool
	cur    Received
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if !s.authed {
		return smtp.ErrAuthRequired
	}
	s.cur = Received{From: from}
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = b
	s.relay.mu.Lock()
	s.relay.msgs = append(s.relay.msgs, s.cur)
	s.relay.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.cur = Received{} }
func (s *session) Logout() error { return nil }

// authSession is a session that offers AUTH PLAIN.
type authSession struct{ *session }

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.relay.user || pass != s.relay.pass {
			return errors.New("invalid credentials")
		}
		s.authed = true
		return nil
	}), nil
}
