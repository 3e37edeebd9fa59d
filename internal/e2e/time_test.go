package e2e

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// agreed walks an engagement through the API to an accepted agreement with two milestones, due
// 10 and 20 days after the clock's start, and returns its id and the milestone ids.
func (s *testServer) agreed(token string, sc script, start time.Time) (string, []string) {
	s.t.Helper()
	cl := s.api("POST", "/api/v1/clients", token, map[string]string{"name": sc.client, "email": sc.clientEmail,
		"language": sc.lang, "timezone": "UTC"}, 201)["id"].(string)
	id := s.api("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": sc.title, "currency": "EUR"}, 201)["id"].(string)
	base := "/api/v1/engagements/" + id
	s.api("PUT", base+"/brief", token, map[string]any{"questions": []map[string]any{{"id": "goal", "text": sc.q1, "required": true}}}, 200)
	s.api("POST", base+"/brief/send", token, nil, 200)
	inv := s.api("POST", base+"/invitations", token, map[string]string{"email": sc.clientEmail}, 201)
	session := s.api("POST", "/portal/api/session", "", map[string]string{"portal_token": inv["portal_token"].(string)}, 201)["session"].(string)
	s.api("PUT", "/portal/api/brief", session, map[string]any{"answers": map[string]string{"goal": sc.a1}}, 200)
	due := func(days int) string { return start.AddDate(0, 0, days).Format(time.DateOnly) }
	ag := s.api("POST", base+"/agreements", token, map[string]any{
		"scope": sc.scope, "deliverables": []map[string]string{{"title": sc.deliverable, "volume": sc.volume}},
		"milestones": []map[string]any{{"title": sc.milestone, "due_date": due(10), "price": "1000.00", "prepayment_percent": 50},
			{"title": sc.deliverable, "due_date": due(20), "price": "600.00", "prepayment_percent": 50}},
		"revisions": 2, "kill_fee_percent": 30, "response_days": 3, "review_days": 14, "channel": "email", "report_cadence": "weekly"}, 201)
	v := strconv.Itoa(int(ag["version"].(float64)))
	s.api("POST", base+"/agreements/"+v+"/propose", token, nil, 200)
	var terms []string
	for _, t := range ag["terms"].([]any) {
		terms = append(terms, t.(map[string]any)["id"].(string))
	}
	s.api("POST", "/portal/api/agreement/"+v+"/accept", session, map[string]any{"acknowledged_terms": terms}, 200)
	var ms []string
	for _, m := range s.api("GET", base, token, nil, 200)["milestones"].([]any) {
		ms = append(ms, m.(map[string]any)["id"].(string))
	}
	return id, ms
}

// deliver uploads one file as a milestone's delivery through the API.
func (s *testServer) deliver(token, id, milestone string, file []byte) {
	s.t.Helper()
	s.deliverFile(token, id, milestone, "sketch.png", file)
}

// deliverFile uploads one file by its name as a milestone's delivery through the API, and
// runs the jobs due: a test clock ahead of the real one leaves the previews' jobs to it.
func (s *testServer) deliverFile(token, id, milestone, name string, file []byte) {
	s.t.Helper()
	s.upload(token, id, milestone, name, file)
	s.advance(token, "0s")
}

