package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/accordapp/accord"
)

const maxJSON = 1 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decode reads a JSON body into v: 415 for another content type, 413 past 1 MiB, 400 for a
// body that is empty, not JSON or more than one value, 422 naming each field whose string is not
// valid UTF-8 (encoding/json would quietly replace it) or whose value has the wrong type. What Go
// said goes to the log; the person reads the catalog's words.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/json" {
			return accord.Errorf(accord.EUNSUPPORTED, "error.unsupported_type", "want", "application/json")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return accord.Errorf(accord.ETOOLARGE, "error.body_too_large", "limit", accord.ByteSize(maxJSON))
	}
	if err != nil {
		return malformed(r, err, "error.malformed")
	}
	walk := jsonWalk{find: -1}
	if bad := walk.run(body); bad != nil {
		return malformed(r, bad.cause, bad.key, "field", bad.field)
	}
	if err := walk.badText.Err(); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return unmarshalErr(r, body, err)
	}
	return nil
}

// malformed logs what Go said about a body, if anything, and returns the person's message.
func malformed(r *http.Request, cause error, key string, kv ...any) error {
	if cause != nil {
		logOf(r).Info("malformed JSON body", "method", r.Method, "path", r.URL.Path, "err", cause)
	}
	return accord.Errorf(accord.EMALFORMED, key, kv...)
}

// unmarshalErr turns json.Unmarshal's error into what the person reads: a type error names the
// field as a walk finds it ("milestones[1].prepayment_percent") and the JSON type wanted.
func unmarshalErr(r *http.Request, body []byte, err error) error {
	var typeErr *json.UnmarshalTypeError
	if !errors.As(err, &typeErr) {
		return malformed(r, err, "error.malformed")
	}
	walk := jsonWalk{find: typeErr.Offset, foundAt: -1}
	walk.run(body)
	if walk.found == "" {
		walk.found = typeErr.Field
	}
	if walk.found == "" { // the body as a whole, such as an array for an object
		return malformed(r, err, "error.malformed")
	}
	var v accord.Invalid
	v.Add(walk.found, typeKey(typeErr.Type))
	return v.Err()
}

// typeKey names, in JSON's words, the type a Go value wants.
func typeKey(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "field.type_string"
	case reflect.Bool:
		return "field.type_boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "field.type_integer"
	case reflect.Float32, reflect.Float64:
		return "field.type_number"
	case reflect.Slice, reflect.Array:
		return "field.type_array"
	}
	return "field.type_object"
}

// badJSON is a body that is not one JSON value: the catalog key the person reads, the field
// after which it broke where one is known, and what Go said, for the log.
type badJSON struct {
	key, field string
	cause      error
}

// jsonWalk walks a body's JSON tokens, naming each value's field as the API does
// ("milestones[0].price"). It collects the fields whose strings are not valid UTF-8 and, when
// find is an offset, names in found the innermost field whose value holds it.
type jsonWalk struct {
	find    int64
	found   string
	foundAt int64
	badText accord.Invalid
	bad     int

	stack  []jsonLevel
	last   string // the field of the latest key or value, to say where a body broke
	values int
}

// jsonLevel is an object or an array the walk is in.
type jsonLevel struct {
	start  int64
	field  string
	array  bool
	n      int // the array's next index
	key    string
	wanted bool // the object waits for a key
}

func (l *jsonLevel) child() string {
	switch {
	case l.array:
		return l.field + "[" + strconv.Itoa(l.n) + "]"
	case l.field == "":
		return l.key
	}
	return l.field + "." + l.key
}

const (
	maxBadText   = 20    // fields named for invalid UTF-8 in one answer
	maxJSONDepth = 10000 // as deep as encoding/json goes
)

// run walks body; it returns nil when body is one JSON value.
func (wk *jsonWalk) run(body []byte) *badJSON {
	dec := json.NewDecoder(bytes.NewReader(body))
	var prev int64
	for {
		tok, err := dec.Token()
		if bad, stop := wk.stopped(err); stop {
			return bad
		}
		end := dec.InputOffset()
		wk.step(tok, body[prev:end], end)
		prev = end
	}
}

