package server_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	message "github.com/emersion/go-message/mail"

	"github.com/accordapp/accord/internal/mail"
	"github.com/accordapp/accord/internal/mail/mailtest"
)

func TestInvitationIsMailedAndKeptInTheOutbox(t *testing.T) {
	h := newHarness(t)
	relay := mailtest.StartRelay(t, "", "")
	h.app.Mailer = &mail.SMTP{Addr: relay.Addr, TLS: "none"}
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Logo", "currency": "EUR"}, 201).json(t)["id"].(string)
	inv := h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": "boss@client.example"}, 201).json(t)
	h.advance(token, "0s") // the job that sends it

	got := relay.Messages()
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != "boss@client.example" {
		t.Fatalf("relay received %+v, want one mail to boss@client.example", got)
	}
	// The link travels quoted-printable; undo its soft line breaks before looking for it.
	data := strings.ReplaceAll(string(got[0].Data), "=\r\n", "")
	if !strings.Contains(data, inv["portal_url"].(string)) {
		t.Fatalf("the mailed invitation lacks the portal link:\n%s", got[0].Data)
	}
	out := h.call("GET", "/api/v1/outbox", token, nil, 200).json(t)["messages"].([]any)
	if len(out) != 1 {
		t.Fatalf("outbox has %d mails, want 1", len(out))
	}
	m := out[0].(map[string]any)
	if m["to"] != "boss@client.example" || m["engagement_id"] != id || !strings.Contains(m["body"].(string), inv["portal_url"].(string)) {
		t.Fatalf("outbox mail %v", m)
	}
}

// The email that confirms a payment carries its receipt as a PDF in the client's language, sent
// over SMTP with the text.
func TestReceiptIsMailedAsAPDF(t *testing.T) {
	h := newHarness(t)
	relay := mailtest.StartRelay(t, "", "")
	h.app.Mailer = &mail.SMTP{Addr: relay.Addr, TLS: "none"}
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00", "reference": "SEPA 3"}, 201)
	h.advance(token, "0s")
	var pdf []byte
	var name string
	for _, g := range relay.Messages() {
		mr, err := message.CreateReader(bytes.NewReader(g.Data))
		if err != nil {
			t.Fatal(err)
		}
		if s, _ := mr.Header.Subject(); !strings.Contains(s, "received") {
			continue
		}
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if a, ok := p.Header.(*message.AttachmentHeader); ok {
				name, _ = a.Filename()
				pdf, _ = io.ReadAll(p.Body)
			}
		}
	}
	if !strings.HasPrefix(name, "receipt-pay_") || !strings.HasSuffix(name, ".pdf") || len(pdf) == 0 {
		t.Fatalf("the payment's email carries %q, %d bytes; want its receipt as a PDF", name, len(pdf))
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Receipt for a payment of €500.00", "SEPA 3", "Payment towards milestone 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the mailed receipt lacks %q:\n%s", want, text)
		}
	}
}
