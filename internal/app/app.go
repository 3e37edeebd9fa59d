// Package app holds Accord's use cases: who may do what, the domain command, its events
// stored in the same transaction, and what happens after commit.
package app

import (
	"context"
	"crypto/rand"
	"image"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/jobs"
	"github.com/accordapp/accord/internal/preview"
	"github.com/accordapp/accord/internal/record"
)

// Mailer sends an email that is already in the outbox; nil means the outbox is the only
// destination. It is called by a job, never inside a request.
type Mailer interface {
	Send(ctx context.Context, m accord.Mail) error
}

// App is the set of use cases over a store, blobs, a clock and a catalog.
type App struct {
	Store   accord.Store
	Blobs   accord.Blobs
	Clock   accord.Clock
	Catalog *i18n.Catalog
	Mailer  Mailer
	// Jobs runs what happens later or outside a request: sending mail, the steps that time takes.
	Jobs *jobs.Runner
	Log  *slog.Logger
	// SignupPolicy is who may sign up: "first" (only the first account), "open" or "closed".
	SignupPolicy string
	// BaseURL is the public address, used in links sent to clients.
	BaseURL string
	// InvitationTTL is how long a portal link stays valid.
	InvitationTTL time.Duration
	// SessionTTL is how long browser and portal sessions last.
	SessionTTL time.Duration
	// MailDomain is the domain of the engagements' reply addresses, where the SMTP server that
	// receives replies answers; "" gives no reply addresses.
	MailDomain string
	// Keys sign the workspaces' records; New makes throwaway ones, serve loads the kept ones.
	Keys *record.Keys
	// PDFPages renders PDFs' pages for their previews; nil leaves PDFs without one.
	PDFPages PDFPages
	// Previews bounds the memory of the previews rendered at once, whatever the number of CPUs.
	Previews *preview.Budget
	// InvoicePDFs lays invoices out as PDFs; nil offers invoices as pages only.
	InvoicePDFs InvoicePDF
	// StripeURL is the Stripe API's address ("" for Stripe's own; stripe-mock's in tests).
	StripeURL string

	limiter *limiter
	advance sync.Mutex    // one test-clock advance at a time
	hashing chan struct{} // bounds concurrent argon2id work
}

// New returns an App with the defaults filled in.
func New(st accord.Store, blobs accord.Blobs, clock accord.Clock, cat *i18n.Catalog) *App {
	a := &App{Store: st, Blobs: blobs, Clock: clock, Catalog: cat, Log: slog.Default(),
		SignupPolicy: "first", InvitationTTL: 7 * 24 * time.Hour, SessionTTL: 30 * 24 * time.Hour,
		limiter: newLimiter(15*time.Minute, map[string]int{"login": 10, "addr": 100, "link": 3, "linkaddr": 20}),
		hashing: make(chan struct{}, runtime.NumCPU()), Previews: preview.NewBudget(preview.DefaultMemory),
		Keys: record.NewKeys(randomSecret())}
	a.InvoicePDFs = a.invoicePDF
	return a
}

// PDFPages rasterises pages of a PDF, each page handed to use as soon as it is ready.
type PDFPages interface {
	RenderEach(ctx context.Context, pdf []byte, first, n, maxSide int, use func(page int, img image.Image) error) error
}

// cmdOf is a command by the freelancer, with the workspace's zone for "today".
func (a *App) cmdOf(f Freelancer) accord.Cmd {
	c := a.cmd(f.actor())
	c.Zone = f.Zone
	return c
}

func (f Freelancer) actor() accord.Actor {
	return accord.Actor{Kind: "freelancer", ID: f.UserID, Name: f.Name}
}

func (c Contact) actor() accord.Actor {
	return accord.Actor{Kind: "client", ID: c.Email, Name: c.Email}
}

func (a *App) cmd(by accord.Actor) accord.Cmd { return accord.Cmd{Now: a.Clock.Now(), By: by} }

