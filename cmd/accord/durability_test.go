package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Every message the server acknowledged is there after it is killed in the middle of a stream of
// messages and started again: no write is answered before the commit that holds it is durable.
func TestAcknowledgedMessagesSurviveAKill(t *testing.T) {
	const writers, most, killAfter = 8, 400, 100 // posts in all at most; the kill comes after killAfter answers
	data := t.TempDir()
	c := startChild(t, "--data", data)
	var signup struct{ Token string }
	c.call(t, "POST", "/api/v1/auth/signup", "", `{"email":"ana@studio.example","password":"correct horse battery","name":"Ana"}`, &signup)
	var cl, e struct{ ID string }
	c.call(t, "POST", "/api/v1/clients", signup.Token, `{"name":"Boris","email":"boris@client.example"}`, &cl)
	c.call(t, "POST", "/api/v1/engagements", signup.Token, `{"client_id":"`+cl.ID+`","title":"Site","currency":"EUR"}`, &e)

	s := &stream{base: c.base, path: "/api/v1/engagements/" + e.ID + "/messages", token: signup.Token, most: most}
	var wg sync.WaitGroup
	for range writers {
		wg.Go(s.post)
	}
	for deadline := time.Now().Add(2 * time.Second); s.answered() < killAfter && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	wg.Wait()
	t.Logf("killed after %d acknowledged messages; posts by status: %v; %d posts cut off by the kill",
		s.answered(), s.statuses, s.cut.Load())
	if s.answered() == 0 {
		t.Fatal("no message was acknowledged before the kill")
	}

	c = startChild(t, "--data", data)
	var got struct {
		Messages []struct{ ID string } `json:"messages"`
	}
	c.call(t, "GET", s.path, signup.Token, "", &got)
	kept := map[string]bool{}
	for _, m := range got.Messages {
		kept[m.ID] = true
	}
	lost := 0
	for _, id := range s.acked {
		if !kept[id] {
			lost++
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged messages are gone after the restart", lost, len(s.acked))
	}
	t.Logf("%d messages after the restart, %d of them acknowledged before the kill", len(got.Messages), len(s.acked))
}

// stream posts numbered messages to one engagement until most have been sent or the server
// stops answering, and keeps the ids of those acknowledged.
type stream struct {
	base, path, token string
	most              int64
	next, cut         atomic.Int64

	mu       sync.Mutex
	acked    []string
	statuses map[int]int
}

var loopback = &http.Client{Timeout: 30 * time.Second}

func (s *stream) post() {
	for n := s.next.Add(1); n <= s.most; n = s.next.Add(1) {
		req, _ := http.NewRequest("POST", s.base+s.path, strings.NewReader(fmt.Sprintf(`{"body":"Progress update number %d."}`, n)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.token)
		res, err := loopback.Do(req)
		if err != nil {
			s.cut.Add(1) // the server is gone: under way at the kill, or sent after it
			return
		}
		var out struct{ ID string }
		err = json.NewDecoder(res.Body).Decode(&out)
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		s.record(res.StatusCode, out.ID, err)
	}
}

func (s *stream) record(status int, id string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.statuses == nil {
		s.statuses = map[int]int{}
	}
	s.statuses[status]++
	if status/100 == 2 && err == nil && id != "" {
		s.acked = append(s.acked, id)
	}
}

func (s *stream) answered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.acked)
}
