package server

import (
	"net/http"
	"strconv"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// The JSON API: agreements, their versions and information requests.

// agreementIn is the agreement as the API takes it. The numbers are pointers so that a missing
// or null one is refused as required rather than taken as 0.
type agreementIn struct {
	Scope        string               `json:"scope"`
	Deliverables []accord.Deliverable `json:"deliverables"`
	Milestones   []struct {
		Title             string `json:"title"`
		DueDate           string `json:"due_date"`
		Price             amount `json:"price"`
		PrepaymentPercent *int   `json:"prepayment_percent"`
	} `json:"milestones"`
	Revisions      *int   `json:"revisions"`
	KillFeePercent *int   `json:"kill_fee_percent"`
	ResponseDays   *int   `json:"response_days"`
	ReviewDays     *int   `json:"review_days"`
	Channel        string `json:"channel"`
	ReportCadence  string `json:"report_cadence"`
}

func (in agreementIn) agreement(currency string) (accord.Agreement, error) {
	var v accord.Invalid
	a := accord.Agreement{Scope: in.Scope, Deliverables: in.Deliverables,
		Revisions: required(&v, "revisions", in.Revisions), KillFeePercent: required(&v, "kill_fee_percent", in.KillFeePercent),
		ResponseDays: required(&v, "response_days", in.ResponseDays), ReviewDays: required(&v, "review_days", in.ReviewDays),
		Channel: in.Channel, ReportCadence: in.ReportCadence}
	for i, m := range in.Milestones {
		f := "milestones[" + strconv.Itoa(i) + "]"
		price := accord.Money{Currency: currency}
		if m.Price.raw != nil {
			price = m.Price.money(f+".price", currency, &v)
		}
		a.Milestones = append(a.Milestones, accord.MilestonePlan{Title: m.Title, DueDate: accord.Date(m.DueDate),
			Price: price, PrepaymentPercent: required(&v, f+".prepayment_percent", m.PrepaymentPercent)})
	}
	return a, v.Err()
}

// required returns the number sent for field, noting it as required when it was missing or null.
func required(v *accord.Invalid, field string, n *int) int {
	if n == nil {
		v.Add(field, "field.required")
		return 0
	}
	return *n
}

func (s *Server) apiWriteAgreement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in agreementIn
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	ag, err := in.agreement(e.Currency)
	if err != nil { // the body's own problems, and the rules' for the other fields: all at once
		var v accord.Invalid
		v.Merge(err)
		v.Merge(e.CheckAgreement(accord.Cmd{Now: s.App.Clock.Now(), Zone: f.Zone}, ag))
		return v.Err()
	}
	a, err := s.App.WriteAgreement(r.Context(), f, e.ID, ag)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Server) apiRequestInfo(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Title   string   `json:"title"`
		DueDate string   `json:"due_date"`
		Blocks  []string `json:"blocks"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id, err := s.App.RequestInfo(r.Context(), f, r.PathValue("id"), in.Title, accord.Date(in.DueDate), in.Blocks)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id})
	return nil
}

func version(r *http.Request) (int, error) {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v < 1 {
		return 0, accord.Errorf(accord.ENOTFOUND, "agreement.not_found", "version", r.PathValue("version"))
	}
	return v, nil
}

func (s *Server) apiAgreement(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	a := e.Agreement(v)
	if a == nil {
		return accord.Errorf(accord.ENOTFOUND, "agreement.not_found", "version", v)
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) apiPropose(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	e, err := s.App.ProposeAgreement(r.Context(), f, r.PathValue("id"), v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}
