package app

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	l := newLimiter(15*time.Minute, map[string]int{"login": 2, "addr": 3})
	// Successful logins give their address attempt back, so they never use up the allowance.
	for i := 0; i < 10; i++ {
		if !l.take(now, "login:a|1", "addr:1") {
			t.Fatalf("successful login %d refused", i)
		}
		l.forget("login:a|1")
		l.giveBack("addr:1")
	}
	// Failures count, per email and address.
	if !l.take(now, "login:a|1", "addr:1") || !l.take(now, "login:a|1", "addr:1") {
		t.Fatal("first two failures refused")
	}
	if l.take(now, "login:a|1", "addr:1") {
		t.Fatal("a third failure for the same email and address was let through")
	}
	if !l.take(now, "login:b|1", "addr:1") {
		t.Fatal("another email from the same address refused before the address limit")
	}
	if l.take(now, "login:c|1", "addr:1") {
		t.Fatal("the address limit did not hold")
	}
	// After the window, everything is forgotten and the map is pruned.
	later := now.Add(16 * time.Minute)
	if !l.take(later, "login:a|1", "addr:1") {
		t.Fatal("still refused after the window")
	}
	if n := len(l.attempts); n != 2 {
		t.Fatalf("%d keys kept after pruning, want 2", n)
	}
}
