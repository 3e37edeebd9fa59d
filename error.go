package accord

import (
	"errors"
	"fmt"
	"slices"
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

// Merge adds the field problems of err (an invalid-input error) for fields that have none yet.
func (v *Invalid) Merge(err error) {
	var e *Error
	if !errors.As(err, &e) {
		return
	}
	for _, f := range e.Fields {
		if !slices.ContainsFunc(v.fields, func(x FieldError) bool { return x.Field == f.Field }) {
			v.fields = append(v.fields, f)
		}
	}
}

// Err returns an EINVALID *Error naming every field added, or nil.
func (v *Invalid) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Key: "error.invalid", Fields: v.fields}
}

// Text cleans s (CleanText), trims it, and checks that it is there when required and at most
// max characters long. Text with a NUL or invalid UTF-8 is refused: it would otherwise reach the
// database. It returns the cleaned text.
func (v *Invalid) Text(field, s string, required bool, max int) string {
	if !PlainText(s) {
		v.Add(field, "field.text")
		return ""
	}
	s = strings.TrimSpace(CleanText(s))
	switch {
	case s == "" && required:
		v.Add(field, "field.required_short", "max", max)
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "field.too_long", "max", max)
	}
	return s
}

// PlainText reports whether s is valid UTF-8 without NUL bytes.
func PlainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// CleanText turns the line and page breaks that pasted text carries (\v, \f, NEL, U+2028/2029)
// into \n and drops other control characters, keeping \n, \r and \t.
func CleanText(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return r
		case '\v', '\f', '\u0085', '\u2028', '\u2029':
			return '\n'
		}
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
