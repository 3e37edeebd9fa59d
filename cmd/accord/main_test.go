package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/mail/mailtest"
	"github.com/accordapp/accord/internal/store"
)

// serveInBackground runs the real command and returns its address and the demo's portal link.
func serveInBackground(t *testing.T, ctx context.Context, args ...string) (base, link string, done chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	done = make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw)
		pw.CloseWithError(err)
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	go func() {
		<-ctx.Done()
		pr.Close()
	}()
	for lines.Scan() {
		l := lines.Text()
		if u, ok := strings.CutPrefix(l, "Accord is serving on "); ok {
			base = u
		}
		if m := regexp.MustCompile(`client:\s+open (\S+)`).FindStringSubmatch(l); m != nil {
			link = m[1]
		}
		if base != "" && (link != "" || !strings.Contains(strings.Join(args, " "), "--demo")) {
			go io.Copy(io.Discard, pr)
			return base, link, done
		}
	}
	t.Fatalf("the server printed no address (err %v)", lines.Err())
	return
}

func TestServeWithDemoThenShutDown(t *testing.T) {
	data := t.TempDir()
	for round := 0; round < 2; round++ {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		base, link, done := serveInBackground(t, ctx, "--demo", "--data", data)
		if res, err := http.Get(base + "/healthz"); err != nil || res.StatusCode != 200 {
			t.Fatalf("round %d: /healthz: %v %v", round, res, err)
		}
		// The demo login works, and the printed portal link opens the portal once.
		fl := browser()
		res, err := fl.PostForm(base+"/login", url.Values{"email": {"demo@accord.example"}, "password": {"demo-password"}})
		if err != nil || res.StatusCode != 200 || res.Request.URL.Path != "/app" {
			t.Fatalf("round %d: demo login ended at %v: %v", round, res.Request.URL, err)
		}
		cl := browser()
		for i, want := range []int{200, 401} {
			res, err := cl.Post(link, "application/x-www-form-urlencoded", nil)
			if err != nil || res.StatusCode != want {
				t.Fatalf("round %d: portal link use %d: %v %v, want %d", round, i+1, res.Status, err, want)
			}
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("round %d: serve returned %v after shutdown", round, err)
			}
		case <-time.After(15 * time.Second):
			t.Fatalf("round %d: serve did not stop", round)
		}
	}
}

// browser is an HTTP client that keeps cookies, as a browser does.
func browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar}
}

func TestServeFlagsAndEnvironment(t *testing.T) {
	t.Setenv("ACCORD_SIGNUP", "open")
	t.Setenv("ACCORD_ADDR", "127.0.0.1:9999")
	c, err := parseServe(nil)
	if err != nil || c.signup != "open" || c.addr != "127.0.0.1:9999" {
		t.Fatalf("environment not read: %+v %v", c, err)
	}
	if c, _ := parseServe([]string{"--addr", "127.0.0.1:1234"}); c.addr != "127.0.0.1:1234" {
		t.Fatalf("a flag does not override the environment: %s", c.addr)
	}
	for _, bad := range [][]string{{"--signup", "maybe"}, {"--max-upload", "0"}, {"--nope"}} {
		if _, err := parseServe(bad); err == nil {
			t.Errorf("parseServe(%v) accepted bad flags", bad)
		}
	}
	if err := run(context.Background(), []string{"serve", "--database-url", "mysql://x", "--data", t.TempDir()}, io.Discard); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("an unknown database URL: %v", err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard); err == nil {
		t.Error("an unknown command ran")
	}
}

func TestPruneRunsOnceFromTheCommandLine(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"prune", "--data", t.TempDir()}, &out); err != nil {
		t.Fatalf("prune: %v", err)
	}
	if !strings.Contains(out.String(), "removed 0 expired") {
		t.Errorf("prune said %q", out.String())
	}
}

