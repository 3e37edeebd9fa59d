package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord/internal/demo"
)

// TestMain lets a test run the real command as a child process that it can kill.
func TestMain(m *testing.M) {
	if args := os.Getenv("ACCORD_TEST_CHILD_ARGS"); args != "" {
		var a []string
		if err := json.Unmarshal([]byte(args), &a); err != nil {
			panic(err)
		}
		if err := run(context.Background(), a, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "accord:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is `accord serve` in a process of its own.
type child struct {
	cmd  *exec.Cmd
	base string
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	a, _ := json.Marshal(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ACCORD_TEST_CHILD_ARGS="+string(a))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "Accord is serving on "); ok {
			c.base = u
			break
		}
	}
	if c.base == "" {
		t.Fatal("the server never said where it serves")
	}
	go io.Copy(io.Discard, out)
	for range 200 { // serving is announced just before the listener answers
		if res, err := http.Get(c.base + "/healthz"); err == nil && res.StatusCode == 200 {
			res.Body.Close()
			return c
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the server never answered /healthz")
	return nil
}

func (c *child) call(t *testing.T, method, path, token, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("%s %s: %s %s", method, path, res.Status, b)
	}
	if out != nil {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

func (c *child) advance(t *testing.T, token string, d time.Duration) time.Time {
	t.Helper()
	var out struct{ Now time.Time }
	c.call(t, "POST", "/api/v1/test-clock/advance", token, `{"duration":"`+d.String()+`"}`, &out)
	return out.Now
}

type outboxMail struct {
	Kind         string `json:"kind"`
	EngagementID string `json:"engagement_id"`
}

// mails counts the outbox's emails by engagement title and kind.
func (c *child) mails(t *testing.T, token string) map[string]int {
	t.Helper()
	var es struct {
		Engagements []struct{ ID, Title string } `json:"engagements"`
	}
	c.call(t, "GET", "/api/v1/engagements", token, "", &es)
	titles := map[string]string{}
	for _, e := range es.Engagements {
		titles[e.ID] = e.Title
	}
	var ob struct{ Messages []outboxMail }
	c.call(t, "GET", "/api/v1/outbox", token, "", &ob)
	n := map[string]int{}
	for _, m := range ob.Messages {
		n[titles[m.EngagementID]+" / "+m.Kind]++
	}
	return n
}

// escalate runs the demo's engagements through 33 silent days on the test clock, killing the
// server once in the middle of it when kill is set, and returns what the outbox holds.
func escalate(t *testing.T, kill bool) map[string]int {
	data := t.TempDir()
	c := startChild(t, "--test-clock", "--demo", "--data", data)
	var tok struct{ Token string }
	c.call(t, "POST", "/api/v1/auth/tokens", "", `{"email":"`+demo.Email+`","password":"`+demo.Password+`"}`, &tok)
	target := c.advance(t, tok.Token, 72*time.Hour).Add(30 * 24 * time.Hour)
	if !kill {
		c.advance(t, tok.Token, 30*24*time.Hour)
		return c.mails(t, tok.Token)
	}
	before := 0
	for _, n := range c.mails(t, tok.Token) {
		before += n
	}
	go func() {
		req, _ := http.NewRequest("POST", c.base+"/api/v1/test-clock/advance", strings.NewReader(`{"duration":"720h"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
		}
	}()
	for { // kill it as soon as the escalation is under way
		total := 0
		for _, n := range c.mails(t, tok.Token) {
			total += n
		}
		if total >= before+3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()

	c = startChild(t, "--test-clock", "--data", data)
	now := c.advance(t, tok.Token, 0)
	if !now.Before(target) {
		t.Fatalf("the kill came too late: the clock is at %s already", now)
	}
	c.advance(t, tok.Token, target.Sub(now))
	return c.mails(t, tok.Token)
}

// Killed in the middle of an escalation and started again, the server neither loses nor repeats
// a step: the outbox ends the same as a run that was never interrupted.
func TestEscalationSurvivesAKill(t *testing.T) {
	want := escalate(t, false)
	for _, kind := range []string{"paused", "check_in", "review_warning", "auto_accepted"} {
		found := false
		for k := range want {
			found = found || strings.HasSuffix(k, " / "+kind)
		}
		if !found {
			t.Fatalf("the uninterrupted run sent no %s: %v", kind, want)
		}
	}
	got := escalate(t, true)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d after the kill, %d uninterrupted", k, got[k], n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: %d after the kill, none uninterrupted", k, n)
		}
	}
}
