package preview

import (
	"bytes"
	"context"
	"errors"
	"image"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// rendersAt counts the renders of a budget that hold their share, and keeps each waiting in
// its hook until the test lets it go.
type rendersAt struct {
	b              *Budget
	now, most      atomic.Int32
	entered, leave chan struct{}
}

func watchRenders(size int64) *rendersAt {
	r := &rendersAt{b: NewBudget(size), entered: make(chan struct{}), leave: make(chan struct{})}
	r.b.held = func() {
		n := r.now.Add(1)
		for m := r.most.Load(); n > m && !r.most.CompareAndSwap(m, n); m = r.most.Load() {
		}
		r.entered <- struct{}{}
		<-r.leave
		r.now.Add(-1)
	}
	return r
}

func (r *rendersAt) start(wg *sync.WaitGroup, t *testing.T, src []byte) {
	wg.Go(func() {
		if _, err := r.b.Make(context.Background(), bytes.NewReader(src), testWatermark); err != nil {
			t.Error(err)
		}
	})
}

// waitQueued returns once n renders wait for room in the budget; it fails the test if another
// render takes its share meanwhile.
func (r *rendersAt) waitQueued(t *testing.T, n int) {
	t.Helper()
	for queued(r.b) != n {
		select {
		case <-r.entered:
			t.Fatal("a render took its share instead of waiting")
		default:
			runtime.Gosched()
		}
	}
}

func costOf(t *testing.T, src []byte) int64 {
	t.Helper()
	j, err := plan(bytes.NewReader(src), testWatermark)
	if err != nil {
		t.Fatal(err)
	}
	return j.cost
}

func TestBudgetKeepsApartRendersThatDoNotFitTogether(t *testing.T) {
	src := encodePNG(t, withHole(1000, 800))
	r := watchRenders(costOf(t, src) * 3 / 2)
	var wg sync.WaitGroup
	r.start(&wg, t, src)
	<-r.entered
	r.start(&wg, t, src)
	r.waitQueued(t, 1) // the second waits while the first holds its share
	if n := r.now.Load(); n != 1 {
		t.Fatalf("%d renders hold a share, want 1", n)
	}
	r.leave <- struct{}{}
	<-r.entered
	r.leave <- struct{}{}
	wg.Wait()
	if m := r.most.Load(); m != 1 {
		t.Errorf("%d renders ran at once, want 1", m)
	}
	if r.b.used != 0 {
		t.Errorf("%d bytes still held after both renders", r.b.used)
	}
}

// The control for the test above: renders that fit together do run together.
func TestBudgetRunsTogetherRendersThatFit(t *testing.T) {
	src := encodePNG(t, withHole(1000, 800))
	r := watchRenders(costOf(t, src) * 2)
	var wg sync.WaitGroup
	r.start(&wg, t, src)
	r.start(&wg, t, src)
	<-r.entered
	<-r.entered
	if m := r.most.Load(); m != 2 {
		t.Errorf("%d renders ran at once, want 2", m)
	}
	r.leave <- struct{}{}
	r.leave <- struct{}{}
	wg.Wait()
}

func TestBudgetRefusesAnImageLargerThanItAll(t *testing.T) {
	src := encodePNG(t, withHole(1000, 800))
	b := NewBudget(costOf(t, src) - 1)
	_, err := b.Make(context.Background(), bytes.NewReader(src), testWatermark)
	if !errors.Is(err, errTooLarge) || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("err = %v, want one saying the image is too large", err)
	}
	if b.used != 0 || len(b.waiting) != 0 {
		t.Errorf("a refused image holds %d bytes, %d waiting", b.used, len(b.waiting))
	}
}

// The image of issue 5: a 7000x7000 PNG of a few hundred KB decodes to 196 MB.
func TestBudgetHoldsOneLargePNGAtATime(t *testing.T) {
	header := encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 2, 2)))
	if cost := costOf(t, claimSize(header, 7000, 7000)); cost <= DefaultMemory/2 || cost > DefaultMemory {
		t.Errorf("a 7000x7000 RGBA PNG costs %d MB: want more than half of the default budget and less than all of it", cost>>20)
	}
}

func TestBudgetWaitEndsWithContext(t *testing.T) {
	src := encodePNG(t, withHole(1000, 800))
	r := watchRenders(costOf(t, src))
	var wg sync.WaitGroup
	r.start(&wg, t, src)
	<-r.entered
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := r.b.Make(ctx, bytes.NewReader(src), testWatermark)
		errc <- err
	}()
	r.waitQueued(t, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	r.waitQueued(t, 0)
	r.leave <- struct{}{}
	wg.Wait()
	if r.b.used != 0 {
		t.Errorf("%d bytes still held", r.b.used)
	}
}

// acquireAsync starts waiting for n bytes and returns a channel closed once they are held.
func acquireAsync(ctx context.Context, b *Budget, n int64) <-chan error {
	done := make(chan error, 1)
	go func() { done <- b.acquire(ctx, n) }()
	return done
}

func queued(b *Budget) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.waiting)
}

func waitFor(cond func() bool) {
	for !cond() {
		runtime.Gosched()
	}
}

// A small render that would fit does not pass a larger one that came first.
func TestBudgetServesInOrder(t *testing.T) {
	b := NewBudget(10)
	ctx := context.Background()
	if err := b.acquire(ctx, 6); err != nil {
		t.Fatal(err)
	}
	large := acquireAsync(ctx, b, 8)
	waitFor(func() bool { return queued(b) == 1 })
	small := acquireAsync(ctx, b, 3)
	waitFor(func() bool { return queued(b) == 2 })
	b.release(6)
	if err := <-large; err != nil {
		t.Fatal(err)
	}
	if queued(b) != 1 {
		t.Fatalf("the small one does not wait for the large one to finish")
	}
	b.release(8)
	if err := <-small; err != nil {
		t.Fatal(err)
	}
	b.release(3)
	if b.used != 0 {
		t.Errorf("%d bytes held at the end", b.used)
	}
}

// When the oldest waiter gives up, those behind it that fit are let in.
func TestBudgetGivingUpLetsTheNextIn(t *testing.T) {
	b := NewBudget(10)
	if err := b.acquire(context.Background(), 6); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	large := acquireAsync(ctx, b, 8)
	waitFor(func() bool { return queued(b) == 1 })
	small := acquireAsync(context.Background(), b, 3)
	waitFor(func() bool { return queued(b) == 2 })
	cancel()
	if err := <-large; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if err := <-small; err != nil {
		t.Fatal(err)
	}
	if b.used != 9 {
		t.Errorf("%d bytes held, want 6+3", b.used)
	}
}
