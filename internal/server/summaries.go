package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

func (s *Server) apiWriteSummary(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Points []string `json:"points"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sum, err := s.App.WriteCallSummary(r.Context(), f, r.PathValue("id"), in.Points)
	if err != nil {
		return err
	}
	points := make([]map[string]string, len(sum.Points))
	for i, p := range sum.Points {
		points[i] = map[string]string{"id": p.ID, "text": p.Text}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": sum.ID, "points": points})
	return nil
}

func (s *Server) portalConfirmSummary(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Points map[string]accord.PointAnswer `json:"points"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	sum, err := s.App.AnswerCallSummary(r.Context(), c, r.PathValue("sid"), in.Points)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sum)
	return nil
}

// summaryLines are the points a freelancer typed into the page's one box, one a line.
func summaryLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// onePointsField puts every point's problem beside the page's one box of points, saying which.
func onePointsField(err error, l i18n.Locale, cat *i18n.Catalog) error {
	var e *accord.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		if n, ok := strings.CutPrefix(f.Field, "points["); ok {
			data := map[string]any{"num": atoi(strings.TrimSuffix(n, "]")) + 1, "problem": cat.In(l, f.Key, f.Data)}
			f = accord.FieldError{Field: "points", Key: "call_summary.point_problem", Data: data}
		}
		out.Fields = append(out.Fields, f)
	}
	return &out
}

func (s *Server) routesSummaryForms() {
	m := s.mux
	m.HandleFunc("POST /app/engagements/{id}/call-summaries", s.webForm("summary", back("summaries"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.WriteCallSummary(r.Context(), f, r.PathValue("id"), summaryLines(r.PostFormValue("points")))
		return done{Notice: s.Catalog.In(l, "notice.summary_sent", nil)}, onePointsField(err, l, s.Catalog)
	}))
	m.HandleFunc("POST /portal/call-summaries/{sid}/confirm", s.portalForm("summary", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		// A point's answer is the choice made; a correction typed with no choice is a correction,
		// and one typed beside "confirm" is both, which the domain refuses rather than drop it.
		answers := map[string]accord.PointAnswer{}
		for k := range r.PostForm {
			id, ok := strings.CutPrefix(k, "answer.")
			if !ok {
				id, ok = strings.CutPrefix(k, "correction.")
			}
			if !ok {
				continue
			}
			correction := r.PostFormValue("correction." + id)
			switch choice := r.PostFormValue("answer." + id); {
			case choice == "confirm":
				answers[id] = accord.PointAnswer{Confirmed: true, Correction: correction}
			case choice == "correct" || strings.TrimSpace(correction) != "":
				answers[id] = accord.PointAnswer{Correction: correction}
			}
		}
		_, err := s.App.AnswerCallSummary(r.Context(), c, r.PathValue("sid"), answers)
		return s.Catalog.In(c.Locale, "notice.summary_answered", nil), err
	}))
}
