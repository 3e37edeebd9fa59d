package server

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// form is a refused form as the person left it: what they typed and, beside each field, what is
// wrong with it in words. A page shows it again instead of a blank form.
type form struct {
	Name   string              `json:"name"`   // which of the page's forms was refused
	Values map[string][]string `json:"values"` // as typed; passwords are never kept
	Errors map[string][]string `json:"errors"` // input name → problems

	placed map[string]bool // fields whose problems the page showed beside them
}

// fieldMsg is a problem the page could not show beside a field.
type fieldMsg struct {
	Label   string
	Message string
}

// newForm keeps what was typed into the named form, less its secrets.
func newForm(name string, typed url.Values) *form {
	f := &form{Name: name, Values: map[string][]string{}, Errors: map[string][]string{}}
	for k, v := range typed {
		if !strings.Contains(k, "password") {
			f.Values[k] = slices.Clone(v)
		}
	}
	return f
}

// Refused reports whether the named form is the one refused.
func (f *form) Refused(name string) bool { return f != nil && f.Name == name }

// RefusedFor reports whether the named form was refused for one item of a list (its "id" field).
func (f *form) RefusedFor(name, id string) bool {
	return f.Refused(name) && len(f.Values["id"]) > 0 && f.Values["id"][0] == id
}

// Value is what the person typed into field of the named form, or dflt when that form was not refused.
func (f *form) Value(name, field string, dflt any) any {
	if !f.Refused(name) {
		return dflt
	}
	if vs := f.Values[field]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// Checked reports whether a checkbox (or an option) of the named form was chosen: as typed when the
// form was refused, else dflt.
func (f *form) Checked(name, field, value string, dflt bool) bool {
	if !f.Refused(name) {
		return dflt
	}
	return slices.Contains(f.Values[field], value)
}

// Err returns the problems of field in the named form, and notes that the page shows them there.
func (f *form) Err(name, field string) []string {
	if !f.Refused(name) || len(f.Errors[field]) == 0 {
		return nil
	}
	if f.placed == nil {
		f.placed = map[string]bool{}
	}
	f.placed[field] = true
	return f.Errors[field]
}

// Unplaced lists the problems no field showed, so that none is lost; labelOf names their fields.
func (f *form) Unplaced(labelOf func(field string) string) []fieldMsg {
	if f == nil {
		return nil
	}
	var out []fieldMsg
	keys := make([]string, 0, len(f.Errors))
	for k := range f.Errors {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if f.placed[k] {
			continue
		}
		for _, m := range f.Errors[k] {
			out = append(out, fieldMsg{labelOf(k), m})
		}
	}
	return out
}

var fieldIndex = regexp.MustCompile(`\[\d+\]`)

// labelKey names the catalog label of a field path such as "milestones[0].price": the label of
// its last part.
func labelKey(field string) string {
	field = fieldIndex.ReplaceAllString(field, "")
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:]
	}
	return "field.label." + field
}
