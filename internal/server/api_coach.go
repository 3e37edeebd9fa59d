package server

import (
	"bytes"
	"cmp"
	"net/http"
	"slices"
	"time"

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

// coachView is what the coach found in a text, for a page: the text in segments, the found
// ones marked with their category, and the findings in words.
type coachView struct {
	L        i18n.Locale
	Segments []segment
	Findings []finding
}

type segment struct{ Text, Category string }

// viewCoach checks text written in lang and lays it out for a reader in l.
func (s *Server) viewCoach(l i18n.Locale, text, lang string, complaint bool) coachView {
	v := coachView{L: l, Findings: s.coachFindings(l, text, lang, complaint)}
	rs := []rune(text)
	at := 0
	for _, f := range v.Findings {
		if f.End <= f.Start || f.Start < at { // nothing to mark, or overlapping one marked already
			continue
		}
		if f.Start > at {
			v.Segments = append(v.Segments, segment{Text: string(rs[at:f.Start])})
		}
		v.Segments = append(v.Segments, segment{Text: string(rs[f.Start:f.End]), Category: f.Category})
		at = f.End
	}
	if at < len(rs) {
		v.Segments = append(v.Segments, segment{Text: string(rs[at:])})
	}
	return v
}

// replyContext is how the coach reads a freelancer's reply on an engagement: in the client's
// language, and as a reply to a complaint while work sent back waits or the cooling-off runs.
func (s *Server) replyContext(e *accord.Engagement, c accord.Client, now time.Time) (lang string, complaint bool) {
	complaint = now.Before(e.CoolingOffUntil)
	for _, m := range e.Milestones {
		complaint = complaint || m.State == accord.MilestoneChangesRequested
	}
	return cmp.Or(c.Language, "en"), complaint
}

// webCoach answers the message form's script with what the coach finds, as a piece of page.
func (s *Server) webCoach(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := s.App.Client(r.Context(), f, e.ClientID)
	if err != nil {
		return err
	}
	lang, complaint := s.replyContext(e, c, s.App.Clock.Now())
	text := r.PostFormValue("body")
	if len(text) > 20000 {
		text = text[:20000]
	}
	var b bytes.Buffer
	if err := s.pages.sets["engagement"].ExecuteTemplate(&b, "coach", s.viewCoach(p.L, text, lang, complaint)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	b.WriteTo(w)
	return nil
}
