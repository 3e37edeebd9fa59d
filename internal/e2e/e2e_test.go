// Package e2e walks Accord's pages in a real browser: a freelancer and a client, each in a
// headless Chromium of their own, take one engagement from the brief to the final payment, once
// in Russian and once in Bulgarian, and every form is refused once on the way.
package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
)

// stepTimeout bounds one step (a form, a wait); the whole walk has its own, longer bound.
const stepTimeout = 30 * time.Second

// script is what the people of one walk write, in their language.
type script struct {
	lang                            string
	studio, email                   string
	client, clientEmail, clientZone string
	title, q1, q2, a1, a2           string
	scope, deliverable, volume      string
	milestone, reference, note      string
	toClient, toFreelancer, file    string
	wrong                           string
}

var scripts = []script{{
	lang: "ru", studio: "Студия Север", email: "ana@studio.example",
	client: "Мария Петрова", clientEmail: "maria@client.example", clientZone: "Europe/Moscow",
	title: "Фирменный стиль для «Кафе Норд»", q1: "Какова цель фирменного стиля, в одном предложении?", q2: "Какие бренды вам нравятся и почему?",
	a1: "Стиль, который пять кафе применяют без дизайнера.", a2: "Маленькие скандинавские пекарни: тепло и просто.",
	scope: "Брендбук для сети кафе: логотип, цвета, шрифты и десять носителей.", deliverable: "Брендбук (PDF)", volume: "24 страницы",
	milestone: "Брендбук", reference: "платёжное поручение 42", note: "Первые эскизы: рекомендую направление А.",
	toClient: "Мария, соглашение ждёт вас в кабинете.", toFreelancer: "Спасибо, предоплата уже в пути.", file: "эскиз.png",
	wrong: "Цвета слишком холодные.",
}, {
	lang: "bg", studio: "Студио Север", email: "ana@studio.example",
	client: "Мария Петрова", clientEmail: "maria@client.example", clientZone: "Europe/Sofia",
	title: "Фирмен стил за „Кафе Норд“", q1: "Каква е целта на фирмения стил, с едно изречение?", q2: "Кои марки харесвате и защо?",
	a1: "Стил, който петте кафенета прилагат без дизайнер.", a2: "Малки скандинавски пекарни: топло и просто.",
	scope: "Книга на марката за веригата кафенета: лого, цветове, шрифтове и десет приложения.", deliverable: "Книга на марката (PDF)", volume: "24 страници",
	milestone: "Книга на марката", reference: "платежно нареждане 42", note: "Първи скици: препоръчвам посока А.",
	toClient: "Мария, споразумението ви чака в портала.", toFreelancer: "Благодаря, авансът е на път.", file: "скица.png",
	wrong: "Цветовете са твърде студени.",
}}

func TestHappyPathInBrowser(t *testing.T) {
	chromium := findChromium(t)
	for _, sc := range scripts {
		t.Run(sc.lang, func(t *testing.T) { walk(t, chromium, sc) })
	}
}

