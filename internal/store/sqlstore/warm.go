package sqlstore

import (
	"sync"

	"github.com/accordapp/accord"
)

// warmBudget bounds the snapshot text the warm cache holds; the engagements decoded from it take
// about as much again.
const warmBudget = 2 << 20

// warmCache keeps engagements decoded from snapshots this store's own writes saved, so that the
// next write of the same engagement does not decode it again on the writer every write waits
// for: the decoding is done by the goroutine whose write saved the snapshot, once its commit
// is durable.
//
// An entry is used only when the stored snapshot is, byte for byte, the one it was decoded
// from, so a change by any other way (another process, a snapshot rewritten) is never missed;
// and by one write only, which takes it out: an engagement a write changes is never shared.
type warmCache struct {
	mu    sync.Mutex
	m     map[string]warm
	bytes int
	hits  uint64
}

type warm struct {
	snap string
	e    *accord.Engagement
}

// saved is a snapshot a write stored, for the warm cache once the write is durable.
type saved struct{ id, snap string }

// take returns the engagement decoded from snap and forgets it, or nil.
func (c *warmCache) take(id, snap string) *accord.Engagement {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	w, ok := c.m[id]
	if !ok {
		return nil
	}
	c.drop(id, w)
	if w.snap != snap {
		return nil
	}
	c.hits++
	return w.e
}

// keep decodes the snapshots a durable write saved and holds them for the next write of each
// engagement, in place of any held before: if two writes of one engagement are answered out
// of order, the older snapshot held is only a miss for the next write, never a wrong read.
func (c *warmCache) keep(ss []saved) {
	for _, s := range ss {
		if len(s.snap) > warmBudget/8 {
			continue
		}
		e, err := decodeEngagement(s.snap)
		if err != nil {
			continue // the write that reads it next decodes it again, and says what is wrong
		}
		c.put(s.id, warm{s.snap, e})
	}
}

func (c *warmCache) put(id string, w warm) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[id]; ok {
		c.drop(id, old)
	}
	for k, v := range c.m {
		if c.bytes+len(w.snap) <= warmBudget {
			break
		}
		c.drop(k, v) // any will do: the map's order is random
	}
	if c.m == nil {
		c.m = map[string]warm{}
	}
	c.m[id] = w
	c.bytes += len(w.snap)
}

func (c *warmCache) drop(id string, w warm) {
	delete(c.m, id)
	c.bytes -= len(w.snap)
}

func (c *warmCache) hitCount() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}
