package app

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/accordapp/accord"
)

// Page sizes of the engagement's views: messages and events shown at once.
const (
	MessagesPerPage = 50
	EventsPerPage   = 100
)

// EngagementView is what the freelancer's engagement page shows, read in one transaction: the
// engagement, its client, a page of its messages and one of its events, each in the order they
// were written and ending with the newest unless an earlier page was asked for.
type EngagementView struct {
	E        *accord.Engagement
	Client   accord.Client
	Messages accord.Paged[accord.Message]
	Events   accord.Paged[accord.Event]
	// Templates are the workspace's brief templates, read once the engagement has ended (for
	// the lesson's question).
	Templates []accord.BriefTemplate
	// Stamp is the engagement's and its workspace's settings' version, read before the rest.
	Stamp accord.Stamp
}

// EngagementView reads the engagement page: messages and events are read from the newest back,
// from the cursors given (nil for the newest). The events are not read when have, given the
// engagement as read, says the caller has them already (nil: never).
func (a *App) EngagementView(ctx context.Context, f Freelancer, id string, messages, events *accord.Cursor, have func(*accord.Engagement) bool) (EngagementView, error) {
	var v EngagementView
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		// The stamp first: a write between two reads then leaves the page newer than its stamp,
		// never older, and a page kept under a stamp that has moved on is never sent.
		if v.Stamp, err = tx.EngagementStamp(f.WorkspaceID, id); err != nil {
			return err
		}
		if v.E, err = tx.Engagement(f.WorkspaceID, id); err != nil {
			return err
		}
		if v.Client, err = tx.Client(f.WorkspaceID, v.E.ClientID); err != nil {
			return err
		}
		if v.Messages, err = tx.MessagePage(id, time.Time{}, accord.Page{After: messages, Size: MessagesPerPage, Newest: true}); err != nil {
			return err
		}
		if have == nil || !have(v.E) {
			if v.Events, err = tx.EventPage(id, accord.Page{After: events, Size: EventsPerPage, Newest: true}); err != nil {
				return err
			}
		}
		v.Events.Total = int(v.E.Seq)
		if v.E.State == accord.Completed || v.E.State == accord.Terminated {
			v.Templates, err = tx.BriefTemplates(f.WorkspaceID)
		}
		return err
	})
	slices.Reverse(v.Messages.Items)
	slices.Reverse(v.Events.Items)
	return v, err
}

// PortalView is what the client's portal page shows, read in one transaction: the contact's
// engagement, its workspace, the workspace's billing settings (whether the client can pay by
// card) and a page of the messages the client can see, oldest first and ending with the newest
// unless an earlier page was asked for.
type PortalView struct {
	E         *accord.Engagement
	Workspace accord.Workspace
	Billing   accord.Billing
	Messages  accord.Paged[accord.Message]
	Stamp     accord.Stamp
}

// PortalPage reads the portal's page, its messages from the cursor given (nil for the newest).
func (a *App) PortalPage(ctx context.Context, c Contact, messages *accord.Cursor) (PortalView, error) {
	var v PortalView
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		if v.Stamp, err = tx.EngagementStamp(c.WorkspaceID, c.EngagementID); err != nil { // first, as in EngagementView
			return err
		}
		if v.E, err = tx.Engagement(c.WorkspaceID, c.EngagementID); err != nil {
			return err
		}
		if v.Workspace, err = tx.Workspace(c.WorkspaceID); err != nil {
			return err
		}
		if v.Billing, err = tx.Billing(c.WorkspaceID); err != nil {
			return err
		}
		v.Messages, err = tx.MessagePage(c.EngagementID, a.Clock.Now(), accord.Page{After: messages, Size: MessagesPerPage, Newest: true})
		return err
	})
	slices.Reverse(v.Messages.Items)
	return v, err
}

// EngagementStamp reads which version of the engagement and of its workspace's settings is
// stored, without the engagement itself: a page rendered from an earlier read of the same
// stamp still shows them as they are.
func (a *App) EngagementStamp(ctx context.Context, workspaceID, id string) (accord.Stamp, error) {
	var s accord.Stamp
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		s, err = tx.EngagementStamp(workspaceID, id)
		return err
	})
	return s, err
}

// ownEngagement checks, without reading its snapshot, that the engagement is the workspace's;
// another workspace's is not found.
func ownEngagement(tx accord.Tx, workspaceID, id string) error {
	ref, err := tx.FindEngagement(id)
	if err == nil && ref.WorkspaceID != workspaceID {
		err = accord.Errorf(accord.ENOTFOUND, "engagement.not_found")
	}
	return err
}

// readPage reads one page in a read transaction.
func readPage[T any](ctx context.Context, a *App, read func(tx accord.Tx) (accord.Paged[T], error)) (accord.Paged[T], error) {
	var out accord.Paged[T]
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		out, err = read(tx)
		return err
	})
	return out, err
}

// MessagePage is a page of one of the workspace's engagements' messages, in the order written.
func (a *App) MessagePage(ctx context.Context, f Freelancer, id string, p accord.Page) (accord.Paged[accord.Message], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[accord.Message], error) {
		if err := ownEngagement(tx, f.WorkspaceID, id); err != nil {
			return accord.Paged[accord.Message]{}, err
		}
		return tx.MessagePage(id, time.Time{}, p)
	})
}

