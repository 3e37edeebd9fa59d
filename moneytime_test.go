package accord_test

import (
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// The money over time: payments by the month they came in, the unpaid rest of invoices by the
// month they fall due, late ones apart; cancelled invoices and other currencies left out.
func TestMoneyByMonthAndOverdue(t *testing.T) {
	e := agreed(t) // milestones of 1000.00 and 2000.00, half prepaid
	issue := func(c accord.Cmd, m int, kind string, seq int) {
		t.Helper()
		inv := e.InvoiceFor(c, e.Milestones[m].ID, kind, invDraft) // due 7 days after issue
		mustOK(t, e.IssueInvoice(c, inv, "INV", 2026, seq))
	}
	issue(fl(7), 0, accord.InvoicePrepayment, 1)
	pay(t, e, 1, "200.00")
	other := agreed(t)
	other.Currency = "USD"
	today := fl(7).Today().AddDays(30) // the invoice is 23 days late
	months := accord.MoneyByMonth(tallies(e, other), "EUR", 4, today, time.UTC)
	if len(months) != 4 {
		t.Fatalf("%d months", len(months))
	}
	tm, _ := today.Time()
	if last := months[3].Month; last != tm.AddDate(0, 1, -tm.Day()+1).Format("2006-01") {
		t.Fatalf("the months end with %s, want the month after %s", last, today)
	}
	var received, overdue, due int64
	for _, m := range months {
		received, overdue, due = received+m.Received, overdue+m.Overdue, due+m.Due
	}
	if received != 20000 || overdue != 30000 || due != 0 {
		t.Fatalf("received %d, overdue %d, due %d; want 200.00 received and 300.00 overdue: %+v", received, overdue, due, months)
	}
	if early := accord.MoneyByMonth(tallies(e), "EUR", 4, fl(7).Today(), time.UTC); sum(early, func(m accord.MonthMoney) int64 { return m.Due }) != 30000 {
		t.Errorf("before its due date the rest is due, not overdue: %+v", early)
	}

	late := accord.Overdue(openInvoices(e), today)
	if len(late) != 1 || late[0].Days != 23 || late[0].Owed != eur("300.00") || late[0].Number != "INV-2026-0001" {
		t.Fatalf("overdue: %+v", late)
	}
	cn, err := e.CreditNoteFor(fl(40), e.Invoices[0].ID)
	mustOK(t, err)
	mustOK(t, e.IssueInvoice(fl(40), cn, "INV", 2026, 2))
	if late := accord.Overdue(openInvoices(e), today); len(late) != 0 {
		t.Errorf("a cancelled invoice is still overdue: %+v", late)
	}
	if m := accord.MoneyByMonth(tallies(e), "EUR", 4, today, time.UTC); sum(m, func(m accord.MonthMoney) int64 { return m.Overdue }) != 0 {
		t.Errorf("a cancelled invoice still counts as owed: %+v", m)
	}
}

func sum(ms []accord.MonthMoney, f func(accord.MonthMoney) int64) int64 {
	var n int64
	for _, m := range ms {
		n += f(m)
	}
	return n
}

func sumDigests(es ...*accord.Engagement) ([]accord.Tally, []accord.OpenInvoice) {
	var ds []accord.Digest
	for _, e := range es {
		ds = append(ds, e.Digest())
	}
	return accord.SumDigests(ds...)
}

func tallies(es ...*accord.Engagement) []accord.Tally {
	ts, _ := sumDigests(es...)
	return ts
}

func openInvoices(es ...*accord.Engagement) []accord.OpenInvoice {
	_, open := sumDigests(es...)
	return open
}