// upload uploads one file as a milestone's delivery, its preview left to its job.
func (s *testServer) upload(token, id, milestone, name string, file []byte) {
	s.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, _ := w.CreateFormFile("file", name)
	f.Write(file)
	w.Close()
	req, _ := http.NewRequest("POST", s.base+"/api/v1/engagements/"+id+"/milestones/"+milestone+"/deliveries", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 201 {
		s.t.Fatalf("deliver: %v %v", res, err)
	}
	res.Body.Close()
}

var portalURL = regexp.MustCompile(`https?://\S+/p/\S+`)

// Time on the pages, in Chromium: information asked for on the engagement page and answered late
// in the portal moves the deadlines, visibly on both sides; a silent client is reminded, then
// the work is paused and the freelancer resumes it in one click; a delivery left unreviewed is
// accepted by Accord, and both sides see it.
func TestTimeInBrowser(t *testing.T) {
	chromium := findChromium(t)
	sc := scripts[0]
	l := sc.lang
	cat := i18n.New()
	T := tr(cat, l)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	start := time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC)
	s := newServer(ctx, t, cat, start)
	token := s.api("POST", "/api/v1/auth/signup", "", map[string]string{"email": sc.email, "password": "correct horse battery", "name": sc.studio}, 201)["token"].(string)
	id, ms := s.agreed(token, sc, start)

	fr, cl := openPair(ctx, t, chromium, l, sc.email, sc.clientEmail, "sketch.png", "email", "weekly")
	s.login(fr, sc.email, "correct horse battery")
	page := s.base + "/app/engagements/" + id
	date := func(days int) string {
		return i18n.FormatDate(l, accord.Date(start.AddDate(0, 0, days).Format(time.DateOnly)))
	}

	// ---- Late information: asked on the page, due in 2 days, answered on the 3rd. ----
	fr.do("open the engagement", chromedp.Navigate(page))
	fr.do("ask for the texts", chromedp.SendKeys(chromedp.CSS("#info-title"), sc.deliverable),
		chromedp.SetValue(chromedp.CSS("#info-due"), start.AddDate(0, 0, 2).Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`input[name="blocks"][value="`+ms[0]+`"]`)))
	fr.submitOK("send the information request", "#info-send")
	fr.wantText("the request is sent", "#notice", T("notice.info_requested"))
	s.advance(token, "72h") // past the due date: a warning
	warning := s.lastMail(token, "info_overdue")
	if !strings.Contains(warning, sc.milestone) {
		t.Errorf("the overdue warning does not name the milestone waiting for it:\n%s", warning)
	}
	cl.do("open the link in the warning", chromedp.Navigate(portalURL.FindString(warning)), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")
	cl.wantPath("the portal", "/portal")
	cl.wantText("the portal asks for the information", "#ask", T("ask.answer_info"))
	cl.do("answer", chromedp.SendKeys(chromedp.CSS("section.info textarea"), sc.a2))
	cl.submitOK("send the answer", "section.info button.info-send")
	cl.wantText("the portal shows the moved date", "#milestone-1", date(11))
	cl.wantText("the portal shows the later milestone moved too", "#milestone-2", date(21))
	cl.noEnglish("the portal after a late answer")
	fr.do("reload the engagement", chromedp.Navigate(page))
	fr.wantText("the moved date", "#milestone-1", date(11))
	fr.wantText("why it moved", "#timeline", T("timeline.moved", "num", 1, "title", sc.milestone,
		"from", accord.Date(start.AddDate(0, 0, 10).Format(time.DateOnly)), "to", accord.Date(start.AddDate(0, 0, 11).Format(time.DateOnly))))

	// ---- The silent client: a reminder after 3 days, a check-in after 6, paused after 9; two
	// days later the freelancer resumes. ----
	fr.wantText("the next nudge", "#next-nudge", T("nudge.reminder"))
	s.advance(token, "264h")
	fr.do("reload the engagement", chromedp.Navigate(page))
	fr.wantAttr("paused", "#state", "data-state", "paused")
	if n := eval[int](fr, "the nudges on the record", `document.querySelectorAll('#timeline li[data-type="client.nudged"]').length`); n != 4 {
		t.Errorf("the record shows %d nudges, want 4 (the overdue warning, a reminder, a check-in, the pause)", n)
	}
	fr.wantText("the pause on the record", "#timeline", T("nudge.pause"))
	fr.noEnglish("the paused engagement")
	cl.do("the client's portal", chromedp.Navigate(s.base+"/portal"))
	cl.wantAttr("paused in the portal", "#state", "data-state", "paused")
	cl.wantText("the portal says how to go on", "#ask", T("ask.resume"))
	cl.noEnglish("the paused portal")
	fr.submitOK("resume", "#resume")
	fr.wantText("resumed", "#notice", T("notice.resumed"))
	fr.wantAttr("running again", "#state", "data-state", "agreed")
	fr.wantText("the due date moved by the days paused", "#milestone-1", date(13))
	fr.wantText("the later one too", "#milestone-2", date(23))

	// ---- A delivery left unreviewed for review_days is accepted. ----
	base := "/api/v1/engagements/" + id
	s.api("POST", base+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	s.api("POST", base+"/milestones/"+ms[0]+"/start", token, nil, 200)
	_, png := writePNG(t, "sketch.png", 400, 300)
	s.deliver(token, id, ms[0], png)
	s.advance(token, "336h")
	fr.do("reload the engagement", chromedp.Navigate(page))
	fr.wantAttr("accepted by silence", "#milestone-1", "data-state", "accepted")
	fr.wantText("Accord accepted it", `#timeline li[data-type="delivery.accepted"]`, T("actor.system"))
	fr.noEnglish("the engagement after acceptance by silence")
	cl.do("the client's portal", chromedp.Navigate(s.base+"/portal"))
	cl.wantAttr("accepted in the portal", "#milestone-1", "data-state", "accepted")
	cl.wantText("the balance is asked", "#ask", T("ask.pay", "num", 1, "title", sc.milestone, "amount", accord.Money{Amount: 50000, Currency: "EUR"}))
}
