package record

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/accordapp/accord"
)

// Problem is the first leaf or head of a stored record that does not hold.
type Problem struct {
	Index        int64
	EngagementID string
	Seq          int64
	Reason       string
}

// checkHashes is what a check reads the tree's hashes from: those of the page of leaves being
// checked as rebuilt in memory (from start on), and those before it from the store, where the
// check has already found each equal to its rebuilt one. So a check holds one page of hashes
// and the few earlier ones it reads, not the whole tree.
type checkHashes struct {
	tx      accord.Tx
	ws      string
	start   int64
	mem     []tlog.Hash
	earlier map[int64]tlog.Hash
}

func (c *checkHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	for i, x := range indexes {
		switch h, ok := c.earlier[x]; {
		case x >= c.start && x-c.start < int64(len(c.mem)):
			out[i] = c.mem[x-c.start]
		case x >= c.start:
			return nil, fmt.Errorf("hash %d is not in the rebuilt tree", x)
		case ok:
			out[i] = h
		default:
			missing = append(missing, x)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	stored, err := c.tx.RecordHashes(c.ws, missing)
	if err != nil {
		return nil, err
	}
	for i, x := range missing {
		c.earlier[x] = stored[i]
	}
	return c.ReadHashes(indexes)
}

// checkPage is how many leaves a check reads at once.
const checkPage = 500

// Check rebuilds the workspace's tree of size leaves from its events' stored bytes, compares
// every stored hash with the rebuilt one, and holds each head handed out to the rebuilt tree.
func Check(tx accord.Tx, ws string, size int64, heads []accord.RecordHead) (*Problem, error) {
	n, err := tx.CountEvents(ws)
	if err != nil {
		return nil, err
	}
	if n < size {
		return &Problem{Index: n, Reason: fmt.Sprintf("the tree has %d leaves but the workspace only %d events", size, n)}, nil
	}
	hs := &checkHashes{tx: tx, ws: ws}
	for from := int64(0); from < size; {
		page, err := tx.RecordBodies(ws, from, checkPage)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return &Problem{Index: from, Reason: fmt.Sprintf("the tree has %d leaves but no event for leaf %d", size, from)}, nil
		}
		start := tlog.StoredHashIndex(0, from)
		hs.start, hs.mem, hs.earlier = start, hs.mem[:0], map[int64]tlog.Hash{}
		mem := hs.mem
		leafAt := make([]int, 0, len(page)) // where each leaf's hashes start in mem
		for _, l := range page {
			if l.Index != from {
				return &Problem{Index: from, Reason: fmt.Sprintf("leaf %d has no event (the next is leaf %d)", from, l.Index)}, nil
			}
			hashes, err := tlog.StoredHashes(l.Index, l.Body, hs)
			if err != nil {
				return nil, err
			}
			leafAt = append(leafAt, len(mem))
			mem = append(mem, hashes...)
			hs.mem = mem
			from++
		}
		stored, err := tx.RecordHashes(ws, indexesFrom(start, len(mem)))
		if err != nil {
			return nil, err
		}
		for i, l := range page {
			end := len(mem)
			if i+1 < len(leafAt) {
				end = leafAt[i+1]
			}
			for j := leafAt[i]; j < end; j++ {
				if stored[j] != mem[j] {
					reason := "the event's stored bytes are not those its leaf was made from"
					if j > leafAt[i] {
						reason = "a stored hash of the tree above this leaf was changed"
					}
					return &Problem{Index: l.Index, EngagementID: l.EngagementID, Seq: l.Seq, Reason: reason}, nil
				}
			}
		}
	}
	if n > size {
		return &Problem{Index: size, Reason: fmt.Sprintf("the workspace has %d events but its tree only %d leaves: events were added outside the record", n, size)}, nil
	}
	hs.start, hs.mem, hs.earlier = tlog.StoredHashIndex(0, size), nil, map[int64]tlog.Hash{} // every hash is checked now
	for _, h := range heads {
		if h.Size > size {
			return &Problem{Index: h.Size - 1, Reason: fmt.Sprintf("a head of %d leaves was handed out, but the tree now has %d", h.Size, size)}, nil
		}
		root, err := tlog.TreeHash(h.Size, hs)
		if err != nil {
			return nil, err
		}
		if root != h.Root {
			return &Problem{Index: h.Size - 1, Reason: fmt.Sprintf("the tree of %d leaves is not the one whose head was handed out on %s", h.Size, h.At.Format("2006-01-02 15:04 MST"))}, nil
		}
	}
	return nil, nil
}

func indexesFrom(at int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = at + int64(i)
	}
	return out
}
