package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// The protections on the pages, in Chromium, in Bulgarian: a change request past the revision
// budget becomes a paid change the freelancer prices and the client accepts; a reply is coached
// as it is typed and held, coached again; the engagement ends early with its settlement seen
// line by line on both sides.
func TestProtectionsInBrowser(t *testing.T) {
	chromium := findChromium(t)
	sc := scripts[1]
	l := sc.lang
	cat := i18n.New()
	T := tr(cat, l)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	start := time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC)
	s := newServer(ctx, t, cat, start)
	token := s.api("POST", "/api/v1/auth/signup", "", map[string]string{"email": sc.email, "password": "correct horse battery", "name": sc.studio}, 201)["token"].(string)
	id, ms := s.agreed(token, sc, start) // 2 revisions, kill fee 30 %
	base := "/api/v1/engagements/" + id
	s.api("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	s.api("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	_, png := writePNG(t, "sketch.png", 400, 300)

	fr, cl := openPair(ctx, t, chromium, l, sc.email, sc.clientEmail, "sketch.png", "email", "weekly")
	s.login(fr, sc.email, "correct horse battery")
	inv := s.api("POST", base+"/invitations", token, map[string]string{"email": sc.clientEmail}, 201)["portal_url"].(string)
	cl.do("open the portal link", chromedp.Navigate(inv), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")
	page := s.base + "/app/engagements/" + id

	// ---- Three change requests in the portal: the third is past the two revisions. ----
	for round := 1; round <= 3; round++ {
		s.deliver(token, id, ms[0], png)
		cl.do("the portal", chromedp.Navigate(s.base+"/portal"))
		cl.do("open the change form", chromedp.Click(chromedp.CSS("#deliveries details summary")))
		cl.do("say what is wrong", chromedp.SendKeys(chromedp.CSS("#changes textarea[name=what_is_wrong]"), sc.wrong),
			chromedp.SendKeys(chromedp.CSS("#changes textarea[name=desired_result]"), sc.a2))
		cl.submitOK("send the change request", "#changes button.request-changes")
		if round < 3 {
			cl.wantText("revisions left", "#milestone-1", T("milestone.revisions_left", "count", 2-round, "total", 2))
			s.api("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
		}
	}
	fr.do("the engagement", chromedp.Navigate(page))
	fr.wantVisible("the paid change form", "#change-quote-1")
	fr.do("price the change", chromedp.SendKeys(chromedp.CSS("#change-price-1"), "200,00"),
		chromedp.SetValue(chromedp.CSS("#change-due-1"), start.AddDate(0, 0, 30).Format(time.DateOnly)))
	fr.submitOK("offer the paid change", "#change-quote-1")
	fr.wantText("offered", "#notice", T("notice.paid_change_quoted"))
	fr.noEnglish("the engagement with a paid change offered")
	cl.do("the portal", chromedp.Navigate(s.base+"/portal"))
	cl.wantText("the paid change", "#milestones", T("portal.paid_change", "price", accord.Money{Amount: 20000, Currency: "EUR"},
		"due", accord.Date(start.AddDate(0, 0, 30).Format(time.DateOnly))))
	cl.noEnglish("the portal with a paid change")
	cl.submitOK("accept the paid change", "#paid-change-accept")
	cl.wantText("accepted", "#notice", T("notice.paid_change_accepted"))

	// ---- A reply coached as it is typed, held by the cooling-off, coached again. ----
	fr.do("the engagement", chromedp.Navigate(page))
	fr.do("type an angry reply", chromedp.SendKeys(chromedp.CSS("#message-body"), "Никога не четете брифа."))
	fr.do("the coach answers", chromedp.WaitVisible(chromedp.CSS(`#coach-live mark[data-category="absolute"]`)))
	fr.wantText("the coach's advice", "#coach-live", T("coach.absolute.message"))
	fr.submitOK("send it anyway", "#message-send")
	fr.wantText("held and coached", "#messages", T("coach.title"))
	fr.wantPresent("the held reply marked", `#messages .msg mark[data-category="absolute"]`)

	// ---- Ending early: the settlement line by line, on both sides. ----
	s.api("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	fr.do("the engagement", chromedp.Navigate(page))
	// Price 1200.00 now; 30 % of it is earned, 500.00 was paid: 140.00 to refund.
	result := T("settlement.result", "keeps", accord.Money{Amount: 36000, Currency: "EUR"}, "refund", accord.Money{Amount: 14000, Currency: "EUR"},
		"owes", accord.Money{Amount: 0, Currency: "EUR"})
	fr.wantText("the kill fee settlement", "#settle-kill_fee", result)
	fr.submitOK("end the engagement", "#terminate-kill_fee")
	fr.wantText("ended", "#notice", T("notice.terminated"))
	fr.wantAttr("terminated", "#state", "data-state", "terminated")
	fr.noEnglish("the terminated engagement")
	cl.do("the portal", chromedp.Navigate(s.base+"/portal"))
	cl.wantText("the settlement in the portal", "#settled", result)
	if got := cl.text("the computation", "#settled"); !strings.Contains(got, T("settlement.earned")) {
		t.Errorf("the portal's settlement has no computation: %q", got)
	}
	cl.noEnglish("the portal after the end")
}
