package server

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"sync"
)

// compressible are the types worth compressing: Accord's own pages, scripts, styles, JSON and
// SVG. Previews, originals and PDFs are compressed already, or must go byte for byte.
var compressible = map[string]bool{"text/html": true, "text/css": true, "text/javascript": true,
	"application/javascript": true, "application/json": true, "image/svg+xml": true}

var gzips = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed); return w }}

// gzipSlots bounds the answers compressed at once. A gzip writer holds about 1.2 MB (the
// tables of compress/flate, whatever the level), so a burst of a few hundred answers at once
// would take hundreds of MB; an answer that finds every slot taken goes uncompressed, which
// costs bytes on the wire but no memory. More compressions at once than cores would not go
// faster anyway.
var gzipSlots = make(chan struct{}, max(8, 4*runtime.GOMAXPROCS(0)))

// gzipped compresses the answers of compressible types for a client that accepts gzip.
func gzipped(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsGzip(r) || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept-Encoding")
		gw := &gzipWriter{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer gw.close()
		next.ServeHTTP(gw, r)
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// gzipWriter decides at the header whether the body is compressed.
type gzipWriter struct {
	http.ResponseWriter
	gz          *gzip.Writer
	wroteHeader bool
	head        bool
}

func (g *gzipWriter) WriteHeader(status int) {
	if g.wroteHeader {
		return
	}
	g.wroteHeader = true
	h := g.Header()
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if compressible[ct] && h.Get("Content-Encoding") == "" && status != http.StatusNoContent && status != http.StatusNotModified && !g.head && takeGzipSlot() {
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		g.gz = gzips.Get().(*gzip.Writer)
		g.gz.Reset(g.ResponseWriter)
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.wroteHeader {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(p))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(p)
	}
	return g.ResponseWriter.Write(p)
}

func (g *gzipWriter) close() {
	if g.gz != nil {
		g.gz.Close()
		g.gz.Reset(io.Discard)
		gzips.Put(g.gz)
		g.gz = nil
		<-gzipSlots
	}
}

// takeGzipSlot is true when an answer may be compressed now; its close gives the slot back.
func takeGzipSlot() bool {
	select {
	case gzipSlots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Flush sends what is compressed so far.
func (g *gzipWriter) Flush() {
	if g.gz != nil {
		g.gz.Flush()
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }
