package server_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// question is one brief question as the editor or the API holds it.
type question struct {
	Text     string
	Required bool
}

// editorForm is what a browser sends from the brief editor as the page shows it: every row's
// text and its ticked boxes, and the button pressed (name, value; none when name is "").
func editorForm(t *testing.T, p page, button, value string) url.Values {
	t.Helper()
	rows := regexp.MustCompile(`(?s)<textarea id="question-(\d+)" name="(questions\[\d+\]\.text)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(p.html, -1)
	if len(rows) == 0 {
		t.Fatalf("the page has no brief editor")
	}
	vals := url.Values{}
	for _, r := range rows {
		vals.Set(r[2], html.UnescapeString(r[3]))
		box := regexp.MustCompile(`<input type="checkbox" name="([^"]+)" id="required-` + r[1] + `"([^>]*)>`).FindStringSubmatch(p.html)
		if box != nil && strings.Contains(box[2], "checked") {
			vals.Set(box[1], "on")
		}
	}
	if button != "" {
		vals.Set(button, value)
	}
	return vals
}

// typedBrief is a brief editor's form with these rows and two empty ones, as a person fills it.
func typedBrief(qs []question) url.Values {
	vals := url.Values{}
	for i, q := range append(qs, question{}, question{}) {
		vals.Set(fmt.Sprintf("questions[%d].text", i), q.Text)
		if q.Required {
			vals.Set(fmt.Sprintf("questions[%d].required", i), "on")
		}
	}
	return vals
}

// editorRows are the rows the editor shows that hold a question.
func editorRows(t *testing.T, p page) []question {
	t.Helper()
	vals := editorForm(t, p, "", "")
	var out []question
	for i := 0; ; i++ {
		k := fmt.Sprintf("questions[%d]", i)
		if _, ok := vals[k+".text"]; !ok {
			return out
		}
		if vals.Get(k+".text") != "" {
			out = append(out, question{vals.Get(k + ".text"), vals.Get(k+".required") != ""})
		}
	}
}

// storedBrief is the brief's questions as the API returns them.
func storedBrief(h *harness, token, id string) []question {
	h.t.Helper()
	var out []question
	for _, q := range h.call("GET", "/api/v1/engagements/"+id+"/brief", token, nil, 200).json(h.t)["questions"].([]any) {
		m := q.(map[string]any)
		out = append(out, question{m["text"].(string), m["required"].(bool)})
	}
	return out
}

func sameQuestions(a, b []question) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}

// newDraft makes a client and a draft engagement through the API and returns the engagement id.
func newDraft(h *harness, token string) (client, id string) {
	h.t.Helper()
	client = h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(h.t)["id"].(string)
	id = h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": client, "title": "Brand book", "currency": "EUR"}, 201).json(h.t)["id"].(string)
	return client, id
}

