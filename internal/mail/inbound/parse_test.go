package inbound

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// testPDF and testJPEG are the files attachments.eml and iphone_ru_koi8.eml carry.
var (
	testPDF  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	testJPEG = func() []byte {
		b := append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "JFIF\x00"...)
		for i := range 32 {
			b = append(b, byte(i))
		}
		return append(b, 0xFF, 0xD9)
	}()
)

func TestParse(t *testing.T) {
	msk := time.FixedZone("MSK", 3*3600)
	tests := []struct {
		name, file string
		limits     Limits
		want       Message
		wantErr    error
	}{
		{name: "Gmail reply in English with a quote", file: "gmail_en.eml", want: Message{
			From: "bob.client@example.com", Subject: "Re: Logo redesign: first draft",
			MessageID: "CAFx7Qm=abc123@mail.gmail.com", Date: time.Date(2026, 12, 2, 9, 14, 5, 0, time.UTC),
			Text: "Hi Ann,\n\nThe first draft looks great. Two small things, if it's not too much trouble for this round of changes (2+2=4):\n\n" +
				"1. Make the blue a little darker.\n2. Try the tagline in italics.\n\nThanks,\nBob",
		}},
		{name: "Outlook reply in Russian, windows-1251 quoted-printable", file: "outlook_ru.eml", want: Message{
			From: "ivan.petrov@example.ru", Subject: "RE: Сайт для пекарни: смета",
			MessageID: "000001dc1234$abcd0000$0200a8c0@PEKARNYA", Date: time.Date(2026, 12, 2, 12, 30, 0, 0, msk),
			Text: "Анна, добрый день!\n\nСмету посмотрели, в целом согласны. Предлагаем начать с понедельника, 8 декабря.\n" +
				"Вопросы по этапам пришлю отдельно.\n\nС уважением,\nИван Петров\nООО «Пекарня»",
		}},
		{name: "Bulgarian reply with a wrapped attribution and a sign-off", file: "bulgarian_wrapped.eml", want: Message{
			From: "georgi@example.bg", Subject: "Re: Оферта за градина",
			MessageID: "bg-0001@example.bg", Date: time.Date(2026, 12, 3, 8, 5, 0, 0, time.FixedZone("EET", 2*3600)),
			Text: "Здравейте, Анна,\n\nБлагодаря за офертата. Съгласни сме с цената и срока.\nКога можем да започнем?",
		}},
		{name: "HTML only", file: "html_only.eml", want: Message{
			From: "maria@example.com", Subject: "Re: Price list",
			MessageID: "html-only-1@example.com", Date: time.Date(2026, 12, 4, 16, 0, 0, 0, time.FixedZone("CET", 3600)),
			Text: "Hello Ann,\nHere's the list & the prices:\n– logo: 300 €\n– site: 1 200 €\n\nBest,\nMaria",
		}},
		{name: "two attachments, one with a Cyrillic name, one with a path", file: "attachments.eml", want: Message{
			From: "olga@example.ru", Subject: "Re: Договор",
			MessageID: "att-1@example.ru", Date: time.Date(2026, 12, 5, 11, 0, 0, 0, msk),
			Text: "Анна, во вложении договор и реквизиты.",
			Attachments: []Attachment{
				{Filename: "Договор №7.pdf", ContentType: "application/pdf", Data: testPDF},
				{Filename: "passwd", ContentType: "text/plain", Data: []byte("root:x:0:0:root:/root:/bin/bash")},
			},
		}},
		{name: "iPhone reply in KOI8-R around an inline photo", file: "iphone_ru_koi8.eml", want: Message{
			From: "sergey@example.ru", Subject: "Re: Витрина",
			MessageID: "IPHONE-1@example.ru", Date: time.Date(2026, 12, 6, 10, 20, 0, 0, msk),
			Text:        "Посмотрел, всё отлично! Фото витрины прикладываю.",
			Attachments: []Attachment{{Filename: "IMG_0042.JPG", ContentType: "image/jpeg", Data: testJPEG}},
		}},
		{name: "only a quote", file: "only_quote.eml", wantErr: ErrEmptyReply},
		{name: "over MaxBytes", file: "gmail_en.eml", limits: Limits{MaxBytes: 512}, wantErr: ErrTooLarge},
		{name: "attachment over MaxAttachmentBytes", file: "attachments.eml", limits: Limits{MaxAttachmentBytes: 40}, wantErr: ErrAttachmentTooLarge},
		{name: "over MaxAttachments", file: "attachments.eml", limits: Limits{MaxAttachments: 1}, wantErr: ErrTooManyAttachments},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(readTestdata(t, tt.file), tt.limits)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkMessage(t, got, tt.want)
		})
	}
}