// stopped says whether the walk ends at the latest token and why: nil after one whole value.
func (wk *jsonWalk) stopped(err error) (*badJSON, bool) {
	done := wk.values > 0 && len(wk.stack) == 0
	switch {
	case err == io.EOF && wk.values == 0:
		return &badJSON{key: "error.malformed_empty"}, true
	case err == io.EOF && done:
		return nil, true
	case done:
		return &badJSON{key: "error.malformed_extra", cause: err}, true
	case err != nil && wk.last != "":
		return &badJSON{key: "error.malformed_after", field: shortField(wk.last), cause: err}, true
	case err != nil:
		return &badJSON{key: "error.malformed", cause: err}, true
	case len(wk.stack) > maxJSONDepth:
		return &badJSON{key: "error.malformed", cause: errors.New("nested too deep")}, true
	}
	return nil, false
}

// step takes one token; raw is its bytes after the previous token's, so with the separators
// before it.
func (wk *jsonWalk) step(tok json.Token, raw []byte, end int64) {
	start := end - int64(len(bytes.TrimLeft(raw, " \t\r\n,:")))
	var top *jsonLevel
	if n := len(wk.stack); n > 0 {
		top = &wk.stack[n-1]
	}
	d, delim := tok.(json.Delim)
	switch {
	case delim && (d == '}' || d == ']'):
		wk.saw(top.start, end, top.field)
		wk.last = top.field
		wk.stack = wk.stack[:len(wk.stack)-1]
		return
	case top != nil && !top.array && top.wanted: // a key
		top.key, top.wanted = tok.(string), false
		wk.last = top.child()
		wk.checkText(wk.last, raw)
		return
	}
	field := ""
	if top != nil {
		field = top.child()
		top.n++
		top.wanted = true
	}
	wk.last = field
	wk.values++
	if delim {
		wk.stack = append(wk.stack, jsonLevel{start: start, field: field, array: d == '[', wanted: true})
		return
	}
	if _, ok := tok.(string); ok {
		wk.checkText(field, raw)
	}
	wk.saw(start, end, field)
}

// saw notes a value of field from start to end, for find.
func (wk *jsonWalk) saw(start, end int64, field string) {
	if field != "" && start < wk.find && wk.find <= end && start > wk.foundAt {
		wk.found, wk.foundAt = field, start
	}
}

func (wk *jsonWalk) checkText(field string, raw []byte) {
	if field != "" && wk.bad < maxBadText && !validJSONString(raw) {
		wk.badText.Add(field, "field.text")
		wk.bad++
	}
}

// shortField cuts a field name that the sender made long before it is shown back.
func shortField(f string) string {
	if r := []rune(f); len(r) > 100 {
		return string(r[:100]) + "…"
	}
	return f
}

// validJSONString reports whether a string token's raw bytes are valid UTF-8 with no lone
// surrogate escape (such as "\ud800"): encoding/json turns either into U+FFFD without a word.
func validJSONString(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r := hex4(raw[i+1:])
		i += 4
		if utf16.IsSurrogate(r) {
			if r >= 0xdc00 || i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return false
			}
			if lo := hex4(raw[i+3:]); lo < 0xdc00 || lo > 0xdfff {
				return false
			}
			i += 6
		}
	}
	return true
}

// hex4 reads the four hex digits of a \u escape; the token was already checked by the decoder.
func hex4(b []byte) rune {
	n, err := strconv.ParseUint(string(b[:min(4, len(b))]), 16, 32)
	if err != nil {
		return utf8.RuneError
	}
	return rune(n)
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

// apiPage is the page an API list is asked for: ?cursor= from the page before, ?limit= items
// (1 to accord.MaxPageSize, which is also what a list gives when no limit is named).
func apiPage(r *http.Request) (accord.Page, error) {
	q := r.URL.Query()
	return accord.ParsePage(q.Get("cursor"), q.Get("limit"), accord.MaxPageSize)
}

// writePage answers one page of a list: its items under name, "next_cursor" for the page after
// it (absent on the last page) and "total" where the store counts the list.
func writePage[T any](w http.ResponseWriter, name string, items any, p accord.Paged[T]) {
	out := map[string]any{name: items}
	if p.Next != nil {
		out["next_cursor"] = p.Next.String()
	}
	if p.Total >= 0 {
		out["total"] = p.Total
	}
	writeJSON(w, http.StatusOK, out)
}