// The brief editor takes any number of questions, removes and moves the right ones, stays open
// after the brief is sent until the client answers, and then refuses in the API's words.
func TestBriefEditor(t *testing.T) {
	for _, lang := range []string{"en", "ru", "bg"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			token := h.account("ana@studio.example")
			_, id := newDraft(h, token)
			b := h.browser(lang)
			b.login("ana@studio.example")
			path := "/app/engagements/" + id

			var qs []question
			for i := 1; i <= 8; i++ {
				qs = append(qs, question{fmt.Sprintf("Question %d?", i), i%3 == 1})
			}
			p := b.post(path+"/brief", typedBrief(qs))
			if got, want := noticeOn(p), cat.T(lang, "notice.brief_saved", map[string]any{"count": 8}); p.url != path || got != want {
				t.Fatalf("saving 8 questions: at %s, confirmation %q, want %q (%s)", p.url, got, want, alertOn(p))
			}
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Fatalf("stored %v, want %v", got, qs)
			}
			if got := editorRows(t, p); !sameQuestions(got, qs) {
				t.Errorf("the editor shows %v, want %v", got, qs)
			}

			p = b.post(path+"/brief", editorForm(t, p, "remove", "2"))
			qs = append(qs[:2:2], qs[3:]...)
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Fatalf("after removing the third: %v, want %v", got, qs)
			}
			if got, want := noticeOn(p), cat.T(lang, "notice.brief_saved", map[string]any{"count": 7}); got != want {
				t.Errorf("after removing: confirmation %q, want %q", got, want)
			}

			p = b.post(path+"/brief", editorForm(t, p, "move", "3:up"))
			qs[2], qs[3] = qs[3], qs[2]
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Fatalf("after moving the fourth up: %v, want %v", got, qs)
			}
			p = b.post(path+"/brief", editorForm(t, p, "move", "0:down"))
			qs[0], qs[1] = qs[1], qs[0]
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Fatalf("after moving the first down: %v, want %v", got, qs)
			}

			p = b.post(path+"/brief/send", nil)
			if got := h.call("GET", "/api/v1/engagements/"+id, token, nil, 200).json(t)["state"]; got != "brief_sent" {
				t.Fatalf("state %v after sending, want brief_sent", got)
			}
			if !strings.Contains(p.html, `id="brief-form"`) || !strings.Contains(p.text(), cat.T(lang, "eng.brief.editable_sent", nil)) {
				t.Fatalf("the brief is not editable once sent")
			}
			vals := editorForm(t, p, "", "")
			vals.Set("questions[0].text", "What is the goal, in one sentence?")
			qs[0].Text = "What is the goal, in one sentence?"
			b.post(path+"/brief", vals)
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Fatalf("an edit after sending: %v, want %v", got, qs)
			}

			answer(t, h, token, id)
			p = b.get(path)
			if strings.Contains(p.html, `id="brief-form"`) || strings.Contains(p.html, `action="`+path+`/brief"`) {
				t.Errorf("the editor is still offered after the client answered")
			}
			p = b.post(path+"/brief", typedBrief([]question{{"A new question?", true}}))
			want := cat.T(lang, "brief.answered", map[string]any{"state": "brief_received"})
			if p.url != path || !strings.Contains(p.text(), want) || noticeOn(p) != "" {
				t.Errorf("a save after the answer: at %s, %q missing (%s)", p.url, want, alertOn(p))
			}
			if got := storedBrief(h, token, id); !sameQuestions(got, qs) {
				t.Errorf("a refused save changed the brief: %v", got)
			}
		})
	}
}

// answer has the client answer every question through the portal.
func answer(t *testing.T, h *harness, token, id string) {
	t.Helper()
	link := h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": "maria@client.example"}, 201).json(t)["portal_token"].(string)
	session := h.call("POST", "/portal/api/session", "", map[string]string{"portal_token": link}, 201).json(t)["session"].(string)
	answers := map[string]string{}
	for _, q := range h.call("GET", "/api/v1/engagements/"+id+"/brief", token, nil, 200).json(t)["questions"].([]any) {
		answers[q.(map[string]any)["id"].(string)] = "An answer"
	}
	h.call("PUT", "/portal/api/brief", session, map[string]any{"answers": answers}, 200)
}

// A refused brief comes back with every row as typed and the problem beside its row.
func TestBriefRefusedKeepsEveryRow(t *testing.T) {
	for _, lang := range []string{"en", "ru", "bg"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			token := h.account("ana@studio.example")
			_, id := newDraft(h, token)
			b := h.browser(lang)
			b.login("ana@studio.example")
			h.call("PUT", "/api/v1/engagements/"+id+"/brief", token, map[string]any{"questions": []map[string]any{{"text": "Stored question?", "required": true}}}, 200)
			typed := []question{{"First?", true}, {strings.Repeat("я", 2001), false}, {"Third?", false}, {"Fourth?", true}}
			p := b.post("/app/engagements/"+id+"/brief", typedBrief(typed))
			if p.url != "/app/engagements/"+id || noticeOn(p) != "" {
				t.Fatalf("a refused brief: at %s, confirmation %q", p.url, noticeOn(p))
			}
			if got := editorRows(t, p); !sameQuestions(got, typed) {
				t.Errorf("the editor shows %d rows, want every typed row", len(got))
			}
			if got, want := p.problemAfter(t, "question-1"), cat.T(lang, "field.too_long", map[string]any{"max": 2000}); got != want {
				t.Errorf("beside the long question: %q, want %q", got, want)
			}
			for _, id := range []string{"question-0", "question-2", "question-3"} {
				if got := p.problemAfter(t, id); got != "" {
					t.Errorf("a good row #%s has a problem: %q", id, got)
				}
			}
			if strings.Contains(p.text(), "questions[1]") {
				t.Errorf("the page names the field by its path")
			}
			if got := storedBrief(h, token, id); !sameQuestions(got, []question{{"Stored question?", true}}) {
				t.Errorf("a refused save changed the brief: %v", got)
			}
		})
	}
}

// templateOption is the id of the dashboard's template option with this name.
func templateOption(t *testing.T, p page, name string) string {
	t.Helper()
	m := regexp.MustCompile(`<option value="([^"]+)"[^>]*>` + regexp.QuoteMeta(html.EscapeString(name)) + `</option>`).FindStringSubmatch(p.html)
	if m == nil {
		t.Fatalf("the dashboard offers no template %q", name)
	}
	return m[1]
}

