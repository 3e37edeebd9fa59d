package server_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

// getPage reads a page as a browser would, with a session cookie, and returns its status and
// its text with entities undone.
func getPage(t *testing.T, h *harness, path string, c *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", h.url+path, nil)
	req.AddCookie(c)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET %s answered %s; a page is HTML", path, ct)
	}
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, html.UnescapeString(string(b))
}

var earlierLink = regexp.MustCompile(`href="([^"]*)" class="pager-earlier"`)

// note is the text of the n-th message the tests post.
func note(n int) string { return fmt.Sprintf("Progress note #%03d.", n) }

// TestPagesOfMessagesAndEvents pages through 120 messages on the freelancer's engagement page
// and the client's portal, newest first, each message once, and refuses a cursor it did not make.
func TestPagesOfMessagesAndEvents(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, _ := h.agreed(token, "1000.00")
	const total = 120
	for n := 1; n <= total; n++ {
		if n%2 == 0 {
			h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": note(n)}, 201)
		} else {
			h.call("POST", "/portal/api/messages", session, map[string]string{"body": note(n)}, 201)
		}
	}
	sess := h.webLogin("ana@studio.example")
	portal := &http.Cookie{Name: "accord_portal", Value: session}
	for _, side := range []struct {
		name, path string
		cookie     *http.Cookie
	}{{"engagement page", "/app/engagements/" + id, sess}, {"portal", "/portal", portal}} {
		t.Run(side.name, func(t *testing.T) {
			seen := map[int]int{}
			path, pages := side.path, 0
			for path != "" {
				status, body := getPage(t, h, path, side.cookie)
				if status != 200 {
					t.Fatalf("GET %s: %d", path, status)
				}
				pages++
				section := body[strings.Index(body, `<section id="messages">`):]
				section = section[:strings.Index(section, "</section>")]
				for n := 1; n <= total; n++ { // the test clock stands still: their order is the store's to test
					if strings.Contains(section, note(n)) {
						seen[n]++
					}
				}
				if pages > 1 && !strings.Contains(body, `class="pager-newest"`) {
					t.Errorf("page %d offers no way back to the newest messages", pages)
				}
				if side.cookie == sess && !strings.Contains(body, fmt.Sprintf("%d messages in all", total)) {
					t.Errorf("page %d does not say how many messages there are", pages)
				}
				path = ""
				for _, m := range earlierLink.FindAllStringSubmatch(body, -1) {
					if strings.Contains(m[1], "messages=") {
						path = strings.TrimPrefix(m[1], h.url)
					}
				}
				if pages > 10 {
					t.Fatal("the pages do not end")
				}
			}
			if pages != 3 {
				t.Errorf("%d messages took %d pages; want 3 of at most 50", total, pages)
			}
			for n := 1; n <= total; n++ {
				if seen[n] != 1 {
					t.Errorf("%q was shown on %d pages; want exactly one", note(n), seen[n])
				}
			}
			status, body := getPage(t, h, side.path+"?messages=bm90LWEtY3Vyc29y", side.cookie)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "go back to the first page") {
				t.Errorf("a cursor Accord did not make: %d, %q", status, excerptOf(body[strings.Index(body, "<main"):]))
			}
		})
	}
	// The timeline: the latest 100 entries, then the rest.
	_, body := getPage(t, h, "/app/engagements/"+id, sess)
	first := strings.Count(body, `<li data-type="`)
	m := regexp.MustCompile(`href="([^"]*events=[^"]*)" class="pager-earlier"`).FindStringSubmatch(body)
	if first != 100 || m == nil {
		t.Fatalf("the timeline's first page shows %d entries, earlier link %v; want 100 and a link", first, m)
	}
	_, body = getPage(t, h, m[1], sess)
	rest := strings.Count(body, `<li data-type="`)
	evs := h.call("GET", "/api/v1/engagements/"+id+"/events", token, nil, 200).json(t)["events"].([]any)
	if first+rest != len(evs) || rest == 0 {
		t.Errorf("the timeline's pages show %d + %d entries; the record holds %d", first, rest, len(evs))
	}
}

func excerptOf(s string) string {
	if len(s) > 300 {
		return s[:300]
	}
	return s
}

