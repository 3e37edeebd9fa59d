package server

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
)

// invoiceView is an invoice as the API lists it.
type invoiceView struct {
	ID       string       `json:"id"`
	Number   string       `json:"number"`
	Kind     string       `json:"kind"`
	IssuedAt time.Time    `json:"issued_at"`
	DueDate  accord.Date  `json:"due_date"`
	Total    accord.Money `json:"total"`
	Paid     accord.Money `json:"paid"`
	State    string       `json:"state"`
	PDFURL   string       `json:"pdf_url"`
	// PageURL is the invoice's page (web only).
	PageURL string `json:"-"`
	// Corrects is the number of the invoice a credit note cancels.
	Corrects string `json:"corrects,omitempty"`
}

// viewInvoices lists an engagement's invoices, newest first, their state as of today; base is
// where their PDFs are (the API's or the portal's), page where their pages are.
func viewInvoices(e *accord.Engagement, today accord.Date, base, page string) []invoiceView {
	out := make([]invoiceView, 0, len(e.Invoices))
	for i := len(e.Invoices) - 1; i >= 0; i-- {
		inv := &e.Invoices[i]
		v := invoiceView{ID: inv.ID, Number: inv.Number, Kind: inv.Kind, IssuedAt: inv.IssuedAt, DueDate: inv.DueDate,
			Total: inv.Total, Paid: e.InvoicePaid(inv), State: e.InvoiceState(inv, today),
			PDFURL: base + "/invoices/" + inv.ID + "/pdf", PageURL: page + "/invoices/" + inv.ID}
		if orig := e.Invoice(inv.Corrects); orig != nil {
			v.Corrects = orig.Number
		}
		out = append(out, v)
	}
	return out
}

// receiptView is a payment or a refund in the list of receipts.
type receiptView struct {
	ID      string
	Refund  bool
	Amount  accord.Money
	At      time.Time
	PageURL string
}

// viewReceipts lists an engagement's payments and refunds, newest first, with their pages under base.
func viewReceipts(e *accord.Engagement, base string) []receiptView {
	var out []receiptView
	for _, p := range e.Payments {
		out = append(out, receiptView{ID: p.ID, Amount: p.Amount, At: p.At, PageURL: base + "/receipts/" + p.ID})
	}
	for _, r := range e.Refunds {
		out = append(out, receiptView{ID: r.ID, Refund: true, Amount: r.Amount, At: r.At, PageURL: base + "/receipts/" + r.ID})
	}
	slices.SortStableFunc(out, func(a, b receiptView) int { return b.At.Compare(a.At) })
	return out
}

func (s *Server) routesInvoices() {
	m := s.mux
	m.HandleFunc("POST /api/v1/stripe/webhook", s.public(s.stripeWebhook))
	m.HandleFunc("GET /app/engagements/{id}/receipts/{rid}", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.receiptPage(w, r, p, e, "/app/engagements/"+e.ID, "/app/engagements/"+e.ID+"#invoices")
	}))
	m.HandleFunc("GET /app/engagements/{id}/receipts/{rid}/pdf", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.receiptPDF(w, r, p.L, e)
	}))
	m.HandleFunc("GET /portal/receipts/{rid}", s.portalPage(func(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		return s.receiptPage(w, r, p, e, "/portal", "/portal#invoices")
	}))
	m.HandleFunc("GET /portal/receipts/{rid}/pdf", s.portalPage(func(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		return s.receiptPDF(w, r, c.Locale, e)
	}))
	m.HandleFunc("GET /api/v1/engagements/{id}/invoices", s.api(func(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		base := "/api/v1/engagements/" + e.ID
		writeJSON(w, http.StatusOK, map[string]any{"invoices": viewInvoices(e, s.App.Today(i18n.Locale{Zone: f.Zone}), base, base)})
		return nil
	}))
	m.HandleFunc("GET /api/v1/engagements/{id}/invoices/{iid}/pdf", s.api(func(w http.ResponseWriter, r *http.Request, f app.Freelancer) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.invoicePDF(w, r, s.freelancerLocale(r, f), e)
	}))
	m.HandleFunc("GET /portal/api/invoices", s.portalAPI(func(w http.ResponseWriter, r *http.Request, c app.Contact) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"invoices": viewInvoices(e, s.App.Today(c.Locale), "/portal/api", "/portal")})
		return nil
	}))
	m.HandleFunc("GET /portal/api/invoices/{iid}/pdf", s.portalAPI(func(w http.ResponseWriter, r *http.Request, c app.Contact) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		return s.invoicePDF(w, r, c.Locale, e)
	}))

	m.HandleFunc("GET /app/engagements/{id}/invoices/{iid}", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.invoicePage(w, r, p, e, "/app/engagements/"+e.ID, false)
	}))
	m.HandleFunc("GET /app/engagements/{id}/invoices/{iid}/pdf", s.web(func(w http.ResponseWriter, r *http.Request, f app.Freelancer, p page) error {
		e, err := s.App.Engagement(r.Context(), f, r.PathValue("id"))
		if err != nil {
			return err
		}
		return s.invoicePDF(w, r, p.L, e)
	}))
	m.HandleFunc("POST /app/engagements/{id}/invoices/{iid}/credit", s.webForm("invoices", func(r *http.Request) string {
		return "/app/engagements/" + url.PathEscape(r.PathValue("id")) + "#invoices"
	}, func(w http.ResponseWriter, r *http.Request, f app.Freelancer, l i18n.Locale) (done, error) {
		_, err := s.App.CreditInvoice(r.Context(), f, r.PathValue("id"), r.PathValue("iid"))
		return done{Notice: s.Catalog.In(l, "notice.invoice_credited", nil)}, err
	}))
	m.HandleFunc("GET /portal/invoices/{iid}", s.portalPage(func(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		return s.invoicePage(w, r, p, e, "/portal", true)
	}))
	m.HandleFunc("GET /portal/invoices/{iid}/pdf", s.portalPage(func(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error {
		e, _, err := s.App.PortalEngagement(r.Context(), c)
		if err != nil {
			return err
		}
		return s.invoicePDF(w, r, c.Locale, e)
	}))
}

