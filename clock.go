package accord

import (
	"crypto/rand"
	"encoding/base32"
	"strings"
	"sync"
	"time"
)

// Clock tells the time; every rule that depends on time asks it.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// TestClock is a clock that only moves when told to, for tests and --test-clock.
type TestClock struct {
	mu  sync.Mutex
	now time.Time
}

// Set moves the clock to t, forward only, and returns its time.
func (c *TestClock) Set(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t.UTC()
	}
	return c.now
}

// NewTestClock returns a TestClock set to start.
func NewTestClock(start time.Time) *TestClock { return &TestClock{now: start.UTC()} }

// Now returns the clock's current time.
func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and returns the new time.
func (c *TestClock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewID returns a random opaque id with a short prefix that names its kind, e.g. "eng_…".
func NewID(prefix string) string {
	return prefix + "_" + strings.ToLower(idEncoding.EncodeToString(RandomBytes(10)))
}

// RandomBytes returns n bytes from the system's secure random source.
func RandomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
