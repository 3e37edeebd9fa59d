package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/record"
)

func (s *Server) routesPortalWeb() {
	m := s.mux
	m.HandleFunc("GET /p/{token}", s.portalLink)
	m.HandleFunc("POST /p/{token}", s.portalOpen)
	m.HandleFunc("GET /portal", s.portalHome)
	m.HandleFunc("POST /portal/link", s.portalRequestLink)
	m.HandleFunc("GET /portal/link/sent", s.portalLinkSent)
	m.HandleFunc("POST /portal/logout", s.portalLogout)
	m.HandleFunc("GET /portal/bye", func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r, http.StatusOK, "portal_bye", s.guestPage(w, r, "portal.bye.title"))
	})
	m.HandleFunc("POST /portal/language", s.portalForm("language", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		return "", s.App.SetContactLanguage(r.Context(), c, r.PostFormValue("language"))
	}))
	m.HandleFunc("GET /portal/files/{fid}/{kind}", s.portalWebFile)
	s.routesPortalForms()
}

// contactPage is a portal page for a logged-in contact: their locale, what the last form left.
func (s *Server) contactPage(w http.ResponseWriter, r *http.Request, c app.Contact) page {
	p := page{L: c.Locale, Portal: true, Contact: true, Langs: accord.Languages}
	if r.Method == http.MethodGet {
		withFlash(&p, s.takeFlash(w, r, flashOwner(r, portalCookie)))
	}
	return p
}

// guestPage is a portal page for someone without a portal session.
func (s *Server) guestPage(w http.ResponseWriter, r *http.Request, titleKey string) page {
	p := s.publicPage(w, r, titleKey)
	p.Portal = true
	return p
}

// linkPage is a page a portal link opens, in the language of the contact it was made for; it
// says whether the link can still open the portal.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request, titleKey string) (page, bool) {
	p := s.guestPage(w, r, titleKey)
	var usable bool
	p.L, usable = s.App.LinkInfo(r.Context(), r.PathValue("token"), p.L)
	p.Title = s.Catalog.In(p.L, titleKey, nil)
	return p, usable
}

// portalLink only shows a button: mail scanners that follow links must not spend the token. A
// link that can no longer open the portal gets the page that sends a new one instead.
func (s *Server) portalLink(w http.ResponseWriter, r *http.Request) {
	p, usable := s.linkPage(w, r, "portal.link.title")
	if !usable {
		p.Title = s.Catalog.In(p.L, "portal.ask.title", nil)
		p.Error = &errorDetail{Summary: s.Catalog.In(p.L, "portal.token_invalid", nil)}
		s.render(w, r, http.StatusGone, "portal_ask", p)
		return
	}
	p.Data = r.PathValue("token")
	s.render(w, r, http.StatusOK, "portal_link", p)
}

func (s *Server) portalOpen(w http.ResponseWriter, r *http.Request) {
	secret, expires, err := s.App.OpenPortal(r.Context(), r.PathValue("token"))
	if err != nil {
		p, _ := s.linkPage(w, r, "portal.ask.title")
		_, d := s.describeIn(r, p.L, err)
		p.Error = &d
		s.render(w, r, http.StatusUnauthorized, "portal_ask", p)
		return
	}
	s.setCookie(w, r, portalCookie, secret, int(expires.Sub(s.App.Clock.Now()).Seconds()))
	http.Redirect(w, r, "/portal", http.StatusSeeOther)
}

// portalHome is the client's page, or without a session the page that sends a new link.
func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		if accord.ErrorCode(err) != accord.EUNAUTHORIZED {
			s.errorPage(w, r, page{L: i18n.Locale{Lang: s.lang(r)}, Portal: true}, err)
			return
		}
		s.render(w, r, http.StatusOK, "portal_ask", s.guestPage(w, r, "portal.ask.title"))
		return
	}
	p := s.contactPage(w, r, c)
	if err := s.portalView(w, r, c, p); err != nil {
		s.errorPage(w, r, p, err)
	}
}