// walkAPI reads an API list page by page of limit and returns the ids in the order read.
func walkAPI(t *testing.T, h *harness, path, auth, name string, limit int) (ids []string, pages int) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := path + sep + "limit=" + fmt.Sprint(limit)
	for next != "" {
		m := h.call("GET", next, auth, nil, 200).json(t)
		items, _ := m[name].([]any)
		if len(items) > limit {
			t.Fatalf("GET %s gave %d items; the limit was %d", next, len(items), limit)
		}
		for _, it := range items {
			ids = append(ids, fmt.Sprint(it.(map[string]any)["id"], it.(map[string]any)["seq"]))
		}
		pages++
		next = ""
		if c, ok := m["next_cursor"].(string); ok {
			next = path + sep + "limit=" + fmt.Sprint(limit) + "&cursor=" + c
		}
		if pages > 100 {
			t.Fatalf("GET %s: the pages do not end", path)
		}
	}
	return ids, pages
}

// TestAPIListsArePaged walks every list of the API in pages: the first, the middle ones and the
// last give each item once, in the whole list's order; a cursor or limit it did not make is a
// clear 422 naming the field.
func TestAPIListsArePaged(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, _ := h.agreed(token, "1000.00")
	for n := 1; n <= 23; n++ {
		h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": note(n)}, 201)
	}
	for n := range 11 {
		cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": fmt.Sprintf("Client %02d", 10-n), "email": "c@client.example"}, 201).json(t)["id"].(string)
		h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": fmt.Sprint("Work ", n), "currency": "EUR"}, 201)
	}
	for _, l := range []struct{ path, auth, name string }{
		{"/api/v1/engagements/" + id + "/messages", token, "messages"},
		{"/portal/api/messages", session, "messages"},
		{"/api/v1/engagements/" + id + "/events", token, "events"},
		{"/api/v1/engagements", token, "engagements"},
		{"/api/v1/clients", token, "clients"},
		{"/api/v1/outbox", token, "messages"},
	} {
		t.Run(l.path, func(t *testing.T) {
			all, pages := walkAPI(t, h, l.path, l.auth, l.name, accord.MaxPageSize)
			if pages != 1 || len(all) < 8 {
				t.Fatalf("the whole list: %d items in %d pages; want at least 8 in one", len(all), pages)
			}
			for _, limit := range []int{1, 3, 7, len(all), len(all) + 1} {
				got, pages := walkAPI(t, h, l.path, l.auth, l.name, limit)
				if !slices.Equal(got, all) {
					t.Errorf("by %d: %v\nwant %v", limit, got, all)
				}
				if want := (len(all) + limit - 1) / limit; pages != want {
					t.Errorf("by %d: %d pages; want %d", limit, pages, want)
				}
			}
			for _, bad := range []struct{ query, field string }{
				{"cursor=bm90LWEtY3Vyc29y", "cursor"}, {"cursor=%25%25%25", "cursor"}, {"limit=0", "limit"}, {"limit=100000", "limit"}, {"limit=many", "limit"},
			} {
				r := h.request("GET", l.path+"?"+bad.query, l.auth, "", nil)
				body := r.json(t)
				e, _ := body["error"].(map[string]any)
				fields, _ := e["fields"].([]any)
				if r.status != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["field"] != bad.field {
					t.Errorf("?%s: %d %v; want 422 naming %s", bad.query, r.status, body, bad.field)
				}
			}
		})
	}
	// What the store counts, the page says.
	if m := h.call("GET", "/api/v1/engagements/"+id+"/messages?limit=5", token, nil, 200).json(t); m["total"] != float64(23) {
		t.Errorf("messages total %v; want 23", m["total"])
	}
}

