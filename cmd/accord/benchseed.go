package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/store"
)

// The bench workspace's login: the bench seeds and measures it, never a person's workspace.
const (
	benchEmail    = "bench@accord.example"
	benchPassword = "bench-password"
	benchName     = "Bench Studio"
	// benchClients is how many clients the seeded engagements are spread over.
	benchClients = 300
	// seedMarker, in a data folder, says how many engagements bench seed made there.
	seedMarker = "bench-seed.json"
)

// benchSeed makes engagements in the bench workspace of a database, new or not.
func benchSeed(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bench seed", flag.ContinueOnError)
	n := fs.Int("engagements", 0, "how many engagements to add to the bench workspace")
	batch := fs.Int("batch", 500, "engagements written per transaction")
	data := fs.String("data", env("DATA", "./accord-data"), "folder of the SQLite database (ACCORD_DATA)")
	dbURL := fs.String("database-url", env("DATABASE_URL", ""), "postgres://… to seed PostgreSQL instead (ACCORD_DATABASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 || *batch <= 0 {
		return errors.New("usage: accord bench seed --engagements N [--batch 500] [--data DIR | --database-url URL]")
	}
	st, err := store.Open(ctx, *dbURL, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	a := app.New(st, nil, accord.SystemClock{}, i18n.New())
	if err := a.OpenJobs(ctx, 0); err != nil { // the nudges the engagements schedule
		return err
	}
	s := seeding{a: a, out: out, batch: *batch, marker: markerPath(*dbURL, *data)}
	return s.run(ctx, *n)
}

// seeding adds engagements to the bench workspace in batches, saying how fast it goes.
type seeding struct {
	a      *app.App
	out    io.Writer
	batch  int
	marker string // "" when the database is not in a data folder
}

// markerPath is where a data folder keeps how many engagements were seeded in it.
func markerPath(dbURL, data string) string {
	if dbURL != "" {
		return ""
	}
	return filepath.Join(data, seedMarker)
}

// seeded is how many engagements bench seed made in the data folder, by its marker.
func seeded(marker string) int {
	var m struct{ Engagements int }
	b, err := os.ReadFile(marker)
	if marker == "" || err != nil || json.Unmarshal(b, &m) != nil {
		return 0
	}
	return m.Engagements
}

func (s seeding) run(ctx context.Context, n int) error {
	f, _, err := benchFreelancer(ctx, s.a)
	if err != nil {
		return err
	}
	clients, err := seedClients(ctx, s.a, f)
	if err != nil {
		return err
	}
	done, start, shown := seeded(s.marker), time.Now(), time.Now()
	analyzer, _ := s.a.Store.(interface{ Analyze(context.Context) error })
	analyzeAt := s.batch
	for i := 0; i < n; i += s.batch {
		k := min(s.batch, n-i)
		if err := s.a.SeedEngagements(ctx, f, clients, done+i, k); err != nil {
			return err
		}
		// PostgreSQL's statistics, refreshed each time the rows double (and at the end), as
		// autovacuum would: the plans of a table seen nearly empty go slow as it fills.
		if analyzer != nil && (i+k >= analyzeAt || i+k == n) {
			if err := analyzer.Analyze(ctx); err != nil {
				return err
			}
			analyzeAt *= 2
		}
		if err := s.mark(done + i + k); err != nil {
			return err
		}
		if time.Since(shown) > 5*time.Second || i+k == n {
			shown = time.Now()
			fmt.Fprintf(s.out, "seeded %d/%d engagements, %.0f engagements/s\n", i+k, n, float64(i+k)/time.Since(start).Seconds())
		}
	}
	return nil
}

// seedClients are the bench workspace's seeded clients: those an earlier seed made, and as
// many more as make benchClients.
func seedClients(ctx context.Context, a *app.App, f app.Freelancer) ([]accord.Client, error) {
	all, err := a.Clients(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []accord.Client
	for _, c := range all {
		if strings.HasPrefix(c.Email, "seeded-") {
			out = append(out, c)
		}
	}
	if len(out) >= benchClients {
		return out, nil
	}
	more, err := a.SeedClients(ctx, f, len(out), benchClients-len(out))
	return append(out, more...), err
}

// mark keeps the number of engagements seeded so far in the data folder, if there is one.
func (s seeding) mark(total int) error {
	if s.marker == "" {
		return nil
	}
	b, _ := json.Marshal(map[string]int{"engagements": total})
	return os.WriteFile(s.marker, b, 0o600)
}

// benchFreelancer is the bench workspace's owner, the account made on first use.
func benchFreelancer(ctx context.Context, a *app.App) (app.Freelancer, accord.User, error) {
	var u accord.User
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { u, err = tx.UserByEmail(benchEmail); return err })
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		var acc app.SignupResult
		acc, err = a.CreateAccount(ctx, benchEmail, benchPassword, benchName)
		u = acc.User
	}
	if err != nil {
		return app.Freelancer{}, u, err
	}
	f, err := a.FreelancerOf(ctx, u)
	return f, u, err
}

