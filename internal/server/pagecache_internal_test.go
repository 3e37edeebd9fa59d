package server

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

// A kept page is sent again only at its stamp and within its second (or less, when it says
// so), of the pages' clock and of the machine's, compressed to a client that takes gzip and
// plain to one that does not.
func TestKeptPageHoldsForItsStampAndSecond(t *testing.T) {
	var k keptPages
	machine := 300 * time.Millisecond // since the page was kept, by the machine's clock
	k.elapsed = func(time.Time) time.Duration { return machine }
	body := strings.Repeat("<p>Проект · Logo</p>\n", 200)
	at := time.Date(2026, 11, 23, 10, 0, 0, 400e6, time.UTC)
	stamp := accord.Stamp{Seq: 5, Settings: 1}
	sent := func(key string, s accord.Stamp, now time.Time, gz bool) (string, bool) {
		t.Helper()
		r := httptest.NewRequest("GET", "/app/engagements/eng_1", nil)
		if gz {
			r.Header.Set("Accept-Encoding", "gzip")
		}
		w := httptest.NewRecorder()
		if !k.serve(w, r, key, s, now) {
			return "", false
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || w.Code != 200 {
			t.Errorf("a kept page is sent as %d %q", w.Code, ct)
		}
		var got io.Reader = w.Body
		if gz {
			if w.Header().Get("Content-Encoding") != "gzip" {
				t.Fatal("a kept page is not sent compressed to a client that takes gzip")
			}
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			got = zr
		} else if w.Header().Get("Content-Encoding") != "" {
			t.Fatal("a kept page is sent compressed to a client that does not take gzip")
		}
		b, _ := io.ReadAll(got)
		return string(b), true
	}
	if _, ok := sent("a", stamp, at, true); ok {
		t.Fatal("a page never kept is sent")
	}
	k.keep("a", stamp, at, time.Time{})([]byte(body))
	for _, gz := range []bool{true, false} {
		if got, ok := sent("a", stamp, at.Add(500*time.Millisecond), gz); !ok || got != body {
			t.Errorf("gzip %v: the kept page within its second: sent %v, the same body %v", gz, ok, got == body)
		}
	}
	for _, c := range []struct {
		what  string
		key   string
		stamp accord.Stamp
		now   time.Time
	}{
		{"another page", "b", stamp, at},
		{"after an event", "a", accord.Stamp{Seq: 6, Settings: 1}, at},
		{"after a change of settings", "a", accord.Stamp{Seq: 5, Settings: 2}, at},
		{"in the next second", "a", stamp, at.Add(600 * time.Millisecond)},
		{"before it was rendered", "a", stamp, at.Add(-time.Second)},
	} {
		if _, ok := sent(c.key, c.stamp, c.now, true); ok {
			t.Errorf("%s: the kept page is sent", c.what)
		}
	}
	machine = time.Second
	if _, ok := sent("a", stamp, at, true); ok {
		t.Error("a page kept a second ago by the machine's clock is sent while the pages' clock stands still")
	}
	machine = 300 * time.Millisecond
	k.keep("held", stamp, at, at.Add(200*time.Millisecond))([]byte(body))
	if _, ok := sent("held", stamp, at.Add(100*time.Millisecond), true); !ok {
		t.Error("a page that holds until a message goes is not sent before then")
	}
	if _, ok := sent("held", stamp, at.Add(200*time.Millisecond), true); ok {
		t.Error("a page is sent after a message it shows held has gone")
	}
}

// No more pages are kept than the bound; the oldest go first.
func TestKeptPagesAreBounded(t *testing.T) {
	var k keptPages
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	for i := range pagesKept + 10 {
		k.keep("page"+strconv.Itoa(i), accord.Stamp{Seq: 1}, at, time.Time{})([]byte("<p>page</p>"))
	}
	if len(k.m) != pagesKept || len(k.order) != pagesKept {
		t.Fatalf("%d pages kept (%d in order), want %d", len(k.m), len(k.order), pagesKept)
	}
	if _, ok := k.m["page0"]; ok {
		t.Error("the oldest page is still kept")
	}
	if _, ok := k.m["page"+strconv.Itoa(pagesKept+9)]; !ok {
		t.Error("the newest page is not kept")
	}
	total := 0
	for _, p := range k.m {
		total += len(p.gz)
	}
	if total != k.bytes {
		t.Errorf("the kept bytes are counted as %d, the pages hold %d", k.bytes, total)
	}
}
