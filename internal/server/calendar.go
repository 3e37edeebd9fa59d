package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/ics"
)

func (s *Server) routesCalendar() {
	s.mux.HandleFunc("GET /calendar/{file}", s.workspaceCalendar)
	s.mux.HandleFunc("GET /portal/calendar.ics", s.portalCalendar)
	s.mux.HandleFunc("POST /app/calendar", s.webForm("calendar", to("/app/settings#calendar"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		link, err := s.App.CalendarLink(r.Context(), f)
		return done{Notice: s.Catalog.In(l, "notice.calendar_link", nil), Link: link}, err
	}))
}

// deadlines are the due dates still ahead of an engagement's unpaid milestones, as calendar events.
func (s *Server) deadlines(l i18n.Locale, e *accord.Engagement, withTitle bool) []ics.Event {
	var out []ics.Event
	if e.State == accord.Completed || e.State == accord.Terminated {
		return nil
	}
	for _, m := range e.Milestones {
		day, ok := m.DueDate.Time()
		if !ok || m.State == accord.MilestonePaid {
			continue
		}
		summary := s.Catalog.In(l, "calendar.milestone", map[string]any{"num": m.N, "title": m.Title})
		if withTitle {
			summary = e.Title + ": " + summary
		}
		out = append(out, ics.Event{UID: m.ID + "@" + e.ID + ".accord", Day: day, Summary: summary,
			Description: s.Catalog.In(l, "state."+string(m.State), nil)})
	}
	return out
}

func writeCalendar(w http.ResponseWriter, name string, body []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="deadlines.ics"`)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(body)
}

// workspaceCalendar is the freelancer's feed of every engagement's deadlines, at a secret address
// a calendar app can subscribe to.
func (s *Server) workspaceCalendar(w http.ResponseWriter, r *http.Request) {
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	f, err := s.App.CalendarOf(r.Context(), secret)
	if !ok || err != nil {
		s.notFoundPage(w, r)
		return
	}
	l := i18n.Locale{Lang: f.Lang, Zone: f.Zone}
	if l.Lang == "" {
		l.Lang = "en"
	}
	es, err := s.App.CalendarEngagements(r.Context(), f)
	if err != nil {
		s.errorPage(w, r, page{L: l}, err)
		return
	}
	var events []ics.Event
	for _, e := range es {
		events = append(events, s.deadlines(l, e, true)...)
	}
	ws, _ := s.App.Workspace(r.Context(), f)
	writeCalendar(w, ws.Name, ics.Calendar(ws.Name, s.App.Clock.Now(), events))
}

// portalCalendar gives the client the engagement's deadlines to add to their calendar.
func (s *Server) portalCalendar(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	e, ws, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		s.errorPage(w, r, page{L: c.Locale, Portal: true}, err)
		return
	}
	name := fmt.Sprintf("%s · %s", ws.Name, e.Title)
	writeCalendar(w, name, ics.Calendar(name, s.App.Clock.Now(), s.deadlines(c.Locale, e, false)))
}
