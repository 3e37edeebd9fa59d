package server_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/mail"
	"github.com/accordapp/accord/internal/mail/mailtest"
	"github.com/accordapp/accord/internal/store/storetest"
)

// Two servers on one PostgreSQL database (and one clock) both work its jobs: each email goes out
// exactly once, and each step of a silent client's ladder is taken once.
func TestTwoServersTakeEachStepOnce(t *testing.T) {
	u := storetest.PostgresSchema(t)
	clock := accord.NewTestClock(start)
	a, b := newHarnessWith(t, u, clock), newHarnessWith(t, u, clock)
	relay := mailtest.StartRelay(t, "", "")
	for _, h := range []*harness{a, b} {
		h.app.Mailer = &mail.SMTP{Addr: relay.Addr, TLS: "none"}
	}
	token := a.account("ana@studio.example")
	cl := a.call("POST", "/api/v1/clients", token, map[string]string{"name": "Maria", "email": "maria@client.example"}, 201).json(t)["id"].(string)
	id := b.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": "Logo", "currency": "EUR"}, 201).json(t)["id"].(string)
	const n = 30
	var want []string
	for i := range n {
		h := []*harness{a, b}[i%2]
		to := fmt.Sprintf("contact%02d@client.example", i)
		h.call("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": to}, 201)
		want = append(want, to)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		sent := 0
		for _, m := range a.outbox(token) {
			if m["state"] == "sent" {
				sent++
			}
		}
		if sent == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute %d of %d emails are sent", sent, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var got []string
	for _, m := range relay.Messages() {
		got = append(got, m.To...)
	}
	sort.Strings(got)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("the relay received %d emails:\n%v\nwant each of %d once", len(got), got, n)
	}

	// A silent client, with both servers working the jobs the clock makes due.
	for i := range 3 {
		h := []*harness{a, b}[i%2]
		h.agreed(token, "1000.00")
	}
	a.advance(token, "240h")
	counts := map[string]int{}
	for _, m := range a.outbox(token) {
		counts[m["engagement_id"].(string)+" "+m["kind"].(string)]++
	}
	ladder := 0
	for k, c := range counts {
		for _, kind := range []string{" reminder.prepay", " check_in", " paused"} {
			if strings.HasSuffix(k, kind) {
				ladder++
				if c != 1 {
					t.Errorf("%s: %d emails, want 1", k, c)
				}
			}
		}
	}
	if ladder != 9 {
		t.Errorf("%d ladder emails for 3 silent clients, want 9: %v", ladder, counts)
	}
}
