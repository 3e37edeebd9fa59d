package mail

import (
	"bytes"
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	message "github.com/emersion/go-message/mail"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/mail/mailtest"
)

// parsed is a received message after MIME decoding.
type parsed struct {
	To, Subject, Body, MessageID, Engagement, ContentType string
	Date                                                  time.Time
}

// parse decodes raw DATA bytes with go-message.
func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	r, err := message.CreateReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parsing message: %v\n%s", err, data)
	}
	var p parsed
	to, err := r.Header.AddressList("To")
	if err != nil || len(to) != 1 {
		t.Fatalf("To header: %v %v\n%s", to, err, data)
	}
	p.To = to[0].Address
	if p.Subject, err = r.Header.Subject(); err != nil {
		t.Fatalf("Subject: %v", err)
	}
	if p.MessageID, err = r.Header.MessageID(); err != nil {
		t.Fatalf("Message-ID: %v", err)
	}
	if p.Date, err = r.Header.Date(); err != nil {
		t.Fatalf("Date: %v", err)
	}
	p.Engagement = r.Header.Get(EngagementHeader)
	p.ContentType = r.Header.Get("Content-Type")
	part, err := r.NextPart()
	if err != nil {
		t.Fatalf("body part: %v", err)
	}
	body, err := io.ReadAll(part.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	p.Body = string(body)
	if _, err := r.NextPart(); err != io.EOF {
		t.Fatalf("want a single part, got more (err %v)", err)
	}
	return p
}

// onTheWire returns body as SMTP carries text: lines end in CRLF, the last one included.
func onTheWire(body string) string {
	body = strings.ReplaceAll(body, "\n", "\r\n")
	if !strings.HasSuffix(body, "\r\n") {
		body += "\r\n"
	}
	return body
}

var (
	english = accord.Mail{ID: "mail_english1", EngagementID: "eng_one", To: "client@example.com",
		Subject: "Proposal: Logo design", Body: "Hello Maria,\n\nplease review the proposal.\n",
		At: time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)}
	cyrillic = accord.Mail{ID: "mail_cyrillic1", EngagementID: "eng_two", To: "Мария Иванова <maria@example.bg>",
		Subject: "Договор: „Лого“", Body: "Здравейте, Мария!",
		At: time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC)}
)

func TestSendOverLoopback(t *testing.T) {
	r := mailtest.StartRelay(t, "", "")
	s := &SMTP{Addr: r.Addr, TLS: "", Timeout: 5 * time.Second}
	for _, m := range []accord.Mail{english, cyrillic} {
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatalf("Send(%s): %v", m.ID, err)
		}
	}
	got := r.Messages()
	if len(got) != 2 {
		t.Fatalf("relay received %d messages, want 2", len(got))
	}
	for i, want := range []struct {
		mail accord.Mail
		rcpt string
	}{{english, "client@example.com"}, {cyrillic, "maria@example.bg"}} {
		g := got[i]
		if g.From != "accord@localhost" {
			t.Errorf("message %d: MAIL FROM %q, want accord@localhost", i, g.From)
		}
		if len(g.To) != 1 || g.To[0] != want.rcpt {
			t.Errorf("message %d: RCPT TO %q, want [%s]", i, g.To, want.rcpt)
		}
		p := parse(t, g.Data)
		if p.To != want.rcpt {
			t.Errorf("message %d: To %q, want %q", i, p.To, want.rcpt)
		}
		if p.Subject != want.mail.Subject {
			t.Errorf("message %d: Subject %q, want %q", i, p.Subject, want.mail.Subject)
		}
		if wantBody := onTheWire(want.mail.Body); p.Body != wantBody {
			t.Errorf("message %d: body %q, want %q", i, p.Body, wantBody)
		}
		if back := strings.TrimSuffix(strings.ReplaceAll(p.Body, "\r\n", "\n"), "\n"); back != strings.TrimSuffix(want.mail.Body, "\n") {
			t.Errorf("message %d: body read back as %q, want %q", i, back, want.mail.Body)
		}
		if p.Engagement != want.mail.EngagementID {
			t.Errorf("message %d: %s %q, want %q", i, EngagementHeader, p.Engagement, want.mail.EngagementID)
		}
		if wantID := want.mail.ID + "@localhost"; p.MessageID != wantID {
			t.Errorf("message %d: Message-ID %q, want %q", i, p.MessageID, wantID)
		}
		if !p.Date.Equal(want.mail.At) {
			t.Errorf("message %d: Date %v, want %v", i, p.Date, want.mail.At)
		}
		if ct := strings.ToLower(p.ContentType); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(ct, "charset=utf-8") {
			t.Errorf("message %d: Content-Type %q, want text/plain UTF-8", i, p.ContentType)
		}
	}
}

func TestSendHeadersAreASCII(t *testing.T) {
	r := mailtest.StartRelay(t, "", "")
	s := &SMTP{Addr: r.Addr, From: "Студио Лого <studio@example.bg>", Timeout: 5 * time.Second}
	if err := s.Send(context.Background(), cyrillic); err != nil {
		t.Fatal(err)
	}
	got := r.Messages()
	if len(got) != 1 {
		t.Fatalf("relay received %d messages, want 1", len(got))
	}
	if got[0].From != "studio@example.bg" {
		t.Errorf("MAIL FROM %q, want studio@example.bg", got[0].From)
	}
	for i, b := range got[0].Data {
		if b >= 0x80 {
			t.Fatalf("byte %d of the message is not 7-bit ASCII:\n%s", i, got[0].Data)
		}
	}
	r2, err := message.CreateReader(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	from, err := r2.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Студио Лого" {
		t.Errorf("From %v (%v), want the Cyrillic display name decoded", from, err)
	}
}

