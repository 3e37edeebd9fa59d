package server_test

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/accordapp/accord/internal/i18n"
)

// pdfText is a PDF's text as pdftotext reads it; without pdftotext the test is skipped, but
// not in CI, where poppler-utils is installed.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing; it is mandatory in CI: apt-get install poppler-utils")
		}
		t.Skip("pdftotext is missing, so the PDF's text is not checked; apt-get install poppler-utils fixes it")
	}
	cmd := exec.Command("pdftotext", "-raw", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
}

// The invoice's PDF, as the client reads it in English, Russian and Bulgarian: its title, both
// parties, the line, the tax split and what to pay, Cyrillic intact; the same words as its page.
func TestInvoicePDFInEveryLanguage(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	fb := h.browser("en")
	fb.login("ana@studio.example")
	if p := fb.post("/app/settings/billing", map[string][]string{"legal_name": {"Анна Петрова ЕТ"}, "address": {"бул. Витоша 1, София"}, "tax_rate": {"20"}}); !strings.Contains(p.text(), "saved") {
		t.Fatalf("billing: %s", p.text())
	}
	id, session, _ := h.agreed(token, "1000.00")
	inv := h.call("GET", "/portal/api/invoices", session, nil, 200).json(t)["invoices"].([]any)[0].(map[string]any)
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	for _, lang := range []string{"en", "ru", "bg"} {
		t.Run(lang, func(t *testing.T) {
			c.post("/portal/language", map[string][]string{"language": {lang}})
			r := c.get("/portal/invoices/" + inv["id"].(string) + "/pdf")
			if r.status != 200 || r.ctype != "application/pdf" {
				t.Fatalf("the PDF: %d %s %.200s", r.status, r.ctype, r.html)
			}
			text := pdfText(t, []byte(r.html))
			T := func(key string, kv ...any) string {
				data := map[string]any{}
				for i := 0; i+1 < len(kv); i += 2 {
					data[kv[i].(string)] = kv[i+1]
				}
				return strings.ReplaceAll(cat.In(i18n.Locale{Lang: lang}, key, data), "\u00a0", " ")
			}
			for _, want := range []string{
				T("invoice.title.prepayment", "number", "INV-2026-0001"), "Анна Петрова ЕТ", "бул. Витоша 1, София", "Maria",
				T("invoice.line.prepayment", "n", 1, "title", "Part A", "percent", 50), T("invoice.total.net"), T("invoice.total.tax", "rate", "20"),
				T("invoice.total.gross"), T("invoice.reference"), "INV-2026-0001",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the %s PDF lacks %q:\n%s", lang, want, text)
				}
			}
			page := c.get("/portal/invoices/" + inv["id"].(string)).text()
			for _, amount := range []string{"416", "83", "500"} {
				if !strings.Contains(text, amount) || !strings.Contains(page, amount) {
					t.Errorf("the %s PDF or page lacks the amount %s", lang, amount)
				}
			}
		})
	}
	// A receipt, in Bulgarian.
	ms := h.call("GET", "/api/v1/engagements/"+id, token, nil, 200).json(t)["milestones"].([]any)
	pid := h.call("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0].(map[string]any)["id"], "amount": "500.00", "reference": "SEPA 7"}, 201).json(t)["id"].(string)
	c.post("/portal/language", map[string][]string{"language": {"bg"}})
	r := c.get("/portal/receipts/" + pid + "/pdf")
	if r.status != 200 || r.ctype != "application/pdf" {
		t.Fatalf("the receipt's PDF: %d %s", r.status, r.ctype)
	}
	text := pdfText(t, []byte(r.html))
	bg := func(key string, kv map[string]any) string {
		return strings.ReplaceAll(cat.In(i18n.Locale{Lang: "bg"}, key, kv), "\u00a0", " ")
	}
	for _, want := range []string{bg("receipt.title", map[string]any{"amount": "500,00 €"}), bg("receipt.line.payment", map[string]any{"n": 1, "title": "Part A"}),
		"SEPA 7", "Анна Петрова ЕТ", bg("receipt.note.invoice", map[string]any{"number": "INV-2026-0001"})} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt's PDF lacks %q:\n%s", want, text)
		}
	}

	if r := h.request("GET", inv["pdf_url"].(string), session, "", nil); r.status != 200 || r.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the portal API's pdf_url: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if r := h.request("GET", inv["pdf_url"].(string), "", "", nil); r.status != 401 {
		t.Errorf("the PDF without credentials: %d", r.status)
	}
}
