package server

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

func (s *Server) routesSettings() {
	m := s.mux
	m.HandleFunc("GET /app/clients", s.web(s.clientsPage))
	m.HandleFunc("POST /app/clients", s.webForm("new-client", to("/app/clients#new-client"), s.webCreateClient))
	m.HandleFunc("POST /app/clients/{cid}", s.webForm("client", func(r *http.Request) string {
		return "/app/clients#client-" + r.PathValue("cid")
	}, s.webUpdateClient))
	m.HandleFunc("POST /app/clients/{cid}/billing", s.webForm("client-billing", func(r *http.Request) string {
		return "/app/clients#client-" + r.PathValue("cid")
	}, func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		err := s.App.SaveClientBilling(r.Context(), f, r.PathValue("cid"), r.PostFormValue("legal_name"), r.PostFormValue("address"), r.PostFormValue("tax_id"))
		return done{Notice: s.Catalog.In(l, "notice.client_billing_saved", nil)}, err
	}))
	m.HandleFunc("POST /app/clients/{cid}/trust", s.webForm("trust", func(r *http.Request) string {
		return "/app/clients#client-" + r.PathValue("cid")
	}, func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		c, err := s.App.TrustClient(r.Context(), f, r.PathValue("cid"), r.PostFormValue("reason"))
		return done{Notice: s.Catalog.In(l, "notice.client_trusted", map[string]any{"name": c.Name})}, err
	}))
	m.HandleFunc("GET /app/settings", s.web(s.settingsPage))
	m.HandleFunc("POST /app/settings", s.webForm("settings", to("/app/settings"), s.webSaveSettings))
	m.HandleFunc("POST /app/settings/billing", s.webForm("billing", to("/app/settings#billing"), func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		err := s.App.SaveBilling(r.Context(), f, app.BillingInput{LegalName: r.PostFormValue("legal_name"), Address: r.PostFormValue("address"),
			TaxID: r.PostFormValue("tax_id"), Prefix: r.PostFormValue("prefix"), TaxRate: r.PostFormValue("tax_rate"), TaxNote: r.PostFormValue("tax_note"),
			StripeSecretKey: r.PostFormValue("stripe_secret_key"), StripeWebhookSecret: r.PostFormValue("stripe_webhook_secret"),
			ForgetStripe: r.PostFormValue("forget_stripe") != ""})
		return done{To: "/app/settings#billing", Notice: s.Catalog.In(l, "notice.billing_saved", nil)}, err
	}))
	m.HandleFunc("POST /app/sessions/end-all", s.endAllSessions)
	m.HandleFunc("GET /app/tokens", s.web(s.tokensPage))
	m.HandleFunc("POST /app/tokens", s.web(s.webCreateToken))
	m.HandleFunc("POST /app/tokens/{hash}/revoke", s.webForm("tokens", to("/app/tokens"), s.webRevokeToken))
	m.HandleFunc("GET /app/outbox", s.web(s.outboxPage))
}

type clientsData struct {
	Clients  []accord.Client
	Langs    []string
	Timezone string // a new client's zone unless changed: the workspace's
	// Billing is what invoices say of each client, by id.
	Billing map[string]accord.ClientBilling
	// Pages leads to the next clients by name and back to the first.
	Pages pager
}

func (s *Server) clientsPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	after, err := pageCursor(r, "clients")
	if err != nil {
		return err
	}
	cs, err := s.App.ClientPage(r.Context(), f, accord.Page{After: after, Size: accord.DefaultPageSize})
	if err != nil {
		return err
	}
	bills, err := s.App.ClientBillings(r.Context(), f)
	if err != nil {
		return err
	}
	p.Data = clientsData{Clients: cs.Items, Langs: accord.Languages, Timezone: f.Zone.String(), Billing: bills, Pages: newPager("/app/clients", "clients", after, cs)}
	p.Title = s.Catalog.In(p.L, "clients.title", nil)
	s.render(w, r, http.StatusOK, "clients", p)
	return nil
}

func (s *Server) webCreateClient(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	c, err := s.App.CreateClient(r.Context(), f, r.PostFormValue("name"), r.PostFormValue("email"),
		r.PostFormValue("language"), r.PostFormValue("timezone"))
	if err != nil {
		return done{}, err
	}
	return done{To: "/app/clients#client-" + c.ID, Notice: s.Catalog.In(l, "notice.client_added", map[string]any{"name": c.Name})}, nil
}

func (s *Server) webUpdateClient(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	c, err := s.App.UpdateClient(r.Context(), f, r.PathValue("cid"), r.PostFormValue("name"), r.PostFormValue("email"),
		r.PostFormValue("language"), r.PostFormValue("timezone"))
	if err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.client_saved", map[string]any{"name": c.Name})}, nil
}

type settingsData struct {
	Workspace accord.Workspace
	Language  string
	Langs     []string
	// CoolingOff is the workspace's cooling-off in whole minutes.
	CoolingOff int
	// Notifications are the kinds of email the freelancer can turn off.
	Notifications []string
	// Billing is what invoices say of the freelancer; TaxRate its rate as typed.
	Billing accord.Billing
	TaxRate string
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	ws, err := s.App.Workspace(r.Context(), f)
	if err != nil {
		return err
	}
	if ws.Timezone == "" {
		ws.Timezone = f.Zone.String() // a workspace made without a zone reads in UTC: show it, so saving is not refused
	}
	b, err := s.App.Billing(r.Context(), f)
	if err != nil {
		return err
	}
	d := settingsData{Workspace: ws, Language: f.Lang, Langs: accord.Languages, CoolingOff: int(ws.CoolingOff.Minutes()),
		Notifications: accord.Notifications, Billing: b}
	if b.TaxRate > 0 {
		d.TaxRate = app.RateText(p.L.Lang, b.TaxRate)
	}
	p.Data = d
	p.Title = s.Catalog.In(p.L, "settings.title", nil)
	s.render(w, r, http.StatusOK, "settings", p)
	return nil
}