// The test clock's time is kept: a restarted server goes on from it; it needs a freelancer.
func TestTestClockSurvivesARestart(t *testing.T) {
	data := t.TempDir()
	advance := func(base, token, d string) (int, string) {
		req, _ := http.NewRequest("POST", base+"/api/v1/test-clock/advance", strings.NewReader(`{"duration":"`+d+`"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct{ Now string }
		json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out.Now
	}
	var token, before string
	for round := 0; round < 2; round++ {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		base, _, done := serveInBackground(t, ctx, "--test-clock", "--data", data)
		if round == 0 {
			res, err := http.Post(base+"/api/v1/auth/signup", "application/json",
				strings.NewReader(`{"email":"ana@studio.example","password":"correct horse battery","name":"Ana"}`))
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("signup: %v %v", res, err)
			}
			var out struct{ Token string }
			json.NewDecoder(res.Body).Decode(&out)
			token = out.Token
			if status, _ := advance(base, "", "1h"); status != 401 {
				t.Errorf("the clock moved without a freelancer: %d", status)
			}
			if status, _ := advance(base, token, "-1h"); status != 422 {
				t.Errorf("a negative duration: %d, want 422", status)
			}
			_, before = advance(base, token, "72h")
		} else if status, now := advance(base, token, "0s"); status != 200 || now != before {
			t.Errorf("after the restart the clock reads %q (%d), want %q where it was left", now, status, before)
		}
		cancel()
		<-done
	}
}

// A job runs once from the command line: an email the demo left in the outbox goes to the relay
// given there, once however often the job is run.
func TestJobRunsOnceFromTheCommandLine(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	_, _, done := serveInBackground(t, ctx, "--demo", "--data", data)
	cancel()
	<-done

	st, err := store.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	var queued accord.Mail
	outbox := func() (out []accord.Mail) {
		t.Helper()
		if err := st.Read(context.Background(), func(tx accord.Tx) error {
			u, err := tx.UserByEmail(demo.Email)
			if err != nil {
				return err
			}
			ws, err := tx.WorkspaceOfUser(u.ID)
			if err != nil {
				return err
			}
			out, err = tx.Outbox(ws)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	for _, m := range outbox() {
		if m.State == accord.MailQueued {
			queued = m
		}
	}
	st.Close()
	if queued.ID == "" {
		t.Fatal("the demo left no queued email in the outbox")
	}

	relay := mailtest.StartRelay(t, "", "")
	for range 2 {
		var out strings.Builder
		if err := run(context.Background(), []string{"job", "send_mail", `{"id":"` + queued.ID + `"}`, "--data", data, "--smtp-addr", relay.Addr}, &out); err != nil {
			t.Fatalf("job: %v", err)
		}
	}
	if got := relay.Messages(); len(got) != 1 || got[0].To[0] != queued.To {
		t.Fatalf("the relay received %d emails, want the one to %s", len(got), queued.To)
	}
	st, err = store.Open(context.Background(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, m := range outbox() {
		if m.ID == queued.ID && (m.State != accord.MailSent || m.SentAt.IsZero()) {
			t.Errorf("after the job the email is %s, want sent", m.State)
		}
	}

	for _, bad := range [][]string{{"job"}, {"job", "nope", "{}", "--data", data}, {"job", "send_mail", "not json", "--data", data}} {
		if err := run(context.Background(), bad, io.Discard); err == nil {
			t.Errorf("%v ran", bad)
		}
	}
}

// accord migrate brings Accord's tables and the job queue's up to date, once or again.
func TestMigrateFromTheCommandLine(t *testing.T) {
	data := t.TempDir()
	for range 2 {
		var out strings.Builder
		if err := run(context.Background(), []string{"migrate", "--data", data}, &out); err != nil || !strings.Contains(out.String(), "up to date") {
			t.Fatalf("migrate: %v %q", err, out.String())
		}
	}
	db, err := sql.Open("sqlite", filepath.Join(data, "accord.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, table := range []string{"engagements", "outbox", "river_job"} {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("after migrate, table %s: %d %v", table, n, err)
		}
	}
}
