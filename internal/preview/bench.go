package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"
)

const benchWatermark = "Accord · preview · превью"

// tally counts the outcomes of a Bench run.
type tally struct {
	previews, skipped int
	failures          []error
}

// Bench renders a preview of every file in dir (non-recursive; files that are
// not images are skipped and not counted) using all CPUs within a DefaultMemory
// budget, as the server does, and writes a short report to w whose last line
// is "previews/s: N".
func Bench(ctx context.Context, dir string, w io.Writer) error {
	paths, err := listFiles(dir)
	if err != nil {
		return err
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(paths)))
	start := time.Now()
	t, err := renderAll(ctx, paths, workers)
	if err != nil {
		return err
	}
	return writeReport(w, t, workers, time.Since(start))
}

func listFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("preview: bench: %w", err)
	}
	var paths []string
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			paths = append(paths, p)
		}
	}
	return paths, nil
}

func renderAll(ctx context.Context, paths []string, workers int) (tally, error) {
	jobs := make(chan string)
	outcomes := make(chan error)
	budget := NewBudget(DefaultMemory)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { work(ctx, budget, jobs, outcomes) })
	}
	go feed(ctx, jobs, paths)
	go func() { wg.Wait(); close(outcomes) }()
	var t tally
	for err := range outcomes {
		t.add(err)
	}
	return t, ctx.Err()
}

func feed(ctx context.Context, jobs chan<- string, paths []string) {
	defer close(jobs)
	for _, p := range paths {
		select {
		case jobs <- p:
		case <-ctx.Done():
			return
		}
	}
}

func work(ctx context.Context, budget *Budget, jobs <-chan string, outcomes chan<- error) {
	for p := range jobs {
		outcomes <- renderFile(ctx, budget, p)
	}
}

func renderFile(ctx context.Context, budget *Budget, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := budget.Make(ctx, f, benchWatermark); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return nil
}

func (t *tally) add(err error) {
	switch {
	case err == nil:
		t.previews++
	case errors.Is(err, ErrUnsupported):
		t.skipped++
	default:
		t.failures = append(t.failures, err)
	}
}

func writeReport(w io.Writer, t tally, workers int, elapsed time.Duration) error {
	elapsed = max(elapsed, time.Nanosecond)
	for _, err := range t.failures {
		fmt.Fprintf(w, "error: %v\n", err)
	}
	fmt.Fprintf(w, "previews: %d\nskipped (not images): %d\nfailed: %d\n",
		t.previews, t.skipped, len(t.failures))
	fmt.Fprintf(w, "workers: %d\nelapsed: %s\n", workers, elapsed.Round(time.Microsecond))
	_, err := fmt.Fprintf(w, "previews/s: %.1f\n", float64(t.previews)/elapsed.Seconds())
	return err
}