func TestParseMalformed(t *testing.T) {
	nested := func() string { // each level a multipart/mixed holding the next, closed properly
		var b strings.Builder
		b.WriteString("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
		for i := range maxDepth + 2 {
			b.WriteString("--b" + strings.Repeat("x", i) + "\r\nContent-Type: multipart/mixed; boundary=b" + strings.Repeat("x", i+1) + "\r\n\r\n")
		}
		b.WriteString("--b" + strings.Repeat("x", maxDepth+2) + "\r\nContent-Type: text/plain\r\n\r\nHello\r\n")
		for i := maxDepth + 2; i >= 0; i-- {
			b.WriteString("--b" + strings.Repeat("x", i) + "--\r\n")
		}
		return b.String()
	}()
	tests := []struct{ name, raw string }{
		{"no From", "Subject: hi\r\n\r\nHello\r\n"},
		{"From without an address", "From: Bob\r\n\r\nHello\r\n"},
		{"multiparts nested too deep", nested},
	}
	for _, tt := range tests {
		if _, err := Parse([]byte(tt.raw), Limits{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Parse error = %v, want ErrMalformed", tt.name, err)
		}
	}
}

func TestParseLooseFrom(t *testing.T) {
	raw := "From: Ivan I. Petrov, CEO <Ivan@Example.RU>\r\nContent-Type: text/plain\r\n\r\nHello\r\n"
	m, err := Parse([]byte(raw), Limits{})
	if err != nil || m.From != "ivan@example.ru" || m.Text != "Hello" {
		t.Fatalf("Parse = %q, %q, %v; want ivan@example.ru, Hello", m.From, m.Text, err)
	}
}

// checkMessage fails t unless got is want.
func checkMessage(t *testing.T, got, want Message) {
	t.Helper()
	if !got.Date.Equal(want.Date) {
		t.Errorf("Date = %v, want %v", got.Date, want.Date)
	}
	got.Date, want.Date = time.Time{}, time.Time{}
	if got.Text != want.Text {
		t.Errorf("Text =\n%s\nwant\n%s", got.Text, want.Text)
	}
	for i, a := range got.Attachments {
		if i < len(want.Attachments) && !bytes.Equal(a.Data, want.Attachments[i].Data) {
			t.Errorf("attachment %d data = %q, want %q", i, a.Data, want.Attachments[i].Data)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
	}
}

// readTestdata returns the contents of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A message from several authors is not taken for any one of them.
func TestParseRefusesSeveralFrom(t *testing.T) {
	for name, head := range map[string]string{
		"two addresses in one From": "From: Maria <maria@client.example>, Eve <eve@evil.example>\r\n",
		"two From headers":          "From: maria@client.example\r\nFrom: eve@evil.example\r\n",
	} {
		raw := head + "To: r-abc@reply.test\r\nSubject: Re\r\nMessage-ID: <x@y>\r\n\r\nYes, agreed.\r\n"
		if _, err := Parse([]byte(raw), Limits{}); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Parse = %v; want ErrMalformed", name, err)
		}
	}
}
