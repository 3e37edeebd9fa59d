package accord

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Brief is the set of questions the client answers before any agreement.
type Brief struct {
	Questions  []Question        `json:"questions"`
	Answers    map[string]string `json:"answers,omitempty"`
	SentAt     time.Time         `json:"sent_at,omitzero"`
	AnsweredAt time.Time         `json:"answered_at,omitzero"`
}

// Question is one question of a brief.
type Question struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Required bool   `json:"required"`
}

// WriteBrief sets the brief's questions; the brief can change until the client answers it.
func (e *Engagement) WriteBrief(c Cmd, qs []Question) error {
	if e.State != Draft && e.State != BriefSent {
		return Errorf(ECONFLICT, "brief.answered", "state", string(e.State))
	}
	qs = slices.Clone(qs)
	var v Invalid
	if len(qs) == 0 || len(qs) > 100 {
		v.Add("questions", "brief.questions_count", "max", 100)
	}
	seen := map[string]bool{}
	for i, q := range qs {
		f := fmt.Sprintf("questions[%d]", i)
		q.ID = strings.TrimSpace(q.ID)
		if q.ID == "" {
			q.ID = fmt.Sprintf("q%d", i+1)
			qs[i].ID = q.ID
		}
		if seen[q.ID] || len(q.ID) > 64 || !simpleID(q.ID) {
			v.Add(f+".id", "brief.question_id")
		}
		seen[q.ID] = true
		qs[i].Text = v.Text(f+".text", q.Text, true, 2000)
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, BriefWritten{Questions: qs})
	return nil
}

// SendBrief asks the client to answer the brief.
func (e *Engagement) SendBrief(c Cmd) error {
	if e.State != Draft {
		return Errorf(ECONFLICT, "brief.not_draft", "state", string(e.State))
	}
	if len(e.Brief.Questions) == 0 {
		return Errorf(ECONFLICT, "brief.empty")
	}
	e.record(c, BriefSentToClient{})
	return nil
}

// AnswerBrief records the client's answers; every required question needs one.
func (e *Engagement) AnswerBrief(c Cmd, answers map[string]string) error {
	if e.State != BriefSent && e.State != BriefReceived {
		return Errorf(ECONFLICT, "brief.not_open", "state", string(e.State))
	}
	var v Invalid
	clean := map[string]string{}
	known := map[string]bool{}
	for _, q := range e.Brief.Questions {
		known[q.ID] = true
		a := v.Text("answers."+q.ID, answers[q.ID], false, 20000)
		if a == "" && q.Required && PlainText(answers[q.ID]) {
			v.Add("answers."+q.ID, "brief.answer_required", "question", q.Text)
		}
		if a != "" {
			clean[q.ID] = a
		}
	}
	for id := range answers {
		if !known[id] {
			v.Add("answers."+id, "brief.unknown_question")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, BriefAnswered{Answers: clean})
	return nil
}

// simpleID reports whether id is made of letters, digits, '-', '_' and '.': it becomes part of
// form field names and JSON keys.
func simpleID(id string) bool {
	for _, r := range id {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.", r) {
			return false
		}
	}
	return true
}
