// Package ics writes calendars in iCalendar form (RFC 5545), for the deadlines feed.
package ics

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one all-day deadline.
type Event struct {
	UID         string
	Day         time.Time // the calendar day, at midnight UTC
	Summary     string
	Description string
}

// Calendar writes a VCALENDAR named name with the events, stamped at now.
func Calendar(name string, now time.Time, events []Event) []byte {
	var b strings.Builder
	line := func(s string) { fold(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Accord//Deadlines//EN")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + escape(name))
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range events {
		line("BEGIN:VEVENT")
		line("UID:" + escape(e.UID))
		line("DTSTAMP:" + stamp)
		line("DTSTART;VALUE=DATE:" + e.Day.Format("20060102"))
		line("DTEND;VALUE=DATE:" + e.Day.AddDate(0, 0, 1).Format("20060102"))
		line("SUMMARY:" + escape(e.Summary))
		if e.Description != "" {
			line("DESCRIPTION:" + escape(e.Description))
		}
		line("TRANSP:TRANSPARENT")
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String())
}

// escape writes text as a TEXT value: backslash, semicolon, comma and line breaks escaped.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold writes one content line, folded so no line is longer than 75 octets, never inside a
// UTF-8 character, each line ended by CRLF.
func fold(b *strings.Builder, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the space that starts a folded line counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
