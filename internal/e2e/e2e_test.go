// Package e2e walks Accord's pages in a real browser: a freelancer and a client, each in a
// headless Chromium of their own, take one engagement from the brief to the final payment.
package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/server"
	"github.com/accordapp/accord/internal/store"
)

// stepTimeout bounds one step (a form, a wait); the whole test has its own, longer bound.
const stepTimeout = 30 * time.Second

func TestHappyPathInBrowser(t *testing.T) {
	chromium := findChromium(t)
	start := time.Now()

	// The whole walk is bounded; cleanups run in reverse order, so the browsers close
	// (gracefully) before this context ends, and the server closes after them.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)

	// A real server: SQLite and blobs in a temporary folder, a test clock, the catalog.
	dir := t.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatalf("blob dir: %v", err)
	}
	clock := accord.NewTestClock(time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC))
	tick := func() { clock.Advance(time.Minute) } // events and messages get distinct times
	cat := i18n.New()
	a := app.New(st, blobs, clock, cat)
	srv := server.New(a, cat)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	a.BaseURL = ts.URL // before any link is made
	base := ts.URL

	// The file the freelancer delivers.
	upload, pngBytes := writePNG(t, 2000, 1200)
	pngSum := sha256.Sum256(pngBytes)
	pngHash := hex.EncodeToString(pngSum[:])

	// Two browsers, two profiles: nothing is shared between the freelancer and the client.
	var fr, cl *browser
	var frErr, clErr error
	var wg sync.WaitGroup
	wg.Go(func() { fr, frErr = openBrowser(ctx, t, "freelancer", chromium) })
	wg.Go(func() { cl, clErr = openBrowser(ctx, t, "client", chromium) })
	wg.Wait()
	if frErr != nil || clErr != nil {
		t.Fatalf("cannot start Chromium (%s): freelancer: %v; client: %v", chromium, frErr, clErr)
	}
	t.Logf("server %s, two Chromium started in %v", base, time.Since(start).Round(time.Millisecond))

	// ---- Freelancer: sign up, add a client, create an engagement. ----
	fr.do("open the signup page", chromedp.Navigate(base+"/signup"))
	fr.do("fill the signup form",
		chromedp.SendKeys(chromedp.CSS("#name"), "Ada Studio"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ada@studio.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"),
	)
	fr.submitOK("sign up", "#signup")
	fr.wantPath("after signup", "/app")

	fr.do("fill the new client form",
		chromedp.SendKeys(chromedp.CSS("#client-name"), "Maria Petrova"),
		chromedp.SendKeys(chromedp.CSS("#client-email"), "maria@client.example"),
	)
	fr.submitOK("add the client", "#add-client")
	fr.wantPath("after adding the client", "/app")
	fr.wantText("client list", "#clients", "Maria Petrova")

	const title = "Brand book for Café Nord"
	fr.do("fill the new engagement form", chromedp.SendKeys(chromedp.CSS("#eng-title"), title))
	if cur := fr.value("currency field", "#eng-currency"); cur != "EUR" {
		fr.do("set the currency", chromedp.SetValue(chromedp.CSS("#eng-currency"), "EUR"))
	}
	fr.submitOK("create the engagement", "#create-engagement")
	loc := fr.location()
	engID, ok := strings.CutPrefix(loc.Path, "/app/engagements/")
	if !ok || engID == "" || strings.Contains(engID, "/") {
		t.Fatalf("after creating the engagement the freelancer is at %s, not on an engagement page", loc)
	}
	engURL := base + "/app/engagements/" + engID
	fr.wantText("engagement title", "#title", title)
	fr.wantAttr("new engagement", "#state", "data-state", "draft")

	// ---- Freelancer: write the brief, send it, make a portal link. ----
	tick()
	q1, q2 := "What is the goal of the brand book, in one sentence?", "Which brands do you like, and why?"
	fr.do("write the brief",
		chromedp.SendKeys(chromedp.CSS("#question-0"), q1),
		chromedp.Click(chromedp.CSS("#required-0")),
		chromedp.SendKeys(chromedp.CSS("#question-1"), q2),
	)
	fr.submitOK("save the brief", "#brief-save")
	if got := fr.value("saved question 1", "#question-0"); got != q1 {
		t.Fatalf("after saving, question 1 reads %q, want %q", got, q1)
	}
	if !eval[bool](fr, "required box of question 1", `document.querySelector("#required-0").checked`) {
		t.Fatalf("after saving, question 1 is not marked required")
	}
	fr.submitOK("send the brief", "#brief-send")
	fr.wantAttr("brief sent", "#state", "data-state", "brief_sent")

	tick()
	if got := fr.value("invitation email", "#invite-email"); got != "maria@client.example" {
		t.Fatalf("the invitation form proposes %q, want the client's email", got)
	}
	fr.submitOK("create a portal link", "#invite-send")
	portalLink := strings.TrimSpace(fr.text("portal link", "#portal-link"))
	if !strings.HasPrefix(portalLink, base+"/p/") {
		t.Fatalf("portal link %q does not start with %s/p/", portalLink, base)
	}

	// ---- Client: open the portal, answer the brief. ----
	tick()
	cl.do("open the portal link", chromedp.Navigate(portalLink), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.submitOK("open the portal", "#open-portal")
	cl.wantPath("after opening the portal", "/portal")
	cl.wantText("portal title", "#title", title)
	cl.wantAttr("portal with the brief", "#state", "data-state", "brief_sent")
	answerIDs := eval[[]string](cl, "brief answer fields",
		`[...document.querySelectorAll('#brief textarea[name^="answer_"]')].map(e => e.id)`)
	if len(answerIDs) != 2 {
		t.Fatalf("the portal shows %d answer fields, want 2", len(answerIDs))
	}
	cl.wantText("brief questions", "#brief", q1)
	cl.wantText("brief questions", "#brief", q2)
	answers := []string{"A brand the five cafés can apply without a designer.", "Small Scandinavian bakeries: warm and simple."}
	for i, id := range answerIDs {
		cl.do("answer question "+fmt.Sprint(i+1), chromedp.SendKeys(chromedp.CSS("#"+id), answers[i]))
	}
	cl.submitOK("submit the brief", "#brief-submit")
	cl.wantAttr("brief answered", "#state", "data-state", "brief_received")

	// ---- Freelancer: write the agreement and propose it. ----
	tick()
	due := clock.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.wantAttr("brief received", "#state", "data-state", "brief_received")
	fr.wantText("client's answers", "#brief", answers[0])
	fr.wantText("client's answers", "#brief", answers[1])
	const scope = "A brand book for the café chain: logo usage, colours, type and ten applications."
	fr.do("write the agreement",
		chromedp.SendKeys(chromedp.CSS("#scope"), scope),
		chromedp.SendKeys(chromedp.CSS("#deliverable-title-0"), "Brand book (PDF)"),
		chromedp.SendKeys(chromedp.CSS("#deliverable-volume-0"), "24 pages"),
		chromedp.SendKeys(chromedp.CSS("#milestone-title-0"), "Brand book"),
		chromedp.SetValue(chromedp.CSS("#milestone-due-0"), due),
		chromedp.SendKeys(chromedp.CSS("#milestone-price-0"), "1000.00"),
		chromedp.SetValue(chromedp.CSS("#milestone-prepayment-0"), "50"),
	)
	if got := fr.value("due date", "#milestone-due-0"); got != due {
		t.Fatalf("the due date field holds %q after setting %q", got, due)
	}
	fr.submitOK("save the agreement", "#agreement-save")
	fr.submitOK("propose the agreement", "#agreement-propose")
	fr.wantAttr("agreement proposed", "#state", "data-state", "proposed")
	terms := eval[[]string](fr, "terms", `[...document.querySelectorAll("#terms li")].map(li => li.innerText)`)
	allTerms := strings.Join(terms, "\n")
	for _, want := range []string{scope, "Brand book (PDF)", "24 pages", due, "1000.00 EUR", "500.00 EUR", "50 %"} {
		if !strings.Contains(allTerms, want) {
			t.Errorf("the key terms do not mention %q:\n%s", want, allTerms)
		}
	}
	if len(terms) < 3 {
		t.Fatalf("only %d terms are listed:\n%s", len(terms), allTerms)
	}

	tick()
	const msgToClient = "Hello Maria, the agreement is ready for you in the portal."
	fr.do("write a message", chromedp.SendKeys(chromedp.CSS("#message-body"), msgToClient))
	fr.submitOK("send the message", "#message-send")
	fr.wantText("own message", "#messages .msg.freelancer", msgToClient)

	// ---- Client: accept the agreement, first with one term unticked. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"))
	cl.wantAttr("agreement proposed", "#state", "data-state", "proposed")
	cl.wantText("freelancer's message", "#messages .msg.freelancer", msgToClient)
	termIDs := eval[[]string](cl, "term boxes", `[...document.querySelectorAll("input[name=term]")].map(i => i.value)`)
	if len(termIDs) != len(terms) {
		t.Fatalf("the client has %d term boxes, the freelancer sees %d terms", len(termIDs), len(terms))
	}
	for _, id := range termIDs[:len(termIDs)-1] {
		cl.do("tick term "+id, chromedp.Click(chromedp.CSS(termBox(id))))
	}
	if status := cl.submit("accept with one term unticked", "#agreement-accept"); status < 400 {
		t.Fatalf("accepting with a term unticked answered %d, want a refusal", status)
	}
	cl.wantVisible("refusal", "#error")
	if msg := cl.text("refusal", "#error"); !strings.Contains(msg, "not acknowledged") {
		t.Errorf("the refusal does not say which term is missing: %q", msg)
	}
	cl.wantAttr("after the refusal", "#state", "data-state", "proposed")
	for _, id := range termIDs {
		cl.do("tick term "+id, chromedp.Click(chromedp.CSS(termBox(id))))
	}
	if n := eval[int](cl, "ticked terms", `document.querySelectorAll("input[name=term]:checked").length`); n != len(termIDs) {
		t.Fatalf("%d of %d term boxes are ticked", n, len(termIDs))
	}
	cl.submitOK("accept the agreement", "#agreement-accept")
	cl.wantAttr("agreement accepted", "#state", "data-state", "agreed")
	cl.wantNotPresent("after accepting", "#error")
	cl.wantAttr("first milestone", "#milestone-1", "data-state", "awaiting_prepayment")

	tick()
	const msgToFreelancer = "Thank you! The prepayment is on its way."
	cl.do("write a message", chromedp.SendKeys(chromedp.CSS("#message-body"), msgToFreelancer))
	cl.submitOK("send the message", "#message-send")
	cl.wantText("own message", "#messages .msg.client", msgToFreelancer)

	// ---- Freelancer: starting before the prepayment is refused; record it; start. ----
	tick()
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.wantAttr("agreed", "#state", "data-state", "agreed")
	fr.wantText("client's message", "#messages .msg.client", msgToFreelancer)
	mid := fr.value("milestone of the payment form", "#payment-milestone")
	type apiError struct {
		Status  int64  `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	apiErr := eval[apiError](fr, "start through the API", fmt.Sprintf(`(async () => {
		const r = await fetch(%s, {method: "POST"});
		const j = await r.json();
		return {status: r.status, code: j.error ? j.error.code : "", message: j.error ? j.error.message : JSON.stringify(j)};
	})()`, jsString("/api/v1/engagements/"+engID+"/milestones/"+mid+"/start")))
	if apiErr.Status < 400 || !strings.Contains(apiErr.Message, "prepayment of 500.00 EUR not received") {
		t.Fatalf("the API started the milestone without its prepayment, or said something else: %+v", apiErr)
	}
	if status := fr.submit("start milestone 1 before the prepayment", "#milestone-1 button.start"); status != apiErr.Status {
		t.Errorf("the page answered %d, the API %d", status, apiErr.Status)
	}
	fr.wantVisible("refusal", "#error")
	if got := strings.TrimSpace(fr.text("refusal", "#error p")); got != apiErr.Message {
		t.Errorf("the page's refusal differs from the API's:\n page: %q\n  api: %q", got, apiErr.Message)
	}
	fr.wantAttr("after the refusal", "#milestone-1", "data-state", "awaiting_prepayment")

	tick()
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.do("fill the payment form",
		chromedp.SendKeys(chromedp.CSS("#payment-amount"), "500.00"),
		chromedp.SendKeys(chromedp.CSS("#payment-reference"), "bank transfer 0042"),
	)
	fr.submitOK("record the prepayment", "#payment-record")
	fr.wantText("prepayment recorded", "#milestone-1", "paid 500.00 EUR")
	fr.submitOK("start milestone 1", "#milestone-1 button.start")
	fr.wantAttr("milestone started", "#milestone-1", "data-state", "in_progress")
	fr.wantAttr("engagement running", "#state", "data-state", "active")

	// ---- Freelancer: deliver an image through the upload form (XHR with a progress bar). ----
	tick()
	fr.wantPresent("progress bar of the upload form", "#milestone-1 form.deliver progress")
	uploadURL := eval[string](fr, "upload address", `document.querySelector("#milestone-1 form.deliver").getAttribute("data-upload")`)
	const note = "First concepts: direction A is my recommendation."
	fr.do("fill the delivery form",
		chromedp.SetUploadFiles(chromedp.CSS("#files-1"), []string{upload}),
		chromedp.SendKeys(chromedp.CSS("#note-1"), note),
	)
	if n := eval[int](fr, "chosen files", `document.querySelector("#files-1").files.length`); n != 1 {
		t.Fatalf("the file input holds %d files, want 1", n)
	}
	posts := fr.watchPosts()
	fr.do("submit the delivery",
		chromedp.Click(chromedp.CSS("#milestone-1 button.deliver-submit")),
		chromedp.WaitVisible(chromedp.CSS("#deliveries .delivery img")),
	)
	sent := posts()
	if !slices.Contains(sent, "XHR POST "+base+uploadURL) {
		t.Errorf("the delivery was not uploaded with XHR to %s; POST requests: %q", uploadURL, sent)
	}
	fr.wantAttr("delivery", "#deliveries .delivery", "data-state", "submitted")
	fr.wantText("delivery note", "#deliveries .delivery", note)
	fr.wantText("delivered file", "#deliveries .delivery", fmt.Sprintf("%d B", len(pngBytes)))
	fr.wantAttr("milestone delivered", "#milestone-1", "data-state", "delivered")
	if w := eval[int](fr, "preview on the engagement page", imageWidthJS("#deliveries .delivery img")); w <= 0 {
		t.Errorf("the freelancer's preview image did not load (width %d)", w)
	}

	// ---- Client: the preview is downscaled, the original is locked until paid; accept. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"), chromedp.WaitVisible(chromedp.CSS("#deliveries img.preview")))
	cl.wantText("delivery note", "#deliveries .delivery", note)
	cl.wantVisible("locked original notice", "#deliveries .locked")
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Size   int    `json:"size"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
		SHA256 string `json:"sha256"`
		Body   string `json:"body"`
	}
	pv := eval[fetched](cl, "fetch the preview", `(async () => {
		const src = document.querySelector("#deliveries img.preview").src;
		const r = await fetch(src);
		const b = await r.blob();
		const img = new Image();
		img.src = src;
		await img.decode();
		return {status: r.status, type: r.headers.get("content-type") || "", size: b.size,
			width: img.naturalWidth, height: img.naturalHeight, sha256: "", body: ""};
	})()`)
	t.Logf("preview: %+v", pv)
	if pv.Status != 200 {
		t.Fatalf("the preview answered %d", pv.Status)
	}
	if pv.Type != "image/jpeg" && pv.Type != "image/png" {
		t.Errorf("the preview is %q, want image/jpeg or image/png", pv.Type)
	}
	if pv.Width > 1600 || pv.Width >= 2000 || pv.Width <= 0 {
		t.Errorf("the preview is %dx%d, want it downscaled to at most 1600 px wide", pv.Width, pv.Height)
	}
	if want := pv.Width * 1200 / 2000; pv.Height < want-1 || pv.Height > want+1 {
		t.Errorf("the preview is %dx%d, the original's ratio is 2000x1200", pv.Width, pv.Height)
	}
	original := eval[string](cl, "original link", `document.querySelector("#deliveries a.original").href`)
	fetchOriginal := fmt.Sprintf(`(async () => {
		const r = await fetch(%s);
		const buf = await r.arrayBuffer();
		let sha = "", body = "";
		if (r.ok) {
			const d = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
			sha = [...d].map(x => x.toString(16).padStart(2, "0")).join("");
		} else {
			body = new TextDecoder().decode(buf);
		}
		return {status: r.status, type: r.headers.get("content-type") || "", size: buf.byteLength,
			width: 0, height: 0, sha256: sha, body: body};
	})()`, jsString(original))
	locked := eval[fetched](cl, "fetch the original before payment", fetchOriginal)
	if locked.Status != 402 {
		t.Errorf("the original answered %d before the full payment, want 402: %s", locked.Status, locked.Body)
	}
	if !strings.Contains(locked.Body, "500.00 EUR still due") {
		t.Errorf("the 402 does not say what is due: %s", locked.Body)
	}
	cl.submitOK("accept the delivery", "#deliveries button.accept-delivery")
	cl.wantAttr("delivery accepted", "#deliveries .delivery", "data-state", "accepted")
	cl.wantAttr("milestone accepted", "#milestone-1", "data-state", "accepted")

	// ---- Freelancer: the rest of the money; the engagement completes. ----
	tick()
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.wantAttr("milestone accepted", "#milestone-1", "data-state", "accepted")
	fr.do("fill the payment form",
		chromedp.SendKeys(chromedp.CSS("#payment-amount"), "500.00"),
		chromedp.SendKeys(chromedp.CSS("#payment-reference"), "bank transfer 0057"),
	)
	fr.submitOK("record the final payment", "#payment-record")
	fr.wantAttr("milestone paid", "#milestone-1", "data-state", "paid")
	fr.wantAttr("engagement completed", "#state", "data-state", "completed")
	fr.wantText("balance", "#balance", "1000.00 EUR")

	// ---- Client: the original is released, byte for byte. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"), chromedp.WaitVisible(chromedp.CSS("#deliveries img.preview")))
	cl.wantAttr("engagement completed", "#state", "data-state", "completed")
	cl.wantAttr("milestone paid", "#milestone-1", "data-state", "paid")
	cl.wantNotPresent("released original", "#deliveries .locked")
	got := eval[fetched](cl, "fetch the original after payment", fetchOriginal)
	if got.Status != 200 {
		t.Fatalf("the original answered %d after the full payment: %s", got.Status, got.Body)
	}
	if got.Size != len(pngBytes) || got.SHA256 != pngHash {
		t.Errorf("the original differs from the upload: %d bytes sha256 %s, want %d bytes sha256 %s",
			got.Size, got.SHA256, len(pngBytes), pngHash)
	}
	if got.Type != "image/png" {
		t.Errorf("the original is served as %q, want image/png", got.Type)
	}

	// Screenshots of both sides at the end, kept where ACCORD_E2E_SCREENSHOTS says, for people to look at.
	keepScreenshot(t, "portal.png", cl.screenshot("portal at the end"))
	// On a phone the portal fits the screen: nothing scrolls sideways.
	cl.do("turn into a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	cl.do("reload on the phone", chromedp.Reload())
	if w := eval[int](cl, "page width on a phone", `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("on a 390 px phone the portal is %d px wide", w)
	}
	keepScreenshot(t, "portal-phone.png", cl.screenshot("portal on a phone"))
	keepScreenshot(t, "engagement.png", fr.screenshot("engagement page at the end"))
	fr.do("open the dashboard", chromedp.Navigate(base+"/app"))
	fr.wantText("dashboard summary", "#waiting", "waiting on you: 0")
	keepScreenshot(t, "dashboard.png", fr.screenshot("dashboard at the end"))

	// The two sessions are separate: the client's browser is no freelancer, and the
	// freelancer's browser has no portal session.
	cl.do("open the dashboard as the client", chromedp.Navigate(base+"/app"))
	cl.wantPath("the client at the dashboard", "/login")
	if resp := run(fr, "open the portal as the freelancer", chromedp.NavigateResponse(base+"/portal")); resp.Status != 401 {
		t.Errorf("the freelancer's browser opened the portal with status %d, want 401", resp.Status)
	}

	for _, b := range []*browser{fr, cl} {
		for _, m := range b.consoleMessages() {
			t.Logf("%s console: %s", b.name, m)
		}
		for _, m := range b.exceptions() {
			t.Errorf("%s: uncaught JavaScript exception: %s", b.name, m)
		}
	}
	t.Logf("the happy path took %v", time.Since(start).Round(time.Millisecond))
}

// findChromium finds the browser; without it the test is skipped, except in CI where it must run.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing; the browser test is mandatory in CI: apt-get install chromium")
	}
	t.Skip("chromium is missing, so the browser test is skipped; apt-get install chromium fixes it")
	return ""
}

// browser is one person's headless Chromium, with its own profile.
type browser struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// openBrowser starts a browser; it may run in a goroutine, so it returns its error.
func openBrowser(ctx context.Context, t *testing.T, name, execPath string) (*browser, error) {
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Registered after TempDir, so it runs before the profile is removed: the browser
	// closes and the allocator waits for its process to end.
	t.Cleanup(func() {
		bcancel()
		acancel()
	})
	if err := chromedp.Do(bctx); err != nil { // starts the browser with the test's bound
		return nil, err
	}
	b := &browser{t: t, name: name, ctx: bctx}
	msgs := chromedp.Console(bctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b, nil
}

// consoleMessages lists the page errors and warnings the browser logged, each once with a count.
func (b *browser) consoleMessages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var order []string
	count := map[string]int{}
	for _, m := range b.console {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleWarning {
			continue
		}
		k := fmt.Sprintf("[%s] %s (%s)", m.Type, m.Text, m.URL)
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for i, k := range order {
		if n := count[k]; n > 1 {
			order[i] = fmt.Sprintf("%d× %s", n, k)
		}
	}
	return order
}

func (b *browser) exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// fatal stops the test with what went wrong, where the browser is, and the page's #error.
func (b *browser) fatal(what string, err error) {
	b.t.Helper()
	b.t.Fatalf("%s: %s: %v%s", b.name, what, err, b.diagnose())
}

func (b *browser) diagnose() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	type diag struct {
		URL   string `json:"url"`
		Title string `json:"title"`
		Error string `json:"error"`
	}
	d, err := chromedp.Run(ctx, chromedp.Evaluate[diag](`({url: location.href, title: document.title,
		error: (document.querySelector("#error") || {}).innerText || ""})`))
	if err != nil {
		return fmt.Sprintf("\n  (no page details: %v)", err)
	}
	s := fmt.Sprintf("\n  page: %s (%q)", d.URL, d.Title)
	if d.Error != "" {
		s += fmt.Sprintf("\n  #error: %q", strings.TrimSpace(d.Error))
	}
	return s
}

// do runs steps that return nothing, within one step's time.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatal(what, err)
	}
}

// run runs one action and returns its value, within one step's time.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fatal(what, err)
	}
	return v
}

// eval evaluates JavaScript in the page (awaiting a promise) and decodes its value.
func eval[T any](b *browser, what, js string) T {
	b.t.Helper()
	return run(b, what, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// submit clicks a button that submits a form, waits for the page the server answers with
// (after any redirect) and returns its HTTP status.
func (b *browser) submit(what, sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.fatal(what, err)
	}
	if resp == nil {
		b.fatal(what, fmt.Errorf("clicking %s loaded no new page", sel))
	}
	return resp.Status
}

// submitOK submits a form that must succeed: no error status, no #error box.
func (b *browser) submitOK(what, sel string) {
	b.t.Helper()
	status := b.submit(what, sel)
	hasError := eval[bool](b, what, `document.querySelector("#error") !== null`)
	if status >= 400 || hasError {
		b.fatal(what, fmt.Errorf("the server answered %d", status))
	}
}

func (b *browser) location() *url.URL {
	b.t.Helper()
	loc := run(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.fatal("location", err)
	}
	return u
}

func (b *browser) wantPath(what, path string) {
	b.t.Helper()
	if u := b.location(); u.Path != path {
		b.fatal(what, fmt.Errorf("at %s, want path %s", u, path))
	}
}

func (b *browser) text(what, sel string) string {
	b.t.Helper()
	return run(b, what+" ("+sel+")", chromedp.Text(chromedp.CSS(sel)))
}

func (b *browser) value(what, sel string) string {
	b.t.Helper()
	return run(b, what+" ("+sel+")", chromedp.Value(chromedp.CSS(sel)))
}

func (b *browser) wantText(what, sel, want string) {
	b.t.Helper()
	if got := b.text(what, sel); !strings.Contains(normSpace(got), normSpace(want)) {
		b.fatal(what, fmt.Errorf("%s reads %q, want it to contain %q", sel, got, want))
	}
}

func (b *browser) wantAttr(what, sel, name, want string) {
	b.t.Helper()
	b.wantPresent(what, sel)
	got := eval[string](b, what, fmt.Sprintf(`document.querySelector(%s).getAttribute(%s) || ""`, jsString(sel), jsString(name)))
	if got != want {
		b.fatal(what, fmt.Errorf("%s has %s=%q, want %q", sel, name, got, want))
	}
}

func (b *browser) wantPresent(what, sel string) {
	b.t.Helper()
	if !eval[bool](b, what, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel))) {
		b.fatal(what, fmt.Errorf("the page has no %s", sel))
	}
}

func (b *browser) wantNotPresent(what, sel string) {
	b.t.Helper()
	if eval[bool](b, what, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel))) {
		b.fatal(what, fmt.Errorf("the page shows %s", sel))
	}
}

func (b *browser) wantVisible(what, sel string) {
	b.t.Helper()
	b.wantPresent(what, sel)
	b.do(what, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// watchPosts records the POST requests the page sends from now on; the func it returns
// stops recording and lists them as "TYPE POST URL".
func (b *browser) watchPosts() func() []string {
	ctx, cancel := context.WithCancel(b.ctx)
	evs := chromedp.Events(ctx, network.RequestWillBeSent)
	var mu sync.Mutex
	var posts []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev, err := range evs {
			if err != nil {
				return
			}
			if ev.Request != nil && ev.Request.Method == "POST" {
				mu.Lock()
				posts = append(posts, fmt.Sprintf("%s POST %s", ev.Type, ev.Request.URL))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return posts
	}
}

func (b *browser) screenshot(what string) []byte {
	b.t.Helper()
	return run(b, what, chromedp.FullScreenshot(100))
}

// imageWidthJS waits until the image is loaded and gives its natural width (0 if it failed).
func imageWidthJS(sel string) string {
	return fmt.Sprintf(`(async () => {
		const img = document.querySelector(%s);
		if (!img.complete) {
			await new Promise(ok => { img.addEventListener("load", ok); img.addEventListener("error", ok); });
		}
		return img.naturalWidth;
	})()`, jsString(sel))
}

func termBox(id string) string {
	return fmt.Sprintf(`input[name=term][value=%s]`, jsString(id))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var spaces = regexp.MustCompile(`\s+`)

func normSpace(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// writePNG draws a w×h poster and keeps it as a PNG file.
func writePNG(t *testing.T, w, h int) (string, []byte) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(40 + x*180/w), uint8(90 + y*120/h), uint8(160 + (x+y)%64), 255}
			if dx, dy := x-w/2, y-h/2; dx*dx+dy*dy < (h/4)*(h/4) {
				c = color.NRGBA{240, 200, 60, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	path := filepath.Join(t.TempDir(), "concept-a.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatalf("write png: %v", err)
	}
	return path, buf.Bytes()
}

// keepScreenshot writes a PNG into $ACCORD_E2E_SCREENSHOTS, or into the test's temporary folder.
func keepScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := os.Getenv("ACCORD_E2E_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
}