// portalRequestLink mails new links; its answer is the same whether or not the address is known.
func (s *Server) portalRequestLink(w http.ResponseWriter, r *http.Request) {
	err := s.App.RequestPortalLink(r.Context(), r.PostFormValue("email"), clientAddr(r))
	s.afterForm(w, r, "", page{L: i18n.Locale{Lang: s.lang(r)}, Portal: true}, "portal-link", to("/portal"), done{To: "/portal/link/sent"}, err)
}

func (s *Server) portalLinkSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "portal_sent", s.guestPage(w, r, "portal.sent.title"))
}

type portalData struct {
	E          *accord.Engagement
	Workspace  accord.Workspace
	Ask        app.NextAction
	Agreement  *accord.Agreement
	Deliveries []deliveryView
	Messages   []messageView
	// MessagePages leads to earlier messages and back to the newest.
	MessagePages pager
	// PayNow is set when the client is asked for money: the details to pay with follow it.
	PayNow bool
	// Settled is what ending early came to, line by line.
	Settled *settlementView
	// Cited are the record's entries the freelancer cited for why work came back, by sequence
	// number; EndNow is what ending the engagement would come to, shown before the client
	// chooses to.
	Cited  map[int64]app.TimelineEntry
	EndNow *settlementView
	// Record names the workspace's record and its key, which the client's browser checks.
	Record portalRecordView
	// Invoices are the invoices issued to the client, newest first; Receipts its payments and refunds.
	Invoices []invoiceView
	Receipts []receiptView
	// Card is what the client may pay by card now; CardReturned says the client is back from
	// Stripe's page, its payment not yet confirmed.
	Card         *app.CardOffer
	CardReturned bool
}

// portalRecordView is what the client is shown of the record: its name, the key's fingerprint
// and the key itself.
type portalRecordView struct{ Origin, Key, Fingerprint string }

func (s *Server) portalView(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error {
	after, err := pageCursor(r, "messages")
	if err != nil {
		return err
	}
	now, card := s.App.Clock.Now(), r.URL.Query().Get("card") == "paid"
	keptAs := ""
	if !p.oneTime() {
		keptAs = pageKey("portal", c.WorkspaceID, c.EngagementID, c.Email, p.L.Lang, zoneKey(p.L.Zone), cursorKey(after), strconv.FormatBool(card))
		if st, err := s.App.EngagementStamp(r.Context(), c.WorkspaceID, c.EngagementID); err == nil && s.kept.serve(w, r, keptAs, st, now) {
			return nil
		}
	}
	v, err := s.App.PortalPage(r.Context(), c, after)
	if err != nil {
		return err
	}
	e, ws, b := v.E, v.Workspace, v.Billing
	d := portalData{E: e, Workspace: ws, Ask: app.NextStep(e, true, ws.ResponseDays), Messages: viewMessages(v.Messages.Items, now),
		MessagePages: newPager("/portal", "messages", after, v.Messages)}
	key, fp := s.App.RecordKey(ws.ID)
	d.Record = portalRecordView{Origin: record.Origin(ws.ID), Key: key, Fingerprint: fp}
	if e.Settlement != nil {
		v := s.viewSettlement(p.L, *e.Settlement)
		d.Settled = &v
	}
	for _, m := range e.Milestones {
		if m.Cause == nil || m.Cause.Chosen != "" {
			continue
		}
		if len(m.Cause.Events) > 0 && d.Cited == nil {
			evs, err := s.App.Events(r.Context(), c.WorkspaceID, c.EngagementID)
			if err != nil {
				return err
			}
			d.Cited = map[int64]app.TimelineEntry{}
			for i, t := range s.App.Timeline(p.L, evs, e) {
				d.Cited[evs[i].Seq] = t
			}
		}
		if st, err := e.Settle(accord.SettleKillFee); err == nil && d.EndNow == nil {
			v := s.viewSettlement(p.L, st)
			d.EndNow = &v
		}
	}
	d.PayNow = d.Ask.Key == "ask.prepay" || d.Ask.Key == "ask.pay"
	if d.Agreement = e.Proposed(); d.Agreement == nil {
		d.Agreement = e.Accepted()
	}
	for i := len(e.Deliveries) - 1; i >= 0; i-- {
		d.Deliveries = append(d.Deliveries, viewDelivery(e, &e.Deliveries[i], "/portal", false, s.originalSigner(e)))
	}
	d.Invoices = viewInvoices(e, s.App.Today(p.L), "/portal", "/portal")
	d.Receipts = viewReceipts(e, "/portal")
	d.Card = app.CardOfferFor(e, b, e.Waiting(ws.ResponseDays))
	d.CardReturned = card && d.Card != nil
	p.Data, p.Title = d, e.Title
	var keep func([]byte)
	if keptAs != "" {
		keep = s.kept.keep(keptAs, v.Stamp, now, time.Time{})
	}
	s.renderKept(w, r, http.StatusOK, "portal", p, keep)
	return nil
}

// portalFormHandler does one portal form; it may name where to go next ("" for the portal).
type portalFormHandler func(w http.ResponseWriter, r *http.Request, c app.Contact) (notice string, err error)

// portalForm handles one form of the portal as webForm does for the freelancer.
func (s *Server) portalForm(name string, h portalFormHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.contactOf(r)
		if err != nil {
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return
		}
		notice, err := h(w, r, c)
		if name == "language" && err == nil {
			if c, err = s.contactOf(r); err != nil { // the confirmation is in the language just chosen
				http.Redirect(w, r, "/portal", http.StatusSeeOther)
				return
			}
		}
		p := page{L: c.Locale, Portal: true, Contact: true}
		s.afterForm(w, r, flashOwner(r, portalCookie), p, name, to("/portal#"+name), done{To: "/portal#" + name, Notice: notice}, err)
	}
}

