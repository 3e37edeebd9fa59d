package jpegscale

import (
	"bytes"
	"runtime"
	"sync"
)

// minParallelMCUs is the size of scan below which starting goroutines is not worth it.
const minParallelMCUs = 1024

// restartStarts finds, for a scan with restart intervals worth decoding in parallel, the offset
// at which each interval's data starts and the offset of the marker that ends the scan. It
// reports false, leaving the scan to the sequential path and its errors, unless it finds
// exactly one RSTn marker between intervals, numbered in order.
func (s *scan) restartStarts(data []byte, start int) ([]int, int, bool) {
	total := s.mcusX * s.mcusY
	if s.restart == 0 || total < minParallelMCUs || runtime.GOMAXPROCS(0) < 2 {
		return nil, 0, false
	}
	intervals := ceilDiv(total, s.restart)
	if intervals < 2 {
		return nil, 0, false
	}
	starts := make([]int, 1, intervals)
	starts[0] = start
	for p := start; ; {
		i := bytes.IndexByte(data[p:], 0xFF)
		if i < 0 {
			return nil, 0, false
		}
		p += i + 1
		for p < len(data) && data[p] == 0xFF {
			p++
		}
		switch {
		case p >= len(data):
			return nil, 0, false
		case data[p] == 0:
			p++
		case data[p] >= markRST0 && data[p] <= markRST7:
			if int(data[p]-markRST0) != (len(starts)-1)%8 || len(starts) == intervals {
				return nil, 0, false
			}
			p++
			starts = append(starts, p)
		default:
			return starts, p - 1, len(starts) == intervals
		}
	}
}

// decodeParallel splits the restart intervals into one contiguous run per CPU and decodes the
// runs at once; they write disjoint MCUs of the planes.
func (s *scan) decodeParallel(data []byte, starts []int) error {
	n := min(runtime.GOMAXPROCS(0), len(starts))
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := 0; g < n; g++ {
		first, end := g*len(starts)/n, (g+1)*len(starts)/n
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := s.newWorker(1, nil)
			w.br.reset(data, starts[first])
			errs[g] = w.run(s, first*s.restart, min(end*s.restart, s.mcusX*s.mcusY))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