// invoiceData is what an invoice's page shows: the invoice worded for its reader, and its PDF.
type invoiceData struct {
	Doc    app.InvoiceDoc
	PDFURL string
	Back   string
	// CanCredit offers the freelancer a credit note for the invoice.
	CanCredit bool
	CreditURL string
}

func (s *Server) invoicePage(w http.ResponseWriter, r *http.Request, p page, e *accord.Engagement, base string, portal bool) error {
	inv := e.Invoice(r.PathValue("iid"))
	if inv == nil {
		return accord.Errorf(accord.ENOTFOUND, "invoice.not_found")
	}
	d := invoiceData{Doc: s.App.InvoiceDoc(p.L, e, inv, s.App.Today(p.L)), Back: base + "#invoices"}
	if s.App.InvoicePDFs != nil {
		d.PDFURL = base + "/invoices/" + inv.ID + "/pdf"
	}
	if portal {
		d.Back = "/portal#invoices"
	} else if inv.Kind != accord.InvoiceCreditNote && inv.CreditedBy == "" {
		d.CanCredit, d.CreditURL = true, base+"/invoices/"+inv.ID+"/credit"
	}
	p.Data, p.Title = d, d.Doc.Title
	s.render(w, r, http.StatusOK, "invoice", p)
	return nil
}

func (s *Server) receiptPage(w http.ResponseWriter, r *http.Request, p page, e *accord.Engagement, base, back string) error {
	doc, err := s.App.Receipt(r.Context(), p.L, e, r.PathValue("rid"))
	if err != nil {
		return err
	}
	d := invoiceData{Doc: doc, Back: back}
	if s.App.InvoicePDFs != nil {
		d.PDFURL = base + "/receipts/" + doc.ID + "/pdf"
	}
	p.Data, p.Title = d, doc.Title
	s.render(w, r, http.StatusOK, "invoice", p)
	return nil
}

func (s *Server) receiptPDF(w http.ResponseWriter, r *http.Request, l i18n.Locale, e *accord.Engagement) error {
	b, name, err := s.App.ReceiptFile(r.Context(), l, e, r.PathValue("rid"))
	if err != nil {
		return err
	}
	writePDF(w, b, name)
	return nil
}

// writePDF answers a document as a PDF shown in the browser, never run as anything else.
func writePDF(w http.ResponseWriter, b []byte, name string) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(b)
}

// invoicePDF answers an invoice of e as a PDF in the reader's language.
func (s *Server) invoicePDF(w http.ResponseWriter, r *http.Request, l i18n.Locale, e *accord.Engagement) error {
	b, name, err := s.App.InvoiceFile(l, e, r.PathValue("iid"))
	if err != nil {
		return err
	}
	writePDF(w, b, name)
	return nil
}

// portalPage wraps a page for a contact with a portal session: without one the browser goes to
// the portal's door; an error is shown as a page.
func (s *Server) portalPage(h func(w http.ResponseWriter, r *http.Request, c app.Contact, p page) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.contactOf(r)
		if err != nil {
			http.Redirect(w, r, "/portal", http.StatusSeeOther)
			return
		}
		p := s.contactPage(w, r, c)
		if err := h(w, r, c, p); err != nil {
			s.errorPage(w, r, p, err)
		}
	}
}

// stripeWebhook takes Stripe's events about payments by card: 400 for a signature that does not
// hold or an event for no payment the workspace asked for, 200 once applied (or ignored).
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return accord.Errorf(accord.ETOOLARGE, "stripe.too_large")
	}
	switch err := s.App.StripeWebhook(r.Context(), body, r.Header.Get("Stripe-Signature")); {
	case errors.Is(err, app.ErrWebhookSignature):
		s.Log.Info("stripe webhook refused", "err", err)
		return accord.Errorf(accord.EMALFORMED, "stripe.signature")
	case errors.Is(err, app.ErrWebhookPayment):
		s.Log.Info("stripe webhook refused", "err", err)
		return accord.Errorf(accord.EMALFORMED, "stripe.unknown_payment")
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, map[string]bool{"received": true})
	return nil
}