func (s *Server) routesPortalForms() {
	m := s.mux
	m.HandleFunc("POST /portal/brief", s.portalForm("brief", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		answers := map[string]string{}
		for k, v := range r.PostForm {
			if id, ok := strings.CutPrefix(k, "answers."); ok && len(v) > 0 {
				answers[id] = v[0]
			}
		}
		_, err := s.App.AnswerBrief(r.Context(), c, answers)
		return s.Catalog.In(c.Locale, "notice.brief_answered", nil), err
	}))
	m.HandleFunc("POST /portal/agreement/{version}/accept", s.portalForm("agreement", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.AcceptAgreement(r.Context(), c, atoi(r.PathValue("version")), r.PostForm["acknowledged_terms"])
		return s.Catalog.In(c.Locale, "notice.agreement_accepted", nil), err
	}))
	m.HandleFunc("POST /portal/info/{rid}/answer", s.portalForm("info", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.AnswerInfo(r.Context(), c, r.PathValue("rid"), r.PostFormValue("text"))
		return s.Catalog.In(c.Locale, "notice.info_answered", nil), err
	}))
	m.HandleFunc("POST /portal/agreement/{version}/decline", s.portalForm("agreement", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.DeclineAgreement(r.Context(), c, atoi(r.PathValue("version")))
		return s.Catalog.In(c.Locale, "notice.amendment_declined", nil), err
	}))
	for _, a := range []struct {
		verb, notice string
		accept       bool
	}{{"accept", "notice.paid_change_accepted", true}, {"decline", "notice.paid_change_declined", false}} {
		m.HandleFunc("POST /portal/milestones/{mid}/paid-change/"+a.verb, s.portalForm("milestones", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
			_, err := s.App.AnswerPaidChange(r.Context(), c, r.PathValue("mid"), a.accept)
			return s.Catalog.In(c.Locale, a.notice, nil), err
		}))
	}
	m.HandleFunc("POST /portal/milestones/{mid}/choose", s.portalForm("milestones", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.ChooseOption(r.Context(), c, r.PathValue("mid"), r.PostFormValue("option"))
		return s.Catalog.In(c.Locale, "notice.option_chosen", nil), err
	}))
	m.HandleFunc("POST /portal/deliveries/{did}/accept", s.portalForm("deliveries", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.AcceptDelivery(r.Context(), c, r.PathValue("did"))
		return s.Catalog.In(c.Locale, "notice.delivery_accepted", nil), err
	}))
	m.HandleFunc("POST /portal/deliveries/{did}/request-changes", s.portalForm("changes", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.RequestChanges(r.Context(), c, r.PathValue("did"), r.PostFormValue("what_is_wrong"), r.PostFormValue("desired_result"))
		return s.Catalog.In(c.Locale, "notice.changes_requested", nil), err
	}))
	m.HandleFunc("POST /portal/milestones/{mid}/pay-by-card", func(w http.ResponseWriter, r *http.Request) {
		c, err := s.contactOf(r)
		if err != nil {
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return
		}
		page, err := s.App.PayByCard(r.Context(), c, r.PathValue("mid"), r.PostFormValue("purpose"))
		if err != nil {
			s.afterForm(w, r, flashOwner(r, portalCookie), portalFormPage(c), "pay", to("/portal#pay"), done{}, err)
			return
		}
		http.Redirect(w, r, page, http.StatusSeeOther) // Stripe's payment page
	})
	m.HandleFunc("POST /portal/messages", s.portalForm("messages", func(w http.ResponseWriter, r *http.Request, c app.Contact) (string, error) {
		_, err := s.App.SendClientMessage(r.Context(), c, r.PostFormValue("body"))
		return s.Catalog.In(c.Locale, "notice.message_sent", nil), err
	}))
}

