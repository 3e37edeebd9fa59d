package server

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
)

const maxJSON = 1 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body into v: 415 for another content type, 413 past 1 MiB, 400 for
// malformed JSON, 422 naming the field whose value has the wrong type.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return accord.Errorf(accord.EUNSUPPORTED, "error.unsupported_type", "want", "application/json")
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSON))
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooBig):
		return accord.Errorf(accord.ETOOLARGE, "error.too_large", "limit", "1 MiB")
	case errors.As(err, &typeErr) && typeErr.Field != "":
		var iv accord.Invalid
		iv.Add(typeErr.Field, "field.type", "want", typeErr.Type.String())
		return iv.Err()
	case errors.Is(err, io.EOF):
		return accord.Errorf(accord.EMALFORMED, "error.malformed", "detail", "the body is empty")
	}
	return accord.Errorf(accord.EMALFORMED, "error.malformed", "detail", strings.TrimPrefix(err.Error(), "json: "))
}

// amount reads a money value sent either as a decimal string in the engagement's currency or as
// {"amount": "…", "currency": "…"}.
type amount struct {
	raw json.RawMessage
}

func (a *amount) UnmarshalJSON(b []byte) error { a.raw = append([]byte(nil), b...); return nil }

func (a amount) money(field, currency string, v *accord.Invalid) accord.Money {
	var s string
	if json.Unmarshal(a.raw, &s) == nil {
		m, err := accord.ParseMoney(s, currency)
		if err != nil {
			v.Add(field, "field.amount", "currency", currency)
		}
		return m
	}
	var m accord.Money
	if err := json.Unmarshal(a.raw, &m); err != nil || m.Currency != currency {
		v.Add(field, "field.amount", "currency", currency)
	}
	return m
}
