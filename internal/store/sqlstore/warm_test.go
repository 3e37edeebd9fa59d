package sqlstore

import (
	"fmt"
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

// The warm cache holds at most its budget of snapshots, whatever the writes keep in it, and
// what it takes out leaves its count.
func TestWarmCacheKeepsToItsBudget(t *testing.T) {
	var c warmCache
	snap := strings.Repeat("x", warmBudget/10)
	for i := range 100 {
		c.put(fmt.Sprintf("eng_%d", i), warm{snap, &accord.Engagement{}})
		if c.bytes > warmBudget {
			t.Fatalf("after %d puts the cache holds %d bytes of snapshots, over its budget of %d", i+1, c.bytes, warmBudget)
		}
	}
	if len(c.m) != 10 || c.bytes != 10*len(snap) {
		t.Errorf("the cache holds %d snapshots, %d bytes; want the 10 its budget allows", len(c.m), c.bytes)
	}
	for id := range c.m {
		if c.take(id, snap) == nil {
			t.Fatalf("%s is held but not taken", id)
		}
	}
	if c.bytes != 0 || len(c.m) != 0 || c.hitCount() != 10 {
		t.Errorf("after taking all: %d bytes, %d held, %d hits; want 0, 0, 10", c.bytes, len(c.m), c.hitCount())
	}
}
