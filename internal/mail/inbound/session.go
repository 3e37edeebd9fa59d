package inbound

import (
	"io"
	"strings"

	"github.com/emersion/go-smtp"
)

// session is one SMTP conversation: the envelope of the message under way.
type session struct {
	srv    *Server
	remote string
	from   string
	to     []string // accepted recipients
}

// Mail starts a message from envelope sender from, "" for a bounce.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.to = from, nil
	return nil
}

// Rcpt asks the Deliverer whether the sender may write to reply address to.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	for _, t := range s.to {
		if strings.EqualFold(t, to) {
			return nil // delivered once however often it is named
		}
	}
	if err := s.srv.d.Accept(s.srv.ctx, s.from, to); err != nil {
		return s.refuse("recipient refused", to, err)
	}
	s.to = append(s.to, to)
	return nil
}

// Data reads the message and delivers it to each accepted recipient; the reply is that of the
// first failure, the message being sent again or bounced whole.
func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return s.refuse("message not read", strings.Join(s.to, ","), err)
	}
	var first error
	for _, to := range s.to {
		err := s.srv.d.Deliver(s.srv.ctx, s.from, to, raw)
		if err != nil && first == nil {
			first = s.refuse("message not delivered", to, err)
		}
		if err == nil {
			s.srv.log.Info("inbound mail delivered", "remote", s.remote, "from", s.from, "to", to, "bytes", len(raw))
		}
	}
	return first
}

// refuse logs why the sender is refused and returns the SMTP reply that tells them.
func (s *session) refuse(what, to string, err error) error {
	reply := smtpReply(err)
	log := s.srv.log.Info
	if reply.Temporary() {
		log = s.srv.log.Error
	}
	log("inbound "+what, "remote", s.remote, "from", s.from, "to", to, "code", reply.Code, "err", err)
	return reply
}

// Reset forgets the message under way.
func (s *session) Reset() { s.from, s.to = "", nil }

// Logout ends the session.
func (s *session) Logout() error { return nil }