// ClientMessagePage is a page of the messages the client can see: held ones appear at their
// send_at.
func (a *App) ClientMessagePage(ctx context.Context, c Contact, p accord.Page) (accord.Paged[accord.Message], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[accord.Message], error) {
		return tx.MessagePage(c.EngagementID, a.Clock.Now(), p)
	})
}

// EventPage is a page of one of the workspace's engagements' events, in order.
func (a *App) EventPage(ctx context.Context, workspaceID, id string, p accord.Page) (accord.Paged[accord.Event], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[accord.Event], error) {
		if err := ownEngagement(tx, workspaceID, id); err != nil {
			return accord.Paged[accord.Event]{}, err
		}
		return tx.EventPage(id, p)
	})
}

// EngagementPage is a page of the workspace's engagements, most recently changed first.
func (a *App) EngagementPage(ctx context.Context, f Freelancer, p accord.Page) (accord.Paged[*accord.Engagement], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[*accord.Engagement], error) {
		return tx.EngagementPage(f.WorkspaceID, p)
	})
}

// ClientPage is a page of the workspace's clients by name.
func (a *App) ClientPage(ctx context.Context, f Freelancer, p accord.Page) (accord.Paged[accord.Client], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[accord.Client], error) {
		return tx.ClientPage(f.WorkspaceID, p)
	})
}

// MailPage is a page of the workspace's outbox, oldest first.
func (a *App) MailPage(ctx context.Context, f Freelancer, p accord.Page) (accord.Paged[accord.Mail], error) {
	return readPage(ctx, a, func(tx accord.Tx) (accord.Paged[accord.Mail], error) {
		return tx.MailPage(f.WorkspaceID, p)
	})
}

// What the dashboard shows at once.
const (
	AgendaPerPage      = 25  // engagements
	DashboardDeadlines = 5   // the nearest due dates
	OverdueShown       = 20  // overdue invoices, the longest late first
	ClientChoices      = 100 // clients offered for a new engagement, by name
)

// DashboardView is what the dashboard shows, read in one transaction from the workspace's
// tallies and indexed rows, never from every engagement: a page of engagements (what needs
// the freelancer first), the summary, the money over the last months, the overdue invoices, and
// what a new engagement can start from.
type DashboardView struct {
	Engagements accord.Paged[*accord.Engagement]
	// ClientNames are the names of the listed engagements' clients, by id.
	ClientNames map[string]string
	Summary     accord.Summary
	// Money are the tallies of money received and owed around the chart's months.
	Money        []accord.Tally
	Overdue      []accord.OverdueInvoice
	OverdueCount int // every overdue invoice, of which Overdue are the first
	// Currency is what most engagements are in: what a new one is in unless changed.
	Currency  string
	Clients   accord.Paged[accord.Client]
	Templates []accord.BriefTemplate
}

// Dashboard reads the dashboard on day today in zone, with the chart's months and the page of
// engagements after the cursor given (nil for the first).
func (a *App) Dashboard(ctx context.Context, f Freelancer, agenda *accord.Cursor, months int, today accord.Date, zone *time.Location) (DashboardView, error) {
	v := DashboardView{ClientNames: map[string]string{}, Currency: "EUR"}
	ws := f.WorkspaceID
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		var err error
		if v.Engagements, err = tx.AgendaPage(ws, accord.Page{After: agenda, Size: AgendaPerPage}); err != nil {
			return err
		}
		for _, e := range v.Engagements.Items {
			if _, ok := v.ClientNames[e.ClientID]; !ok {
				c, err := tx.Client(ws, e.ClientID)
				if err != nil {
					return err
				}
				v.ClientNames[c.ID] = c.Name
			}
		}
		sums, err := tx.Tallies(ws, []string{accord.TallyOnClient, accord.TallyOnFreelancer, accord.TallyInvoiced,
			accord.TallyPaid, accord.TallyDue, accord.TallyRefunded}, 0, 1)
		if err != nil {
			return err
		}
		nearest, err := tx.NearestDue(ws, DashboardDeadlines)
		if err != nil {
			return err
		}
		v.Summary = accord.Summarize(sums, nearest, DashboardDeadlines)
		v.Currency = accord.MostUsedCurrency(sums, v.Currency)
		received, owed := accord.MonthBuckets(months, today, zone)
		if v.Money, err = tx.Tallies(ws, []string{accord.TallyReceived}, received[0], received[1]); err != nil {
			return err
		}
		owing, err := tx.Tallies(ws, []string{accord.TallyOwed}, math.MinInt64, owed[1])
		if err != nil {
			return err
		}
		v.Money, v.OverdueCount = append(v.Money, owing...), accord.OverdueCount(owing, today)
		late, err := tx.OverdueInvoices(ws, today, OverdueShown)
		if err != nil {
			return err
		}
		v.Overdue = accord.Overdue(late, today)
		if v.Clients, err = tx.ClientPage(ws, accord.Page{Size: ClientChoices}); err != nil {
			return err
		}
		v.Templates, err = tx.BriefTemplates(ws)
		return err
	})
	return v, err
}
