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

// MoneyByMonth sums the engagements' money in currency for the n months ending with the month
// after today's (so what falls due soon shows), by calendar month in zone: payments by when
// they were recorded, the unpaid rest of each invoice (credit notes and cancelled invoices
// aside) by its due date, late once that is before today.
func MoneyByMonth(es []*Engagement, currency string, n int, today Date, zone *time.Location) []MonthMoney {
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
	for _, e := range es {
		if e.Currency != currency {
			continue
		}
		for _, p := range e.Payments {
			if i, ok := at[p.At.In(zone).Format("2006-01")]; ok {
				out[i].Received += p.Amount.Amount
			}
		}
		for k := range e.Invoices {
			inv := &e.Invoices[k]
			if inv.Kind == InvoiceCreditNote || inv.CreditedBy != "" {
				continue
			}
			i, ok := at[string(inv.DueDate)[:min(7, len(inv.DueDate))]]
			rest := inv.Total.Amount - e.InvoicePaid(inv).Amount
			if !ok || rest <= 0 {
				continue
			}
			if inv.DueDate < today {
				out[i].Overdue += rest
			} else {
				out[i].Due += rest
			}
		}
	}
	return out
}

// OverdueInvoice is an invoice past its due date and not paid in full.
type OverdueInvoice struct {
	Engagement *Engagement
	Invoice    *Invoice
	Owed       Money // what is still unpaid
	Days       int   // how many days late
}

// Overdue lists the engagements' overdue invoices on day today, the longest late first.
func Overdue(es []*Engagement, today Date) []OverdueInvoice {
	var out []OverdueInvoice
	now, ok := today.Time()
	if !ok {
		return nil
	}
	for _, e := range es {
		for k := range e.Invoices {
			inv := &e.Invoices[k]
			if e.InvoiceState(inv, today) != InvoiceOverdue {
				continue
			}
			due, _ := inv.DueDate.Time()
			out = append(out, OverdueInvoice{Engagement: e, Invoice: inv, Owed: inv.Total.Sub(e.InvoicePaid(inv)),
				Days: int(now.Sub(due).Hours() / 24)})
		}
	}
	slices.SortStableFunc(out, func(a, b OverdueInvoice) int {
		if a.Days != b.Days {
			return b.Days - a.Days
		}
		return strings.Compare(a.Invoice.Number, b.Invoice.Number)
	})
	return out
}
