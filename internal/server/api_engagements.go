package server

import (
	"net/http"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// The JSON API: engagements, briefs, the record, the outbox and the test clock.

func (s *Server) apiCreateEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		ClientID string `json:"client_id"`
		Title    string `json:"title"`
		Currency string `json:"currency"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.CreateEngagement(r.Context(), f, in.ClientID, in.Title, in.Currency)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": e.ID, "state": string(e.State)})
	return nil
}

func (s *Server) apiEngagements(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	es, err := s.App.EngagementPage(r.Context(), f, p)
	if err != nil {
		return err
	}
	out := []engagementView{}
	for _, e := range es.Items {
		out = append(out, viewEngagement(e))
	}
	writePage(w, "engagements", out, es)
	return nil
}

func (s *Server) apiEngagement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := viewEngagement(e)
	if v.ReplyAddress, err = s.App.EngagementReplyAddress(r.Context(), f.WorkspaceID, e.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	inv, err := s.App.Invite(r.Context(), f, r.PathValue("id"), in.Email)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"portal_url": inv.URL, "portal_token": inv.Token, "expires_at": inv.ExpiresAt})
	return nil
}

func briefView(e *accord.Engagement) map[string]any {
	answers := e.Brief.Answers
	if answers == nil {
		answers = map[string]string{}
	}
	qs := e.Brief.Questions
	if qs == nil {
		qs = []accord.Question{}
	}
	return map[string]any{"questions": qs, "answers": answers, "state": e.State}
}

func (s *Server) apiBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) apiWriteBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Questions []accord.Question `json:"questions"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.WriteBrief(r.Context(), f, r.PathValue("id"), in.Questions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) apiSendBrief(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.SendBrief(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	evs, err := s.App.EventPage(r.Context(), f.WorkspaceID, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	writePage(w, "events", viewEvents(evs.Items), evs)
	return nil
}

func (s *Server) apiOutbox(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	ms, err := s.App.MailPage(r.Context(), f, p)
	if err != nil {
		return err
	}
	if ms.Items == nil {
		ms.Items = []accord.Mail{}
	}
	writePage(w, "messages", ms.Items, ms)
	return nil
}

// apiAdvanceClock moves the test clock for a freelancer; without --test-clock the route is not
// there at all (404, before any credential is asked for).
func (s *Server) apiAdvanceClock(w http.ResponseWriter, r *http.Request) error {
	if s.TestClock == nil {
		return accord.Errorf(accord.ENOTFOUND, "error.test_clock_off")
	}
	if _, err := s.freelancerOf(r); err != nil {
		return err
	}
	var in struct {
		Duration string `json:"duration"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	d, err := time.ParseDuration(in.Duration)
	if err != nil || d < 0 {
		var v accord.Invalid
		v.Add("duration", "error.duration")
		return v.Err()
	}
	now, err := s.App.AdvanceClock(r.Context(), s.TestClock, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"now": now})
	return nil
}
