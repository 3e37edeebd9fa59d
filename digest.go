package accord

import (
	"cmp"
	"slices"
	"time"
)

// Digest is what a workspace's overview needs of one engagement, worked out whenever the
// engagement is saved and kept beside its snapshot: who it waits on, its nearest deadline, the
// counts and sums it adds to the workspace's tallies, and its invoices that still ask for
// money. The dashboard reads these instead of every snapshot, so it costs the same at ten
// engagements and at a million.
type Digest struct {
	Attention int  `json:"attention"`
	NextDue   Date `json:"next_due,omitempty"`
	// LastDue is the latest due date of a milestone not yet paid while the engagement runs
	// on: until then its calendar has deadlines to show.
	LastDue Date          `json:"last_due,omitempty"`
	Tallies []Tally       `json:"tallies,omitempty"`
	Open    []OpenInvoice `json:"open,omitempty"`
}

// How much an engagement asks of the freelancer now, the order the dashboard lists them in.
const (
	AttentionYou    = 0 // the freelancer owes the next step
	AttentionClient = 1 // the client does
	AttentionNone   = 2 // nothing waits: the engagement has ended
)

// Tally is one count or sum an engagement adds to its workspace's: Kind says what is counted,
// Currency and Bucket (a quarter-hour or a day, by kind) where. The store keeps each
// workspace's tallies as running sums, changed by the difference an engagement's save makes.
type Tally struct {
	Kind     string `json:"k"`
	Currency string `json:"c,omitempty"`
	Bucket   int64  `json:"b,omitempty"`
	Amount   int64  `json:"a,omitempty"` // minor units
	N        int64  `json:"n,omitempty"`
}

// The kinds of tallies.
const (
	TallyEngagements  = "engagements"   // N: engagements
	TallyOnClient     = "on_client"     // N: engagements waiting on the client
	TallyOnFreelancer = "on_freelancer" // N: engagements waiting on the freelancer
	TallyInvoiced     = "invoiced"      // per currency; N: engagements in it
	TallyPaid         = "paid"          // per currency
	TallyDue          = "due"           // per currency
	TallyRefunded     = "refunded"      // per currency
	TallyReceived     = "received"      // per currency and quarter-hour of the payment (Unix time / 900)
	TallyOwed         = "owed"          // per currency and due day (days since 1970-01-01): unpaid rest of invoices
)

// quarterHour is the bucket of payments: every time zone's offset is a whole number of
// quarter-hours, so a month in any zone is a whole number of buckets.
const quarterHour = 15 * 60

// OpenInvoice is an invoice that still asks for money: neither paid in full, cancelled by a
// credit note, nor a credit note itself.
type OpenInvoice struct {
	EngagementID    string `json:"engagement_id"`
	EngagementTitle string `json:"engagement_title"`
	InvoiceID       string `json:"invoice_id"`
	Number          string `json:"number"`
	Kind            string `json:"kind"`
	DueDate         Date   `json:"due_date"`
	Owed            Money  `json:"owed"`
}

// Digest works out the engagement's digest.
func (e *Engagement) Digest() Digest {
	d := Digest{Attention: AttentionNone}
	ts := []Tally{{Kind: TallyEngagements, N: 1}}
	switch e.Waiting(DefaultResponseDays).Owner {
	case OwnerFreelancer:
		d.Attention = AttentionYou
		ts = append(ts, Tally{Kind: TallyOnFreelancer, N: 1})
	case OwnerClient:
		d.Attention = AttentionClient
		ts = append(ts, Tally{Kind: TallyOnClient, N: 1})
	}
	ended := e.State == Completed || e.State == Terminated
	for _, m := range e.Milestones {
		if m.State != MilestonePaid && m.State != MilestoneAccepted && m.DueDate != "" && (d.NextDue == "" || m.DueDate < d.NextDue) {
			d.NextDue = m.DueDate
		}
		if _, ok := m.DueDate.Time(); ok && !ended && m.State != MilestonePaid && m.DueDate > d.LastDue {
			d.LastDue = m.DueDate
		}
	}
	b, cur := e.Balance(), e.Currency
	ts = append(ts, Tally{Kind: TallyInvoiced, Currency: cur, Amount: b.Invoiced.Amount, N: 1},
		Tally{Kind: TallyPaid, Currency: cur, Amount: b.Paid.Amount},
		Tally{Kind: TallyDue, Currency: cur, Amount: b.Due.Amount},
		Tally{Kind: TallyRefunded, Currency: cur, Amount: b.Refunded.Amount})
	for _, p := range e.Payments {
		ts = append(ts, Tally{Kind: TallyReceived, Currency: cur, Bucket: floorDiv(p.At.Unix(), quarterHour), Amount: p.Amount.Amount, N: 1})
	}
	for k := range e.Invoices {
		inv := &e.Invoices[k]
		if inv.Kind == InvoiceCreditNote || inv.CreditedBy != "" {
			continue
		}
		rest := inv.Total.Sub(e.InvoicePaid(inv))
		if rest.Amount <= 0 {
			continue
		}
		d.Open = append(d.Open, OpenInvoice{EngagementID: e.ID, EngagementTitle: e.Title, InvoiceID: inv.ID,
			Number: inv.Number, Kind: inv.Kind, DueDate: inv.DueDate, Owed: rest})
		if day, ok := dayNumber(inv.DueDate); ok {
			ts = append(ts, Tally{Kind: TallyOwed, Currency: cur, Bucket: day, Amount: rest.Amount, N: 1})
		}
	}
	d.Tallies = mergeTallies(ts)
	return d
}

// AgendaRank orders engagements as the dashboard lists them, largest first: what waits on the
// freelancer, then on the client, then the ended ones, each most recently changed first.
func (d Digest) AgendaRank(updatedAt time.Time) int64 {
	return int64(AttentionNone-d.Attention)*1e16 + updatedAt.UnixMicro()
}

// TallyChange is what replacing the tallies old by new changes in their sums: the tallies
// that differ, as differences, in one fixed order (so that concurrent writers take the
// rows they change in the same order).
func TallyChange(old, new []Tally) []Tally {
	neg := make([]Tally, 0, len(old)+len(new))
	for _, t := range old {
		t.Amount, t.N = -t.Amount, -t.N
		neg = append(neg, t)
	}
	return mergeTallies(append(neg, new...))
}

// mergeTallies sums the tallies that count the same thing and drops those that come to
// nothing, in order of kind, currency and bucket.
func mergeTallies(ts []Tally) []Tally {
	slices.SortFunc(ts, compareTally)
	out := ts[:0]
	for _, t := range ts {
		if n := len(out); n > 0 && compareTally(out[n-1], t) == 0 {
			out[n-1].Amount += t.Amount
			out[n-1].N += t.N
			continue
		}
		out = append(out, t)
	}
	return slices.DeleteFunc(out, func(t Tally) bool { return t.Amount == 0 && t.N == 0 })
}

func compareTally(a, b Tally) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.Bucket, b.Bucket))
}

// dayNumber is a date's day counted from 1970-01-01.
func dayNumber(d Date) (int64, bool) {
	t, ok := d.Time()
	if !ok {
		return 0, false
	}
	return floorDiv(t.Unix(), 86400), true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