// TestDashboardPages lists what waits on the freelancer first and pages the rest, each
// engagement once, says how many there are, refuses a cursor it did not make, and lets the
// clients page start an engagement for a client the picker does not offer first.
func TestDashboardPages(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	agreedID, _, _ := h.agreed(token, "1000.00") // waits on the client's prepayment
	cl := h.call("POST", "/api/v1/clients", token, map[string]string{"name": "Zora", "email": "zora@client.example"}, 201).json(t)["id"].(string)
	const drafts = 30
	for n := range drafts {
		h.call("POST", "/api/v1/engagements", token, map[string]string{"client_id": cl, "title": fmt.Sprintf("Draft #%02d", n), "currency": "EUR"}, 201)
	}
	h.advance(token, "1m")
	h.call("POST", "/api/v1/engagements/"+agreedID+"/messages", token, map[string]string{"body": "Any news?"}, 201) // the latest change
	sess := h.webLogin("ana@studio.example")
	seen, path, pages := map[string]int{}, "/app", 0
	var order []string
	rows := regexp.MustCompile(`<tr class="engagement-row"><td><a href="/app/engagements/([^"]+)">`)
	for path != "" {
		status, body := getPage(t, h, path, sess)
		if status != 200 {
			t.Fatalf("GET %s: %d", path, status)
		}
		pages++
		if !strings.Contains(body, fmt.Sprintf("%d engagements in all", drafts+1)) {
			t.Errorf("page %d does not say how many engagements there are", pages)
		}
		for _, m := range rows.FindAllStringSubmatch(body, -1) {
			seen[m[1]]++
			order = append(order, m[1])
		}
		path = ""
		for _, m := range earlierLink.FindAllStringSubmatch(body, -1) {
			if strings.Contains(m[1], "engagements=") {
				path = m[1]
			}
		}
		if pages > 5 {
			t.Fatal("the pages do not end")
		}
	}
	if pages != 2 || len(seen) != drafts+1 || len(order) != drafts+1 {
		t.Fatalf("%d engagements over %d pages, %d shown; want 2 pages showing each once", drafts+1, pages, len(order))
	}
	if order[len(order)-1] != agreedID {
		t.Errorf("the engagement waiting on the client is listed at %d of %d; the drafts waiting on you come first", slices.Index(order, agreedID)+1, len(order))
	}
	if status, _ := getPage(t, h, "/app?engagements=bm90LWEtY3Vyc29y", sess); status != http.StatusUnprocessableEntity {
		t.Errorf("a cursor Accord did not make: %d", status)
	}

	_, clients := getPage(t, h, "/app/clients", sess)
	if !strings.Contains(clients, `href="/app?client=`+cl+`#new-engagement"`) {
		t.Fatal("the clients page offers no way to start an engagement for a client")
	}
	_, body := getPage(t, h, "/app?client="+cl, sess)
	if !strings.Contains(body, `<option value="`+cl+`" selected>Zora</option>`) || strings.Contains(body, `id="more-clients"`) {
		t.Errorf("the client asked for is not chosen for the new engagement, or the picker says it leaves clients out")
	}
	// Past 100 clients the picker offers the first 100 by name, says so, and still takes the
	// one asked for from the clients page.
	for n := range 100 {
		h.call("POST", "/api/v1/clients", token, map[string]string{"name": fmt.Sprintf("Client %03d", n), "email": fmt.Sprintf("c%03d@client.example", n)}, 201)
	}
	_, body = getPage(t, h, "/app?client="+cl, sess)
	if !strings.Contains(body, `id="more-clients"`) || strings.Count(body, "<option value=\"cli_") != 101 ||
		!strings.Contains(body, `<option value="`+cl+`" selected>Zora</option>`) {
		t.Errorf("with 102 clients the picker offers %d, more-clients note %v, Zora chosen %v; want 100 by name and Zora",
			strings.Count(body, "<option value=\"cli_"), strings.Contains(body, `id="more-clients"`), strings.Contains(body, `<option value="`+cl+`" selected>`))
	}
	h.app.SignupPolicy = "open"
	other := h.account("bo@elsewhere.example")
	theirs := h.call("POST", "/api/v1/clients", other, map[string]string{"name": "Theirs", "email": "t@client.example"}, 201).json(t)["id"].(string)
	if status, body := getPage(t, h, "/app?client="+theirs, sess); status != http.StatusNotFound || strings.Contains(body, "Theirs") {
		t.Errorf("another workspace's client: %d", status)
	}
}

// TestTimelineShowsEachNewEntry reads the engagement page's timeline twice, the second time as
// kept from the first, and again after a message: the kept one is the same page, and a new
// entry on the record is shown at once.
func TestTimelineShowsEachNewEntry(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	sess := h.webLogin("ana@studio.example")
	timeline := func() string {
		t.Helper()
		status, body := getPage(t, h, "/app/engagements/"+id, sess)
		if status != 200 {
			t.Fatalf("the engagement page: %d", status)
		}
		i := strings.Index(body, `<ol class="timeline">`)
		if i < 0 {
			t.Fatal("the engagement page has no timeline")
		}
		return body[i : i+strings.Index(body[i:], "</ol>")]
	}
	first, again := timeline(), timeline()
	if first != again || strings.Count(first, "<li ") == 0 {
		t.Fatalf("the timeline read twice differs, or is empty:\n%s\n%s", first, again)
	}
	h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "Files are in."}, 201)
	after := timeline()
	if strings.Count(after, "<li ") <= strings.Count(first, "<li ") || strings.Count(after, `data-type="message.sent"`) != strings.Count(first, `data-type="message.sent"`)+1 {
		t.Errorf("after a message the timeline shows %d entries (before %d), %d of them messages (before %d); want the new message among more",
			strings.Count(after, "<li "), strings.Count(first, "<li "), strings.Count(after, `data-type="message.sent"`), strings.Count(first, `data-type="message.sent"`))
	}
}
