package server

import (
	"encoding/json"
	"net/http"

	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

const flashCookie = "accord_flash"

// flash is what one page load says once after a form: a confirmation, or a refusal with the
// form as it was typed. It waits in the store, so any instance can show it.
type flash struct {
	Notice string `json:"notice,omitempty"`
	Error  string `json:"error,omitempty"`
	Form   *form  `json:"form,omitempty"`
	Link   string `json:"link,omitempty"`
}

// flashOwner ties a flash to the browser session that made it: another session cannot read it.
func flashOwner(r *http.Request, sessionCookieName string) string {
	if c := cookie(r, sessionCookieName); c != "" {
		return app.HashSecret(c)
	}
	return ""
}

// putFlash keeps fl for the next page of this browser; if it cannot be kept, the page simply
// shows nothing, and the log says why.
func (s *Server) putFlash(w http.ResponseWriter, r *http.Request, owner string, fl flash) {
	b, _ := json.Marshal(fl)
	id, err := s.App.PutFlash(r.Context(), owner, b)
	if err != nil {
		s.Log.Error("flash not kept", "err", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: 600})
}

// takeFlash returns this browser's waiting flash, once.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request, owner string) flash {
	var fl flash
	id := cookie(r, flashCookie)
	if id == "" {
		return fl
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	b, err := s.App.TakeFlash(r.Context(), id, owner)
	if err != nil || json.Unmarshal(b, &fl) != nil {
		return flash{}
	}
	return fl
}

// refused turns a refusal into the flash that shows the form again: each field's problem in the
// reader's words beside it, and above the form one line that says so (or the refusal itself).
func (s *Server) refused(name string, r *http.Request, l i18n.Locale, d errorDetail) flash {
	f := newForm(name, r.PostForm)
	for _, fe := range d.Fields {
		f.Errors[fe.Field] = append(f.Errors[fe.Field], fe.Message)
	}
	summary := d.Summary
	if len(d.Fields) > 0 {
		summary = s.Catalog.In(l, "error.fields_below", nil)
	}
	return flash{Error: summary, Form: f}
}
