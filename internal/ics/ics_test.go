package ics

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A calendar is folded at 75 octets, never inside a character, and escapes what TEXT must.
func TestCalendarIsWellFormed(t *testing.T) {
	long := strings.Repeat("Этап «Брендбук», часть; ", 8)
	out := string(Calendar("Студия", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), []Event{
		{UID: "ms_1@accord", Day: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), Summary: long, Description: "a\nb"},
	}))
	for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("a line of %d octets: %q", len(l), l)
		}
		if !utf8Valid(l) {
			t.Errorf("a line cut inside a character: %q", l)
		}
	}
	for _, want := range []string{"DTSTART;VALUE=DATE:20261205", "DTEND;VALUE=DATE:20261206", `DESCRIPTION:a\nb`, `\;`, `\,`} {
		if !strings.Contains(out, want) {
			t.Errorf("the calendar lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Errorf("a bare line feed")
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// Python's icalendar (Debian's python3-icalendar) reads the calendar back, word for word.
func TestAStandardParserReadsIt(t *testing.T) {
	python := "/usr/bin/python3"
	ok := exec.Command(python, "-c", "import icalendar").Run() == nil
	if !ok {
		if os.Getenv("CI") != "" {
			t.Fatal("python3-icalendar is missing; it is mandatory in CI: apt-get install python3-icalendar")
		}
		t.Skip("python3-icalendar is missing, so the standard parser is not tried; apt-get install python3-icalendar")
	}
	summary := "Фирмен стил за „Кафе Норд“ — етап 1, Скици; " + strings.Repeat("дълго ", 20)
	cal := Calendar("Студио, Север", time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), []Event{
		{UID: "ms_1@accord", Day: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC), Summary: summary, Description: "ред 1\nред 2"},
		{UID: "ms_2@accord", Day: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), Summary: "Final"},
	})
	cmd := exec.Command(python, "-c", `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"name": str(cal.get("X-WR-CALNAME")), "events": []}
for e in cal.walk("VEVENT"):
    out["events"].append({"uid": str(e.get("UID")), "start": e.decoded("DTSTART").isoformat(),
        "end": e.decoded("DTEND").isoformat(), "summary": str(e.get("SUMMARY")), "description": str(e.get("DESCRIPTION", ""))})
print(json.dumps(out))
`)
	cmd.Stdin = bytes.NewReader(cal)
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("icalendar could not read it: %v\n%s", err, b)
	}
	var got struct {
		Name   string
		Events []struct{ UID, Start, End, Summary, Description string }
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if got.Name != "Студио, Север" || len(got.Events) != 2 {
		t.Fatalf("read back: %+v", got)
	}
	e := got.Events[0]
	if e.UID != "ms_1@accord" || e.Start != "2026-12-05" || e.End != "2026-12-06" || e.Summary != summary || e.Description != "ред 1\nред 2" {
		t.Errorf("the first event read back as %+v", e)
	}
}
