package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBenchSeedThenLoad seeds a data folder, then drives every route of bench load on it for a
// moment: every route must be in the table, and every answer 2xx (bench load fails otherwise).
func TestBenchSeedThenLoad(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	data := t.TempDir()
	var seed strings.Builder
	if err := run(ctx, []string{"bench", "seed", "--engagements", "50", "--batch", "20", "--data", data}, &seed); err != nil {
		t.Fatalf("bench seed: %v\n%s", err, seed.String())
	}
	if !strings.Contains(seed.String(), "seeded 50/50 engagements") {
		t.Fatalf("bench seed did not say it seeded 50 engagements:\n%s", seed.String())
	}
	var load strings.Builder
	err := run(ctx, []string{"bench", "load", "--data", data, "--engagements", "50", "--duration", "300ms", "--messages", "20"}, &load)
	out := load.String()
	if err != nil {
		t.Fatalf("bench load: %v\n%s", err, out)
	}
	if strings.Contains(out, "seeded 50/50") || !strings.Contains(out, "50 background engagements") {
		t.Errorf("bench load did not use the 50 engagements seeded before:\n%s", out)
	}
	for _, r := range []string{"hello world", "GET /portal", "GET /app/engagements/{id}", "GET /portal/api/engagement",
		"GET /api/v1/engagements", "GET /api/v1/engagements/{id}", "GET /app", "POST /portal/api/messages"} {
		for _, mode := range []string{"closed", "open"} {
			row := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(r) + `\s+` + mode + `\s.*\s0\s`)
			if !row.MatchString(out) {
				t.Errorf("no %s-loop row for %s with no answer but 2xx:\n%s", mode, r, out)
			}
		}
	}
	for _, want := range []string{"writes: ", "raw single-row SQLite commits", "peak RSS while serving (VmHWM"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench load did not print %q:\n%s", want, out)
		}
	}
}

// TestBenchRefusesUnknown names the benchmarks there are.
func TestBenchRefusesUnknown(t *testing.T) {
	err := run(context.Background(), []string{"bench", "nothing"}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "bench load") {
		t.Fatalf("bench nothing: %v, want the usage", err)
	}
}
