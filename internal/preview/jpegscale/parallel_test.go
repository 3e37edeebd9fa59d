package jpegscale

import (
	"bytes"
	"errors"
	"image/jpeg"
	"reflect"
	"runtime"
	"testing"
)

// restartFile is large enough for the parallel path: 40×30 MCUs, 300 intervals.
func restartFile(t *testing.T) []byte {
	t.Helper()
	return encodeTest(photo(640, 480, 11), encodeOpts{quality: 80, restart: 4, sampling: [3][2]int{{2, 2}, {1, 1}, {1, 1}}})
}

// TestParallelDecodingMatches checks the decoding of restart intervals in parallel, and the
// pipelined decoding of a file without them, against image/jpeg and the sequential decoding.
func TestParallelDecodingMatches(t *testing.T) {
	for name, data := range map[string][]byte{"restarts": restartFile(t), "pipelined": stdEncode(t, photo(640, 480, 12), 85)} {
		t.Run(name, func(t *testing.T) { checkParallel(t, data) })
	}
}

func checkParallel(t *testing.T, data []byte) {
	want, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, scale := range []int{1, 2, 4, 8} {
		compareScaled(t, testFile{name: "640x480", data: data}, want, scale)
		prev := runtime.GOMAXPROCS(4) // the parallel path even on a machine with one CPU
		par, err := DecodeBytes(data, scale)
		runtime.GOMAXPROCS(1)
		seq, err2 := DecodeBytes(data, scale)
		runtime.GOMAXPROCS(prev)
		if err == nil {
			err = err2
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(par, seq) {
			t.Errorf("scale %d: parallel and sequential decoding differ", scale)
		}
	}
}

func TestBadRestartMarkers(t *testing.T) {
	data := restartFile(t)
	rst := bytes.Index(data, []byte{0xFF, markRST0 + 3})
	if rst < 0 {
		t.Fatal("no RST3")
	}
	renumbered := append([]byte(nil), data...)
	renumbered[rst+1] = markRST0 + 5
	dropped := append(append([]byte(nil), data[:rst]...), data[rst+2:]...)
	for name, d := range map[string][]byte{"renumbered": renumbered, "dropped": dropped} {
		for _, procs := range []int{1, 2} {
			prev := runtime.GOMAXPROCS(procs)
			_, err := DecodeBytes(d, 2)
			runtime.GOMAXPROCS(prev)
			if !errors.Is(err, ErrFormat) {
				t.Errorf("%s RST marker, %d CPUs: %v, want ErrFormat", name, procs, err)
			}
		}
	}
}

func TestTruncatedPipelinedIsAnError(t *testing.T) {
	data := stdEncode(t, photo(640, 480, 13), 85)
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	for cut := len(data) / 3; cut < len(data)-2; cut += len(data) / 7 {
		if _, err := DecodeBytes(data[:cut], 1); !errors.Is(err, ErrTruncated) {
			t.Errorf("cut at %d of %d: %v, want ErrTruncated", cut, len(data), err)
		}
	}
}
