package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/accordapp/accord"
)

type milestoneView struct {
	ID         string       `json:"id"`
	N          int          `json:"n"`
	Title      string       `json:"title"`
	State      string       `json:"state"`
	DueDate    string       `json:"due_date"`
	Price      accord.Money `json:"price"`
	Prepayment accord.Money `json:"prepayment"`
	Paid       accord.Money `json:"paid"`
	// RevisionsUsed and RevisionsLeft count the agreed revision rounds; PaidChange is a change
	// asked for beyond them, until the client answers it.
	RevisionsUsed int                `json:"revisions_used"`
	RevisionsLeft int                `json:"revisions_left"`
	PaidChange    *accord.PaidChange `json:"paid_change,omitempty"`
	// Cause is why work was sent back, as the freelancer reads it; Options the ways forward.
	Cause   *accord.Cause   `json:"cause,omitempty"`
	Options []accord.Option `json:"options,omitempty"`
}

type deliverySummary struct {
	ID          string    `json:"id"`
	MilestoneID string    `json:"milestone_id"`
	State       string    `json:"state"`
	At          time.Time `json:"at"`
}

type engagementView struct {
	ID              string            `json:"id"`
	State           string            `json:"state"`
	ClientID        string            `json:"client_id"`
	Title           string            `json:"title"`
	Currency        string            `json:"currency"`
	Milestones      []milestoneView   `json:"milestones"`
	Balance         accord.Balance    `json:"balance"`
	AgreedVersion   int               `json:"agreed_version,omitempty"`
	ProposedVersion int               `json:"proposed_version,omitempty"`
	Deliveries      []deliverySummary `json:"deliveries"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	WorkspaceName   string            `json:"workspace_name,omitempty"`
	// CallSummaries are the points agreed on calls, each confirmed or corrected by the client.
	CallSummaries []accord.CallSummary `json:"call_summaries"`
	// ReplyAddress is where mail from the client's contacts lands in the engagement's messages.
	ReplyAddress string `json:"reply_address,omitempty"`
}

func viewEngagement(e *accord.Engagement) engagementView {
	v := engagementView{ID: e.ID, State: string(e.State), ClientID: e.ClientID, Title: e.Title,
		Currency: e.Currency, Balance: e.Balance(), Milestones: []milestoneView{},
		Deliveries: []deliverySummary{}, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
		CallSummaries: append([]accord.CallSummary{}, e.CallSummaries...)}
	for _, m := range e.Milestones {
		v.Milestones = append(v.Milestones, milestoneView{m.ID, m.N, m.Title, string(m.State),
			string(m.DueDate), m.Price, m.Prepayment, m.Paid, e.RevisionsUsed(&m), e.RevisionsLeft(&m), m.PaidChange,
			m.Cause, e.Options(m.ID)})
	}
	for _, d := range e.Deliveries {
		v.Deliveries = append(v.Deliveries, deliverySummary{d.ID, d.MilestoneID, d.State, d.At})
	}
	if a := e.Accepted(); a != nil {
		v.AgreedVersion = a.Version
	}
	if a := e.Proposed(); a != nil {
		v.ProposedVersion = a.Version
	}
	return v
}

type fileView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256,omitempty"`
	ContentType string `json:"content_type"`
	Kind        string `json:"kind,omitempty"`
	// Listing is an archive's contents as it declares them.
	Listing    *accord.Listing `json:"listing,omitempty"`
	PreviewURL *string         `json:"preview_url"`
	// PageURLs are the previews of each page, in order, when the file has more than one.
	PageURLs    []string `json:"page_urls,omitempty"`
	OriginalURL string   `json:"original_url"`
	// PreviewState is "pending" while the preview is being made, absent once it is settled.
	PreviewState string `json:"preview_state,omitempty"`
	// Pages is how many preview pages there are (0 without a preview).
	Pages int `json:"pages"`
	// Comments are the client's comments pinned to the preview, with their answers.
	Comments []commentJSON `json:"comments,omitempty"`
	// ViewURL is the page that pages through the preview with its comments (web only);
	// Unanswered counts the comments still without an answer.
	ViewURL    string `json:"-"`
	Unanswered int    `json:"-"`
}

// commentJSON is a comment as the API shows it.
type commentJSON struct {
	ID      string          `json:"id"`
	Page    int             `json:"page"`
	Spot    *accord.Spot    `json:"spot,omitempty"`
	Text    string          `json:"text"`
	At      time.Time       `json:"at"`
	Answers []accord.Answer `json:"answers"`
}

func viewComment(c accord.Comment) commentJSON {
	return commentJSON{ID: c.ID, Page: c.Page, Spot: c.Spot, Text: c.Text, At: c.At, Answers: append([]accord.Answer{}, c.Answers...)}
}

