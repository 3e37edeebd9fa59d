package server

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/accordapp/accord"

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
// shows nothing, and the log says why. What was typed (and a new token or link) is sealed with a
// key only the browser's cookie holds: the store keeps nothing it could read.
func (s *Server) putFlash(w http.ResponseWriter, r *http.Request, owner string, fl flash) {
	b, _ := json.Marshal(fl)
	key := accord.RandomBytes(32)
	id, err := s.App.PutFlash(r.Context(), owner, seal(key, b))
	if err != nil {
		s.Log.Error("flash not kept", "err", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: id + "." + base64.RawURLEncoding.EncodeToString(key), Path: "/",
		HttpOnly: true, Secure: s.Secure || r.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: 600})
}

// takeFlash returns this browser's waiting flash, once.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request, owner string) flash {
	var fl flash
	id, k, ok := strings.Cut(cookie(r, flashCookie), ".")
	if !ok {
		return fl
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	key, err := base64.RawURLEncoding.DecodeString(k)
	if err != nil || len(key) != 32 {
		return fl
	}
	sealed, err := s.App.TakeFlash(r.Context(), id, owner)
	if err != nil {
		return fl
	}
	b, err := open(key, sealed)
	if err != nil || json.Unmarshal(b, &fl) != nil {
		return flash{}
	}
	return fl
}

// seal encrypts b with AES-256-GCM under key, the nonce in front.
func seal(key, b []byte) []byte {
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	nonce := accord.RandomBytes(gcm.NonceSize())
	return gcm.Seal(nonce, nonce, b, nil)
}

// open undoes seal; anything else is an error.
func open(key, sealed []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("flash too short")
	}
	return gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
}

// refused turns a refusal into the flash that shows the form again: each field's problem in the
// reader's words beside it, and above the form one line that says so (or the refusal itself).
func (s *Server) refused(name string, r *http.Request, l i18n.Locale, d errorDetail) flash {
	f := newForm(name, r.PostForm)
	for _, fe := range d.Fields {
		msg := fe.Message
		if fe.Beside != "" {
			msg = fe.Beside
		}
		f.Errors[fe.Field] = append(f.Errors[fe.Field], msg)
	}
	summary := d.Summary
	if len(d.Fields) > 0 {
		summary = s.Catalog.In(l, "error.fields_below", nil)
	}
	return flash{Error: summary, Form: f}
}
