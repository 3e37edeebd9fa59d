//go:build unix

package app_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/store/sqlstore"
)

// BenchmarkClientMessages8 is eight clients posting messages at once, each on an engagement of
// its own, through the use case the portal calls: what the writer pays for a message, without
// HTTP. Compare it with sqlite's BenchmarkRawCommit on the same disk.
func BenchmarkClientMessages8(b *testing.B) {
	a, _, _ := benchApp(b)
	ctx := context.Background()
	u, err := a.Login(ctx, demo.Email, demo.Password, "bench")
	if err != nil {
		b.Fatal(err)
	}
	f, err := a.FreelancerOf(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	var contacts []app.Contact
	for i := range 8 {
		email := fmt.Sprintf("writer-%d@client.example", i)
		cl, err := a.CreateClient(ctx, f, fmt.Sprintf("Writer %d", i), email, "en", "Europe/London")
		if err != nil {
			b.Fatal(err)
		}
		e, err := a.CreateEngagementFrom(ctx, f, cl.ID, fmt.Sprintf("Engagement %d", i), "EUR", "starter-en")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.SendBrief(ctx, f, e.ID); err != nil {
			b.Fatal(err)
		}
		inv, err := a.Invite(ctx, f, e.ID, email)
		if err != nil {
			b.Fatal(err)
		}
		secret, _, err := a.OpenPortal(ctx, inv.Token)
		if err != nil {
			b.Fatal(err)
		}
		c, err := a.AuthContact(ctx, secret)
		if err != nil {
			b.Fatal(err)
		}
		contacts = append(contacts, c)
	}
	stats, _ := a.Store.(sqlstore.WriteCounter)
	var before sqlstore.WriteStats
	if stats != nil {
		before = stats.WriteStats()
	}
	cpu, io := processCPU(), processIO()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, c := range contacts {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				if _, err := a.SendClientMessage(ctx, c, fmt.Sprintf("Message %d: the draft looks right, thank you.", n)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e3, "cpu-µs/write")
	if end := processIO(); io.ok && end.ok {
		b.ReportMetric(float64(end.written-io.written)/float64(b.N)/1024, "KB-written/write")
		b.ReportMetric(float64(end.calls-io.calls)/float64(b.N), "write-calls/write")
	}
	if stats != nil {
		s := stats.WriteStats()
		b.ReportMetric(float64(s.Writes-before.Writes)/float64(max(1, s.Commits-before.Commits)), "writes/commit")
		b.ReportMetric(float64(s.Warm-before.Warm)/float64(b.N), "warm/write")
	}
}

// written is what the process has handed the kernel to write: bytes and calls (write, pwrite),
// from /proc/self/io. It counts SQLite's WAL frames (two calls each) and the rest alike.
type written struct {
	written, calls int64
	ok             bool
}

func processIO() written {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return written{}
	}
	var w written
	for line := range strings.Lines(string(b)) {
		name, value, _ := strings.Cut(strings.TrimSpace(line), ": ")
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "wchar":
			w.written = n
		case "syscw":
			w.calls, w.ok = n, true
		}
	}
	return w
}

// processCPU is the CPU time the process has used, in user and kernel mode: steadier than the
// rate when other work shares the machine.
func processCPU() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
