package server_test

import (
	"strings"
	"testing"
)

// The coach through the API: each language's categories with rune offsets, the message and the
// suggestion in the reader's language; an unknown language is refused.
func TestCoachThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cases := []struct {
		lang, text, want, span string
	}{
		{"en", "Thanks. You obviously ignored my notes.", "accusation", "You obviously ignored"},
		{"ru", "Спасибо. Вы опять проигнорировали мои правки.", "accusation", "Вы опять проигнорировали"},
		{"bg", "Благодаря. НЕ ПРОЧЕТОХТЕ брифа.", "shouting", "НЕ ПРОЧЕТОХТЕ"},
	}
	for _, c := range cases {
		r := h.callLang("POST", "/api/v1/coach/check", token, "ru", map[string]any{"text": c.text, "language": c.lang}, 200).json(t)
		fs := r["findings"].([]any)
		if len(fs) != 1 {
			t.Fatalf("%s: findings %v, want one %s", c.lang, fs, c.want)
		}
		f := fs[0].(map[string]any)
		start, end := int(f["start"].(float64)), int(f["end"].(float64))
		if f["category"] != c.want || string([]rune(c.text)[start:end]) != c.span {
			t.Errorf("%s: %v spans %q, want %s over %q", c.lang, f["category"], string([]rune(c.text)[start:end]), c.want, c.span)
		}
		if f["message"] != cat.T("ru", "coach."+c.want+".message", nil) || f["suggestion"] != cat.T("ru", "coach."+c.want+".suggestion", nil) {
			t.Errorf("%s: not worded for a Russian reader: %v", c.lang, f)
		}
	}
	r := h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "Noted.", "language": "en", "reply_to_complaint": true}, 200).json(t)
	var cats []string
	for _, f := range r["findings"].([]any) {
		cats = append(cats, f.(map[string]any)["category"].(string))
	}
	if strings.Join(cats, ",") != "no_acknowledgement,no_paraphrase,no_option" {
		t.Errorf("a curt reply to a complaint: %v", cats)
	}
	h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "Hallo", "language": "de"}, 422)
	h.call("POST", "/api/v1/coach/check", token, map[string]any{"text": "", "language": "en"}, 422)
	h.call("POST", "/api/v1/coach/check", "", map[string]any{"text": "Hi", "language": "en"}, 401)
}
