package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// readCalendar parses an iCalendar body with Python's icalendar (Debian's python3-icalendar),
// as a calendar app would, and returns its events' summaries and start days.
func readCalendar(t *testing.T, body []byte) map[string]string {
	t.Helper()
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import icalendar").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-icalendar is missing; it is mandatory in CI: apt-get install python3-icalendar")
		}
		t.Skip("python3-icalendar is missing, so the feed is not parsed; apt-get install python3-icalendar")
	}
	cmd := exec.Command(python, "-c", `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print(json.dumps({str(e.get("SUMMARY")): e.decoded("DTSTART").isoformat() for e in cal.walk("VEVENT")}))
`)
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("icalendar cannot read the feed: %v\n%s\n%s", err, out, body)
	}
	events := map[string]string{}
	json.Unmarshal(out, &events)
	return events
}

// The deadlines feed: a secret address per workspace, read by a standard parser, replaced by a
// new one; and the client's own calendar of the engagement in the portal, in their language.
func TestDeadlinesFeed(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00", "600.00")
	b := h.browser("en")
	b.login("ana@studio.example")
	p := b.post("/app/calendar", nil)
	i := strings.Index(p.html, `id="calendar-link">`)
	if i < 0 {
		t.Fatalf("no calendar link on the settings page: %s", p.text())
	}
	link := p.html[i+len(`id="calendar-link">`):]
	link = link[:strings.Index(link, "<")]
	get := func(url string) (int, string, []byte) {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), body
	}
	status, ctype, body := get(link)
	if status != 200 || !strings.HasPrefix(ctype, "text/calendar") {
		t.Fatalf("the feed: %d %s", status, ctype)
	}
	events := readCalendar(t, body)
	if events[`Brand book: Due: milestone 1, "Part A"`] != "2026-12-03" || events[`Brand book: Due: milestone 2, "Part B"`] != "2026-12-13" {
		t.Errorf("the feed's events: %v", events)
	}
	b.post("/app/calendar", nil)
	if status, ctype, _ := get(link); status != 404 || !strings.HasPrefix(ctype, "text/html") {
		t.Errorf("the old link still answers: %d %s", status, ctype)
	}
	c := h.browser("en")
	c.openPortal(h.invite(token, id, "maria@client.example"))
	c.post("/portal/language", map[string][]string{"language": {"bg"}})
	cal := c.get("/portal/calendar.ics")
	if !strings.HasPrefix(cal.ctype, "text/calendar") {
		t.Fatalf("the portal's calendar: %d %s", cal.status, cal.ctype)
	}
	want := cat.T("bg", "calendar.milestone", map[string]any{"num": 1, "title": "Part A"})
	if got := readCalendar(t, []byte(cal.html)); got[want] != "2026-12-03" {
		t.Errorf("the portal's calendar: %v, want %q on 2026-12-03", got, want)
	}
}