// change loads an engagement inside a write transaction, runs fn on it, and saves it with its
// new events; the mail fn queues and the jobs it schedules commit with it, and so do the next
// nudge and report where fn brought them due or earlier (newSteps).
func (a *App) change(ctx context.Context, ws, id string, fn func(tx accord.Tx, e *accord.Engagement) error) (*accord.Engagement, error) {
	return a.changeSteps(ctx, ws, id, false, fn)
}

// changeAll is change that schedules the next nudge and report wherever they are, moved or not.
func (a *App) changeAll(ctx context.Context, ws, id string, fn func(tx accord.Tx, e *accord.Engagement) error) (*accord.Engagement, error) {
	return a.changeSteps(ctx, ws, id, true, fn)
}

func (a *App) changeSteps(ctx context.Context, ws, id string, all bool, fn func(tx accord.Tx, e *accord.Engagement) error) (*accord.Engagement, error) {
	var out *accord.Engagement
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(ws, id)
		if err != nil {
			return err
		}
		b := &batchTx{Tx: tx}
		w, err := b.Workspace(e.WorkspaceID)
		if err != nil {
			return err
		}
		now := a.Clock.Now()
		var before []jobs.Job
		if !all {
			before = a.steps(e, w, now)
		}
		if err := fn(b, e); err != nil {
			return err
		}
		out = e
		if err := tx.SaveEngagement(e); err != nil {
			return err
		}
		if w, err = b.Workspace(e.WorkspaceID); err != nil { // fn may have changed its settings
			return err
		}
		if js := newSteps(before, a.steps(e, w, now), now); len(js) > 0 {
			if err := a.enqueue(b, js...); err != nil {
				return err
			}
		}
		return a.flushJobs(b)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queueMail puts an email in the outbox and schedules its sending, in the same transaction.
func (a *App) queueMail(tx accord.Tx, m accord.Mail) error {
	if err := tx.AddMail(m); err != nil {
		return err
	}
	return a.enqueue(tx, jobs.Job{Kind: JobSendMail, Args: mailArgs{ID: m.ID}})
}

// mail queues an email to a contact of the engagement (the client's own address when to is ""),
// in the recipient's language and time zone.
func (a *App) mail(tx accord.Tx, e *accord.Engagement, to, kind string, data map[string]any) error {
	return a.mailFiles(tx, e, to, kind, data, nil)
}

// mailFiles is mail with files attached, each made in the recipient's locale (a receipt's PDF).
func (a *App) mailFiles(tx accord.Tx, e *accord.Engagement, to, kind string, data map[string]any, files func(i18n.Locale) ([]accord.Attachment, error)) error {
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return err
	}
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return err
	}
	if to == "" {
		to = cl.Email
	}
	loc, err := a.contactLocale(tx, e.WorkspaceID, e.ID, to)
	if err != nil {
		return err
	}
	d := map[string]any{"workspace": ws.Name, "title": e.Title}
	for k, v := range data {
		d[k] = v
	}
	var attached []accord.Attachment
	if files != nil {
		if attached, err = files(loc); err != nil {
			return err
		}
	}
	return a.queueMail(tx, accord.Mail{ID: accord.NewID("mail"), WorkspaceID: e.WorkspaceID, EngagementID: e.ID, To: to, Attachments: attached,
		Subject: a.Catalog.In(loc, "mail."+kind+".subject", d),
		Body:    a.Catalog.In(loc, "mail."+kind+".body", d) + a.recordFooter(loc, ws.Name, e.WorkspaceID, kind), At: a.Clock.Now(), Kind: kind, State: accord.MailQueued})
}

