package app

import (
	"context"
	"fmt"
	"time"

	"github.com/accordapp/accord"
)

// SeedClients adds n clients to the freelancer's workspace in one write transaction, numbered
// from first, for the bench's seeded engagements.
func (a *App) SeedClients(ctx context.Context, f Freelancer, first, n int) ([]accord.Client, error) {
	out := make([]accord.Client, 0, n)
	c := a.cmd(f.actor())
	for i := first; i < first+n; i++ {
		cl, err := accord.NewClient(c, f.WorkspaceID, fmt.Sprintf("Seeded client %d", i),
			fmt.Sprintf("seeded-%d@client.example", i), "en", "Europe/London")
		if err != nil {
			return nil, err
		}
		out = append(out, cl)
	}
	return out, a.Store.Write(ctx, func(tx accord.Tx) error {
		for _, cl := range out {
			if err := tx.CreateClient(cl); err != nil {
				return err
			}
		}
		return nil
	})
}

// SeedEngagements adds engagements first…first+n-1 to the freelancer's workspace in one write
// transaction, the i-th for clients[i%len(clients)], each walked by the domain's own commands to
// the state i%5 picks: draft, brief sent, brief answered, agreement proposed, agreed. Each is
// saved as a change is, its events on the record and its nudge scheduled; no mail is queued, so
// that a million seeded engagements do not fill the outbox and the job queue the bench runs beside.
func (a *App) SeedEngagements(ctx context.Context, f Freelancer, clients []accord.Client, first, n int) error {
	return a.Store.Write(ctx, func(tx accord.Tx) error {
		ws, err := tx.Workspace(f.WorkspaceID)
		if err != nil {
			return err
		}
		for i := first; i < first+n; i++ {
			e, err := a.seedEngagement(f, ws, clients[i%len(clients)], i)
			if err != nil {
				return fmt.Errorf("seeded engagement %d: %w", i, err)
			}
			if err := a.save(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
}

var seedQuestions = []accord.Question{{ID: "q1", Text: "What should the work achieve?", Required: true},
	{ID: "q2", Text: "Who is it for?", Required: true}, {ID: "q3", Text: "Anything we must avoid?"}}

var seedAnswers = map[string]string{"q1": "A clearer brand for the spring season.", "q2": "Our regular customers."}

// seedEngagement is the i-th seeded engagement, walked i%5 steps past its brief.
func (a *App) seedEngagement(f Freelancer, ws accord.Workspace, cl accord.Client, i int) (*accord.Engagement, error) {
	by := a.cmdOf(f)
	client := a.cmd(accord.Actor{Kind: "client", ID: cl.Email, Name: cl.Name})
	e, err := accord.NewEngagement(by, f.WorkspaceID, cl.ID, fmt.Sprintf("Seeded engagement %d", i), "EUR")
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error { return e.WriteBrief(by, seedQuestions) },
		func() error { return e.SendBrief(by) },
		func() error { return e.AnswerBrief(client, seedAnswers) },
		func() error { return a.seedProposal(by, e, ws, cl) },
		func() error { return e.AcceptAgreement(client, e.Proposed().Version, termIDs(e.Proposed())) },
	}
	for _, step := range steps[:1+i%len(steps)] {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// seedProposal writes a two-milestone agreement in the client's language and proposes it.
func (a *App) seedProposal(c accord.Cmd, e *accord.Engagement, ws accord.Workspace, cl accord.Client) error {
	day := func(n int) accord.Date { return accord.Date(c.Now.AddDate(0, 0, n).Format(time.DateOnly)) }
	t := a.Catalog.Translator(cl.Language)
	ag := accord.Agreement{Scope: "A logo and a one-page site.",
		Deliverables: []accord.Deliverable{{Title: "Logo", Volume: "3 concepts"}, {Title: "Site", Volume: "1 page"}},
		Milestones: []accord.MilestonePlan{
			{Title: "Concepts", DueDate: day(14), Price: accord.Money{Amount: 80000, Currency: "EUR"}, PrepaymentPercent: 50},
			{Title: "Final", DueDate: day(30), Price: accord.Money{Amount: 120000, Currency: "EUR"}, PrepaymentPercent: 50},
		},
		Revisions: 2, KillFeePercent: 30, ResponseDays: 3, ReviewDays: 14,
		Channel: t("eng.agreement.default_channel", nil), ReportCadence: t("eng.agreement.default_cadence", nil)}
	if err := accord.ApplyPolicy(&ag, ws, cl); err != nil {
		return err
	}
	v, err := e.WriteAgreement(c, ag, cl.Language, t)
	if err != nil {
		return err
	}
	return e.ProposeAgreement(c, v.Version)
}

// termIDs are the ids of an agreement's key terms, all of which a client acknowledges to accept.
func termIDs(ag *accord.Agreement) []string {
	ids := make([]string, len(ag.Terms))
	for i, t := range ag.Terms {
		ids[i] = t.ID
	}
	return ids
}
