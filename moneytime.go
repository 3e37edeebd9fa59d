package accord

import (
	"slices"
	"strings"
	"time"
)

// MonthMoney is one month of a workspace's money in one currency: what was received in it, and
// what its invoices falling due in it still ask, as due (not yet late) and overdue.
type MonthMoney struct {
	Month                  string // YYYY-MM
	Received, Due, Overdue int64  // minor units
}

// MoneyByMonth sums a workspace's money in currency, from its tallies, for the n months ending
// with the month after today's (so what falls due soon shows), by calendar month in zone:
// payments by when they were recorded, the unpaid rest of each invoice (credit notes and
// cancelled invoices aside) by its due date, late once that is before today. Tallies from
// other currencies, kinds or months are left out.
func MoneyByMonth(ts []Tally, currency string, n int, today Date, zone *time.Location) []MonthMoney {
	t, ok := today.Time()
	if !ok || n <= 0 {
		return nil
	}
	first := time.Date(t.Year(), t.Month()+2-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	out := make([]MonthMoney, n)
	at := map[string]int{}
	for i := range out {
		out[i].Month = first.AddDate(0, i, 0).Format("2006-01")
		at[out[i].Month] = i
	}
	for _, t := range ts {
		if t.Currency != currency {
			continue
		}
		switch t.Kind {
		case TallyReceived:
			if i, ok := at[time.Unix(t.Bucket*quarterHour, 0).In(zone).Format("2006-01")]; ok {
				out[i].Received += t.Amount
			}
		case TallyOwed:
			due := Date(time.Unix(t.Bucket*86400, 0).UTC().Format(time.DateOnly))
			i, ok := at[string(due)[:7]]
			if !ok {
				continue
			}
			if due < today {
				out[i].Overdue += t.Amount
			} else {
				out[i].Due += t.Amount
			}
		}
	}
	return out
}

// MonthBuckets are the buckets of TallyReceived and of TallyOwed that MoneyByMonth can use for
// n months around today in zone, each as [from, to): what to read of the store's tallies.
func MonthBuckets(n int, today Date, zone *time.Location) (received, owed [2]int64) {
	t, ok := today.Time()
	if !ok || n <= 0 {
		return
	}
	// A day's margin either side holds every zone's month.
	from := time.Date(t.Year(), t.Month()+2-time.Month(n), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	to := time.Date(t.Year(), t.Month()+2, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	received = [2]int64{floorDiv(from.Unix(), quarterHour), floorDiv(to.Unix(), quarterHour)}
	owed = [2]int64{floorDiv(from.Unix(), 86400), floorDiv(to.Unix(), 86400)}
	return
}

// Currencies lists, by code, the currencies in which the tallies show money received or owed:
// those a chart of money over time has something to show for.
func Currencies(ts []Tally) []string {
	var out []string
	for _, t := range ts {
		if (t.Kind == TallyReceived || t.Kind == TallyOwed) && t.Amount != 0 && !slices.Contains(out, t.Currency) {
			out = append(out, t.Currency)
		}
	}
	slices.Sort(out)
	return out
}

// OverdueInvoice is an invoice past its due date and not paid in full.
type OverdueInvoice struct {
	OpenInvoice
	Days int // how many days late
}

// Overdue keeps of the open invoices those past their due date on day today, the longest
// late first.
func Overdue(open []OpenInvoice, today Date) []OverdueInvoice {
	var out []OverdueInvoice
	now, ok := today.Time()
	if !ok {
		return nil
	}
	for _, inv := range open {
		if due, ok := inv.DueDate.Time(); ok && inv.DueDate < today && inv.Owed.Amount > 0 {
			out = append(out, OverdueInvoice{OpenInvoice: inv, Days: int(now.Sub(due).Hours() / 24)})
		}
	}
	slices.SortStableFunc(out, func(a, b OverdueInvoice) int {
		if a.Days != b.Days {
			return b.Days - a.Days
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out
}

// OverdueCount counts, from the tallies of money owed, the invoices due before today.
func OverdueCount(ts []Tally, today Date) int {
	day, ok := dayNumber(today)
	n := 0
	for _, t := range ts {
		if ok && t.Kind == TallyOwed && t.Bucket < day {
			n += int(t.N)
		}
	}
	return n
}

// MostUsedCurrency is the currency most engagements are in, by their tallies; orElse when
// there are none.
func MostUsedCurrency(ts []Tally, orElse string) string {
	best := int64(0)
	for _, t := range ts {
		if t.Kind == TallyInvoiced && t.N > best {
			best, orElse = t.N, t.Currency
		}
	}
	return orElse
}

// SumDigests adds digests up as the store keeps them: the workspace's tallies, and every open
// invoice.
func SumDigests(ds ...Digest) ([]Tally, []OpenInvoice) {
	var ts []Tally
	var open []OpenInvoice
	for _, d := range ds {
		ts = append(ts, d.Tallies...)
		open = append(open, d.Open...)
	}
	return mergeTallies(ts), open
}