// notify tells the freelancer by email of what the client did, in the freelancer's language and
// the workspace's zone, with the engagement's address; unless that kind is turned off.
func (a *App) notify(tx accord.Tx, e *accord.Engagement, kind string, data map[string]any) error {
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil || !ws.Notifies(kind) {
		return err
	}
	owner, err := tx.UserByID(ws.OwnerID)
	if err != nil {
		return err
	}
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return err
	}
	lang := owner.Language
	if lang == "" {
		lang = "en"
	}
	loc := i18n.Locale{Lang: lang, Zone: zone(ws.Timezone)}
	d := map[string]any{"title": e.Title, "client": cl.Name, "url": a.BaseURL + "/app/engagements/" + e.ID}
	for k, v := range data {
		d[k] = v
	}
	return a.queueMail(tx, accord.Mail{ID: accord.NewID("mail"), WorkspaceID: e.WorkspaceID, EngagementID: e.ID, To: owner.Email,
		Subject: a.Catalog.In(loc, "mail.notify."+kind+".subject", d),
		Body:    a.Catalog.In(loc, "mail.notify."+kind+".body", d) + a.recordFooter(loc, ws.Name, e.WorkspaceID, "notify_"+kind), At: a.Clock.Now(), Kind: "notify_" + kind, State: accord.MailQueued})
}

// askPayment tells the client, once, when a change makes a payment due: the prepayment of the
// next milestone or the balance of an accepted one, with the amount and how to pay.
func (a *App) askPayment(tx accord.Tx, e *accord.Engagement, c accord.Cmd, before accord.Wait) error {
	w := e.Waiting(accord.DefaultResponseDays)
	if w.Step != accord.StepPrepay && w.Step != accord.StepPay || w.Amount.Amount <= 0 ||
		w.Step == before.Step && w.Milestone != nil && before.Milestone != nil && w.Milestone.ID == before.Milestone.ID {
		return nil
	}
	ws, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return err
	}
	kind := accord.InvoicePrepayment
	if w.Step == accord.StepPay {
		kind = accord.InvoiceBalance
	}
	data := map[string]any{"amount": w.Amount, "num": w.Milestone.N, "milestone": w.Milestone.Title, "details": ws.PaymentDetails}
	inv, err := a.issueInvoice(tx, e, c, w.Milestone.ID, kind)
	if err != nil {
		return err
	}
	if inv != nil {
		data["number"], data["reference"] = inv.Number, inv.Reference
	}
	return a.askMail(tx, e, c, kind, data)
}

// newLink makes a single-use portal link for a contact of the engagement; the link (never its
// secret) is on the record as an invitation.
func (a *App) newLink(tx accord.Tx, e *accord.Engagement, c accord.Cmd, email string) (Invitation, error) {
	token, hash := newSecret("prt")
	inv := Invitation{URL: a.BaseURL + "/p/" + token, Token: token, ExpiresAt: c.Now.Add(a.InvitationTTL)}
	if err := tx.CreatePortalToken(accord.PortalToken{Hash: hash, WorkspaceID: e.WorkspaceID, EngagementID: e.ID,
		Email: email, CreatedAt: c.Now, ExpiresAt: inv.ExpiresAt}); err != nil {
		return Invitation{}, err
	}
	e.RecordInvitation(c, email, inv.ExpiresAt)
	return inv, nil
}

// askMail mails the client something asked of them with a fresh single-use portal link, so that
// every such email carries its own way in; the link is on the record as an invitation.
func (a *App) askMail(tx accord.Tx, e *accord.Engagement, c accord.Cmd, kind string, data map[string]any) error {
	return a.askMailFiles(tx, e, c, kind, data, nil)
}

// askMailFiles is askMail with files attached (see mailFiles).
func (a *App) askMailFiles(tx accord.Tx, e *accord.Engagement, c accord.Cmd, kind string, data map[string]any, files func(i18n.Locale) ([]accord.Attachment, error)) error {
	cl, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return err
	}
	inv, err := a.newLink(tx, e, c, cl.Email)
	if err != nil {
		return err
	}
	d := map[string]any{"url": inv.URL, "expires": inv.ExpiresAt}
	for k, v := range data {
		d[k] = v
	}
	return a.mailFiles(tx, e, cl.Email, kind, d, files)
}

// acquire takes a place in sem, waiting no longer than ctx; release gives it back.
func acquire(ctx context.Context, sem chan struct{}) (release func(), err error) {
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// randomSecret is a fresh 32-byte secret.
func randomSecret() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	return b
}
