package server

import (
	"net/http"
	"slices"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/coach"
	"github.com/accordapp/accord/internal/i18n"
)

// finding is one thing the coach found, with what it means and what to write instead, in the
// reader's language.
type finding struct {
	Category   string `json:"category"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
}

// coachFindings checks a reply and words what it found for a reader in l.
func (s *Server) coachFindings(l i18n.Locale, text, lang string, complaint bool) []finding {
	out := []finding{}
	for _, f := range coach.Check(text, lang, complaint) {
		out = append(out, finding{Category: f.Category, Start: f.Start, End: f.End,
			Message:    s.Catalog.In(l, "coach."+f.Category+".message", nil),
			Suggestion: s.Catalog.In(l, "coach."+f.Category+".suggestion", nil)})
	}
	return out
}

func (s *Server) apiCoachCheck(w http.ResponseWriter, r *http.Request, _ app.Freelancer) error {
	var in struct {
		Text             string `json:"text"`
		Language         string `json:"language"`
		ReplyToComplaint bool   `json:"reply_to_complaint"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	var v accord.Invalid
	in.Text = v.Text("text", in.Text, true, 20000)
	if !slices.Contains(coach.Languages, in.Language) {
		v.Add("language", "coach.language")
	}
	if err := v.Err(); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": s.coachFindings(i18n.Locale{Lang: s.lang(r)}, in.Text, in.Language, in.ReplyToComplaint)})
	return nil
}
