package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/accordapp/accord"
)

func TestRawCommitRate(t *testing.T) {
	dir := t.TempDir()
	rate, err := RawCommitRate(t.Context(), dir, 100*time.Millisecond)
	if err != nil || rate <= 0 {
		t.Fatalf("RawCommitRate = %v, %v; want a rate", rate, err)
	}
	t.Logf("%.0f commits/s", rate)
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("RawCommitRate left %d files behind", len(left))
	}
}

// BenchmarkRawCommit is SQLite's own rate of durable commits with the store's settings: one
// single-row insert per commit, one after another on one connection.
func BenchmarkRawCommit(b *testing.B) {
	ctx := context.Background()
	db, remove, err := openScratch(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer remove()
	b.ResetTimer()
	for i := range b.N {
		if err := commitRow(ctx, db, i); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkGroupCommit1 is the store's rate of writes of one client each from one writer.
func BenchmarkGroupCommit1(b *testing.B) { benchmarkWrites(b, 1) }

// BenchmarkGroupCommit8 is the store's rate of writes of one client each from 8 writers at once,
// which share commits.
func BenchmarkGroupCommit8(b *testing.B) { benchmarkWrites(b, 8) }

func benchmarkWrites(b *testing.B, writers int) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(b.TempDir(), "accord.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ws := workspace(b, st)
	before := st.WriteStats()
	b.ResetTimer()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				c := accord.Client{ID: accord.NewID("cli"), WorkspaceID: ws, Name: "Ana", Email: "ana@example.com",
					Language: "en", Timezone: "Europe/Sofia", CreatedAt: time.Now()}
				if err := st.Write(ctx, func(tx accord.Tx) error { return tx.CreateClient(c) }); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	s := st.WriteStats()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	b.ReportMetric(float64(s.Writes-before.Writes)/float64(max(1, s.Commits-before.Commits)), "writes/commit")
}

// workspace makes the user and workspace a client needs, and returns the workspace's id.
func workspace(b *testing.B, st *Store) string {
	u := accord.User{ID: accord.NewID("usr"), Email: "bench@example.com", Name: "Bench",
		PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA", CreatedAt: time.Now()}
	w := accord.Workspace{ID: accord.NewID("ws"), Name: "Studio", OwnerID: u.ID, CoolingOff: accord.DefaultCoolingOff,
		CreatedAt: time.Now()}
	err := st.Write(context.Background(), func(tx accord.Tx) error {
		if err := tx.CreateUser(u); err != nil {
			return err
		}
		return tx.CreateWorkspace(w)
	})
	if err != nil {
		b.Fatal(err)
	}
	return w.ID
}
