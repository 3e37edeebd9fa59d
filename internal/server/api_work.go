package server

import (
	"net/http"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// The JSON API: payments, milestones, deliveries, files and messages.

func (s *Server) apiPayment(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		MilestoneID string `json:"milestone_id"`
		Amount      amount `json:"amount"`
		Reference   string `json:"reference"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, m, err := s.amountFor(r, f, "amount", in.Amount)
	if err != nil {
		return err
	}
	id, err := s.App.RecordPayment(r.Context(), f, e.ID, in.MilestoneID, m, in.Reference)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

func (s *Server) apiStart(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.StartMilestone(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiDeliver(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	did, files, err := s.deliver(w, r, f)
	if err != nil {
		return err
	}
	type out struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Size   int64  `json:"size"`
		SHA256 string `json:"sha256"`
	}
	res := []out{}
	for _, f := range files {
		res = append(res, out{f.ID, f.Name, f.Size, f.SHA256})
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": did, "files": res})
	return nil
}

func (s *Server) apiDelivery(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := e.Delivery(r.PathValue("did"))
	if d == nil {
		return accord.Errorf(accord.ENOTFOUND, "delivery.not_found")
	}
	writeJSON(w, http.StatusOK, viewDelivery(e, d, "/api/v1/engagements/"+e.ID, true, nil))
	return nil
}

func (s *Server) apiFile(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	kind := r.PathValue("kind")
	if kind != "original" && kind != "preview" {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}
	fc, err := s.App.File(r.Context(), f, r.PathValue("id"), r.PathValue("fid"), kind == "original", atoi(r.URL.Query().Get("page")))
	if err != nil {
		return err
	}
	serveFile(w, r, fc, kind == "original")
	return nil
}

func (s *Server) apiMessages(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	ms, err := s.App.MessagePage(r.Context(), f, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	writePage(w, "messages", viewMessages(ms.Items, s.App.Clock.Now()), ms)
	return nil
}

func (s *Server) apiSendMessage(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := s.App.SendMessage(r.Context(), f, r.PathValue("id"), in.Body, "api")
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if m.Held(s.App.Clock.Now()) {
		status = http.StatusAccepted
	}
	writeJSON(w, status, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) apiSendNow(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	m, err := s.App.SendNow(r.Context(), f, r.PathValue("id"), r.PathValue("mid"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) apiEditHeld(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := s.App.EditHeld(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) apiCancelHeld(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	if err := s.App.CancelHeld(r.Context(), f, r.PathValue("id"), r.PathValue("mid")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiResume(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	e, err := s.App.Resume(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiSettlement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	st, err := s.App.Settlement(r.Context(), f, r.PathValue("id"), r.URL.Query().Get("option"), r.URL.Query().Get("unused"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiTerminate(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Option string `json:"option"`
		Unused string `json:"unused"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.Terminate(r.Context(), f, r.PathValue("id"), in.Option, in.Unused)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiRefund(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Amount    amount `json:"amount"`
		Reference string `json:"reference"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, m, err := s.amountFor(r, f, "amount", in.Amount)
	if err != nil {
		return err
	}
	id, err := s.App.RecordRefund(r.Context(), f, e.ID, m, in.Reference)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

// amountFor reads an amount the request must carry as field, in the currency of the engagement
// it names.
func (s *Server) amountFor(r *http.Request, f app.Freelancer, field string, a amount) (*accord.Engagement, accord.Money, error) {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return nil, accord.Money{}, err
	}
	var v accord.Invalid
	m := a.money(field, e.Currency, &v)
	if a.raw == nil {
		v.Add(field, "field.amount", "currency", e.Currency)
	}
	return e, m, v.Err()
}

func (s *Server) apiQuotePaidChange(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Price   amount      `json:"price"`
		DueDate accord.Date `json:"due_date"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, price, err := s.amountFor(r, f, "price", in.Price)
	if err != nil {
		return err
	}
	if e, err = s.App.QuotePaidChange(r.Context(), f, e.ID, r.PathValue("mid"), price, in.DueDate); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiClassifyCause(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Cause  string   `json:"cause"`
		Terms  []string `json:"terms"`
		Events []int64  `json:"events"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.ClassifyCause(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), in.Cause, in.Terms, in.Events)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiRetrospective(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		WentWell    string `json:"went_well"`
		BriefMissed string `json:"brief_missed"`
		AskNext     string `json:"ask_next"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.WriteRetrospective(r.Context(), f, r.PathValue("id"), accord.Retrospective{WentWell: in.WentWell, BriefMissed: in.BriefMissed, AskNext: in.AskNext})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) apiMessageFile(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	fc, err := s.App.MessageFile(r.Context(), f, r.PathValue("id"), r.PathValue("mid"), r.PathValue("fid"))
	if err != nil {
		return err
	}
	serveFile(w, r, fc, true)
	return nil
}

func (s *Server) apiAnswerComment(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.AnswerComment(r.Context(), f, r.PathValue("id"), r.PathValue("cid"), in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewComment(*e.Comment(r.PathValue("cid"))))
	return nil
}
