package accord_test

import (
	"slices"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// A digest says who the engagement waits on, its nearest unfinished due date, what it adds to
// the workspace's counts and sums, and which invoices still ask for money.
func TestDigest(t *testing.T) {
	e := agreed(t, plan("Sketches", 8, "100.00", 50), plan("Final", 20, "200.00", 50))
	d := e.Digest()
	if d.Attention != accord.AttentionYou || d.NextDue != e.Milestones[0].DueDate || d.LastDue != e.Milestones[1].DueDate {
		t.Fatalf("attention %d, next due %q, last due %q; want the freelancer (no contact invited yet), %q and %q",
			d.Attention, d.NextDue, d.LastDue, e.Milestones[0].DueDate, e.Milestones[1].DueDate)
	}
	e.RecordInvitation(fl(7), "bob@example.com", t0.AddDate(0, 0, 7))
	if d = e.Digest(); d.Attention != accord.AttentionClient || !hasTally(d.Tallies, accord.TallyOnClient, 1) || hasTally(d.Tallies, accord.TallyOnFreelancer, 1) {
		t.Fatalf("waiting on the client's prepayment: %+v", d)
	}
	inv := e.InvoiceFor(fl(7), e.Milestones[0].ID, accord.InvoicePrepayment, invDraft)
	mustOK(t, e.IssueInvoice(fl(7), inv, "INV", 2026, 1))
	pay(t, e, 1, "20.00")
	d = e.Digest()
	if len(d.Open) != 1 || d.Open[0].Owed != eur("30.00") || d.Open[0].Number != "INV-2026-0001" || d.Open[0].EngagementTitle != e.Title {
		t.Fatalf("open invoices: %+v", d.Open)
	}
	paidAt := floor(fl(10).Now.Unix(), 900)
	for _, want := range []accord.Tally{
		{Kind: accord.TallyEngagements, N: 1},
		{Kind: accord.TallyInvoiced, Currency: "EUR", Amount: 5000, N: 1},
		{Kind: accord.TallyPaid, Currency: "EUR", Amount: 2000},
		{Kind: accord.TallyDue, Currency: "EUR", Amount: 3000},
		{Kind: accord.TallyReceived, Currency: "EUR", Bucket: paidAt, Amount: 2000, N: 1},
	} {
		if !slices.Contains(d.Tallies, want) {
			t.Errorf("no tally %+v in %+v", want, d.Tallies)
		}
	}
	pay(t, e, 1, "30.00")
	if d = e.Digest(); len(d.Open) != 0 || hasKind(d.Tallies, accord.TallyOwed) {
		t.Errorf("an invoice paid in full still asks for money: %+v", d)
	}
}

// What a save changes in the sums is the difference of the tallies before and after, in one
// fixed order; what does not change is left out.
func TestTallyChange(t *testing.T) {
	old := []accord.Tally{{Kind: "paid", Currency: "EUR", Amount: 100}, {Kind: "engagements", N: 1}, {Kind: "due", Currency: "EUR", Amount: 50}}
	new := []accord.Tally{{Kind: "engagements", N: 1}, {Kind: "paid", Currency: "EUR", Amount: 150}, {Kind: "paid", Currency: "BGN", Amount: 7}}
	got := accord.TallyChange(old, new)
	want := []accord.Tally{{Kind: "due", Currency: "EUR", Amount: -50}, {Kind: "paid", Currency: "BGN", Amount: 7}, {Kind: "paid", Currency: "EUR", Amount: 50}}
	if !slices.Equal(got, want) {
		t.Fatalf("change %+v, want %+v", got, want)
	}
	if c := accord.TallyChange(new, new); len(c) != 0 {
		t.Errorf("the same tallies change %+v", c)
	}
}

// A payment counts in the month it was made where the freelancer lives, to the quarter-hour:
// 00:15 on the 1st in Kolkata (UTC+5:30) is still the previous month in UTC.
func TestMoneyByMonthInTheFreelancersZone(t *testing.T) {
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	mustOK(t, err)
	at := time.Date(2026, 11, 1, 0, 15, 0, 0, kolkata)
	ts := []accord.Tally{{Kind: accord.TallyReceived, Currency: "EUR", Bucket: floor(at.Unix(), 900), Amount: 700, N: 1}}
	for _, c := range []struct {
		zone  *time.Location
		month string
	}{{kolkata, "2026-11"}, {time.UTC, "2026-10"}} {
		months := accord.MoneyByMonth(ts, "EUR", 3, "2026-11-20", c.zone)
		for _, m := range months {
			if (m.Received == 700) != (m.Month == c.month) {
				t.Errorf("in %s the payment counts in %+v, want %s", c.zone, months, c.month)
			}
		}
		rec, _ := accord.MonthBuckets(3, "2026-11-20", c.zone)
		if b := ts[0].Bucket; b < rec[0] || b >= rec[1] {
			t.Errorf("bucket %d is outside what MonthBuckets reads, %v", b, rec)
		}
	}
	if got := accord.Currencies(append(ts, accord.Tally{Kind: accord.TallyPaid, Currency: "BGN", Amount: 5})); !slices.Equal(got, []string{"EUR"}) {
		t.Errorf("currencies with money over time: %v", got)
	}
}

func hasTally(ts []accord.Tally, kind string, n int64) bool {
	return slices.ContainsFunc(ts, func(t accord.Tally) bool { return t.Kind == kind && t.N == n })
}

func hasKind(ts []accord.Tally, kind string) bool {
	return slices.ContainsFunc(ts, func(t accord.Tally) bool { return t.Kind == kind })
}

func floor(a, b int64) int64 { return a / b } // times after 1970

// The dashboard counts the invoices overdue from the tallies of money owed by due day, and
// offers a new engagement in the currency most engagements are in.
func TestOverdueCountAndMostUsedCurrency(t *testing.T) {
	day := func(d accord.Date) int64 { tm, _ := d.Time(); return tm.Unix() / 86400 }
	ts := []accord.Tally{
		{Kind: accord.TallyOwed, Currency: "EUR", Bucket: day("2026-11-01"), Amount: 100, N: 2},
		{Kind: accord.TallyOwed, Currency: "BGN", Bucket: day("2026-11-19"), Amount: 50, N: 1},
		{Kind: accord.TallyOwed, Currency: "EUR", Bucket: day("2026-11-20"), Amount: 70, N: 4}, // due today: not late yet
		{Kind: accord.TallyInvoiced, Currency: "EUR", N: 2},
		{Kind: accord.TallyInvoiced, Currency: "BGN", N: 5},
	}
	if n := accord.OverdueCount(ts, "2026-11-20"); n != 3 {
		t.Errorf("overdue on 2026-11-20: %d invoices, want 3", n)
	}
	if c := accord.MostUsedCurrency(ts, "EUR"); c != "BGN" {
		t.Errorf("the most used currency is %s, want BGN (5 engagements against 2)", c)
	}
	if c := accord.MostUsedCurrency(nil, "EUR"); c != "EUR" {
		t.Errorf("with no engagements the currency is %s, want the default EUR", c)
	}
}
