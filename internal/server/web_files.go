package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

// The pages that page through a delivered file's preview, with the comments pinned to it, on
// both sides; and the part of a page that lists a delivery's files, asked for again by the
// page's script while their previews are being made.
func (s *Server) routesFileViews() {
	m := s.mux
	m.HandleFunc("GET /portal/deliveries/{did}/files", s.portalDeliveryFiles)
	m.HandleFunc("GET /portal/files/{fid}/view", s.portalFileView)
	m.HandleFunc("POST /portal/files/{fid}/comments", s.portalPinComment)
	m.HandleFunc("GET /app/engagements/{id}/deliveries/{did}/files", s.web(s.webDeliveryFiles))
	m.HandleFunc("GET /app/engagements/{id}/files/{fid}/view", s.web(s.webFileView))
	m.HandleFunc("POST /app/engagements/{id}/comments/{cid}/answer", s.webForm("answer", viewerBack, func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.AnswerComment(r.Context(), f, r.PathValue("id"), r.PathValue("cid"), r.PostFormValue("text"))
		return done{To: viewerBack(r) + "#comment-" + url.PathEscape(r.PathValue("cid")), Notice: s.Catalog.In(l, "notice.comment_answered", nil)}, err
	}))
}

// viewerBack is the viewer page an answer's form came from: its file and page, as posted.
func viewerBack(r *http.Request) string {
	return "/app/engagements/" + url.PathEscape(r.PathValue("id")) + "/files/" + url.PathEscape(r.PostFormValue("file")) +
		"/view?page=" + strconv.Itoa(max(1, atoi(r.PostFormValue("page"))))
}

// viewerData is what a viewer page shows: one page of a file's preview, the links to the others,
// the comments pinned to it, and the form to add one (the client's) or answer one (the freelancer's).
type viewerData struct {
	File        fileView
	Delivery    deliveryView
	Page, Pages int
	ImageURL    string
	Prev, Next  string
	PageLinks   []pageLink
	Comments    []commentView // those on this page
	Elsewhere   int           // those on the other pages
	Back        string
	// CanComment says whether the client can pin a comment now; Why says why not, if not.
	CanComment bool
	Why        string
	// CommentURL is where the client's comment is posted; AnswerURL the base of the freelancer's answers.
	CommentURL string
	CanAnswer  bool
}

type pageLink struct {
	N        int
	URL      string
	Current  bool
	Comments int
}

// commentView is one comment as a viewer page shows it: numbered in the order made on the file.
type commentView struct {
	N         int
	ID        string
	Spot      *accord.Spot
	Text      string
	At        time.Time
	Answers   []accord.Answer
	AnswerURL string
}