func (s *Server) webSaveSettings(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	st := app.Settings{WorkspaceName: r.PostFormValue("name"), Timezone: r.PostFormValue("timezone"),
		CoolingOffMinutes: atoi(r.PostFormValue("cooling_off_minutes")), PaymentDetails: r.PostFormValue("payment_details"),
		ResponseDays: formDays(r, "response_days"), Muted: formMuted(r),
		Language: r.PostFormValue("language")}
	if _, ok := r.PostForm["min_prepayment"]; ok {
		st.Policy = &accord.Policy{MinPrepayment: formPercent(r, "min_prepayment"), MinKillFee: formPercent(r, "min_kill_fee"),
			MaxRevisions: formPercent(r, "max_revisions")}
	}
	if err := s.App.SaveSettings(r.Context(), f, st); err != nil {
		return done{}, err
	}
	l.Lang = st.Language // the confirmation is in the language just chosen, or the browser's
	if l.Lang == "" {
		l.Lang = s.lang(r)
	}
	return done{Notice: s.Catalog.In(l, "notice.settings_saved", nil)}, nil
}

// endAllSessions signs the freelancer out of every browser, this one included.
func (s *Server) endAllSessions(w http.ResponseWriter, r *http.Request) {
	f, err := s.freelancerOf(r)
	if err != nil {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	l := s.freelancerLocale(r, f)
	n, err := s.App.SignOutEverywhere(r.Context(), f)
	if err != nil {
		s.errorPage(w, r, page{L: l, User: f.Name}, err)
		return
	}
	s.setCookie(w, r, sessionCookie, "", -1)
	s.putFlash(w, r, "", flash{Notice: s.Catalog.In(l, "notice.signed_out_everywhere", map[string]any{"count": n})})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type tokensData struct {
	Tokens []accord.Session
	New    string // a token just made, shown this once
	Email  string
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	ts, err := s.App.Tokens(r.Context(), f)
	if err != nil {
		return err
	}
	p.Data, p.Title = tokensData{Tokens: ts, New: p.Link, Email: f.Email}, s.Catalog.In(p.L, "tokens.title", nil)
	s.render(w, r, http.StatusOK, "tokens", p)
	return nil
}

// webCreateToken makes a token and shows it once, on the tokens page the browser is sent to: the
// secret waits for that one page in a flash only this session can read, and is gone once read.
func (s *Server) webCreateToken(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	token, err := s.App.CreateNamedToken(r.Context(), f.Email, r.PostFormValue("password"), clientAddr(r), r.PostFormValue("label"))
	owner := flashOwner(r, sessionCookie)
	if err != nil {
		status, d := s.describeIn(r, p.L, err)
		if status == http.StatusInternalServerError {
			return err
		}
		fl := s.refused("new-token", r, p.L, d)
		if accord.ErrorCode(err) == accord.EUNAUTHORIZED { // a wrong password: say it beside the password
			fl.Form.Errors["password"] = append(fl.Form.Errors["password"], s.Catalog.In(p.L, "error.password_wrong", nil))
			fl.Error = ""
		}
		s.putFlash(w, r, owner, fl)
		http.Redirect(w, r, "/app/tokens#new-token-form", http.StatusSeeOther)
		return nil
	}
	s.putFlash(w, r, owner, flash{Notice: s.Catalog.In(p.L, "notice.token_created", nil), Link: token})
	http.Redirect(w, r, "/app/tokens", http.StatusSeeOther)
	return nil
}

func (s *Server) webRevokeToken(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
	if err := s.App.RevokeToken(r.Context(), f, r.PathValue("hash")); err != nil {
		return done{}, err
	}
	return done{Notice: s.Catalog.In(l, "notice.token_revoked", nil)}, nil
}

func (s *Server) outboxPage(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
	after, err := pageCursor(r, "mails")
	if err != nil {
		return err
	}
	ms, err := s.App.MailPage(r.Context(), f, accord.Page{After: after, Size: accord.DefaultPageSize, Newest: true})
	if err != nil {
		return err
	}
	p.Data = struct {
		Mails []accord.Mail
		Pages pager
	}{ms.Items, newPager("/app/outbox", "mails", after, ms)}
	p.Title = s.Catalog.In(p.L, "outbox.title", nil)
	s.render(w, r, http.StatusOK, "outbox", p)
	return nil
}

// formMuted is the notifications a settings form left unticked, nil when it showed none.
func formMuted(r *http.Request) []string {
	if r.PostFormValue("notify_shown") == "" {
		return nil
	}
	muted := []string{}
	for _, kind := range accord.Notifications {
		if !slices.Contains(r.PostForm["notify"], kind) {
			muted = append(muted, kind)
		}
	}
	return muted
}

// formDays reads a number of days from a form: 0 when the form has no such field (keep it as it
// is), -1 for anything that is not a positive whole number (refused in the rule's words).
// formPercent reads a whole number from the form; one that is not a number is -1, which the
// policy refuses as out of range, beside the field.
func formPercent(r *http.Request, field string) int {
	n, err := strconv.Atoi(strings.TrimSpace(cmp.Or(r.PostFormValue(field), "0")))
	if err != nil {
		return -1
	}
	return n
}

func formDays(r *http.Request, field string) int {
	if _, ok := r.PostForm[field]; !ok {
		return 0
	}
	if n := atoi(r.PostFormValue(field)); n > 0 {
		return n
	}
	return -1
}
