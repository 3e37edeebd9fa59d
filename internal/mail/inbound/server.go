package inbound

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"
)

// Defaults for the zero fields of Config.
const (
	DefaultMaxRecipients = 10
	DefaultTimeout       = 5 * time.Minute // RFC 5321 asks servers to wait this long for a command
)

// Deliverer is the app's side of the server: who may write where, and where the mail goes.
type Deliverer interface {
	// Accept says, at RCPT TO, whether envelope sender from may write to reply address to:
	// nil, or ErrUnknownRecipient, ErrSenderRefused, or another error for a temporary failure.
	Accept(ctx context.Context, from, to string) error
	// Deliver takes the raw message for one accepted recipient; errors are mapped as for Accept,
	// and Parse's errors reject the message for good.
	Deliver(ctx context.Context, from, to string, raw []byte) error
}

// Config is how Server runs; each zero field takes a default.
type Config struct {
	Domain        string        // the name the server greets with; "localhost" when empty
	MaxBytes      int64         // the largest message taken; DefaultMaxBytes when zero
	MaxRecipients int           // per message; DefaultMaxRecipients when zero
	ReadTimeout   time.Duration // per command or chunk read; DefaultTimeout when zero
	WriteTimeout  time.Duration // per reply written; DefaultTimeout when zero
	Log           *slog.Logger  // slog.Default() when nil
}

// Server is the SMTP server that receives replies for a Deliverer.
type Server struct {
	d      Deliverer
	log    *slog.Logger
	smtp   *smtp.Server
	ctx    context.Context // the Deliverer's calls are cancelled with it on Close
	cancel context.CancelFunc
}

// NewServer returns a server that hands the mail it receives to d.
func NewServer(d Deliverer, cfg Config) *Server {
	cfg = cfg.orDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{d: d, log: cfg.Log, ctx: ctx, cancel: cancel}
	s.smtp = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.smtp.Domain = cfg.Domain
	s.smtp.MaxMessageBytes = cfg.MaxBytes
	s.smtp.MaxRecipients = cfg.MaxRecipients
	s.smtp.ReadTimeout = cfg.ReadTimeout
	s.smtp.WriteTimeout = cfg.WriteTimeout
	s.smtp.EnableSMTPUTF8 = true // the raw bytes are kept; Parse reads UTF-8 headers
	s.smtp.ErrorLog = smtpLog{cfg.Log}
	return s
}

// orDefaults returns c with each zero field set to its default.
func (c Config) orDefaults() Config {
	if c.Domain == "" {
		c.Domain = "localhost"
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	if c.MaxRecipients <= 0 {
		c.MaxRecipients = DefaultMaxRecipients
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultTimeout
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c
}

// Serve accepts connections on l until Close, when it returns nil.
func (s *Server) Serve(l net.Listener) error {
	// go-smtp closes only the listeners it has registered; one Serve has not reached yet stays open.
	stop := context.AfterFunc(s.ctx, func() { l.Close() })
	defer stop()
	if err := s.smtp.Serve(l); err != nil && s.ctx.Err() == nil {
		return fmt.Errorf("inbound SMTP server on %s: %w", l.Addr(), err)
	}
	return nil
}

// ListenAndServe listens on the TCP address addr (":25" for an MX) and serves on it.
func (s *Server) ListenAndServe(addr string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("inbound SMTP server: %w", err)
	}
	return s.Serve(l)
}

// Close stops the server at once, dropping the connections under way; their senders retry later.
func (s *Server) Close() error {
	s.cancel()
	if err := s.smtp.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// newSession starts the session of one SMTP connection.
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{srv: s, remote: c.Conn().RemoteAddr().String()}, nil
}

// smtpLog writes go-smtp's reports of unexpected errors to the server's log.
type smtpLog struct{ log *slog.Logger }

func (l smtpLog) Printf(format string, v ...any) {
	l.log.Warn("inbound smtp: " + fmt.Sprintf(format, v...))
}
func (l smtpLog) Println(v ...any) { l.log.Warn("inbound smtp: " + fmt.Sprint(v...)) }