// workload is what bench load measures: the big engagement, its client's portal session, the
// writers' sessions, and the freelancer's token and web session.
type workload struct {
	bigID, bigTitle string
	messages        int
	events          int64
	portal          string   // the big engagement's client's portal session
	writers         []string // a portal session each, on an engagement each
	token, web      string
}

// benchSeeder runs the use cases a person would, until the first error, which it keeps.
type benchSeeder struct {
	a   *app.App
	ctx context.Context
	f   app.Freelancer
	run string // tells this run's clients apart from an earlier run's in the same data folder
	err error
}

func (s *benchSeeder) do(fn func() error) {
	if s.err == nil {
		s.err = fn()
	}
}

// seedWorkload makes the big engagement with messages messages and at least twice as many
// events, writers engagements for the clients that post, and the freelancer's credentials.
func seedWorkload(ctx context.Context, a *app.App, messages, writers int) (workload, error) {
	f, u, err := benchFreelancer(ctx, a)
	if err != nil {
		return workload{}, err
	}
	s := &benchSeeder{a: a, ctx: ctx, f: f, run: accord.NewID("run")}
	w := workload{bigTitle: "The big engagement", messages: messages}
	w.bigID, w.portal = s.big(w.bigTitle, messages)
	w.events = s.eventCount(w.bigID)
	for i := range writers {
		_, secret := s.opened(fmt.Sprintf("writer-%d", i), fmt.Sprintf("Writer engagement %d", i))
		w.writers = append(w.writers, secret)
	}
	s.do(func() (err error) {
		w.token, err = a.CreateToken(ctx, benchEmail, benchPassword, "127.0.0.1")
		return err
	})
	s.do(func() (err error) { w.web, err = a.StartWebSession(ctx, u); return err })
	return w, s.err
}

// opened makes a client and an engagement whose brief was sent, and opens the client's portal.
func (s *benchSeeder) opened(who, title string) (id, secret string) {
	email := who + "-" + s.run + "@client.example"
	s.do(func() error {
		cl, err := s.a.CreateClient(s.ctx, s.f, "Client "+who, email, "en", "Europe/London")
		if err != nil {
			return err
		}
		e, err := s.a.CreateEngagementFrom(s.ctx, s.f, cl.ID, title, "EUR", "starter-en")
		if err == nil {
			id = e.ID
			_, err = s.a.SendBrief(s.ctx, s.f, id)
		}
		return err
	})
	s.do(func() error {
		inv, err := s.a.Invite(s.ctx, s.f, id, email)
		if err == nil {
			secret, _, err = s.a.OpenPortal(s.ctx, inv.Token)
		}
		return err
	})
	return id, secret
}