// viewer gathers one page of a file's preview with its comments; base is where the file's
// links live (the portal's or the engagement's address).
func (s *Server) viewer(l i18n.Locale, e *accord.Engagement, fileID string, page int, base string, portal bool) (viewerData, error) {
	f, d := e.File(fileID)
	if f == nil {
		return viewerData{}, accord.Errorf(accord.ENOTFOUND, "file.not_found")
	}
	dv := viewDelivery(e, d, base, !portal, s.signerFor(e, portal))
	v := viewerData{Delivery: dv, Pages: f.PageCount(), Page: max(1, page)}
	for _, fv := range dv.Files {
		if fv.ID == fileID {
			v.File = fv
		}
	}
	if portal {
		v.Back = "/portal#delivery-" + d.ID
	} else {
		v.Back = base + "#deliveries"
	}
	if v.Pages > 0 && v.Page > v.Pages {
		return viewerData{}, accord.Errorf(accord.ENOTFOUND, "file.no_such_page", "pages", v.Pages)
	}
	pageURL := func(n int) string { return v.File.ViewURL + "?page=" + strconv.Itoa(n) }
	if v.Pages > 0 {
		v.ImageURL = *v.File.PreviewURL + "?page=" + strconv.Itoa(v.Page)
	}
	if v.Page > 1 {
		v.Prev = pageURL(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.Next = pageURL(v.Page + 1)
	}
	counts := map[int]int{}
	for i, c := range e.FileComments(fileID) {
		counts[c.Page]++
		if c.Page != v.Page {
			v.Elsewhere++
			continue
		}
		v.Comments = append(v.Comments, commentView{N: i + 1, ID: c.ID, Spot: c.Spot, Text: c.Text, At: c.At, Answers: c.Answers,
			AnswerURL: base + "/comments/" + c.ID + "/answer"})
	}
	for n := 1; n <= v.Pages && v.Pages > 1; n++ {
		v.PageLinks = append(v.PageLinks, pageLink{N: n, URL: pageURL(n), Current: n == v.Page, Comments: counts[n]})
	}
	if portal {
		err := e.CanComment(fileID)
		var ae *accord.Error
		if v.CanComment = err == nil; errors.As(err, &ae) {
			v.Why = s.Catalog.In(l, ae.Key, ae.Data)
		}
		v.CommentURL = "/portal/files/" + fileID + "/comments"
	} else {
		v.CanAnswer = e.Running()
	}
	return v, nil
}

func (s *Server) portalFileView(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	p := s.contactPage(w, r, c)
	if err := s.showViewer(w, r, p, func() (*accord.Engagement, error) {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		return e, err
	}, "/portal", true); err != nil {
		s.errorPage(w, r, p, err)
	}
}

func (s *Server) webFileView(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	return s.showViewer(w, r, p, func() (*accord.Engagement, error) {
		return s.App.Engagement(r.Context(), f, r.PathValue("id"))
	}, "/app/engagements/"+r.PathValue("id"), false)
}

func (s *Server) showViewer(w http.ResponseWriter, r *http.Request, p page, load func() (*accord.Engagement, error), base string, portal bool) error {
	e, err := load()
	if err != nil {
		return err
	}
	v, err := s.viewer(p.L, e, r.PathValue("fid"), atoi(r.URL.Query().Get("page")), base, portal)
	if err != nil {
		return err
	}
	p.Data, p.Title = v, v.File.Name
	if v.Pages > 1 {
		p.Title = s.Catalog.In(p.L, "viewer.title", map[string]any{"name": v.File.Name, "page": v.Page, "pages": v.Pages})
	}
	s.render(w, r, http.StatusOK, "file", p)
	return nil
}

// portalPinComment takes the client's comment on a page, and on a spot of it where the client
// pointed (x and y in thousandths of the page, set by the page's script), else on the whole page.
func (s *Server) portalPinComment(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	fid := r.PathValue("fid")
	page := atoi(r.PostFormValue("page"))
	back := "/portal/files/" + url.PathEscape(fid) + "/view?page=" + strconv.Itoa(max(1, page))
	var spot *accord.Spot
	if xs, ys := strings.TrimSpace(r.PostFormValue("x")), strings.TrimSpace(r.PostFormValue("y")); xs != "" || ys != "" {
		x, errX := strconv.Atoi(xs)
		y, errY := strconv.Atoi(ys)
		if errX != nil || errY != nil {
			x, y = -1, -1 // refused by the domain as off the page
		}
		spot = &accord.Spot{X: x, Y: y}
	}
	id, err := s.App.PinComment(r.Context(), c, fid, page, spot, r.PostFormValue("text"))
	p := portalFormPage(c)
	s.afterForm(w, r, flashOwner(r, portalCookie), p, "comment", to(back+"#comment-form"),
		done{To: back + "#comment-" + id, Notice: s.Catalog.In(c.Locale, "notice.comment_pinned", nil)}, err)
}

// portalFormPage is the page a portal form's refusal is worded on.
func portalFormPage(c app.Contact) page { return page{L: c.Locale, Portal: true, Contact: true} }

// portalDeliveryFiles is the part of the portal that lists a delivery's files.
func (s *Server) portalDeliveryFiles(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		http.Error(w, s.Catalog.In(i18n.Locale{Lang: s.lang(r)}, "portal.session_ended", nil), http.StatusUnauthorized)
		return
	}
	e, _, err := s.App.PortalEngagement(r.Context(), c)
	if err == nil {
		err = s.deliveryFiles(w, c.Locale, e, r.PathValue("did"), "/portal", true)
	}
	if err != nil {
		s.errorPage(w, r, s.contactPage(w, r, c), err)
	}
}

func (s *Server) webDeliveryFiles(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.deliveryFiles(w, p.L, e, r.PathValue("did"), "/app/engagements/"+e.ID, false)
}

// deliveryFiles writes the delivery-files part of a page alone.
func (s *Server) deliveryFiles(w http.ResponseWriter, l i18n.Locale, e *accord.Engagement, did, base string, portal bool) error {
	d := e.Delivery(did)
	if d == nil {
		return accord.Errorf(accord.ENOTFOUND, "delivery.not_found")
	}
	part := newFilesPart(l, viewDelivery(e, d, base, !portal, s.signerFor(e, portal)), base, portal)
	var buf bytes.Buffer
	if err := s.pages.sets["file"].ExecuteTemplate(&buf, "delivery-files", part); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; frame-ancestors 'none'")
	_, err := buf.WriteTo(w)
	return err
}

// signerFor gives the portal's signed links to originals; the freelancer's need none.
func (s *Server) signerFor(e *accord.Engagement, portal bool) func(fileID string) string {
	if portal {
		return s.originalSigner(e)
	}
	return nil
}
