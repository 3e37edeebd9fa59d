package server

import (
	"net/http"
	"strconv"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// sinceOf reads ?since=N, the size of the head the asker holds (0 when none).
func sinceOf(r *http.Request) (int64, error) { return sizeParam(r, "since") }

// sizeParam reads a tree size from the query, 0 when absent.
func sizeParam(r *http.Request, name string) (int64, error) {
	q := r.URL.Query().Get(name)
	if q == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(q, 10, 64)
	if err != nil || n < 0 {
		return 0, accord.Errorf(accord.EINVALID, "record.since_invalid")
	}
	return n, nil
}

func (s *Server) apiRecord(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	since, err := sinceOf(r)
	if err != nil {
		return err
	}
	to, err := sizeParam(r, "to")
	if err != nil {
		return err
	}
	v, err := s.App.Record(r.Context(), f, since, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) portalRecord(w http.ResponseWriter, r *http.Request, c app.Contact) error {
	since, err := sinceOf(r)
	if err != nil {
		return err
	}
	v, err := s.App.PortalRecord(r.Context(), c, since)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// sendEvidence answers the engagement's evidence bundle as a download, its report in the
// freelancer's language.
func (s *Server) sendEvidence(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	id := r.PathValue("id")
	zip, err := s.App.Evidence(r.Context(), f.WorkspaceID, id, s.freelancerLocale(r, f))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="evidence-`+id+`.zip"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(zip)))
	w.WriteHeader(http.StatusOK)
	w.Write(zip)
	return nil
}

func (s *Server) apiCheckRecord(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
	c, err := s.App.CheckRecord(r.Context(), f.WorkspaceID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}
