// Package demo fills a workspace with engagements in several states, through the same use
// cases a person would go through, so that a first look at Accord has something to show.
package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
)

// The demo freelancer's login.
const (
	Email    = "demo@accord.example"
	Password = "demo-password"
	Name     = "Studio Nord"
)

// Result is what the demo prints: where to log in and a portal link to open as the client.
type Result struct {
	PortalURL string
	Created   bool
}

// Describe tells a person how to look around.
func (r Result) Describe(base string) string {
	return fmt.Sprintf(`
Demo workspace %q
  freelancer: open %s/login and log in as %s with password %s
  client:     open %s (a single-use portal link; run again for a new one)
`, Name, base, Email, Password, r.PortalURL)
}

// Seed creates the demo workspace once; later runs only make a fresh portal link.
func Seed(ctx context.Context, a *app.App) (Result, error) {
	u, err := a.Login(ctx, Email, Password, "demo")
	if err == nil {
		return freshLink(ctx, a, u)
	}
	acc, err := a.CreateAccount(ctx, Email, Password, Name)
	if err != nil {
		return Result{}, err
	}
	s := &seeder{a: a, ctx: ctx, f: app.Freelancer{UserID: acc.User.ID, WorkspaceID: acc.Workspace.ID, Name: Name, Email: Email}}
	url := s.all()
	return Result{PortalURL: url, Created: true}, s.err
}

func freshLink(ctx context.Context, a *app.App, u accord.User) (Result, error) {
	f, err := a.FreelancerOf(ctx, u)
	if err != nil {
		return Result{}, err
	}
	es, err := a.Engagements(ctx, f)
	if err != nil || len(es) == 0 {
		return Result{}, fmt.Errorf("demo workspace has no engagements: %v", err)
	}
	target := es[0]
	for _, e := range es {
		if len(e.Deliveries) > 0 {
			target = e
		}
	}
	inv, err := a.Invite(ctx, f, target.ID, reviewer.email)
	return Result{PortalURL: inv.URL}, err
}

// demoClient is one of the demo's clients: each reads Accord in a language of their own.
type demoClient struct {
	name, email, lang, zone string
}

var (
	bakery   = demoClient{"Мария Петрова", "maria@client.example", "bg", "Europe/Sofia"}
	reviewer = demoClient{"Анна Смирнова", "anna@client.example", "ru", "Europe/Moscow"}
	gallery  = demoClient{"Emma Wright", "emma@client.example", "en", "Europe/London"}
)

// seeder runs steps until the first error, which it keeps.
type seeder struct {
	a   *app.App
	ctx context.Context
	f   app.Freelancer
	err error
}

func (s *seeder) do(fn func() error) {
	if s.err == nil {
		s.err = fn()
	}
}

// t is the demo's text in a client's language, from the catalog like every other word.
func (s *seeder) t(c demoClient, key string) string { return s.a.Catalog.T(c.lang, key, nil) }

func (s *seeder) all() string {
	s.do(func() error {
		return s.a.SaveSettings(s.ctx, s.f, app.Settings{WorkspaceName: Name, Timezone: "Europe/Sofia",
			CoolingOffMinutes: 20, ResponseDays: accord.DefaultResponseDays, PaymentDetails: "IBAN BG80 BNBG 9661 1020 3456 78 · Studio Nord"})
	})
	ids := map[demoClient]string{}
	for _, c := range []demoClient{bakery, reviewer, gallery} {
		s.do(func() error {
			cl, err := s.a.CreateClient(s.ctx, s.f, c.name, c.email, c.lang, c.zone)
			ids[c] = cl.ID
			return err
		})
	}
	s.engagement(bakery, ids[bakery], "demo.title.logo", 0)
	s.engagement(bakery, ids[bakery], "demo.title.copy", 1)
	s.engagement(gallery, ids[gallery], "demo.title.photos", 3)
	id := s.engagement(reviewer, ids[reviewer], "demo.title.review", 5)
	var inv app.Invitation
	s.do(func() (err error) {
		inv, err = s.a.Invite(s.ctx, s.f, id, reviewer.email)
		return err
	})
	return inv.URL
}

// engagement walks one engagement forward by steps: 0 draft with a brief, 1 brief sent,
// 2 brief answered, 3 agreement proposed, 4 agreed and prepaid, 5 first milestone delivered.
func (s *seeder) engagement(c demoClient, clientID, titleKey string, steps int) string {
	var e *accord.Engagement
	s.do(func() (err error) {
		e, err = s.a.CreateEngagementFrom(s.ctx, s.f, clientID, s.t(c, titleKey), "EUR", "starter-"+c.lang)
		return err
	})
	if s.err != nil {
		return ""
	}
	if steps >= 1 {
		s.do(func() error { _, err := s.a.SendBrief(s.ctx, s.f, e.ID); return err })
	}
	if steps >= 2 {
		ct := s.contact(c, e.ID)
		s.do(func() error { _, err := s.a.AnswerBrief(s.ctx, ct, s.answers(c)); return err })
		if steps >= 3 {
			s.propose(c, e.ID)
		}
		if steps >= 4 {
			s.agreeAndPrepay(ct, e.ID)
		}
		if steps == 4 { // work under way, and a call's points waiting for the client's word
			s.do(func() error {
				_, err := s.a.WriteCallSummary(s.ctx, s.f, e.ID, []string{s.t(c, "demo.summary.colours"), s.t(c, "demo.summary.rounds")})
				return err
			})
		}
		if steps >= 5 {
			s.deliver(c, e.ID)
		}
	}
	if e == nil {
		return ""
	}
	return e.ID
}

