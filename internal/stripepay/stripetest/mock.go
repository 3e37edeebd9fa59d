package stripetest

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// MockVersion is the stripe-mock release these tests are written against.
const MockVersion = "v0.203.0"

// MockInstall is the command that installs stripe-mock where StartMock finds it.
const MockInstall = "go install github.com/stripe/stripe-mock@" + MockVersion

// mockStartTimeout bounds how long stripe-mock may take to load its spec and answer.
const mockStartTimeout = 30 * time.Second

// StartMock starts stripe-mock on a free loopback port, waits until it answers HTTP, and
// returns its base URL, e.g. "http://127.0.0.1:41234"; it stops the mock when the test ends.
// The binary is looked up in PATH, then in $(go env GOBIN) and $(go env GOPATH)/bin. When it is
// missing the test is skipped, saying that MockInstall fixes it, unless the environment
// variable CI is non-empty: there the test fails.
//
// stripe-mock accepts only test-mode keys that look like "sk_test_X" or "rk_test_X", X having
// no underscore; others get a 401.
func StartMock(t testing.TB) string {
	t.Helper()
	bin, err := findMock()
	if err != nil {
		msg := fmt.Sprintf("stripe-mock not found (%v); `%s` fixes it", err, MockInstall)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + " (mandatory when CI is set)")
		} else {
			t.Skip(msg)
		}
		return ""
	}
	// A short directory of our own: a Unix socket path is limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "stripe-mock-")
	if err != nil {
		t.Fatalf("stripe-mock: %v", err)
		return ""
	}
	t.Cleanup(func() { os.RemoveAll(dir) }) // runs after the process is stopped below
	// Port 0 lets the system pick a free port; the mock prints the one it got. stripe-mock
	// v0.203.0 also opens HTTPS on port 12112 of every interface unless HTTPS is pointed
	// elsewhere, even with -http-addr, so HTTPS goes to a Unix socket nobody uses.
	// (-http-port would bind every interface, not only loopback.)
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-unix", filepath.Join(dir, "https.sock"))
	out := &mockOutput{ready: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = out, out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("stripe-mock: start %s: %v", bin, err)
		return ""
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("stripe-mock output:\n%s", out)
		}
	})

	deadline := time.NewTimer(mockStartTimeout)
	defer deadline.Stop()
	var addr string
	select {
	case addr = <-out.ready:
	case <-done:
		t.Fatalf("stripe-mock exited before listening (%v):\n%s", waitErr, out)
		return ""
	case <-deadline.C:
		t.Fatalf("stripe-mock did not listen within %s:\n%s", mockStartTimeout, out)
		return ""
	}
	base := "http://" + addr
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		// Any answer will do; without a key it is a 401.
		resp, err := hc.Get(base + "/v1/balance")
		if err == nil {
			resp.Body.Close()
			return base
		}
		select {
		case <-done:
			t.Fatalf("stripe-mock exited (%v):\n%s", waitErr, out)
			return ""
		case <-deadline.C:
			t.Fatalf("stripe-mock at %s did not answer within %s: %v\n%s", base, mockStartTimeout, err, out)
			return ""
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// findMock returns the path of the stripe-mock binary.
func findMock() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	name := "stripe-mock"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	tried := []string{"PATH"}
	for _, dir := range goBinDirs() {
		p := filepath.Join(dir, name)
		tried = append(tried, p)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("looked in %s", strings.Join(tried, ", "))
}

// goBinDirs returns where `go install` puts binaries: GOBIN if set, and each GOPATH entry's bin.
func goBinDirs() []string {
	var gobin, gopath string
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		gobin, gopath, _ = strings.Cut(strings.TrimRight(string(out), "\r\n"), "\n")
		gobin, gopath = strings.TrimSpace(gobin), strings.TrimSpace(gopath)
	} else {
		gobin, gopath = os.Getenv("GOBIN"), os.Getenv("GOPATH")
		if home, err := os.UserHomeDir(); gopath == "" && err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	var dirs []string
	if gobin != "" {
		dirs = append(dirs, gobin)
	}
	for _, p := range filepath.SplitList(gopath) {
		if p != "" {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	return dirs
}

// mockOutput keeps stripe-mock's output (up to a limit) and sends the HTTP address it
// announces, in "Listening for HTTP at address: 127.0.0.1:PORT", on ready.
type mockOutput struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	found bool
	ready chan string
}

const (
	mockOutputLimit = 1 << 20
	listeningHTTP   = "Listening for HTTP at address: "
)

func (o *mockOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.buf.Len() < mockOutputLimit {
		o.buf.Write(p)
	}
	if !o.found {
		s := o.buf.String()
		if i := strings.Index(s, listeningHTTP); i >= 0 {
			rest := s[i+len(listeningHTTP):]
			if j := strings.IndexByte(rest, '\n'); j >= 0 {
				o.found = true
				o.ready <- strings.TrimSpace(rest[:j])
			}
		}
	}
	return len(p), nil
}

func (o *mockOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}