type lockedData struct {
	File      string
	Due       accord.Money
	Milestone accord.Milestone
	Workspace accord.Workspace
}

// portalWebFile sends a preview or a released original; an original still locked gets a page
// that says what is owed and how to pay, never an error body.
func (s *Server) portalWebFile(w http.ResponseWriter, r *http.Request) {
	c, err := s.contactOf(r)
	if err != nil {
		http.Redirect(w, r, "/portal", http.StatusSeeOther)
		return
	}
	p := s.contactPage(w, r, c)
	kind := r.PathValue("kind")
	if kind != "original" && kind != "preview" {
		s.errorPage(w, r, p, accord.Errorf(accord.ENOTFOUND, "error.not_found"))
		return
	}
	fc, err := s.App.PortalFile(r.Context(), c, r.PathValue("fid"), kind == "original", atoi(r.URL.Query().Get("page")), linkOf(r))
	if accord.ErrorCode(err) == accord.EPAYMENT {
		s.lockedPage(w, r, c, p)
		return
	}
	if err != nil {
		s.errorPage(w, r, p, err)
		return
	}
	serveFile(w, r, fc, kind == "original")
}

func (s *Server) lockedPage(w http.ResponseWriter, r *http.Request, c app.Contact, p page) {
	e, ws, err := s.App.PortalEngagement(r.Context(), c)
	if err != nil {
		s.errorPage(w, r, p, err)
		return
	}
	file, d := e.File(r.PathValue("fid"))
	m := e.Milestone(d.MilestoneID)
	p.Data = lockedData{File: file.Name, Due: m.Price.Sub(m.Paid), Milestone: *m, Workspace: ws}
	p.Title = s.Catalog.In(p.L, "locked.title", nil)
	s.render(w, r, http.StatusPaymentRequired, "locked", p)
}

// portalLogout ends the client's portal session on this device; a new link opens it again.
func (s *Server) portalLogout(w http.ResponseWriter, r *http.Request) {
	if c := cookie(r, portalCookie); c != "" {
		if err := s.App.Logout(r.Context(), c); err != nil {
			s.Log.Error("portal logout", "err", err)
		}
	}
	s.setCookie(w, r, portalCookie, "", -1)
	http.Redirect(w, r, "/portal/bye", http.StatusSeeOther)
}

// originalSigner signs the engagement's links to originals for the portal.
func (s *Server) originalSigner(e *accord.Engagement) func(string) string {
	return func(fileID string) string { return s.App.SignOriginal(e.ID, fileID) }
}

// linkOf is the expiry and signature a request for an original carries.
func linkOf(r *http.Request) app.OriginalLink {
	q := r.URL.Query()
	return app.OriginalLink{Exp: q.Get("exp"), Sig: q.Get("sig")}
}
