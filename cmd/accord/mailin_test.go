package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-smtp"

	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/mail/mailtest"
)

// mailServer is the real accord serve with the demo, sending through a loopback relay and
// receiving replies on its own SMTP port.
type mailServer struct {
	base, smtpAddr, data string
	relay                *mailtest.Relay
	token                string
	eng                  engagementJSON // an engagement of the demo's English-speaking client
	clientEmail          string
}

type engagementJSON struct {
	ID           string `json:"id"`
	ClientID     string `json:"client_id"`
	ReplyAddress string `json:"reply_address"`
}

type messageJSON struct {
	ID      string     `json:"id"`
	Author  string     `json:"author"`
	Body    string     `json:"body"`
	Channel string     `json:"channel"`
	Files   []fileJSON `json:"files"`
	Email   string     `json:"email"`
}

type fileJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// startMailServer runs accord serve --demo with --smtp-addr and the flags given, logs the demo
// freelancer in and picks an engagement; the server stops with the test.
func startMailServer(t *testing.T, flags ...string) *mailServer {
	t.Helper()
	s := &mailServer{relay: mailtest.StartRelay(t, "", ""), data: t.TempDir()}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	done := make(chan error, 1)
	t.Cleanup(func() { stopServer(t, cancel, done) })
	s.base, s.smtpAddr = serveWithMail(t, ctx, done, append([]string{"--demo", "--data", s.data, "--smtp-addr", s.relay.Addr}, flags...)...)
	var tok struct{ Token string }
	if status := s.call(t, "POST", "/api/v1/auth/tokens", map[string]string{"email": demo.Email, "password": demo.Password}, &tok); status != 201 {
		t.Fatalf("demo login: %d", status)
	}
	s.token = tok.Token
	s.pickEngagement(t)
	return s
}

// serveWithMail runs the command and returns its HTTP base and, with --smtp-listen, the address
// it receives mail on, as it prints them.
func serveWithMail(t *testing.T, ctx context.Context, done chan error, args ...string) (base, smtpAddr string) {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw)
		pw.CloseWithError(err)
		done <- err
	}()
	context.AfterFunc(ctx, func() { pr.Close() })
	receives := regexp.MustCompile(`^Accord receives replies by SMTP on (\S+), for addresses @reply\.test$`)
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "Accord is serving on "); ok {
			base = u
		}
		if m := receives.FindStringSubmatch(lines.Text()); m != nil {
			smtpAddr = m[1]
		}
		if base != "" && (smtpAddr != "" || !slices.Contains(args, "--smtp-listen")) {
			go io.Copy(io.Discard, pr)
			return base, smtpAddr
		}
	}
	t.Fatalf("the server printed no HTTP and SMTP addresses (err %v)", lines.Err())
	return
}

// stopServer ends the server's context and waits for serve to return.
func stopServer(t *testing.T, cancel context.CancelFunc, done chan error) {
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop")
	}
}

