package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

var statusOf = map[string]int{
	accord.EMALFORMED:    http.StatusBadRequest,
	accord.EUNAUTHORIZED: http.StatusUnauthorized,
	accord.EPAYMENT:      http.StatusPaymentRequired,
	accord.EFORBIDDEN:    http.StatusForbidden,
	accord.ENOTFOUND:     http.StatusNotFound,
	accord.ECONFLICT:     http.StatusConflict,
	accord.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	accord.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	accord.EINVALID:      http.StatusUnprocessableEntity,
	accord.ERATELIMIT:    http.StatusTooManyRequests,
	accord.EINTERNAL:     http.StatusInternalServerError,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []fieldError `json:"fields,omitempty"`
	// Summary is Message without the fields' problems, for a page that shows each beside its field.
	Summary string `json:"-"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Beside is what a page shows next to the field when the message repeats what is there
	// already (a term's or a question's own text); empty: the message.
	Beside string `json:"-"`
}

// describe turns any error into what a person is shown, in their language; errors that are not
// Accord's own are logged and shown as internal, with a reference to find them in the log.
func (s *Server) describe(r *http.Request, err error) (int, errorDetail) {
	return s.describeIn(r, i18n.Locale{Lang: s.lang(r)}, err)
}

// describeIn is describe for a reader whose language and zone are known.
func (s *Server) describeIn(r *http.Request, l i18n.Locale, err error) (int, errorDetail) {
	var e *accord.Error
	if !errors.As(err, &e) {
		ref := accord.NewID("err")
		s.Log.Error("internal error", "ref", ref, "method", r.Method, "path", r.URL.Path, "err", err)
		e = accord.Errorf(accord.EINTERNAL, "error.internal", "ref", ref)
	}
	d := errorDetail{Code: e.Code, Message: s.Catalog.In(l, e.Key, e.Data)}
	d.Summary = d.Message
	var parts []string
	for _, f := range e.Fields {
		msg := s.Catalog.In(l, f.Key, f.Data)
		fe := fieldError{Field: f.Field, Message: msg}
		if s.Catalog.Has(f.Key + ".beside") {
			fe.Beside = s.Catalog.In(l, f.Key+".beside", f.Data)
		}
		d.Fields = append(d.Fields, fe)
		parts = append(parts, f.Field+": "+msg)
	}
	if len(parts) > 0 {
		d.Message += " " + strings.Join(parts, "; ")
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return status, d
}

// fail writes err as the JSON error the API documents.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.describe(r, err)
	writeJSON(w, status, errorBody{d})
}

// lang is the language a request asks for in its Accept-Language header.
func (s *Server) lang(r *http.Request) string {
	return s.Catalog.Lang(r.Header.Get("Accept-Language"))
}
