package server

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Only so many answers are compressed at once: the one past them goes whole and uncompressed,
// and compression comes back once a slot is free.
func TestCompressionAtOnceIsBounded(t *testing.T) {
	page := strings.Repeat("<p>A page worth compressing.</p>\n", 200)
	release := make(chan struct{})
	var started sync.WaitGroup
	srv := httptest.NewServer(gzipped(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
		if r.URL.Query().Has("hold") {
			w.(http.Flusher).Flush()
			started.Done()
			<-release
		}
	})))
	defer srv.Close()
	get := func(path string) (encoding, body string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Error(err)
			return "", ""
		}
		defer res.Body.Close()
		var r io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Error(err)
				return "", ""
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Error(err)
		}
		return res.Header.Get("Content-Encoding"), string(b)
	}

	slots := cap(gzipSlots)
	started.Add(slots)
	var held sync.WaitGroup
	for range slots {
		held.Go(func() {
			if enc, body := get("/?hold"); enc != "gzip" || body != page {
				t.Errorf("a held answer: encoding %q, %d bytes of %d", enc, len(body), len(page))
			}
		})
	}
	started.Wait() // every slot is taken by an answer under way
	if enc, body := get("/"); enc != "" || body != page {
		t.Errorf("with every slot taken, an answer went with encoding %q and %d bytes of %d; want it whole, uncompressed", enc, len(body), len(page))
	}
	close(release)
	held.Wait()
	if enc, body := get("/"); enc != "gzip" || body != page {
		t.Errorf("once the slots are free, an answer went with encoding %q and %d bytes of %d; want it compressed", enc, len(body), len(page))
	}
}
