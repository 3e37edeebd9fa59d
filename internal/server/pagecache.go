package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/accordapp/accord"
)

// keptPages keeps rendered pages of engagements, compressed, so that a page asked for again
// within the same second of the clock, with the engagement and its workspace's settings at
// the same stamp, is sent as it was rendered instead of being read and rendered again. Every
// request still authenticates, and reads the stamp itself, in one indexed query: a write on
// any instance moves the stamp, so no page older than the record it shows is ever sent, and
// none older than a second, of the clock the page is rendered by nor of the machine's (a
// test clock may stand still). A page with a one-time message (a confirmation, a refused form)
// is never kept.
type keptPages struct {
	mu    sync.Mutex
	m     map[string]*keptPage
	order []string // oldest first, for eviction
	bytes int
	// elapsed is the machine's time since a page was kept (time.Since when nil): a kept page
	// is not sent a second after, whatever the clock pages are rendered by says.
	elapsed func(time.Time) time.Duration
}

// keptPage is one rendered page, gzipped, and what it was rendered from.
type keptPage struct {
	stamp accord.Stamp
	// from and until bound the clock times the page holds for: the second it was rendered in,
	// or less when something on it changes sooner (a held message reaching the client).
	from, until time.Time
	made        time.Time // by the machine's clock, for elapsed
	gz          []byte
}

// The bounds of what is kept: the pages are a few dozen kilobytes each once compressed.
const (
	pagesKept     = 512
	pageBytesKept = 32 << 20
)

// pageKey joins the parts of what a page depends on besides its stamp and the clock.
func pageKey(parts ...string) string { return strings.Join(parts, "\x00") }

// cursorKey is a page cursor in a key, "" for the newest page.
func cursorKey(c *accord.Cursor) string {
	if c == nil {
		return ""
	}
	return c.String()
}

// zoneKey is a time zone in a key.
func zoneKey(z *time.Location) string {
	if z == nil {
		return ""
	}
	return z.String()
}

// serve sends the kept page for key if it was rendered at stamp and holds at now.
func (k *keptPages) serve(w http.ResponseWriter, r *http.Request, key string, stamp accord.Stamp, now time.Time) bool {
	k.mu.Lock()
	p, ok := k.m[key]
	k.mu.Unlock()
	if !ok || p.stamp != stamp || now.Before(p.from) || !now.Before(p.until) || k.age(p) >= time.Second {
		return false
	}
	if acceptsGzip(r) {
		pageHeaders(w)
		w.Header().Set("Content-Encoding", "gzip") // the compressing middleware passes it on as it is
		w.Header().Set("Content-Length", strconv.Itoa(len(p.gz)))
		w.WriteHeader(http.StatusOK)
		w.Write(p.gz)
		return true
	}
	zr, err := gzip.NewReader(bytes.NewReader(p.gz))
	if err != nil {
		return false
	}
	pageHeaders(w)
	w.WriteHeader(http.StatusOK)
	io.Copy(w, zr)
	return true
}

func (k *keptPages) age(p *keptPage) time.Duration {
	if k.elapsed != nil {
		return k.elapsed(p.made)
	}
	return time.Since(p.made)
}

// keep returns what the page renderer calls with the page's body to keep it for key, as
// rendered at stamp and now; until, when not zero, is an earlier time it stops holding.
func (k *keptPages) keep(key string, stamp accord.Stamp, now, until time.Time) func([]byte) {
	return func(body []byte) {
		from := now.Truncate(time.Second)
		if end := from.Add(time.Second); until.IsZero() || until.After(end) {
			until = end
		}
		var buf bytes.Buffer
		zw := gzips.Get().(*gzip.Writer)
		zw.Reset(&buf)
		zw.Write(body)
		zw.Close()
		zw.Reset(io.Discard)
		gzips.Put(zw)
		k.put(key, &keptPage{stamp: stamp, from: from, until: until, made: time.Now(), gz: buf.Bytes()})
	}
}

func (k *keptPages) put(key string, p *keptPage) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]*keptPage{}
	}
	if old, ok := k.m[key]; ok {
		k.bytes += len(p.gz) - len(old.gz)
		k.m[key] = p
		return
	}
	for len(k.order) > 0 && (len(k.order) >= pagesKept || k.bytes+len(p.gz) > pageBytesKept) {
		k.bytes -= len(k.m[k.order[0]].gz)
		delete(k.m, k.order[0])
		k.order = k.order[1:]
	}
	k.m[key] = p
	k.order = append(k.order, key)
	k.bytes += len(p.gz)
}