// call sends a JSON request with the freelancer's token and decodes the answer into out.
func (s *mailServer) call(t *testing.T, method, path string, in, out any) int {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, method, s.base+path, body)
	req.Header.Set("Content-Type", "application/json")
	if s.token != "" {
		req.Header.Set("Authorization", "Bearer "+s.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode < 300 {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.StatusCode
}

// pickEngagement chooses an engagement whose client reads English, with its reply address.
func (s *mailServer) pickEngagement(t *testing.T) {
	t.Helper()
	var cs struct {
		Clients []struct{ ID, Email, Language string }
	}
	var es struct{ Engagements []engagementJSON }
	s.call(t, "GET", "/api/v1/clients", nil, &cs)
	s.call(t, "GET", "/api/v1/engagements", nil, &es)
	for _, e := range es.Engagements {
		for _, c := range cs.Clients {
			if c.ID == e.ClientID && c.Language == "en" {
				s.clientEmail = c.Email
				if status := s.call(t, "GET", "/api/v1/engagements/"+e.ID, nil, &s.eng); status != 200 {
					t.Fatalf("GET engagement %s: %d", e.ID, status)
				}
				return
			}
		}
	}
	t.Fatalf("the demo has no engagement of an English-speaking client: %+v %+v", cs, es)
}

// messages lists the engagement's messages through the API.
func (s *mailServer) messages(t *testing.T) []messageJSON {
	t.Helper()
	var out struct{ Messages []messageJSON }
	if status := s.call(t, "GET", "/api/v1/engagements/"+s.eng.ID+"/messages", nil, &out); status != 200 {
		t.Fatalf("GET messages: %d", status)
	}
	return out.Messages
}

// emailed returns the client messages that came by email.
func emailed(ms []messageJSON) (out []messageJSON) {
	for _, m := range ms {
		if m.Author == "client" && m.Channel == "email" {
			out = append(out, m)
		}
	}
	return out
}

// sentEvent returns the message.sent event of message id, from the events API.
func (s *mailServer) sentEvent(t *testing.T, id string) messageJSON {
	t.Helper()
	var out struct {
		Events []struct {
			Type string
			Data json.RawMessage
		}
	}
	s.call(t, "GET", "/api/v1/engagements/"+s.eng.ID+"/events", nil, &out)
	for _, ev := range out.Events {
		var d struct {
			messageJSON
			MessageID string `json:"message_id"`
		}
		if json.Unmarshal(ev.Data, &d); ev.Type == "message.sent" && d.MessageID == id {
			return d.messageJSON
		}
	}
	t.Fatalf("no message.sent event for %s", id)
	return messageJSON{}
}

// relayed is an email the relay received, its body decoded.
type relayed struct {
	mailtest.Received
	header message.Header
	body   string
}

// waitForMail waits, at most 10 s, for an email to `to` whose body contains text.
func waitForMail(t *testing.T, relay *mailtest.Relay, to, text string) relayed {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range relay.Messages() {
			if m := decodeMail(r); len(r.To) == 1 && r.To[0] == to && strings.Contains(m.body, text) {
				return m
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no email to %s saying %q reached the relay in 10 s", to, text)
	return relayed{}
}

func decodeMail(r mailtest.Received) relayed {
	e, err := message.Read(bytes.NewReader(r.Data))
	if err != nil {
		return relayed{Received: r}
	}
	b, _ := io.ReadAll(e.Body)
	return relayed{Received: r, header: e.Header, body: string(b)}
}

// sendSMTP speaks SMTP to addr as a mail server would; stage says where it was refused.
func sendSMTP(t *testing.T, addr, from, to string, raw []byte) (stage string, err error) {
	t.Helper()
	conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	c := smtp.NewClient(conn)
	defer c.Close()
	if err := c.Hello("mx.client.example"); err != nil {
		return "HELO", err
	}
	if err := c.Mail(from, nil); err != nil {
		return "MAIL", err
	}
	if err := c.Rcpt(to, nil); err != nil {
		return "RCPT", err
	}
	w, err := c.Data()
	if err != nil {
		return "DATA", err
	}
	if _, err := w.Write(raw); err != nil {
		return "DATA", err
	}
	if err := w.Close(); err != nil {
		return "DATA", err
	}
	return "", c.Quit()
}

// smtpCode is the reply code of an SMTP error, 0 for another error or none.
func smtpCode(err error) int {
	var e *smtp.SMTPError
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// receiving are the flags of a server that receives replies.
var receiving = []string{"--smtp-listen", "127.0.0.1:0", "--mail-domain", "reply.test"}

// pdf is a small file that starts as a PDF does.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// reply is a client's answer as a mail app writes it: new text, the quoted history and a
// signature, with brief.pdf attached; its lines end in CRLF, as on the wire.
func reply(from, to, messageID, text string) []byte {
	att := base64.StdEncoding.EncodeToString(pdf)
	lines := []string{
		"From: Emma Wright <" + from + ">",
		"To: <" + to + ">",
		"Subject: Re: New message",
		"Date: Mon, 07 Dec 2026 10:00:00 +0000",
		"Message-ID: <" + messageID + ">",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=utf-8",
		"",
		text,
		"",
		"On Mon, 7 Dec 2026 at 09:00, Studio Nord <" + to + "> wrote:",
		"> Here are the proofs.",
		"> Tell me what you think.",
		"",
		"-- ",
		"Emma Wright",
		"Wright Gallery, London",
		"",
		"--b1",
		`Content-Type: application/pdf; name="brief.pdf"`,
		`Content-Disposition: attachment; filename="brief.pdf"`,
		"Content-Transfer-Encoding: base64",
		"",
		att,
		"--b1--",
		"",
	}
	return []byte(strings.Join(lines, "\r\n"))
}

func hexSHA256(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// keptBlob reads what the data folder keeps under a SHA-256.
func keptBlob(t *testing.T, data, sum string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "blobs", sum[:2], sum[2:]))
	if err != nil {
		t.Errorf("no blob %s: %v", sum, err)
	}
	return b
}

func TestRepliesByEmailLandInTheEngagement(t *testing.T) {
	s := startMailServer(t, receiving...)
	addr := regexp.MustCompile(`^r-[0-9a-z]+@reply\.test$`)
	if !addr.MatchString(s.eng.ReplyAddress) || strings.Contains(s.eng.ReplyAddress, strings.TrimPrefix(s.eng.ID, "eng_")) {
		t.Fatalf("reply_address %q: want r-<token>@reply.test, naming no engagement id (%s)", s.eng.ReplyAddress, s.eng.ID)
	}

	// The freelancer writes; the client's email answers to the engagement's reply address.
	const asked = "Here are the second proofs of the catalogue."
	if status := s.call(t, "POST", "/api/v1/engagements/"+s.eng.ID+"/messages", map[string]string{"body": asked}, nil); status != 201 {
		t.Fatalf("POST message: %d", status)
	}
	got := waitForMail(t, s.relay, s.clientEmail, asked)
	if rt, err := mail.ParseAddress(got.header.Get("Reply-To")); err != nil || rt.Address != s.eng.ReplyAddress {
		t.Errorf("the client's email has Reply-To %q (%v), want %s", got.header.Get("Reply-To"), err, s.eng.ReplyAddress)
	}

	// The client answers from a mail app: only the new text lands, with the file.
	const answer = "The second round looks right; go ahead with the prints."
	raw := reply(s.clientEmail, s.eng.ReplyAddress, "answer-1@client.example", answer)
	for try := 1; try <= 2; try++ { // the second time as a server retrying would: taken once
		if stage, err := sendSMTP(t, s.smtpAddr, s.clientEmail, s.eng.ReplyAddress, raw); err != nil {
			t.Fatalf("try %d: the reply was refused at %s: %v", try, stage, err)
		}
		ms := emailed(s.messages(t))
		if len(ms) != 1 || ms[0].Body != answer {
			t.Fatalf("try %d: emailed client messages %+v, want one saying exactly %q", try, ms, answer)
		}
		s.checkKept(t, "the message", ms[0], raw)
		s.checkKept(t, "its event", s.sentEvent(t, ms[0].ID), raw)
	}

	// The freelancer is told, once.
	waitForMail(t, s.relay, demo.Email, answer)
	var outbox struct {
		Messages []struct {
			To, Kind     string
			EngagementID string `json:"engagement_id"`
		}
	}
	s.call(t, "GET", "/api/v1/outbox", nil, &outbox)
	n := 0
	for _, m := range outbox.Messages {
		if m.To == demo.Email && m.Kind == "notify_client_message" && m.EngagementID == s.eng.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notifications of the reply in the outbox, want 1", n)
	}
}

// checkKept checks that m (what is named) has brief.pdf as its file and the raw email's hash,
// both kept as blobs.
func (s *mailServer) checkKept(t *testing.T, what string, m messageJSON, raw []byte) {
	t.Helper()
	if f := m.Files; len(f) != 1 || f[0].Name != "brief.pdf" || f[0].Size != int64(len(pdf)) || f[0].SHA256 != hexSHA256(pdf) {
		t.Errorf("%s has files %+v, want brief.pdf of %d bytes, sha256 %s", what, f, len(pdf), hexSHA256(pdf))
	} else if !bytes.Equal(keptBlob(t, s.data, f[0].SHA256), pdf) {
		t.Error("the kept brief.pdf differs from the one sent")
	} else if m.ID != "" { // the freelancer downloads it, as a file to save
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.base+"/api/v1/engagements/"+s.eng.ID+"/messages/"+m.ID+"/files/"+f[0].ID, nil)
		req.Header.Set("Authorization", "Bearer "+s.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.Equal(got, pdf) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("downloading brief.pdf: %d, %s, %d bytes", res.StatusCode, res.Header.Get("Content-Disposition"), len(got))
		}
	}
	if m.Email != hexSHA256(raw) {
		t.Errorf("%s has email %q, want the raw message's SHA-256 %s", what, m.Email, hexSHA256(raw))
	} else if !bytes.Equal(keptBlob(t, s.data, m.Email), raw) {
		t.Error("the kept raw email differs from the one sent")
	}
}

func TestRepliesByEmailOnlyFromContacts(t *testing.T) {
	s := startMailServer(t, receiving...)
	const stranger = "someone@elsewhere.example"
	local, _, _ := strings.Cut(s.eng.ReplyAddress, "@")
	for i, c := range []struct {
		name, from, header, to, stage string
	}{
		{"an unknown reply address", s.clientEmail, s.clientEmail, "r-doesnotexist@reply.test", "RCPT"},
		{"a sender who is no contact", stranger, stranger, s.eng.ReplyAddress, "RCPT"},
		{"a header From that is no contact", s.clientEmail, stranger, s.eng.ReplyAddress, "DATA"},
		{"another domain", s.clientEmail, s.clientEmail, local + "@other.test", "RCPT"},
	} {
		raw := reply(c.header, c.to, fmt.Sprintf("refused-%d@client.example", i), "Please send the files to me instead.")
		stage, err := sendSMTP(t, s.smtpAddr, c.from, c.to, raw)
		if stage != c.stage || smtpCode(err) != 550 {
			t.Errorf("%s: refused at %q with %v, want 550 at %s", c.name, stage, err, c.stage)
		}
	}
	if ms := emailed(s.messages(t)); len(ms) != 0 {
		t.Errorf("refused mail posted messages: %+v", ms)
	}

	// Once invited to the engagement, the same address may write.
	if status := s.call(t, "POST", "/api/v1/engagements/"+s.eng.ID+"/invitations", map[string]string{"email": stranger}, nil); status != 201 {
		t.Fatalf("invite: %d", status)
	}
	const text = "I look after the prints for Emma; the paper is fine."
	raw := reply(stranger, s.eng.ReplyAddress, "invited-1@elsewhere.example", text)
	if stage, err := sendSMTP(t, s.smtpAddr, stranger, s.eng.ReplyAddress, raw); err != nil {
		t.Fatalf("an invited contact's reply was refused at %s: %v", stage, err)
	}
	if ms := emailed(s.messages(t)); len(ms) != 1 || ms[0].Body != text {
		t.Errorf("after an invited contact's reply, emailed messages %+v, want one saying %q", ms, text)
	}
}

// Without a server receiving them, a client's email names no reply address: an answer goes back
// to the sender, not to an address nothing reads.
func TestRepliesByEmailNeedAReceiver(t *testing.T) {
	s := startMailServer(t)
	if s.eng.ReplyAddress != "" {
		t.Errorf("without --smtp-listen the engagement has reply_address %q", s.eng.ReplyAddress)
	}
	const asked = "Here are the first proofs of the catalogue."
	if status := s.call(t, "POST", "/api/v1/engagements/"+s.eng.ID+"/messages", map[string]string{"body": asked}, nil); status != 201 {
		t.Fatalf("POST message: %d", status)
	}
	got := waitForMail(t, s.relay, s.clientEmail, asked)
	if rt := got.header.Get("Reply-To"); rt != "" {
		t.Errorf("without --smtp-listen the client's email has Reply-To %q", rt)
	}
}
