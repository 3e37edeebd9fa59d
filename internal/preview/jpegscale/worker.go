package jpegscale

import "runtime"

// decode decodes the scan data that starts at data[start] and returns where it ends. Restart
// intervals let runs of them be decoded at once; without them one goroutine Huffman-decodes
// while another transforms, when the scale leaves enough transforming to share.
func (s *scan) decode(data []byte, start int) (int, error) {
	if starts, end, ok := s.restartStarts(data, start); ok {
		return end, s.decodeParallel(data[:end], starts)
	}
	if s.scale <= 2 && s.mcusX*s.mcusY >= minParallelMCUs && runtime.GOMAXPROCS(0) >= 2 {
		return s.decodePipelined(data, start)
	}
	w := s.newWorker(1, nil)
	w.br.reset(data, start)
	err := w.run(s, 0, s.mcusX*s.mcusY)
	return w.br.pos, err
}

// worker decodes a run of MCUs with its own bit reader and DC predictions into a buffer of
// coefficients, and hands each buffer of MCUs over to be transformed.
type worker struct {
	br   bitReader
	pred [4]int32
	coef []int32 // mcus MCUs of blocks, 64 coefficients each, in coding order
	mcus int
	// hand transforms, or has transformed, MCUs mx0 to mx1 of MCU row my decoded into coef and
	// returns the (zeroed) buffer to decode into next.
	hand func(coef []int32, my, mx0, mx1 int) []int32
}

// newWorker makes a worker whose buffer holds mcus MCUs; a nil hand transforms them at once.
func (s *scan) newWorker(mcus int, hand func([]int32, int, int, int) []int32) *worker {
	w := &worker{coef: make([]int32, mcus*len(s.units)*64), mcus: mcus, hand: hand}
	if hand == nil {
		w.hand = func(coef []int32, my, mx0, mx1 int) []int32 {
			s.transform(coef, my, mx0, mx1)
			return coef
		}
	}
	return w
}

// run decodes MCUs [from, to), which must start a restart interval.
func (w *worker) run(s *scan, from, to int) error {
	w.pred = [4]int32{}
	mx, my := from%s.mcusX, from/s.mcusX
	mx0 := mx
	per := len(s.units) * 64
	for m := from; m < to; m++ {
		if s.restart > 0 && m > from && m%s.restart == 0 {
			if err := w.restartAt(m/s.restart - 1); err != nil {
				return err
			}
		}
		if err := w.mcu(s, w.coef[(mx-mx0)*per:]); err != nil {
			return err
		}
		mx++
		if mx == s.mcusX || mx-mx0 == w.mcus || m == to-1 {
			if w.br.overrun() {
				return w.br.overrunErr()
			}
			w.coef = w.hand(w.coef, my, mx0, mx)
			if mx == s.mcusX {
				mx, my = 0, my+1
			}
			mx0 = mx
		}
	}
	return nil
}

// mcu Huffman-decodes the blocks of one MCU into coef.
func (w *worker) mcu(s *scan, coef []int32) error {
	for j, u := range s.units {
		if err := w.block(s, &s.comps[u.comp], u.comp, (*[64]int32)(coef[64*j:])); err != nil {
			return err
		}
	}
	return nil
}

// restartAt checks that the data of an interval has ended at marker RSTn, n = i mod 8, and
// starts reading the next interval after it with fresh DC predictions.
func (w *worker) restartAt(i int) error {
	br := &w.br
	if br.overrun() {
		return br.overrunErr()
	}
	p := br.pos
	if p >= len(br.data) {
		return ErrTruncated
	}
	if br.data[p] != 0xFF {
		return formatErr("missing restart marker")
	}
	for p < len(br.data) && br.data[p] == 0xFF {
		p++
	}
	if p >= len(br.data) {
		return ErrTruncated
	}
	if br.data[p] != byte(markRST0+i%8) {
		return formatErr("missing restart marker")
	}
	br.reset(br.data, p+1)
	w.pred = [4]int32{}
	return nil
}

// transform writes MCUs mx0 to mx1 of MCU row my, decoded into coef, into the planes and clears
// the coefficients it read.
func (s *scan) transform(coef []int32, my, mx0, mx1 int) {
	per := len(s.units) * 64
	for mx := mx0; mx < mx1; mx++ {
		mcu := coef[(mx-mx0)*per:]
		for j, u := range s.units {
			sc := &s.comps[u.comp]
			x, y := (mx*sc.h+u.dx)*s.bs, (my*sc.v+u.dy)*s.bs
			s.put((*[64]int32)(mcu[64*j:]), sc.c.pix[y*sc.c.stride+x:], sc.c.stride)
		}
	}
}

// put transforms one block into dst and zeroes the coefficients the transform reads, so that
// the block is ready for the next; the others are never read.
func (s *scan) put(blk *[64]int32, dst []byte, stride int) {
	switch s.scale {
	case 1:
		idct8(blk, dst, stride)
		*blk = [64]int32{}
	case 2:
		idct4(blk, dst, stride)
		for r := 0; r < 4; r++ {
			*(*[4]int32)(blk[8*r:]) = [4]int32{}
		}
	case 4:
		idct2(blk, dst, stride)
		blk[1], blk[8], blk[9] = 0, 0, 0
	default:
		dst[0] = dcPixel(blk[0]) // every block sets its DC
	}
}

// decodePipelined decodes the scan in two goroutines: this one Huffman-decodes MCU rows into
// buffers that another transforms, three buffers taking turns.
func (s *scan) decodePipelined(data []byte, start int) (int, error) {
	type job struct {
		coef         []int32
		my, mx0, mx1 int
	}
	size := s.mcusX * len(s.units) * 64
	free, jobs, done := make(chan []int32, 2), make(chan job, 2), make(chan struct{})
	free <- make([]int32, size)
	free <- make([]int32, size)
	go func() {
		defer close(done)
		for j := range jobs {
			s.transform(j.coef, j.my, j.mx0, j.mx1)
			free <- j.coef
		}
	}()
	w := s.newWorker(s.mcusX, func(coef []int32, my, mx0, mx1 int) []int32 {
		jobs <- job{coef, my, mx0, mx1}
		return <-free
	})
	w.br.reset(data, start)
	err := w.run(s, 0, s.mcusX*s.mcusY)
	close(jobs)
	<-done
	return w.br.pos, err
}