func (s *seeder) contact(cl demoClient, id string) app.Contact {
	var c app.Contact
	s.do(func() error {
		inv, err := s.a.Invite(s.ctx, s.f, id, cl.email)
		if err != nil {
			return err
		}
		secret, _, err := s.a.OpenPortal(s.ctx, inv.Token)
		if err != nil {
			return err
		}
		sess, err := s.a.Authenticate(s.ctx, secret)
		if err != nil {
			return err
		}
		c, err = s.a.Contact(s.ctx, sess)
		return err
	})
	return c
}

func (s *seeder) propose(c demoClient, id string) {
	today := s.a.Clock.Now()
	day := func(n int) accord.Date { return accord.Date(today.AddDate(0, 0, n).Format(time.DateOnly)) }
	ag := accord.Agreement{
		Scope: s.t(c, "demo.scope"),
		Deliverables: []accord.Deliverable{{Title: s.t(c, "demo.deliverable.book"), Volume: s.t(c, "demo.volume.book")},
			{Title: s.t(c, "demo.deliverable.logo"), Volume: s.t(c, "demo.volume.logo")}},
		Milestones: []accord.MilestonePlan{
			{Title: s.t(c, "demo.milestone.concepts"), DueDate: day(10), Price: accord.Money{Amount: 120000, Currency: "EUR"}, PrepaymentPercent: 50},
			{Title: s.t(c, "demo.milestone.final"), DueDate: day(30), Price: accord.Money{Amount: 180000, Currency: "EUR"}, PrepaymentPercent: 50},
		},
		Revisions: 2, KillFeePercent: 30, ResponseDays: 3, ReviewDays: 14,
		Channel: s.t(c, "eng.agreement.default_channel"), ReportCadence: s.t(c, "eng.agreement.default_cadence"),
	}
	var a *accord.Agreement
	s.do(func() (err error) { a, err = s.a.WriteAgreement(s.ctx, s.f, id, ag); return err })
	s.do(func() error { _, err := s.a.ProposeAgreement(s.ctx, s.f, id, a.Version); return err })
}

func (s *seeder) agreeAndPrepay(c app.Contact, id string) {
	var e *accord.Engagement
	s.do(func() (err error) { e, err = s.a.Engagement(s.ctx, s.f, id); return err })
	s.do(func() error {
		var terms []string
		for _, t := range e.Proposed().Terms {
			terms = append(terms, t.ID)
		}
		var err error
		e, err = s.a.AcceptAgreement(s.ctx, c, e.Proposed().Version, terms)
		return err
	})
	s.do(func() error {
		m := e.Milestones[0]
		_, err := s.a.RecordPayment(s.ctx, s.f, id, m.ID, m.Prepayment, "0042")
		return err
	})
	s.do(func() error { _, err := s.a.StartMilestone(s.ctx, s.f, id, e.Milestones[0].ID); return err })
}

func (s *seeder) deliver(c demoClient, id string) {
	s.do(func() error {
		e, err := s.a.Engagement(s.ctx, s.f, id)
		if err != nil {
			return err
		}
		up, err := s.a.StageUpload(s.ctx, "concept-a.png", bytes.NewReader(conceptImage()))
		if err != nil {
			return err
		}
		_, _, err = s.a.Deliver(s.ctx, s.f, id, e.Milestones[0].ID, s.t(c, "demo.note"), []app.Upload{up})
		return err
	})
}

// answers are the client's answers to the starter brief's required questions.
func (s *seeder) answers(c demoClient) map[string]string {
	return map[string]string{"q1": s.t(c, "demo.answer.goal"), "q2": s.t(c, "demo.answer.audience"), "q3": s.t(c, "demo.answer.emphasis")}
}

// conceptImage draws a small poster so the demo delivery has a real preview.
func conceptImage() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1200, 800))
	for y := 0; y < 800; y++ {
		for x := 0; x < 1200; x++ {
			img.Set(x, y, color.RGBA{uint8(180 + x/20), uint8(120 + y/10), uint8(90 + (x+y)/30), 255})
			if dx, dy := x-600, y-400; dx*dx+dy*dy < 200*200 {
				img.Set(x, y, color.RGBA{60, 40, 30, 255})
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
