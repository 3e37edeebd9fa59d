package server_test

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// longText is a plain-text delivery long enough to be laid out into several preview pages.
func longText() []byte {
	var b strings.Builder
	for i := range 400 {
		b.WriteString("Line " + strconv.Itoa(i) + " of the copy for the café's new menu, to be read before paying.\n")
	}
	return []byte(b.String())
}

// The client pages through a many-page preview, pins a comment to a spot of one page and another
// to a whole page; a refused comment comes back as typed; the freelancer sees which wait for an
// answer, answers on the record, and the client is emailed the answer and sees it beside the
// comment. Once the delivery is reviewed, comments are closed, and the page says why.
func TestCommentsPinnedToPreviewPages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, ms := h.agreed(token, "1000.00")
	h.underWay(token, id, ms[0])
	up := h.upload("/api/v1/engagements/"+id+"/milestones/"+ms[0]+"/deliveries", token, "", map[string][]byte{"menu.txt": longText()})
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.body)
	}
	did := up.json(t)["id"].(string)
	fid := up.json(t)["files"].([]any)[0].(map[string]any)["id"].(string)
	h.previewsMade(token)

	b := h.browser("en")
	home := b.openPortal(h.invite(token, id, "maria@client.example"))
	view := "/portal/files/" + fid + "/view"
	if !strings.Contains(home.html, `href="`+view+`"`) {
		t.Fatalf("the portal does not link to the preview's pages: %s", home.text())
	}
	p := b.get(view)
	if p.status != 200 || !strings.Contains(p.text(), "Page 1 of ") || !strings.Contains(p.html, `src="/portal/files/`+fid+`/preview?page=1"`) {
		t.Fatalf("the first page: %d %s", p.status, p.text())
	}
	pages := atoiAfter(t, p.text(), "Page 1 of ")
	if pages < 2 {
		t.Fatalf("the preview has %d pages, want several", pages)
	}
	if strings.Contains(p.html, `id="page-prev"`) || !strings.Contains(p.html, `href="`+view+`?page=2"`) {
		t.Fatal("the first page offers a previous page, or no next one")
	}
	last := b.get(view + "?page=" + strconv.Itoa(pages))
	if strings.Contains(last.html, `id="page-next"`) || !strings.Contains(last.html, `id="page-prev"`) {
		t.Fatal("the last page offers a next page, or no previous one")
	}
	if past := b.get(view + "?page=" + strconv.Itoa(pages+1)); past.status != 404 || !strings.Contains(past.text(), "only "+strconv.Itoa(pages)+" pages") {
		t.Fatalf("a page past the end: %d %s", past.status, past.text())
	}

	// Refused: no text, and a spot off the page. What was typed comes back.
	r := b.post("/portal/files/"+fid+"/comments", url.Values{"page": {"2"}, "x": {"1500"}, "y": {"200"}, "text": {"   "}})
	if r.url != view || !strings.Contains(r.text(), "the spot is off the page") || r.problemAfter(t, "comment-text") == "" || r.value(t, "pin-x") != "1500" {
		t.Fatalf("a refused comment: %s %s", r.url, r.text())
	}
	r = b.post("/portal/files/"+fid+"/comments", url.Values{"page": {"2"}, "x": {"250"}, "y": {"600"}, "text": {"Make the prices bold here."}})
	if r.url != view || !strings.Contains(r.text(), "Your comment is on the record") || !strings.Contains(r.html, `data-x="250" data-y="600"`) ||
		!strings.Contains(r.text(), "Make the prices bold here.") || !strings.Contains(r.text(), "25 % across, 60 % down") {
		t.Fatalf("the comment on a spot: %s %s", r.url, r.text())
	}
	r = b.post("/portal/files/"+fid+"/comments", url.Values{"page": {"1"}, "text": {"Is the café's name spelt right everywhere?"}})
	if !strings.Contains(r.text(), "about the whole page") || strings.Contains(r.html, `class="pin" href`) {
		t.Fatalf("the comment on a whole page: %s", r.text())
	}
	if !strings.Contains(b.get(view+"?page=1").text(), "1 comment is on another page") {
		t.Error("page 1 does not say a comment is on another page")
	}
	notified := 0
	for _, m := range h.outbox(token) {
		if m["kind"] == "notify_client_comment" && strings.Contains(m["body"].(string), "Make the prices bold here.") {
			notified++
		}
	}
	if notified != 1 {
		t.Errorf("the freelancer was told of the spot's comment %d times, want once", notified)
	}

	// The freelancer sees what waits, and answers.
	fb := h.browser("en")
	fb.login("ana@studio.example")
	eng := fb.get("/app/engagements/" + id)
	if !strings.Contains(eng.text(), "2 comments") || !strings.Contains(eng.text(), "2 wait for your answer") {
		t.Fatalf("the engagement page does not show the comments waiting: %s", eng.text())
	}
	fv := fb.get("/app/engagements/" + id + "/files/" + fid + "/view?page=2")
	cid := between(fv.html, `id="comment-`, `"`)
	if cid == "" || !strings.Contains(fv.text(), "Make the prices bold here.") {
		t.Fatalf("the freelancer's page 2: %s", fv.text())
	}
	ans := fb.post("/app/engagements/"+id+"/comments/"+cid+"/answer", url.Values{"id": {cid}, "file": {fid}, "page": {"2"}, "text": {""}})
	if ans.url != "/app/engagements/"+id+"/files/"+fid+"/view" || ans.problemAfter(t, "answer-"+cid) == "" {
		t.Fatalf("an empty answer: %s %s", ans.url, ans.text())
	}
	ans = fb.post("/app/engagements/"+id+"/comments/"+cid+"/answer", url.Values{"id": {cid}, "file": {fid}, "page": {"2"}, "text": {"Done: bold in the next version."}})
	if !strings.Contains(ans.text(), "Your answer is on the record") || !strings.Contains(ans.text(), "Done: bold in the next version.") {
		t.Fatalf("the answer: %s", ans.text())
	}
	emailed := false
	for _, m := range h.outbox(token) {
		emailed = emailed || m["kind"] == "comment_answered" && strings.Contains(m["body"].(string), "Done: bold in the next version.") &&
			strings.Contains(m["body"].(string), "Make the prices bold here.")
	}
	if !emailed {
		t.Error("the client was not emailed the answer with the comment")
	}
	if got := b.get(view + "?page=2").text(); !strings.Contains(got, "Answer") || !strings.Contains(got, "Done: bold in the next version.") {
		t.Errorf("the client does not see the answer: %s", got)
	}
	ev := h.call("GET", "/api/v1/engagements/"+id+"/evidence", token, nil, 200).body
	z, err := zip.NewReader(bytes.NewReader(ev), int64(len(ev)))
	if err != nil {
		t.Fatal(err)
	}
	report := ""
	for _, f := range z.File {
		if f.Name == "report.html" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			report = html.UnescapeString(string(b))
		}
	}
	for _, want := range []string{"menu.txt, page 2: at the marked spot (25 % across, 60 % down)", "Make the prices bold here.", "Done: bold in the next version."} {
		if !strings.Contains(report, want) {
			t.Errorf("the evidence report lacks %q", want)
		}
	}
	events := h.call("GET", "/api/v1/engagements/"+id+"/events", token, nil, 200).body
	for _, typ := range []string{`"comment.pinned"`, `"comment.answered"`} {
		if !strings.Contains(string(events), typ) {
			t.Errorf("the record has no %s", typ)
		}
	}

	// Reviewed: no more comments, and the page says why; a post anyway is refused.
	b.post("/portal/deliveries/"+did+"/accept", nil)
	closed := b.get(view + "?page=1")
	if strings.Contains(closed.html, `id="comment-form"`) || !strings.Contains(closed.text(), "this one has been reviewed already") {
		t.Fatalf("comments after the review: %s", closed.text())
	}
	if r := b.post("/portal/files/"+fid+"/comments", url.Values{"page": {"1"}, "text": {"late"}}); !strings.Contains(r.text(), "this one has been reviewed already") {
		t.Errorf("a late comment: %s", r.text())
	}
}

