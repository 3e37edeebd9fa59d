package pdfrender

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// killGrace is how long a killed call may take to notice; wazero checks at every loop
// and function entry, so it is far more than it needs.
const killGrace = 5 * time.Second

// session is one document open in an instance of its own, discarded when it is done.
type session struct {
	inst  pdfium.Pdfium
	doc   references.FPDF_DOCUMENT
	pages int
}

// withDocument opens pdf in a fresh instance, runs use on it under the document's
// deadline and discards the instance, whatever happened inside.
func (r *Renderer) withDocument(ctx context.Context, pdf []byte, use func(context.Context, *session) error) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer r.inFlight.Done()
	if int64(len(pdf)) > r.cfg.MaxBytes {
		return fmt.Errorf("%w: %d bytes, over the limit of %d", ErrTooLarge, len(pdf), r.cfg.MaxBytes)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(r.stop, cancel)()

	inst, release, err := r.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()

	// The document's clock starts once it has an instance, not while it queues for one.
	docCtx, cancelDoc := context.WithTimeout(ctx, r.cfg.DocTimeout)
	defer cancelDoc()
	s := &session{inst: inst}
	err = run(docCtx, inst, func() error { return s.open(pdf) })
	if err == nil {
		err = use(docCtx, s)
	}
	return r.explain(ctx, err)
}

// acquire waits for a slot and takes a fresh instance; release discards the instance,
// which never runs PDFium code, so even a wedged one is let go at once.
func (r *Renderer) acquire(ctx context.Context) (pdfium.Pdfium, func(), error) {
	select {
	case r.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, r.explain(ctx, ctx.Err())
	}
	inst, err := r.pool.GetInstanceWithContext(ctx)
	if err != nil {
		<-r.slots
		return nil, nil, r.explain(ctx, fmt.Errorf("pdfrender: waiting for a PDFium instance: %w", err))
	}
	return inst, func() { inst.Kill(); <-r.slots }, nil
}

// explain turns a stopped call into the reason it was stopped: the caller's own
// cancellation, Close, or one of our deadlines.
func (r *Renderer) explain(ctx context.Context, err error) error {
	switch {
	case err == nil || !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded):
		return err
	case r.stop.Err() != nil:
		return ErrClosed
	case context.Cause(ctx) != nil:
		return context.Cause(ctx)
	}
	return ErrTimeout
}

// run calls fn on a goroutine of its own and, if ctx ends first, kills inst, which stops
// the WebAssembly call inside fn: nothing else can interrupt it.
func run(ctx context.Context, inst pdfium.Pdfium, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("%w: the render panicked: %v", ErrCorrupt, v)
			}
		}()
		done <- fn()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	inst.Kill()
	select {
	case <-done:
	case <-time.After(killGrace):
	}
	return ctx.Err()
}

func (s *session) open(pdf []byte) error {
	doc, err := s.inst.OpenDocument(&requests.OpenDocument{File: &pdf})
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword), errors.Is(err, pdfiumerrors.ErrSecurity):
		return ErrEncrypted
	case err != nil:
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	s.doc = doc.Document
	count, err := s.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: s.doc})
	if err != nil {
		return fmt.Errorf("%w: counting pages: %v", ErrCorrupt, err)
	}
	if count.PageCount < 1 {
		return fmt.Errorf("%w: the document has no pages", ErrCorrupt)
	}
	s.pages = count.PageCount
	return nil
}