// big walks an engagement to its first milestone under way, then writes messages alternately
// by freelancer and client, then asks and answers information until the record has twice as
// many events as messages.
func (s *benchSeeder) big(title string, messages int) (id, secret string) {
	id, secret = s.opened("big", title)
	var c app.Contact
	s.do(func() error {
		sess, err := s.a.Authenticate(s.ctx, secret)
		if err == nil {
			c, err = s.a.Contact(s.ctx, sess)
		}
		return err
	})
	s.agree(id, c)
	for i := range messages {
		s.message(id, c, i)
	}
	for n := s.eventCount(id); s.err == nil && n < int64(2*messages); {
		n = s.askInfo(id, c)
	}
	return id, secret
}

// agree answers the brief, proposes and accepts an agreement, prepays and starts milestone 1.
func (s *benchSeeder) agree(id string, c app.Contact) {
	s.do(func() error {
		_, err := s.a.AnswerBrief(s.ctx, c, map[string]string{"q1": "A new brand.", "q2": "Families nearby.", "q3": "The colour."})
		return err
	})
	today := s.a.Clock.Now()
	day := func(n int) accord.Date { return accord.Date(today.AddDate(0, 0, n).Format(time.DateOnly)) }
	var version int
	s.do(func() error {
		ag, err := s.a.WriteAgreement(s.ctx, s.f, id, accord.Agreement{Scope: "A brand and a site.",
			Deliverables: []accord.Deliverable{{Title: "Brand book", Volume: "20 pages"}},
			Milestones: []accord.MilestonePlan{
				{Title: "Concepts", DueDate: day(30), Price: accord.Money{Amount: 120000, Currency: "EUR"}, PrepaymentPercent: 50},
				{Title: "Final", DueDate: day(60), Price: accord.Money{Amount: 180000, Currency: "EUR"}, PrepaymentPercent: 50}},
			Revisions: 2, KillFeePercent: 30, ResponseDays: 3, ReviewDays: 14, Channel: "Accord", ReportCadence: "weekly"})
		if err == nil {
			version = ag.Version
			_, err = s.a.ProposeAgreement(s.ctx, s.f, id, version)
		}
		return err
	})
	s.do(func() error {
		e, err := s.a.Engagement(s.ctx, s.f, id)
		if err != nil {
			return err
		}
		var terms []string
		for _, t := range e.Proposed().Terms {
			terms = append(terms, t.ID)
		}
		if e, err = s.a.AcceptAgreement(s.ctx, c, version, terms); err != nil {
			return err
		}
		m := e.Milestones[0]
		if _, err := s.a.RecordPayment(s.ctx, s.f, id, m.ID, m.Prepayment, "BENCH-1"); err != nil {
			return err
		}
		_, err = s.a.StartMilestone(s.ctx, s.f, id, m.ID)
		return err
	})
}

// message is the i-th message: the freelancer's when i is even, the client's when odd.
func (s *benchSeeder) message(id string, c app.Contact, i int) {
	s.do(func() error {
		body := fmt.Sprintf("Message %d. Here is where the concepts stand today, and what I need from you next.", i)
		if i%2 == 0 {
			_, err := s.a.SendMessage(s.ctx, s.f, id, body, "web")
			return err
		}
		_, err := s.a.SendClientMessage(s.ctx, c, "Thanks. "+body)
		return err
	})
}

// askInfo asks the client for information due in a week, and the client answers it; it returns
// the number of events on the engagement's record then.
func (s *benchSeeder) askInfo(id string, c app.Contact) (events int64) {
	due := accord.Date(s.a.Clock.Now().AddDate(0, 0, 7).Format(time.DateOnly))
	s.do(func() error {
		rid, err := s.a.RequestInfo(s.ctx, s.f, id, "The photos of the shop front", due, nil)
		if err != nil {
			return err
		}
		e, err := s.a.AnswerInfo(s.ctx, c, rid, "Sent them by the portal.")
		if err == nil {
			events = e.Seq
		}
		return err
	})
	return events
}

// eventCount is the number of events on an engagement's record.
func (s *benchSeeder) eventCount(id string) (n int64) {
	s.do(func() error {
		evs, err := s.a.Events(s.ctx, s.f.WorkspaceID, id)
		n = int64(len(evs))
		return err
	})
	return n
}
