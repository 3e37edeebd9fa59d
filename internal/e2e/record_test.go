package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord/internal/i18n"
)

// The record and a call summary in Chromium, in Russian: the client's browser keeps the signed
// head it saw and checks the next one against it; the freelancer writes what was agreed on a
// call, the client confirms one point and corrects the other (a correction left empty is
// refused beside its point), and both sides see the correction beside the point. A head that
// does not fit what the browser saw before is reported as such.
func TestCallSummaryAndRecordInBrowser(t *testing.T) {
	chromium := findChromium(t)
	sc := scripts[0]
	l := sc.lang
	cat := i18n.New()
	T := tr(cat, l)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	start := time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC)
	s := newServer(ctx, t, cat, start)
	token := s.api("POST", "/api/v1/auth/signup", "", map[string]string{"email": sc.email, "password": "correct horse battery", "name": sc.studio}, 201)["token"].(string)
	id, _ := s.agreed(token, sc, start)
	point1, point2, fix := "Логотип в синих тонах", "Две правки до пятницы", "Три правки, как договорились на созвоне"

	fr, cl := openPair(ctx, t, chromium, l, sc.email, sc.clientEmail, point1, point2, fix, "email", "weekly")
	s.login(fr, sc.email, "correct horse battery")
	inv := s.api("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": sc.clientEmail}, 201)["portal_url"].(string)
	cl.do("open the portal link", chromedp.Navigate(inv), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")

	// ---- The first visit keeps the head; a visit with nothing new finds the same. ----
	checked := func(what, state string) {
		t.Helper()
		cl.do(what, chromedp.WaitVisible(chromedp.CSS(`#record-check[data-state="`+state+`"]`)))
	}
	checked("the first record check", "first")
	cl.wantText("the first check says so", "#record-check .record-result", T("portal.record.first"))
	key := s.api("GET", "/api/v1/record", token, nil, 200)["fingerprint"].(string)
	cl.wantText("the key's fingerprint", "#record-fingerprint", T("portal.record.fingerprint", "fingerprint", key))
	cl.do("the portal again", chromedp.Navigate(s.base+"/portal"))
	checked("the record check with nothing new", "same")

	// ---- The freelancer writes the summary on the page. ----
	page := s.base + "/app/engagements/" + id
	fr.do("the engagement", chromedp.Navigate(page+"#summaries"),
		chromedp.SendKeys(chromedp.CSS("#summary-points"), point1+"\n"+point2))
	fr.submitOK("send the summary", "#summary-send")
	fr.wantText("the summary is sent", "#notice", T("notice.summary_sent"))

	// ---- The client answers: the record grew, consistently. ----
	cl.do("the portal with the summary", chromedp.Navigate(s.base+"/portal"))
	checked("the record check after the summary", "grown")
	if got := cl.text("the grown record", "#record-check .record-result"); !hasTwoNumbers(got) {
		t.Errorf("the check does not say how far the record grew: %q", got)
	}
	cl.wantText("the summary asks", "#summary h2", T("portal.summary.title"))
	cl.do("confirm the first point, leave the correction empty",
		chromedp.Click(chromedp.CSS("#confirm-p1")), chromedp.Click(chromedp.CSS("#correct-p2")))
	cl.submit("send the answers", "#summary button[type=submit]")
	if got := cl.text("the problem beside the point", `fieldset[data-point="p2"] .field-error`); got == "" {
		t.Errorf("an empty correction was taken, or its problem is not beside its point")
	}
	if !eval[bool](cl, "the answer typed is kept", `document.querySelector("#confirm-p1").checked && document.querySelector("#correct-p2").checked`) {
		t.Error("the refused form lost the answers chosen")
	}
	cl.do("write the correction", chromedp.SendKeys(chromedp.CSS("#correction-p2"), fix))
	cl.submitOK("send the answers", "#summary button[type=submit]")
	cl.wantText("the answers are taken", "#notice", T("notice.summary_answered"))
	cl.do("open the answered summary", chromedp.Click(chromedp.CSS("#summary details summary")))
	cl.wantText("the client sees the correction beside the point", `#summary li[data-point="p2"] .correction`, T("summary.corrected", "text", fix))
	cl.noEnglish("the portal with the answered summary")

	fr.do("the engagement after the answer", chromedp.Navigate(page))
	fr.wantText("the freelancer sees the correction", `#summaries li[data-point="p2"] .correction`, T("summary.corrected", "text", fix))
	fr.noEnglish("the engagement with the answered summary")

	// ---- A record that does not fit what this browser saw: another root at the same size. ----
	origin := eval[string](cl, "the record's name", `document.querySelector("#record-check").dataset.origin`)
	eval[bool](cl, "forge the head this browser kept", fmt.Sprintf(`(() => {
		const k = "accord.record." + %s; const h = JSON.parse(localStorage.getItem(k));
		h.root = btoa(String.fromCharCode(...new Uint8Array(32).fill(7))); localStorage.setItem(k, JSON.stringify(h)); return true; })()`, jsString(origin)))
	cl.do("the portal with a head that does not fit", chromedp.Navigate(s.base+"/portal"))
	checked("the record check against a forged head", "broken")
	cl.wantText("the warning", "#record-check .record-result", T("portal.record.broken", "workspace", sc.studio))
}

// hasTwoNumbers reports whether s names two numbers (the record's sizes then and now).
func hasTwoNumbers(s string) bool {
	n := 0
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		if f != "" {
			n++
		}
	}
	return n >= 2
}