// engagementFrom starts an engagement on the dashboard's form and returns the page it lands on.
func engagementFrom(b *browser, client, title, template string) page {
	return b.post("/app/engagements", url.Values{"client_id": {client}, "title": {title}, "currency": {"EUR"}, "template_id": {template}})
}

// A brief saved as a template starts a new engagement with the same questions; the starter
// templates give the catalog's questions in their language; an unknown template is refused.
func TestBriefTemplates(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	client, id := newDraft(h, token)
	b := h.browser("bg")
	b.login("ana@studio.example")
	qs := []question{{"Каква е целта?", true}, {"Кой е клиентът?", false}, {"Срокове?", true}}
	b.post("/app/engagements/"+id+"/brief", typedBrief(qs))
	p := b.post("/app/engagements/"+id+"/brief/template", url.Values{"template_name": {"Лого бриф"}})
	if got, want := noticeOn(p), cat.T("bg", "notice.template_saved", map[string]any{"name": "Лого бриф"}); got != want {
		t.Fatalf("saving the template: confirmation %q, want %q (%s)", got, want, alertOn(p))
	}
	tpl := templateOption(t, b.get("/app"), "Лого бриф")
	p = engagementFrom(b, client, "Второ лого", tpl)
	if !strings.HasPrefix(p.url, "/app/engagements/") || p.url == "/app/engagements/"+id {
		t.Fatalf("starting from the template ended at %s (%s)", p.url, alertOn(p))
	}
	if got, want := noticeOn(p), cat.T("bg", "notice.engagement_created", map[string]any{"title": "Второ лого"}); got != want {
		t.Errorf("confirmation %q, want %q", got, want)
	}
	if got := storedBrief(h, token, strings.TrimPrefix(p.url, "/app/engagements/")); !sameQuestions(got, qs) {
		t.Errorf("the new engagement's brief is %v, want the template's %v", got, qs)
	}

	p = engagementFrom(b, client, "Трето", "starter-bg")
	var starter []question
	for i := 1; i <= 9; i++ {
		starter = append(starter, question{cat.T("bg", fmt.Sprintf("brief.starter.q%d", i), nil), i <= 3})
	}
	if got := storedBrief(h, token, strings.TrimPrefix(p.url, "/app/engagements/")); !sameQuestions(got, starter) {
		t.Errorf("the Bulgarian starter gives %v, want %v", got, starter)
	}
	if got := editorRows(t, p); !sameQuestions(got, starter) {
		t.Errorf("the editor shows %v, want the starter's questions", got)
	}

	before := len(h.call("GET", "/api/v1/engagements", token, nil, 200).json(t)["engagements"].([]any))
	p = engagementFrom(b, client, "Четвърто", "tpl_nothing")
	if p.url != "/app" || noticeOn(p) != "" {
		t.Fatalf("an unknown template: at %s, confirmation %q", p.url, noticeOn(p))
	}
	if got, want := p.problemAfter(t, "eng-template"), cat.T("bg", "brief_template.not_found", nil); got != want {
		t.Errorf("beside the template: %q, want %q", got, want)
	}
	if got := p.value(t, "eng-title"); got != "Четвърто" {
		t.Errorf("the title holds %q, want what was typed", got)
	}
	if after := len(h.call("GET", "/api/v1/engagements", token, nil, 200).json(t)["engagements"].([]any)); after != before {
		t.Errorf("a refused engagement was made: %d engagements, want %d", after, before)
	}
}

// Move and remove name the rows as they are shown, empty ones included.
func TestBriefMovesRowsAsShown(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	id := h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Brand book", "currency": "EUR"}, 201).json(t)["id"].(string)
	b := h.browser("en")
	b.login("ana@studio.example")
	rows := url.Values{"move": {"3:up"}}
	for i, q := range []string{"Q1", "", "Q3", "Q4", "Q5"} {
		rows.Set(fmt.Sprintf("questions[%d].text", i), q)
	}
	b.post("/app/engagements/"+id+"/brief", rows)
	var got []string
	for _, q := range h.call("GET", "/api/v1/engagements/"+id+"/brief", token, nil, 200).json(t)["questions"].([]any) {
		got = append(got, q.(map[string]any)["text"].(string))
	}
	if want := []string{"Q1", "Q4", "Q3", "Q5"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("after moving row 4 (Q4) up past an empty row: %v, want %v", got, want)
	}
}