// Another engagement's file and delivery are not found from a portal session, whichever way
// they are asked for; the part of the page listing files is HTML, never JSON.
func TestViewersStayInTheirEngagement(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	one, _, ms1 := h.agreed(token, "1000.00")
	two, _, ms2 := h.agreed(token, "1000.00")
	h.underWay(token, one, ms1[0])
	h.underWay(token, two, ms2[0])
	up := h.upload("/api/v1/engagements/"+two+"/milestones/"+ms2[0]+"/deliveries", token, "", map[string][]byte{"a.png": pngImage(t, 60, 40)})
	did, fid := up.json(t)["id"].(string), up.json(t)["files"].([]any)[0].(map[string]any)["id"].(string)
	h.previewsMade(token)
	b := h.browser("en")
	b.openPortal(h.invite(token, one, "maria@client.example"))
	for _, path := range []string{"/portal/files/" + fid + "/view", "/portal/deliveries/" + did + "/files"} {
		if p := b.get(path); p.status != http.StatusNotFound || !strings.HasPrefix(p.ctype, "text/html") {
			t.Errorf("GET %s from another engagement: %d %s", path, p.status, p.ctype)
		}
	}
	if p := b.post("/portal/files/"+fid+"/comments", url.Values{"page": {"1"}, "text": {"x"}}); strings.Contains(p.text(), "on the record") {
		t.Error("a comment was taken on another engagement's file")
	}
	b2 := h.browser("en")
	b2.openPortal(h.invite(token, two, "maria@client.example"))
	part := b2.get("/portal/deliveries/" + did + "/files")
	if part.status != 200 || !strings.HasPrefix(part.ctype, "text/html") || !strings.Contains(part.html, `data-file="`+fid+`"`) || strings.Contains(part.html, "data-refresh") {
		t.Fatalf("the delivery's files: %d %s %s", part.status, part.ctype, part.html)
	}
}

func atoiAfter(t *testing.T, s, prefix string) int {
	t.Helper()
	i := strings.Index(s, prefix)
	if i < 0 {
		t.Fatalf("no %q in %s", prefix, s)
	}
	f := strings.Fields(s[i+len(prefix):])
	n, err := strconv.Atoi(f[0])
	if err != nil {
		t.Fatalf("no number after %q: %v", prefix, err)
	}
	return n
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	j := strings.Index(s, to)
	if j < 0 {
		return ""
	}
	return s[:j]
}