type deliveryView struct {
	ID            string    `json:"id"`
	MilestoneID   string    `json:"milestone_id"`
	State         string    `json:"state"`
	Note          string    `json:"note"`
	At            time.Time `json:"at"`
	WhatIsWrong   string    `json:"what_is_wrong,omitempty"`
	DesiredResult string    `json:"desired_result,omitempty"`
	Released      bool      `json:"released"`
	// PreviewsPending counts the files whose previews are still being made.
	PreviewsPending int        `json:"previews_pending"`
	Files           []fileView `json:"files"`
}

// viewDelivery describes a delivery with file links under base (the API's or the portal's).
// sign, when not nil, gives the query that makes a link to an original work (the portal's).
func viewDelivery(e *accord.Engagement, d *accord.Delivery, base string, withHash bool, sign func(fileID string) string) deliveryView {
	v := deliveryView{ID: d.ID, MilestoneID: d.MilestoneID, State: d.State, Note: d.Note, At: d.At,
		WhatIsWrong: d.WhatIsWrong, DesiredResult: d.DesiredResult, Released: e.OriginalReleased(d), PreviewsPending: d.PreviewsPending(), Files: []fileView{}}
	for _, f := range d.Files {
		fv := fileView{ID: f.ID, Name: f.Name, Size: f.Size, ContentType: f.ContentType, Kind: f.Kind, Listing: f.Listing,
			OriginalURL: base + "/files/" + f.ID + "/original", PreviewState: f.PreviewState, Pages: f.PageCount(),
			ViewURL: base + "/files/" + f.ID + "/view"}
		for _, c := range e.FileComments(f.ID) {
			fv.Comments = append(fv.Comments, viewComment(c))
			if len(c.Answers) == 0 {
				fv.Unanswered++
			}
		}
		if withHash {
			fv.SHA256 = f.SHA256
		}
		if sign != nil {
			fv.OriginalURL += "?" + sign(f.ID)
		}
		if f.Preview != "" {
			u := base + "/files/" + f.ID + "/preview"
			fv.PreviewURL = &u
			for i := range f.Pages {
				fv.PageURLs = append(fv.PageURLs, u+"?page="+strconv.Itoa(i+1))
			}
		}
		v.Files = append(v.Files, fv)
	}
	return v
}

type eventView struct {
	Seq   int64     `json:"seq"`
	Type  string    `json:"type"`
	Actor string    `json:"actor"`
	At    time.Time `json:"at"`
	Data  any       `json:"data"`
	Hash  string    `json:"hash"`
}

func viewEvents(evs []accord.Event) []eventView {
	out := make([]eventView, 0, len(evs))
	for _, ev := range evs {
		out = append(out, eventView{ev.Seq, ev.Type, ev.Actor, ev.At, ev.DataJSON(), ev.Hash})
	}
	return out
}

type messageView struct {
	ID      string    `json:"id"`
	Author  string    `json:"author"`
	Name    string    `json:"author_name"`
	Body    string    `json:"body"`
	At      time.Time `json:"at"`
	SendAt  time.Time `json:"send_at"`
	Channel string    `json:"channel"`
	Held    bool      `json:"held"`
	// Files came with the message, Email is the SHA-256 of the raw email it came in.
	Files []accord.File `json:"files,omitempty"`
	Email string        `json:"email,omitempty"`
	// Coach is what the coach finds in a held reply, shown to the freelancer before it goes.
	Coach *coachView `json:"-"`
}

func viewMessages(ms []accord.Message, now time.Time) []messageView {
	out := make([]messageView, 0, len(ms))
	for _, m := range ms {
		out = append(out, messageView{ID: m.ID, Author: m.Author, Name: m.AuthorName, Body: m.Body, At: m.At, SendAt: m.SendAt, Channel: m.Channel, Held: m.Held(now),
			Files: m.Files, Email: m.Email})
	}
	return out
}

// pager leads from a page of a list shown newest last to the earlier items, and back.
type pager struct {
	// Earlier is the link to the page before this one, "" when this one starts the list;
	// Newest the link back to the newest items, "" when this page shows them.
	Earlier, Newest string
	// Total is how many items the list holds, -1 when the store does not count them.
	Total int
}

// newPager is the pager of a page read with after (nil for the newest), at path?param=cursor.
func newPager[T any](path, param string, after *accord.Cursor, p accord.Paged[T]) pager {
	pg := pager{Total: p.Total}
	if p.Next != nil {
		pg.Earlier = path + "?" + param + "=" + p.Next.String() + "#" + param
	}
	if after != nil {
		pg.Newest = path + "#" + param
	}
	return pg
}

// pageCursor is the cursor a page's query names in param; one this server did not make is a
// clear invalid-input error.
func pageCursor(r *http.Request, param string) (*accord.Cursor, error) {
	p, err := accord.ParsePage(r.URL.Query().Get(param), "", 1)
	if err != nil { // the one thing a page's link carries: say so plainly, not as a field
		return nil, accord.Errorf(accord.EINVALID, "page.bad_cursor")
	}
	return p.After, nil
}
