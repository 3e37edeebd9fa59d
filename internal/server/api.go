package server

import (
	"net/http"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/openapi"
)

// routesAPI is the JSON API's route table; the handlers live in a file per resource.
func (s *Server) routesAPI() {
	m := s.mux
	m.HandleFunc("POST /api/v1/auth/signup", s.public(s.apiSignup))
	m.HandleFunc("POST /api/v1/auth/tokens", s.public(s.apiToken))
	m.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openapi.Document())
	})
	m.HandleFunc("POST /api/v1/clients", s.api(s.apiCreateClient))
	m.HandleFunc("GET /api/v1/clients", s.api(s.apiClients))
	m.HandleFunc("GET /api/v1/clients/{id}", s.api(s.apiClient))
	m.HandleFunc("POST /api/v1/clients/{id}/red-flags", s.api(s.apiFlagClient))
	m.HandleFunc("POST /api/v1/clients/{id}/trust", s.api(s.apiTrustClient))
	m.HandleFunc("POST /api/v1/engagements", s.api(s.apiCreateEngagement))
	m.HandleFunc("GET /api/v1/engagements", s.api(s.apiEngagements))
	m.HandleFunc("GET /api/v1/engagements/{id}", s.api(s.apiEngagement))
	m.HandleFunc("POST /api/v1/engagements/{id}/invitations", s.api(s.apiInvite))
	m.HandleFunc("GET /api/v1/engagements/{id}/brief", s.api(s.apiBrief))
	m.HandleFunc("PUT /api/v1/engagements/{id}/brief", s.api(s.apiWriteBrief))
	m.HandleFunc("POST /api/v1/engagements/{id}/brief/send", s.api(s.apiSendBrief))
	m.HandleFunc("POST /api/v1/engagements/{id}/agreements", s.api(s.apiWriteAgreement))
	m.HandleFunc("GET /api/v1/engagements/{id}/agreements/{version}", s.api(s.apiAgreement))
	m.HandleFunc("POST /api/v1/engagements/{id}/agreements/{version}/propose", s.api(s.apiPropose))
	m.HandleFunc("POST /api/v1/engagements/{id}/payments", s.api(s.apiPayment))
	m.HandleFunc("POST /api/v1/engagements/{id}/info-requests", s.api(s.apiRequestInfo))
	m.HandleFunc("POST /api/v1/engagements/{id}/milestones/{mid}/start", s.api(s.apiStart))
	m.HandleFunc("POST /api/v1/engagements/{id}/milestones/{mid}/paid-change", s.api(s.apiQuotePaidChange))
	m.HandleFunc("POST /api/v1/engagements/{id}/milestones/{mid}/cause", s.api(s.apiClassifyCause))
	m.HandleFunc("POST /api/v1/engagements/{id}/resume", s.api(s.apiResume))
	m.HandleFunc("GET /api/v1/engagements/{id}/settlement", s.api(s.apiSettlement))
	m.HandleFunc("POST /api/v1/coach/check", s.api(s.apiCoachCheck))
	m.HandleFunc("POST /api/v1/engagements/{id}/terminate", s.api(s.apiTerminate))
	m.HandleFunc("POST /api/v1/engagements/{id}/retrospective", s.api(s.apiRetrospective))
	m.HandleFunc("POST /api/v1/engagements/{id}/refunds", s.api(s.apiRefund))
	s.handleUpload("POST /api/v1/engagements/{id}/milestones/{mid}/deliveries", s.api(s.apiDeliver))
	m.HandleFunc("GET /api/v1/engagements/{id}/deliveries/{did}", s.api(s.apiDelivery))
	m.HandleFunc("POST /api/v1/engagements/{id}/comments/{cid}/answers", s.api(s.apiAnswerComment))
	m.HandleFunc("GET /api/v1/engagements/{id}/files/{fid}/{kind}", s.api(s.apiFile))
	m.HandleFunc("GET /api/v1/engagements/{id}/events", s.api(s.apiEvents))
	m.HandleFunc("GET /api/v1/engagements/{id}/messages", s.api(s.apiMessages))
	m.HandleFunc("POST /api/v1/engagements/{id}/messages", s.api(s.apiSendMessage))
	m.HandleFunc("POST /api/v1/engagements/{id}/messages/{mid}/send-now", s.api(s.apiSendNow))
	m.HandleFunc("PUT /api/v1/engagements/{id}/messages/{mid}", s.api(s.apiEditHeld))
	m.HandleFunc("POST /api/v1/engagements/{id}/messages/{mid}/cancel", s.api(s.apiCancelHeld))
	m.HandleFunc("GET /api/v1/engagements/{id}/messages/{mid}/files/{fid}", s.api(s.apiMessageFile))
	m.HandleFunc("GET /api/v1/outbox", s.api(s.apiOutbox))
	m.HandleFunc("GET /api/v1/record", s.api(s.apiRecord))
	m.HandleFunc("GET /api/v1/record/check", s.api(s.apiCheckRecord))
	m.HandleFunc("GET /api/v1/engagements/{id}/evidence", s.api(s.sendEvidence))
	m.HandleFunc("POST /api/v1/engagements/{id}/call-summaries", s.api(s.apiWriteSummary))
	m.HandleFunc("POST /api/v1/test-clock/advance", s.public(s.apiAdvanceClock))
	m.HandleFunc("/api/", s.public(func(w http.ResponseWriter, r *http.Request) error {
		return accord.Errorf(accord.ENOTFOUND, "error.not_found")
	}))
}
