// Package pdfrender rasterises the pages of a PDF to small images for a watermarked
// preview. PDFium runs as WebAssembly (go-pdfium on wazero, no cgo), each document in an
// instance of its own that is thrown away afterwards, so a hostile document that runs too
// long is stopped by killing its instance and never takes the server down with it.
package pdfrender

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// The ways a document can fail to preview; the caller shows "no preview" for all of them.
var (
	ErrTimeout   = errors.New("pdfrender: the document took too long to render")
	ErrTooLarge  = errors.New("pdfrender: the document is too large to preview")
	ErrEncrypted = errors.New("pdfrender: the document is password-protected")
	ErrCorrupt   = errors.New("pdfrender: the document is not a readable PDF")
	ErrClosed    = errors.New("pdfrender: the renderer is closed")
)

// Config limits what one document may cost; a zero field takes the default beside it.
type Config struct {
	Workers     int           // documents rendered at once, each in its own instance; 2
	MaxPages    int           // pages one Render call may ask for; 20
	MaxPixels   int64         // pixels of one rendered page; 4 000 000
	PageTimeout time.Duration // loading and rendering one page; 10 s
	DocTimeout  time.Duration // opening the document and all its pages; 30 s
	MaxBytes    int64         // size of a PDF accepted; 64 MiB
	MaxMemory   int64         // WebAssembly memory of one instance, rounded down to 64 KiB; 512 MiB
	// CacheDir keeps PDFium compiled to machine code between runs, which turns seconds of
	// startup into milliseconds; it is executed as is, so only the server may write to it.
	// Empty compiles afresh in every New.
	CacheDir string
}

func (c Config) withDefaults() Config {
	c.Workers = orDefault(c.Workers, 2)
	c.MaxPages = orDefault(c.MaxPages, 20)
	c.MaxPixels = orDefault(c.MaxPixels, 4_000_000)
	c.PageTimeout = orDefault(c.PageTimeout, 10*time.Second)
	c.DocTimeout = orDefault(c.DocTimeout, 30*time.Second)
	c.MaxBytes = orDefault(c.MaxBytes, 64<<20)
	c.MaxMemory = orDefault(c.MaxMemory, 512<<20)
	return c
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

const (
	wasmPage   = 64 << 10 // the unit of WebAssembly memory
	pdfiumBase = 32 << 20 // PDFium's own memory: 18 MiB to start, and its fonts and caches
)

// validate refuses limits under which no page could ever render.
func (c Config) validate() error {
	if need := 4*c.MaxPixels + pdfiumBase; c.MaxMemory < need {
		return fmt.Errorf("pdfrender: MaxMemory %d cannot hold a page of MaxPixels %d beside PDFium; it needs %d", c.MaxMemory, c.MaxPixels, need)
	}
	return nil
}

// Renderer renders documents in a pool of PDFium WebAssembly instances; it is safe for
// concurrent use.
type Renderer struct {
	cfg   Config
	pool  pdfium.Pool
	cache wazero.CompilationCache
	// slots admits Workers documents at a time: the pool's own wait for a free instance
	// can miss the wake-up when another instance is discarded at that moment.
	slots chan struct{}

	stop     context.Context // done once Close begins, which kills the renders in flight
	stopNow  context.CancelFunc
	mu       sync.Mutex
	closed   bool
	inFlight sync.WaitGroup
}

// New compiles PDFium and starts a pool of cfg.Workers instances; Close releases it.
func New(cfg Config) (*Renderer, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cache, err := compilationCache(cfg.CacheDir)
	if err != nil {
		return nil, err
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle:  1, // one instance made now, so a broken setup fails here, not on the first PDF
		MaxIdle:  cfg.Workers,
		MaxTotal: cfg.Workers,
		RuntimeConfig: wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true). // lets a kill stop a call that is running
			WithMemoryLimitPages(uint32(min(cfg.MaxMemory/wasmPage, 1<<16))).
			WithCompilationCache(cache),
		FSConfig: wazero.NewFSConfig(), // PDFium reads the document from memory, never the disk
		Stdout:   io.Discard,
		Stderr:   io.Discard,
	})
	if err != nil {
		cache.Close(context.Background())
		return nil, fmt.Errorf("pdfrender: starting PDFium: %w", err)
	}
	stop, stopNow := context.WithCancel(context.Background())
	return &Renderer{cfg: cfg, pool: pool, cache: cache, slots: make(chan struct{}, cfg.Workers), stop: stop, stopNow: stopNow}, nil
}

func compilationCache(dir string) (wazero.CompilationCache, error) {
	if dir == "" {
		return wazero.NewCompilationCache(), nil
	}
	cache, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil, fmt.Errorf("pdfrender: the compilation cache %s: %w", dir, err)
	}
	return cache, nil
}

// Close stops the renders in flight, waits for them to return and releases the pool.
func (r *Renderer) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.mu.Unlock()
	r.stopNow()
	r.inFlight.Wait()
	err := r.pool.Close()
	r.cache.Close(context.Background())
	if err != nil {
		return fmt.Errorf("pdfrender: closing the pool: %w", err)
	}
	return nil
}

// enter counts a call in flight, or reports that the renderer is closed.
func (r *Renderer) enter() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	r.inFlight.Add(1)
	return nil
}
