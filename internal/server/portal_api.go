package server

import (
	"net/http"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

func (s *Server) routesPortalAPI() {
	m := s.mux
	m.HandleFunc("POST /portal/api/session", s.public(s.portalSession))
	m.HandleFunc("GET /portal/api/engagement", s.portalAPI(s.portalEngagement))
	m.HandleFunc("GET /portal/api/brief", s.portalAPI(s.portalBrief))
	m.HandleFunc("PUT /portal/api/brief", s.portalAPI(s.portalAnswerBrief))
	m.HandleFunc("GET /portal/api/agreement", s.portalAPI(s.portalAgreement))
	m.HandleFunc("POST /portal/api/agreement/{version}/accept", s.portalAPI(s.portalAccept))
	m.HandleFunc("POST /portal/api/agreement/{version}/decline", s.portalAPI(s.portalDecline))
	m.HandleFunc("POST /portal/api/info-requests/{rid}/answer", s.portalAPI(s.portalAnswerInfo))
	m.HandleFunc("GET /portal/api/deliveries", s.portalAPI(s.portalDeliveries))
	m.HandleFunc("GET /portal/api/deliveries/{did}", s.portalAPI(s.portalDelivery))
	m.HandleFunc("POST /portal/api/deliveries/{did}/accept", s.portalAPI(s.portalAcceptDelivery))
	m.HandleFunc("POST /portal/api/deliveries/{did}/request-changes", s.portalAPI(s.portalRequestChanges))
	m.HandleFunc("POST /portal/api/milestones/{mid}/paid-change/accept", s.portalAPI(s.portalPaidChange(true)))
	m.HandleFunc("POST /portal/api/milestones/{mid}/choose", s.portalAPI(s.portalChooseOption))
	m.HandleFunc("POST /portal/api/milestones/{mid}/paid-change/decline", s.portalAPI(s.portalPaidChange(false)))
	m.HandleFunc("GET /portal/api/files/{fid}/{kind}", s.portalAPI(s.portalFile))
	m.HandleFunc("POST /portal/api/files/{fid}/comments", s.portalAPI(s.portalPinCommentAPI))
	m.HandleFunc("GET /portal/api/messages", s.portalAPI(s.portalMessages))
	m.HandleFunc("GET /portal/api/record", s.portalAPI(s.portalRecord))
	m.HandleFunc("POST /portal/api/call-summaries/{sid}/confirm", s.portalAPI(s.portalConfirmSummary))
	m.HandleFunc("POST /portal/api/messages", s.portalAPI(s.portalSendMessage))
	m.HandleFunc("/portal/api/", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}))
}

func (s *Server) portalSession(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		PortalToken string `json:"portal_token"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	secret, expires, err := s.App.OpenPortal(r.Context(), in.PortalToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"session": secret, "expires_at": expires})
	return nil
}

func (s *Server) portalEngagement(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, ws, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	v := viewEngagement(e)
	v.WorkspaceName = ws.Name
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) portalBrief(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) portalAnswerBrief(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Answers map[string]string `json:"answers"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.AnswerBrief(r.Context(), c, in.Answers)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, briefView(e))
	return nil
}

func (s *Server) portalAgreement(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	a := e.Proposed()
	if a == nil {
		a = e.Accepted()
	}
	if a == nil {
		return accord.Errorf(accord.ENOTFOUND, "agreement.nothing_proposed", "state", string(e.State))
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) portalAnswerInfo(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.AnswerInfo(r.Context(), c, r.PathValue("rid"), in.Text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

// portalPaidChange is the client's answer to a change priced beyond the revisions.
func (s *Server) portalPaidChange(accept bool) func(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	return func(w http.ResponseWriter, r *http.Request, c app.Contact) error {
		e, err := s.App.AnswerPaidChange(r.Context(), c, r.PathValue("mid"), accept)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, viewEngagement(e))
		return nil
	}
}

func (s *Server) portalChooseOption(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Option string `json:"option"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.ChooseOption(r.Context(), c, r.PathValue("mid"), in.Option)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) portalDecline(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	e, err := s.App.DeclineAgreement(r.Context(), c, v)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) portalAccept(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	v, err := version(r)
	if err != nil {
		return err
	}
	var in struct {
		AcknowledgedTerms []string `json:"acknowledged_terms"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.AcceptAgreement(r.Context(), c, v, in.AcknowledgedTerms)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) portalDeliveries(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	out := []deliveryView{}
	for i := range e.Deliveries {
		out = append(out, viewDelivery(e, &e.Deliveries[i], "/portal/api", false, s.originalSigner(e)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": out})
	return nil
}

func (s *Server) portalDelivery(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	d := e.Delivery(r.PathValue("did"))
	if d == nil {
		return accord.Errorf(accord.ENOTFOUND, "delivery.not_found")
	}
	writeJSON(w, http.StatusOK, viewDelivery(e, d, "/portal/api", false, s.originalSigner(e)))
	return nil
}

func (s *Server) portalAcceptDelivery(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	e, err := s.App.AcceptDelivery(r.Context(), c, r.PathValue("did"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) portalRequestChanges(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		WhatIsWrong   string `json:"what_is_wrong"`
		DesiredResult string `json:"desired_result"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	e, err := s.App.RequestChanges(r.Context(), c, r.PathValue("did"), in.WhatIsWrong, in.DesiredResult)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewEngagement(e))
	return nil
}

func (s *Server) portalFile(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	kind := r.PathValue("kind")
	if kind != "original" && kind != "preview" {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}
	fc, err := s.App.PortalFile(r.Context(), c, r.PathValue("fid"), kind == "original", atoi(r.URL.Query().Get("page")), linkOf(r))
	if err != nil {
		return err
	}
	serveFile(w, r, fc, kind == "original")
	return nil
}

func (s *Server) portalMessages(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	ms, err := s.App.ClientMessagePage(r.Context(), c, p)
	if err != nil {
		return err
	}
	writePage(w, "messages", viewMessages(ms.Items, s.App.Clock.Now()), ms)
	return nil
}

func (s *Server) portalSendMessage(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	m, err := s.App.SendClientMessage(r.Context(), c, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": m.ID, "send_at": m.SendAt})
	return nil
}

func (s *Server) portalPinCommentAPI(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	var in struct {
		Page int          `json:"page"`
		Spot *accord.Spot `json:"spot"`
		Text string       `json:"text"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	id, err := s.App.PinComment(r.Context(), c, r.PathValue("fid"), in.Page, in.Spot, in.Text)
	if err != nil {
		return err
	}
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewComment(*e.Comment(id)))
	return nil
}