// walk takes one engagement from signup to the last payment through the pages of both sides.
func walk(t *testing.T, chromium string, sc script) {
	start := time.Now()
	l := sc.lang
	cat := i18n.New()
	T := tr(cat, l)
	money := func(minor int64) string { return i18n.FormatMoney(l, accord.Money{Amount: minor, Currency: "EUR"}) }

	// The whole walk is bounded; cleanups run in reverse order, so the browsers close
	// (gracefully) before this context ends, and the server closes after them.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	t.Cleanup(cancel)

	ts := newServer(ctx, t, cat, time.Date(2031, 3, 14, 9, 30, 0, 0, time.UTC))
	clock, base := ts.clock, ts.base
	tick := func() { clock.Advance(time.Minute) } // events and messages get distinct times

	upload, pngBytes := writePNG(t, sc.file, 2000, 1200)
	pngSum := sha256.Sum256(pngBytes)
	pngHash := hex.EncodeToString(pngSum[:])

	// Two browsers, two profiles, both set to the walk's language.
	fr, cl := openPair(ctx, t, chromium, l, sc.file, sc.email, sc.clientEmail)
	t.Logf("server %s, two Chromium started in %v", base, time.Since(start).Round(time.Millisecond))

	// ---- Freelancer: sign up (refused once), settings (refused once). ----
	fr.do("open the signup page", chromedp.Navigate(base+"/signup"))
	fr.wantAttr("signup page language", "html", "lang", l)
	fr.noEnglish("the signup page")
	fr.do("fill the signup form with a short password",
		chromedp.SendKeys(chromedp.CSS("#name"), sc.studio),
		chromedp.SendKeys(chromedp.CSS("#email"), sc.email),
		chromedp.SendKeys(chromedp.CSS("#password"), "short"),
	)
	fr.submit("sign up with a short password", "#signup")
	fr.refused("the refused signup", "/signup", "password", "", T("field.password"))
	if got := fr.value("the kept name", "#name"); got != sc.studio {
		t.Errorf("the refused signup kept the name %q, want %q", got, sc.studio)
	}
	fr.noEnglish("the refused signup")
	fr.do("fix the password", chromedp.SendKeys(chromedp.CSS("#password"), "correct horse battery"))
	fr.submitOK("sign up", "#signup")
	fr.wantPath("after signup", "/app")
	fr.noEnglish("the empty dashboard")

	fr.do("open the settings", chromedp.Navigate(base+"/app/settings"))
	fr.do("choose a zone that is no place", chromedp.SetValue(chromedp.CSS("#ws-timezone"), "Local"),
		chromedp.SetValue(chromedp.CSS("#ws-payment"), "IBAN BG80 BNBG 9661 1020 3456 78"),
		chromedp.SetValue(chromedp.CSS("#my-language"), l))
	fr.submit("save the settings", "#settings-save")
	fr.refused("the refused settings", "/app/settings", "ws-timezone", "Local", T("field.timezone"))
	fr.do("choose a real zone", chromedp.SetValue(chromedp.CSS("#ws-timezone"), sc.clientZone))
	fr.submitOK("save the settings", "#settings-save")
	fr.wantText("settings saved", "#notice", T("notice.settings_saved"))
	fr.noEnglish("the settings", sc.email)

	// ---- Freelancer: add a client (refused once), create an engagement (refused once). ----
	fr.do("open the clients", chromedp.Navigate(base+"/app/clients"))
	fr.do("fill the new client form",
		chromedp.SendKeys(chromedp.CSS("#client-name"), sc.client),
		chromedp.SendKeys(chromedp.CSS("#client-email"), "maria@"),
		chromedp.SetValue(chromedp.CSS("#client-language"), l),
		chromedp.SetValue(chromedp.CSS("#client-timezone"), sc.clientZone),
	)
	fr.submit("add the client with half an address", "#add-client")
	fr.refused("the refused client", "/app/clients", "client-email", "maria@", T("field.email"))
	if got := fr.value("the kept client name", "#client-name"); got != sc.client {
		t.Errorf("the refused client form kept %q, want %q", got, sc.client)
	}
	fr.noEnglish("the refused client form")
	fr.do("fix the address", chromedp.SetValue(chromedp.CSS("#client-email"), sc.clientEmail))
	fr.submitOK("add the client", "#add-client")
	fr.wantText("client list", "#clients", sc.client)
	fr.wantText("client added", "#notice", T("notice.client_added", "name", sc.client))
	clientForm := eval[string](fr, "the client's own form", `document.querySelector("details.client").id.replace("client-", "")`)
	eval[bool](fr, "open the client's form", `document.querySelector("details.client").open = true`)
	fr.do("edit the client with a zone that is no place", chromedp.SetValue(chromedp.CSS("#timezone-"+clientForm), "Mars/Olympus"))
	fr.submit("save the client", "details.client button.save-client")
	fr.refused("the refused client edit", "/app/clients", "timezone-"+clientForm, "Mars/Olympus", T("field.timezone"))
	fr.do("open the tokens", chromedp.Navigate(base+"/app/tokens"), chromedp.SendKeys(chromedp.CSS("#token-password"), "wrong horse"),
		chromedp.SendKeys(chromedp.CSS("#token-label"), sc.title))
	fr.submit("create a token with a wrong password", "#create-token")
	fr.refused("the refused token", "/app/tokens", "token-password", "", T("error.password_wrong"))
	if got := fr.value("the kept label", "#token-label"); got != sc.title {
		t.Errorf("the refused token form kept the label %q", got)
	}
	fr.noEnglish("the refused token form")

	fr.do("open the dashboard", chromedp.Navigate(base+"/app"))
	fr.do("fill the new engagement form",
		chromedp.SendKeys(chromedp.CSS("#eng-title"), sc.title),
		chromedp.SetValue(chromedp.CSS("#eng-currency"), "XYZ"),
	)
	fr.submit("create an engagement in no currency", "#create-engagement")
	fr.refused("the refused engagement", "/app", "eng-currency", "XYZ", T("field.currency"))
	if got := fr.value("the kept title", "#eng-title"); got != sc.title {
		t.Errorf("the refused engagement kept the title %q", got)
	}
	fr.do("fix the currency", chromedp.SetValue(chromedp.CSS("#eng-currency"), "EUR"))
	fr.submitOK("create the engagement", "#create-engagement")
	loc := fr.location()
	engID, ok := strings.CutPrefix(loc.Path, "/app/engagements/")
	if !ok || engID == "" || strings.Contains(engID, "/") {
		t.Fatalf("after creating the engagement the freelancer is at %s, not on an engagement page", loc)
	}
	engURL := base + "/app/engagements/" + engID
	fr.wantText("engagement title", "#title", sc.title)
	fr.wantAttr("new engagement", "#state", "data-state", "draft")
	fr.noEnglish("the new engagement")

	// ---- Freelancer: write the brief (refused once), send it, make a portal link (refused once). ----
	tick()
	fr.do("write a question far too long", chromedp.SetValue(chromedp.CSS("#question-0"), strings.Repeat("а", 2001)))
	fr.submit("save the brief", "#brief-save")
	fr.refused("the refused brief", "/app/engagements/"+engID, "question-0", strings.Repeat("а", 2001), T("field.too_long", "max", 2000))
	fr.do("write the brief",
		chromedp.SetValue(chromedp.CSS("#question-0"), sc.q1),
		chromedp.SendKeys(chromedp.CSS("#question-1"), sc.q2),
	)
	if !eval[bool](fr, "required box", `document.querySelector("#required-0").checked`) {
		fr.do("mark question 1 required", chromedp.Click(chromedp.CSS("#required-0")))
	}
	fr.submitOK("save the brief", "#brief-save")
	fr.wantText("brief saved", "#notice", T("notice.brief_saved", "count", 2))
	if got := fr.value("saved question 1", "#question-0"); got != sc.q1 {
		t.Fatalf("after saving, question 1 reads %q, want %q", got, sc.q1)
	}
	eval[bool](fr, "open the template form and clear its name", `(() => {
		document.querySelector("#brief-template").open = true;
		document.querySelector("#template-name").value = "";
		return true; })()`)
	fr.submit("save a template without a name", "#template-save")
	fr.refused("the refused template", "/app/engagements/"+engID, "template-name", "", T("field.required_short", "max", 200))
	fr.do("name the template", chromedp.SetValue(chromedp.CSS("#template-name"), sc.title))
	fr.submitOK("save the template", "#template-save")
	fr.submitOK("send the brief", "#brief-send")
	fr.wantAttr("brief sent", "#state", "data-state", "brief_sent")
	fr.wantText("the brief's email invited the client", "#invite", T("eng.invite.contacts", "list", sc.clientEmail))

	tick()
	fr.do("address the invitation badly", chromedp.SetValue(chromedp.CSS("#invite-email"), "maria@"))
	fr.submit("invite half an address", "#invite-send")
	fr.refused("the refused invitation", "/app/engagements/"+engID, "invite-email", "maria@", T("field.email"))
	fr.do("address the invitation", chromedp.SetValue(chromedp.CSS("#invite-email"), sc.clientEmail))
	fr.submitOK("create a portal link", "#invite-send")
	portalLink := strings.TrimSpace(fr.text("portal link", "#portal-link"))
	if !strings.HasPrefix(portalLink, base+"/p/") {
		t.Fatalf("portal link %q does not start with %s/p/", portalLink, base)
	}

	// ---- Client: without a session the portal asks for an address; the link opens it. ----
	tick()
	cl.do("open the portal without a session", chromedp.Navigate(base+"/portal"))
	cl.wantVisible("the page that sends a new link", "#portal-ask")
	cl.noEnglish("the portal without a session")
	cl.do("ask with half an address", chromedp.SendKeys(chromedp.CSS("#ask-email"), "maria@"))
	cl.submit("ask for a link", "#ask-link")
	cl.refused("the refused ask", "/portal", "ask-email", "maria@", T("field.email"))
	cl.do("open the portal link", chromedp.Navigate(portalLink), chromedp.WaitVisible(chromedp.CSS("#open-portal")))
	cl.noEnglish("the portal link page")
	cl.submitOK("open the portal", "#open-portal")
	cl.wantPath("after opening the portal", "/portal")
	cl.wantAttr("portal language", "html", "lang", l)
	cl.wantText("portal title", "#title", sc.title)
	cl.wantAttr("portal with the brief", "#state", "data-state", "brief_sent")
	cl.noEnglish("the portal with the brief")

	// ---- Client: answer the brief, first without the required answer. ----
	answerIDs := eval[[]string](cl, "brief answer fields", `[...document.querySelectorAll('#brief textarea')].map(e => e.id)`)
	if len(answerIDs) != 2 {
		t.Fatalf("the portal shows %d answer fields, want 2", len(answerIDs))
	}
	cl.do("answer only the second question", chromedp.SendKeys(chromedp.CSS("#"+answerIDs[1]), sc.a2))
	cl.submit("submit half the brief", "#brief-submit")
	cl.refused("the refused brief", "/portal", answerIDs[1], sc.a2, "")
	cl.refused("the refused brief", "/portal", answerIDs[0], "", T("brief.answer_required.beside"))
	cl.noEnglish("the refused brief")
	cl.do("answer the first question", chromedp.SendKeys(chromedp.CSS("#"+answerIDs[0]), sc.a1))
	cl.submitOK("submit the brief", "#brief-submit")
	cl.wantAttr("brief answered", "#state", "data-state", "brief_received")
	cl.wantText("thanks", "#notice", T("notice.brief_answered"))

	// ---- Freelancer: write the agreement (refused once) and propose it. ----
	tick()
	dueDate := accord.Date(clock.Now().AddDate(0, 0, 30).Format(time.DateOnly))
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.wantAttr("brief received", "#state", "data-state", "brief_received")
	fr.wantText("client's answers", "#brief", sc.a1)
	fr.do("write the agreement with a price that is no amount",
		chromedp.SendKeys(chromedp.CSS("#scope"), sc.scope),
		chromedp.SendKeys(chromedp.CSS("#deliverable-title-0"), sc.deliverable),
		chromedp.SendKeys(chromedp.CSS("#deliverable-volume-0"), sc.volume),
		chromedp.SendKeys(chromedp.CSS("#milestone-title-0"), sc.milestone),
		chromedp.SetValue(chromedp.CSS("#milestone-due-0"), string(dueDate)),
		chromedp.SendKeys(chromedp.CSS("#milestone-price-0"), "тысяча"),
		chromedp.SetValue(chromedp.CSS("#milestone-prepayment-0"), "50"),
	)
	fr.submit("save the agreement", "#agreement-save")
	fr.refused("the refused agreement", "/app/engagements/"+engID, "milestone-price-0", "тысяча", T("field.amount", "currency", "EUR"))
	if got := fr.value("the kept scope", "#scope"); got != sc.scope {
		t.Errorf("the refused agreement kept the scope %q", got)
	}
	fr.noEnglish("the refused agreement")
	fr.do("fix the price", chromedp.SetValue(chromedp.CSS("#milestone-price-0"), "1000"))
	fr.submitOK("save the agreement", "#agreement-save")
	fr.submitOK("propose the agreement", "#agreement-propose")
	fr.wantAttr("agreement proposed", "#state", "data-state", "proposed")
	terms := eval[[]string](fr, "terms", `[...document.querySelectorAll("#terms li")].map(li => li.innerText)`)
	allTerms := strings.Join(terms, "\n")
	for _, want := range []string{sc.scope, sc.deliverable, sc.volume, i18n.FormatDate(l, dueDate), money(100000), money(50000), "50 %"} {
		if !strings.Contains(allTerms, want) {
			t.Errorf("the key terms do not mention %q:\n%s", want, allTerms)
		}
	}

	tick()
	fr.submit("send an empty message", "#message-send")
	fr.refused("the refused message", "/app/engagements/"+engID, "message-body", "", T("field.required_short", "max", 20000))
	fr.do("write a message", chromedp.SendKeys(chromedp.CSS("#message-body"), sc.toClient))
	fr.submitOK("send the message", "#message-send")
	fr.wantText("own message", "#messages .msg.freelancer", sc.toClient)
	fr.noEnglish("the engagement with a proposed agreement")

	// ---- Client: accept the agreement, first with one term unticked. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"))
	cl.wantAttr("agreement proposed", "#state", "data-state", "proposed")
	cl.wantText("freelancer's message", "#messages .msg.freelancer", sc.toClient)
	termIDs := eval[[]string](cl, "term boxes", `[...document.querySelectorAll("input[name=acknowledged_terms]")].map(i => i.value)`)
	if len(termIDs) != len(terms) {
		t.Fatalf("the client has %d term boxes, the freelancer sees %d terms", len(termIDs), len(terms))
	}
	for _, id := range termIDs[:len(termIDs)-1] {
		cl.do("tick term "+id, chromedp.Click(chromedp.CSS(termBox(id))))
	}
	cl.submit("accept with one term unticked", "#agreement-accept")
	last := termIDs[len(termIDs)-1]
	boxID := eval[string](cl, "the unticked box", fmt.Sprintf(`(() => { const b = document.querySelector(%s); b.id = b.id || "term-box-last"; return b.id; })()`, jsString(termBox(last))))
	cl.refused("the refused acceptance", "/portal", boxID, "", T("agreement.term_not_acknowledged.beside"))
	if n := eval[int](cl, "ticked terms", `document.querySelectorAll("input[name=acknowledged_terms]:checked").length`); n != len(termIDs)-1 {
		t.Errorf("after the refusal %d boxes are ticked, want the %d that were", n, len(termIDs)-1)
	}
	cl.noEnglish("the refused acceptance")
	cl.do("tick the last term", chromedp.Click(chromedp.CSS(termBox(last))))
	cl.submitOK("accept the agreement", "#agreement-accept")
	cl.wantAttr("agreement accepted", "#state", "data-state", "agreed")
	cl.wantAttr("first milestone", "#milestone-1", "data-state", "awaiting_prepayment")
	cl.wantText("what is asked", "#ask", money(50000))
	cl.wantText("how to pay", "#pay", "IBAN BG80")

	tick()
	cl.submit("send an empty message", "#message-send")
	cl.refused("the client's refused message", "/portal", "message-body", "", T("field.required_short", "max", 20000))
	cl.do("write a message", chromedp.SendKeys(chromedp.CSS("#message-body"), sc.toFreelancer))
	cl.submitOK("send the message", "#message-send")
	cl.wantText("own message", "#messages .msg.client", sc.toFreelancer)
	cl.noEnglish("the portal with the accepted agreement")

	// ---- Freelancer: the start is not offered before the prepayment; record it (refused once); start. ----
	tick()
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.wantAttr("agreed", "#state", "data-state", "agreed")
	fr.wantNotPresent("a start that cannot succeed", "#milestone-1 button.start")
	why := fr.text("why it cannot start", "#milestone-1 .why")
	mid := fr.value("milestone of the payment form", "#payment-milestone")
	apiMsg := eval[string](fr, "start through the API", fmt.Sprintf(`(async () => {
		const r = await fetch(%s, {method: "POST", headers: {"Accept-Language": %s}});
		return (await r.json()).error.message;
	})()`, jsString("/api/v1/engagements/"+engID+"/milestones/"+mid+"/start"), jsString(l)))
	if normSpace(why) != normSpace(apiMsg) {
		t.Errorf("the page says why in other words than the API:\n page: %q\n  api: %q", why, apiMsg)
	}
	fr.do("fill the payment form with too much",
		chromedp.SendKeys(chromedp.CSS("#payment-amount"), "5000"),
		chromedp.SendKeys(chromedp.CSS("#payment-reference"), sc.reference),
	)
	fr.submit("record too much", "#payment-record")
	fr.refused("the refused payment", "/app/engagements/"+engID, "payment-amount", "5000",
		T("payment.overpaid", "num", 1, "open", accord.Money{Amount: 100000, Currency: "EUR"}))
	if got := fr.value("the kept reference", "#payment-reference"); got != sc.reference {
		t.Errorf("the refused payment kept the reference %q", got)
	}
	fr.do("fix the amount", chromedp.SetValue(chromedp.CSS("#payment-amount"), "500"))
	fr.submitOK("record the prepayment", "#payment-record")
	fr.wantText("payment confirmed", "#notice", T("notice.payment_recorded", "amount", accord.Money{Amount: 50000, Currency: "EUR"}))
	fr.wantText("payment on the timeline", "#timeline", sc.reference)
	fr.submitOK("start milestone 1", "#milestone-1 button.start")
	fr.wantAttr("milestone started", "#milestone-1", "data-state", "in_progress")
	fr.wantAttr("engagement running", "#state", "data-state", "active")

	// ---- Freelancer: deliver an image through the upload form (XHR with a progress bar). ----
	tick()
	fr.wantPresent("progress bar of the upload form", "#milestone-1 form.deliver progress")
	fr.do("write the note but choose no file", chromedp.SendKeys(chromedp.CSS("#note-1"), sc.note),
		chromedp.Click(chromedp.CSS("#milestone-1 button.deliver-submit")), chromedp.WaitVisible(chromedp.CSS("#milestone-1 .field-error")))
	fr.refused("the refused delivery", "/app/engagements/"+engID, "note-1", sc.note, "")
	fr.refused("the refused delivery", "/app/engagements/"+engID, "files-1", "", T("delivery.no_files"))
	fr.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#files-1"), []string{upload}))
	posts := fr.watchPosts()
	fr.do("submit the delivery",
		chromedp.Click(chromedp.CSS("#milestone-1 button.deliver-submit")),
		chromedp.WaitVisible(chromedp.CSS("#deliveries .delivery img")),
	)
	if sent := posts(); !strings.Contains(strings.Join(sent, "\n"), "XHR POST "+engURL+"/milestones/") {
		t.Errorf("the delivery was not uploaded with XHR; POST requests: %q", sent)
	}
	fr.wantText("delivery confirmed", "#notice", T("notice.delivered", "count", 1))
	fr.wantAttr("delivery", "#deliveries .delivery", "data-state", "submitted")
	fr.wantText("delivery note", "#deliveries .delivery", sc.note)
	fr.wantText("delivered file size", "#deliveries .delivery", cat.Size(l, int64(len(pngBytes))))
	fr.wantText("files on the timeline", "#timeline", sc.file)
	fr.noEnglish("the engagement with a delivery")

	// ---- Client: the preview is small; the original is a page that says what is owed. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"), chromedp.WaitVisible(chromedp.CSS("#deliveries img.preview")))
	cl.wantVisible("locked original notice", "#deliveries .locked")
	if w := eval[int](cl, "preview width", imageWidthJS("#deliveries img.preview")); w <= 0 || w > 1000 {
		t.Errorf("the preview is %d px wide; the original's 2000 px must come down to at most half", w)
	}
	cl.wantNotPresent("an original link before payment", "#deliveries a.original")
	cl.do("ask how to get the original", chromedp.Click(chromedp.CSS("#deliveries a.locked-how")), chromedp.WaitVisible(chromedp.CSS("#locked")))
	cl.wantText("what is owed", "#locked", money(50000))
	cl.wantText("which file", "#locked", sc.file)
	cl.wantText("how to pay", "#locked", "IBAN BG80")
	cl.noEnglish("the locked original")
	cl.do("as a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	cl.fitsPhone("the locked original", base+"/portal/files/"+eval[string](cl, "file id", `location.pathname.split("/")[3]`)+"/original")
	cl.do("back to a desktop", chromedp.EmulateViewport(1280, 900))

	cl.do("back to the portal", chromedp.Navigate(base+"/portal"))
	cl.do("open the change request", chromedp.Click(chromedp.CSS("#deliveries details summary")))
	cl.do("say only what is wrong", chromedp.SendKeys(chromedp.CSS("#deliveries textarea[name=what_is_wrong]"), sc.wrong))
	cl.submit("send half a change request", "#deliveries button.request-changes")
	desired := eval[string](cl, "desired field", `document.querySelector("#deliveries textarea[name=desired_result]").id`)
	wrongID := eval[string](cl, "wrong field", `document.querySelector("#deliveries textarea[name=what_is_wrong]").id`)
	cl.refused("the refused change request", "/portal", desired, "", T("delivery.desired_result"))
	cl.refused("the refused change request", "/portal", wrongID, sc.wrong, "")
	cl.submitOK("accept the delivery", "#deliveries button.accept-delivery")
	cl.wantAttr("delivery accepted", "#deliveries .delivery", "data-state", "accepted")
	cl.wantAttr("milestone accepted", "#milestone-1", "data-state", "accepted")

	// ---- Freelancer: the rest of the money; the engagement completes. ----
	tick()
	fr.do("reload the engagement", chromedp.Navigate(engURL))
	fr.do("fill the payment form", chromedp.SendKeys(chromedp.CSS("#payment-amount"), "500"))
	fr.submitOK("record the final payment", "#payment-record")
	fr.wantAttr("milestone paid", "#milestone-1", "data-state", "paid")
	fr.wantAttr("engagement completed", "#state", "data-state", "completed")
	fr.wantText("balance", "#balance", money(100000))
	fr.noEnglish("the completed engagement")

	// ---- Client: the original is released, byte for byte. ----
	tick()
	cl.do("reload the portal", chromedp.Navigate(base+"/portal"), chromedp.WaitVisible(chromedp.CSS("#deliveries img.preview")))
	cl.wantAttr("engagement completed", "#state", "data-state", "completed")
	cl.wantNotPresent("released original", "#deliveries .locked")
	type fetched struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Size   int    `json:"size"`
		SHA256 string `json:"sha256"`
	}
	got := eval[fetched](cl, "fetch the original after payment", fmt.Sprintf(`(async () => {
		const r = await fetch(%s);
		const buf = await r.arrayBuffer();
		const d = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
		return {status: r.status, type: r.headers.get("content-type") || "", size: buf.byteLength,
			sha256: [...d].map(x => x.toString(16).padStart(2, "0")).join("")};
	})()`, jsString(eval[string](cl, "original link", `document.querySelector("#deliveries a.original").href`))))
	if got.Status != 200 || got.Size != len(pngBytes) || got.SHA256 != pngHash || got.Type != "image/png" {
		t.Errorf("the released original: %+v, want 200 image/png of %d bytes, sha256 %s", got, len(pngBytes), pngHash)
	}
	cl.noEnglish("the portal at the end")
	keepScreenshot(t, "portal-"+l+".png", cl.screenshot("portal at the end"))

	// ---- Every page fits a 390 px phone. ----
	cl.do("turn into a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	cl.fitsPhone("the portal", base+"/portal")
	keepScreenshot(t, "portal-"+l+"-phone.png", cl.screenshot("portal on a phone"))
	fr.do("turn into a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []string{"/app", "/app/clients", "/app/settings", "/app/outbox", "/app/tokens", "/app/engagements/" + engID, "/portal", "/nowhere"} {
		fr.fitsPhone(p, base+p)
		fr.noEnglish(p)
	}
	keepScreenshot(t, "engagement-"+l+"-phone.png", fr.screenshot("engagement on a phone"))
	fr.do("open the dashboard", chromedp.Navigate(base+"/app"))
	fr.wantText("dashboard summary", "#waiting", T("dashboard.waiting", "client", 0, "you", 0))

	// The two sessions are separate: the client's browser is no freelancer.
	cl.do("open the dashboard as the client", chromedp.Navigate(base+"/app"))
	cl.wantPath("the client at the dashboard", "/login")
	cl.noEnglish("the login page")
	for _, p := range []string{"/login", "/signup", "/portal/link/sent"} {
		cl.fitsPhone(p, base+p)
		cl.noEnglish(p)
	}
	cl.do("back to the portal", chromedp.Navigate(base+"/portal"))
	cl.submitOK("log out of the portal", "#portal-logout")
	cl.wantPath("after logging out", "/portal/bye")
	cl.noEnglish("the portal after logging out")
	cl.fitsPhone("the portal after logging out", base+"/portal/bye")
	cl.fitsPhone("the portal without a session", base+"/portal")

	for _, b := range []*browser{fr, cl} {
		for _, m := range b.consoleMessages() {
			t.Logf("%s console: %s", b.name, m)
		}
		for _, m := range b.exceptions() {
			t.Errorf("%s: uncaught JavaScript exception: %s", b.name, m)
		}
	}
	t.Logf("the walk in %s took %v", l, time.Since(start).Round(time.Millisecond))
}
