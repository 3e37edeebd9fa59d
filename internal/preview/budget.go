package preview

import (
	"context"
	"slices"
	"sync"
)

// DefaultMemory is the memory, in bytes, that the previews rendered at once may take when no
// other budget is set: 256 MiB.
const DefaultMemory = 256 << 20

// Budget bounds the memory taken by the previews rendered at once, whatever the number of CPUs.
// Each render holds its estimated cost while it runs; renders wait for room in the order they
// asked for it, so that a large image is not passed over for ever by a stream of small ones.
type Budget struct {
	size int64

	mu      sync.Mutex
	used    int64
	waiting []*waiter // oldest first

	held func() // if set, called by each render once it holds its share: a test's hook
}

type waiter struct {
	n     int64
	ready chan struct{} // closed once the waiter holds n bytes
}

// NewBudget returns a budget of size bytes.
func NewBudget(size int64) *Budget { return &Budget{size: size} }

// Size is the budget, in bytes.
func (b *Budget) Size() int64 { return b.size }

// acquire waits until n more bytes fit in the budget, or ctx ends; n must be at most the size.
func (b *Budget) acquire(ctx context.Context, n int64) error {
	b.mu.Lock()
	if len(b.waiting) == 0 && b.used+n <= b.size {
		b.used += n
		b.mu.Unlock()
		return nil
	}
	w := &waiter{n: n, ready: make(chan struct{})}
	b.waiting = append(b.waiting, w)
	b.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		b.giveUp(w)
		return ctx.Err()
	}
}

// giveUp takes a waiter whose context ended out of the queue, or gives back what it was just granted.
func (b *Budget) giveUp(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.ready:
		b.used -= w.n
	default:
		b.waiting = slices.DeleteFunc(b.waiting, func(o *waiter) bool { return o == w })
	}
	b.grant() // the waiter may have been the oldest, holding back smaller ones behind it
}

// release gives back n bytes taken by acquire.
func (b *Budget) release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used -= n
	b.grant()
}

// grant lets the oldest waiters in, as long as they fit.
func (b *Budget) grant() {
	for len(b.waiting) > 0 && b.used+b.waiting[0].n <= b.size {
		w := b.waiting[0]
		b.used += w.n
		b.waiting = b.waiting[1:]
		close(w.ready)
	}
}
