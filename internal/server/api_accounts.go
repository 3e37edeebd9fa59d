package server

import (
	"net/http"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// The JSON API: accounts, tokens and clients.

func (s *Server) apiSignup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Name     string `json:"name"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	res, err := s.App.Signup(r.Context(), in.Email, in.Password, in.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"user_id": res.User.ID, "workspace_id": res.Workspace.ID, "token": res.Token})
	return nil
}

func (s *Server) apiToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	token, err := s.App.CreateToken(r.Context(), in.Email, in.Password, clientAddr(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": token})
	return nil
}

func (s *Server) apiCreateClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Language string `json:"language"`
		Timezone string `json:"timezone"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.CreateClient(r.Context(), f, in.Name, in.Email, in.Language, in.Timezone)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": c.ID})
	return nil
}

func (s *Server) apiClients(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	p, err := apiPage(r)
	if err != nil {
		return err
	}
	cs, err := s.App.ClientPage(r.Context(), f, p)
	if err != nil {
		return err
	}
	out := []clientView{}
	for _, c := range cs.Items {
		out = append(out, clientView{c.ID, c.Name, c.Email, c.Language, c.Timezone})
	}
	writePage(w, "clients", out, cs)
	return nil
}

// clientView is a client as the API shows it.
type clientView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Language string `json:"language"`
	Timezone string `json:"timezone"`
}

// clientDetail is one client as the API shows it, with how far it is trusted and why.
type clientDetail struct {
	clientView
	Trust         string        `json:"trust"`
	TrustedReason string        `json:"trusted_reason,omitempty"`
	RedFlags      []redFlagView `json:"red_flags"`
}

type redFlagView struct {
	Code    string    `json:"code"`
	FoundIn string    `json:"found_in"`
	At      time.Time `json:"at"`
}

func viewClientDetail(c accord.Client) clientDetail {
	d := clientDetail{clientView: clientView{c.ID, c.Name, c.Email, c.Language, c.Timezone}, Trust: c.Trust(), TrustedReason: c.TrustedReason, RedFlags: []redFlagView{}}
	for _, f := range c.RedFlags {
		d.RedFlags = append(d.RedFlags, redFlagView{f.Code, f.FoundIn, f.At})
	}
	return d
}

func (s *Server) apiClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	c, err := s.App.Client(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewClientDetail(c))
	return nil
}

func (s *Server) apiFlagClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.FlagClient(r.Context(), f, r.PathValue("id"), in.Code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, viewClientDetail(c))
	return nil
}

func (s *Server) apiTrustClient(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	c, err := s.App.TrustClient(r.Context(), f, r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, viewClientDetail(c))
	return nil
}