func TestSendWithAuth(t *testing.T) {
	r := mailtest.StartRelay(t, "accord", "s3cret")
	good := &SMTP{Addr: r.Addr, Username: "accord", Password: "s3cret", TLS: "none", Timeout: 5 * time.Second}
	if err := good.Send(context.Background(), english); err != nil {
		t.Fatalf("Send with the right password: %v", err)
	}
	bad := &SMTP{Addr: r.Addr, Username: "accord", Password: "wrong", Timeout: 5 * time.Second}
	if err := bad.Send(context.Background(), english); err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	anon := &SMTP{Addr: r.Addr, Timeout: 5 * time.Second}
	if err := anon.Send(context.Background(), english); err == nil {
		t.Fatal("Send without credentials to a relay that requires AUTH succeeded")
	}
	if n := len(r.Messages()); n != 1 {
		t.Fatalf("relay received %d messages, want only the authenticated one", n)
	}
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// silentAddr returns a loopback address that accepts connections and never answers.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

// sendFails asserts that sending to addr fails within limit with an error that names the outbox.
func sendFails(t *testing.T, ctx context.Context, addr string, limit time.Duration) {
	t.Helper()
	s := &SMTP{Addr: addr, Timeout: 300 * time.Millisecond}
	start := time.Now()
	err := s.Send(ctx, english)
	elapsed := time.Since(start)
	if err == nil {
		t.Fatalf("Send to %s succeeded", addr)
	}
	if elapsed > limit {
		t.Errorf("Send took %v, want under %v", elapsed, limit)
	}
	if !strings.Contains(err.Error(), "stays in the outbox") || !strings.Contains(err.Error(), addr) {
		t.Errorf("error %q should name the relay and say the mail stays in the outbox", err)
	}
}

func TestSendUnreachableRelay(t *testing.T) {
	sendFails(t, context.Background(), closedAddr(t), 2*time.Second)
}

func TestSendSilentRelayTimesOut(t *testing.T) {
	sendFails(t, context.Background(), silentAddr(t), 3*time.Second)
}

func TestSendCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sendFails(t, ctx, mailtest.StartRelay(t, "", "").Addr, time.Second)
}

func TestSendRejectsBadConfig(t *testing.T) {
	for name, s := range map[string]*SMTP{
		"no address":   {},
		"bad port":     {Addr: "127.0.0.1:http"},
		"unknown TLS":  {Addr: "127.0.0.1:25", TLS: "ssl"},
		"bad sender":   {Addr: "127.0.0.1:25", From: "not an address"},
		"missing host": {Addr: ":25"},
	} {
		if err := s.Send(context.Background(), english); err == nil {
			t.Errorf("%s: Send succeeded", name)
		}
	}
	if err := (&SMTP{Addr: "127.0.0.1:25"}).Send(context.Background(), accord.Mail{To: "nobody"}); err == nil {
		t.Error("bad recipient: Send succeeded")
	}
}

func TestDefaultFrom(t *testing.T) {
	for host, want := range map[string]string{
		"smtp.example.com":  "Accord <accord@smtp.example.com>",
		"smtp.example.com.": "Accord <accord@smtp.example.com>",
		"127.0.0.1":         "Accord <accord@localhost>",
		"::1":               "Accord <accord@localhost>",
		"":                  "Accord <accord@localhost>",
	} {
		if got := defaultFrom(host); got != want {
			t.Errorf("defaultFrom(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestSplitAddr(t *testing.T) {
	for addr, want := range map[string]struct {
		host string
		port int
	}{
		"smtp.example.com:587": {"smtp.example.com", 587},
		"smtp.example.com":     {"smtp.example.com", DefaultPort},
		"[::1]:2525":           {"::1", 2525},
		"[::1]":                {"::1", DefaultPort},
	} {
		host, port, err := splitAddr(addr)
		if err != nil || host != want.host || port != want.port {
			t.Errorf("splitAddr(%q) = %q, %d, %v; want %q, %d", addr, host, port, err, want.host, want.port)
		}
	}
}

// A file an email carries reaches the relay as an attachment with its name and exact bytes,
// beside the text.
func TestSendWithAnAttachment(t *testing.T) {
	r := mailtest.StartRelay(t, "", "")
	s := &SMTP{Addr: r.Addr, Timeout: 5 * time.Second}
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 300)...)
	m := cyrillic
	m.ID = "mail_attach"
	m.Attachments = []accord.Attachment{{Name: "квитанция-pay_1.pdf", ContentType: "application/pdf", Data: pdf}}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got := r.Messages()
	if len(got) != 1 {
		t.Fatalf("relay received %d messages", len(got))
	}
	mr, err := message.CreateReader(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	var text string
	var files int
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *message.InlineHeader:
			text = string(body)
		case *message.AttachmentHeader:
			name, _ := h.Filename()
			ct, _, _ := h.ContentType()
			if name != "квитанция-pay_1.pdf" || ct != "application/pdf" || !bytes.Equal(body, pdf) {
				t.Errorf("the attachment: %q %s, %d bytes (want %d)", name, ct, len(body), len(pdf))
			}
			files++
		}
	}
	if files != 1 || !strings.Contains(strings.ReplaceAll(text, "\r\n", "\n"), strings.TrimSuffix(m.Body, "\n")) {
		t.Errorf("%d attachments; text %q", files, text)
	}
}
