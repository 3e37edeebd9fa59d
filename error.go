package accord

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Error codes; the HTTP layer maps each to one status.
const (
	EMALFORMED    = "malformed"         // 400
	EUNAUTHORIZED = "unauthorized"      // 401
	EPAYMENT      = "payment_required"  // 402
	EFORBIDDEN    = "forbidden"         // 403
	ENOTFOUND     = "not_found"         // 404
	ECONFLICT     = "conflict"          // 409
	ETOOLARGE     = "too_large"         // 413
	EUNSUPPORTED  = "unsupported_type"  // 415
	EINVALID      = "invalid"           // 422
	ERATELIMIT    = "too_many_requests" // 429
	EINTERNAL     = "internal"          // 500
)

// Error is a failure a person can act on: a code, a catalog message key with its data,
// and for invalid input the fields at fault.
type Error struct {
	Code   string
	Key    string         // message catalog id
	Data   map[string]any // template data for Key
	Fields []FieldError
}

// FieldError names one invalid field and why.
type FieldError struct {
	Field string
	Key   string
	Data  map[string]any
}

func (e *Error) Error() string {
	if len(e.Data) == 0 {
		return e.Code + ": " + e.Key
	}
	return fmt.Sprintf("%s: %s %v", e.Code, e.Key, e.Data)
}

// Errorf returns an *Error with the given code, catalog key and data pairs (key, value, ...).
func Errorf(code, key string, kv ...any) *Error {
	return &Error{Code: code, Key: key, Data: pairs(kv)}
}

func pairs(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// ErrorCode returns the code of err, or EINTERNAL when err is not an *Error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Invalid collects field errors; Err returns nil when there are none.
type Invalid struct{ fields []FieldError }

// Add records that field is invalid for the reason named by key.
func (v *Invalid) Add(field, key string, kv ...any) {
	v.fields = append(v.fields, FieldError{Field: field, Key: key, Data: pairs(kv)})
}

// Err returns an EINVALID *Error naming every field added, or nil.
func (v *Invalid) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "error.invalid", Fields: v.fields}
}

// Text trims s and checks that it is there when required, at most max characters long, and
// plain text: valid UTF-8 without control characters other than line breaks and tabs (a NUL
// would otherwise reach the database). It returns the trimmed text.
func (v *Invalid) Text(field, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case !PlainText(s):
		v.Add(field, "field.text")
	case s == "" && required:
		v.Add(field, "field.required_short", "max", max)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "field.too_long", "max", max)
	}
	return s
}

// PlainText reports whether s is valid UTF-8 with no control characters but \n, \r and \t.
func PlainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}
