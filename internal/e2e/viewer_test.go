package e2e

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/pdfdoc"
	"github.com/accordapp/accord/internal/pdfrender"
)

// A PDF's preview in Chromium, in Russian: the client opens the delivered catalogue, pages
// forward to its second page, clicks a spot on it and leaves a comment there; the comment's pin
// stands on that spot. The freelancer sees the comment waiting, answers it on the same page, and
// the client sees the answer beside the comment.
func TestPagingAndPinningInBrowser(t *testing.T) {
	chromium := findChromium(t)
	sc := scripts[0]
	T := tr(i18n.New(), sc.lang)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)
	start := time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC)
	s := newServer(ctx, t, i18n.New(), start)
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatal("no cache folder for the compiled PDFium:", err)
	}
	pdfs, err := pdfrender.New(pdfrender.Config{CacheDir: filepath.Join(cache, "accord", "pdfrender-test")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pdfs.Close() })
	s.app.PDFPages = pdfs

	token := s.api("POST", "/api/v1/auth/signup", "", map[string]string{"email": sc.email, "password": "correct horse battery", "name": sc.studio}, 201)["token"].(string)
	id, ms := s.agreed(token, sc, start)
	s.api("POST", "/api/v1/engagements/"+id+"/payments", token, map[string]any{"milestone_id": ms[0], "amount": "500.00"}, 201)
	s.api("POST", "/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/start", token, nil, 200)
	var lines []string
	for i := range 150 {
		lines = append(lines, "Разворот каталога, строка "+strconv.Itoa(i))
	}
	pdf, err := pdfdoc.Render(pdfdoc.Doc{Title: "Каталог", Sections: []pdfdoc.Section{{Heading: "Макет", Text: lines}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.app.Jobs.Stop(ctx); err != nil { // the preview waits until the jobs start again
		t.Fatal(err)
	}
	s.upload(token, id, ms[0], "catalogue.pdf", pdf)
	comment, answer := "Здесь цены крупнее, пожалуйста", "Сделаю в следующей версии"

	fr, cl := openPair(ctx, t, chromium, sc.lang, sc.email, sc.clientEmail, "catalogue.pdf", comment, answer)
	inv := s.api("POST", "/api/v1/engagements/"+id+"/invitations", token, map[string]string{"email": sc.clientEmail}, 201)["portal_url"].(string)
	cl.do("open the portal link", chromedp.Navigate(inv), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")

	// ---- The preview is made while the client looks: the page fills it in by itself. ----
	cl.wantText("the progress", ".previews-progress", T("file.previews_progress", "ready", 0, "total", 1))
	cl.wantNotPresent("no preview yet", ".view-link")
	if err := s.app.Jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	cl.do("the preview appears without a reload", chromedp.WaitVisible(chromedp.CSS(".view-link")))
	cl.wantNotPresent("the progress is gone", ".previews-progress")

	// ---- Paging. ----
	cl.do("open the catalogue's preview", chromedp.Click(chromedp.CSS(".view-link")), chromedp.WaitVisible(chromedp.CSS("#viewer-page")))
	pages := eval[int](cl, "how many pages", `document.querySelectorAll(".page-links a, .page-links b").length`)
	if pages < 2 {
		t.Fatalf("the catalogue's preview has %d pages, want several", pages)
	}
	cl.wantText("the first page", "#page-of", T("viewer.page_of", "page", 1, "pages", pages))
	cl.wantNotPresent("no page before the first", "#page-prev")
	if w := eval[int](cl, "the first page's image", imageWidthJS("#viewer-page")); w == 0 {
		t.Fatal("the first page's image did not load")
	}
	cl.do("the next page", chromedp.Click(chromedp.CSS("#page-next")), chromedp.WaitVisible(chromedp.CSS("#page-prev")))
	cl.wantText("the second page", "#page-of", T("viewer.page_of", "page", 2, "pages", pages))
	if w := eval[int](cl, "the second page's image", imageWidthJS("#viewer-page")); w == 0 {
		t.Fatal("the second page's image did not load")
	}
	cl.noEnglish("the preview's second page")

	// ---- Pinning: a click a quarter across and three fifths down. ----
	box := eval[[]float64](cl, "where the page is", `(() => { const img = document.querySelector("#viewer-page");
		img.scrollIntoView({block: "center"}); const r = img.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	cl.do("click the spot", chromedp.MouseClickXY(box[0]+0.25*box[2], box[1]+0.6*box[3]))
	x, _ := strconv.Atoi(cl.value("the spot's x", "#pin-x"))
	y, _ := strconv.Atoi(cl.value("the spot's y", "#pin-y"))
	if math.Abs(float64(x-250)) > 5 || math.Abs(float64(y-600)) > 5 {
		t.Fatalf("the click was taken at %d‰, %d‰; want 250‰, 600‰", x, y)
	}
	cl.wantVisible("the new pin shows where it goes", ".pin.new.placed")
	cl.do("write the comment", chromedp.SendKeys(chromedp.CSS("#comment-text"), comment))
	cl.submitOK("leave the comment", "#comment-send")
	cl.wantText("the comment is taken", "#notice", T("notice.comment_pinned"))
	cl.wantText("the comment is listed", "#comments .comment", comment)
	cl.wantText("the comment's spot is worded", "#comments .comment", T("viewer.at_spot", "x", 25, "y", 60))
	at := eval[[]float64](cl, "where the pin stands", `(() => { const img = document.querySelector("#viewer-page").getBoundingClientRect();
		const p = document.querySelector(".pin.placed:not(.new)").getBoundingClientRect();
		return [(p.left + p.width / 2 - img.left) / img.width, (p.top + p.height / 2 - img.top) / img.height]; })()`)
	if math.Abs(at[0]-0.25) > 0.01 || math.Abs(at[1]-0.6) > 0.01 {
		t.Errorf("the pin stands at %.3f, %.3f of the page; want 0.25, 0.6", at[0], at[1])
	}

	// ---- The freelancer answers on the same page. ----
	s.login(fr, sc.email, "correct horse battery")
	fr.do("the engagement", chromedp.Navigate(s.base+"/app/engagements/"+id+"#deliveries"))
	fr.wantText("a comment waits", ".unanswered", T("file.unanswered", "count", 1))
	fr.do("open the preview", chromedp.Click(chromedp.CSS(".view-link")), chromedp.WaitVisible(chromedp.CSS("#viewer-page")))
	fr.do("to the page with the comment", chromedp.Click(chromedp.CSS(`.page-links a[href$="page=2"]`)), chromedp.WaitVisible(chromedp.CSS(".answer-form textarea")))
	fr.do("write the answer", chromedp.SendKeys(chromedp.CSS(".answer-form textarea"), answer))
	fr.submitOK("send the answer", ".answer-send")
	fr.wantText("the answer is taken", "#notice", T("notice.comment_answered"))
	fr.noEnglish("the freelancer's preview page")

	cl.do("the page again", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#comments .answer")))
	cl.wantText("the client sees the answer", "#comments .answer", answer)
}
