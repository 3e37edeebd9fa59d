package server_test

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"encoding/base64"
	"html"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite"

	rec "github.com/accordapp/accord/internal/record"
)

// The evidence of an engagement verifies offline, and only its own workspace can have it.
func TestEvidenceThroughTheAPI(t *testing.T) {
	onEachStore(t, func(t *testing.T, h *harness) {
		token := h.account("ana@studio.example")
		id, session, _ := h.agreed(token, "1000.00")
		base := "/api/v1/engagements/" + id
		sid := h.call("POST", base+"/call-summaries", token, map[string]any{"points": []string{"Logo in blue", "Files by Friday"}}, 201).json(t)["id"].(string)
		h.call("POST", "/portal/api/call-summaries/"+sid+"/confirm", session, map[string]any{"points": map[string]any{
			"p1": map[string]any{"confirmed": true}, "p2": map[string]any{"correction": "By Monday"}}}, 200)
		r := h.call("GET", base+"/evidence", token, nil, 200)
		if ct := r.header.Get("Content-Type"); ct != "application/zip" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("evidence answered %s, %s", ct, r.header.Get("Content-Disposition"))
		}
		v, err := rec.Verify(r.body)
		if err != nil {
			t.Fatalf("the exported evidence does not verify: %v", err)
		}
		evs := h.call("GET", base+"/events", token, nil, 200).json(t)["events"].([]any)
		if v.Events != len(evs) || v.EngagementID != id {
			t.Errorf("the bundle holds %d events of %s; the engagement has %d", v.Events, v.EngagementID, len(evs))
		}
		z, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var report string
		for _, f := range z.File {
			if f.Name == "report.html" {
				rc, _ := f.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				report = string(b)
			}
		}
		acked := h.call("GET", base+"/agreements/1", token, nil, 200).json(t)["terms"].([]any)
		for _, want := range []string{"✓ " + acked[0].(map[string]any)["text"].(string), "• Logo in blue", "✎ Files by Friday → By Monday"} {
			if !strings.Contains(html.UnescapeString(report), want) {
				t.Errorf("the report lacks %q", want)
			}
		}
		h.app.SignupPolicy = "open"
		other := h.account("bob@other.example")
		h.call("GET", base+"/evidence", other, nil, 404)
		h.call("GET", base+"/evidence", "", nil, 401)
	})
}

// A head seen earlier is proven part of every later one, to the freelancer and to the client.
func TestRecordHeadsAndConsistency(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, session, _ := h.agreed(token, "1000.00")
	first := h.call("GET", "/api/v1/record", token, nil, 200).json(t)
	if first["consistency"] != nil || first["since"].(float64) != 0 {
		t.Errorf("with nothing seen before, the answer carries a proof: %v", first)
	}
	cp, err := rec.Open([]byte(first["checkpoint"].(string)), first["key"].(string))
	if err != nil {
		t.Fatalf("the head does not open with its key: %v", err)
	}
	if int64(first["size"].(float64)) != cp.Size || first["root"] != base64.StdEncoding.EncodeToString(cp.Root[:]) {
		t.Errorf("the answer's size and root are not the signed ones: %v", first)
	}
	h.call("POST", "/api/v1/engagements/"+id+"/messages", token, map[string]string{"body": "Starting next week."}, 201)
	later := h.call("GET", "/portal/api/record?since="+itoa(cp.Size), session, nil, 200).json(t)
	cp2, err := rec.Open([]byte(later["checkpoint"].(string)), later["key"].(string))
	if err != nil || cp2.Origin != cp.Origin || cp2.Size <= cp.Size {
		t.Fatalf("the portal's head = %+v, %v; want a larger tree of the same record", cp2, err)
	}
	proof, err := rec.HashesOf(toStrings(later["consistency"]))
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.CheckConsistency(proof, cp.Size, cp.Root, cp2.Size, cp2.Root); err != nil {
		t.Errorf("the consistency proof does not hold: %v", err)
	}
	var fake tlog.Hash
	if rec.CheckConsistency(proof, cp.Size, fake, cp2.Size, cp2.Root) == nil {
		t.Error("the proof also holds for a head that was never signed")
	}
	if r := h.call("GET", "/portal/api/record?since="+itoa(cp2.Size+100), session, nil, 200).json(t); r["consistency"] != nil {
		t.Errorf("a head from beyond the tree got a proof: %v", r)
	}
	// Between any two sizes: the head at 2, then the one at 4 proven to contain it.
	at2, _ := rec.Open([]byte(h.call("GET", "/api/v1/record?to=2", token, nil, 200).json(t)["checkpoint"].(string)), first["key"].(string))
	r4 := h.call("GET", "/api/v1/record?since=2&to=4", token, nil, 200).json(t)
	at4, err := rec.Open([]byte(r4["checkpoint"].(string)), r4["key"].(string))
	if err != nil || at2.Size != 2 || at4.Size != 4 {
		t.Fatalf("heads at 2 and 4: %+v %+v %v", at2, at4, err)
	}
	p24, _ := rec.HashesOf(toStrings(r4["consistency"]))
	if err := rec.CheckConsistency(p24, 2, at2.Root, 4, at4.Root); err != nil {
		t.Errorf("the proof from 2 to 4 does not hold: %v", err)
	}
	h.call("GET", "/api/v1/record?to="+itoa(cp2.Size+1000), token, nil, 422)
	h.call("GET", "/portal/api/record?since=-1", session, nil, 422)
	h.call("GET", "/api/v1/record?since=abc", token, nil, 422)
	h.call("GET", "/portal/api/record", "", nil, 401)
}

// The emails that matter carry the record's signed head, which opens with the workspace's key.
func TestEmailsThatMatterCarryTheSignedHead(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	h.agreed(token, "1000.00")
	key := h.call("GET", "/api/v1/record", token, nil, 200).json(t)["key"].(string)
	var body string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) { // the head is stamped in by the job that sends the email
		if body = h.mailOf(token, "accepted")["body"].(string); strings.Contains(body, "\n— accord/") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	i := strings.Index(body, "accord/")
	if i < 0 {
		t.Fatalf("the acceptance email carries no signed head:\n%s", body)
	}
	start := strings.LastIndex(body[:i], "\n") + 1
	cp, err := rec.Open([]byte(body[start:]), key)
	if err != nil || cp.Size == 0 {
		t.Fatalf("the head in the email does not open with the workspace's key: %v\n%s", err, body[start:])
	}
	_, fp := h.app.RecordKey(strings.TrimPrefix(cp.Origin, "accord/"))
	if !strings.Contains(body, fp) {
		t.Errorf("the email does not name the key's fingerprint %s", fp)
	}
	if b := h.mailOf(token, "brief")["body"].(string); strings.Contains(b, "— accord/") {
		t.Errorf("an email that asks for the brief carries a head it need not: %s", b)
	}
}

// An event edited straight in the database is caught by the next check, and so is a tree
// rewritten to match it: the heads handed out no longer fit.
func TestADatabaseEditIsCaughtByTheCheck(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	h.call("GET", "/api/v1/record", token, nil, 200) // a head handed out
	if c := h.call("GET", "/api/v1/record/check", token, nil, 200).json(t); c["ok"] != true {
		t.Fatalf("a record nobody touched does not hold: %v", c)
	}
	b := h.browser("en")
	b.login("ana@studio.example")
	warning := cat.T("en", "dashboard.record.title", nil)
	if p := b.get("/app"); strings.Contains(p.text(), warning) {
		t.Errorf("the dashboard warns of a record that holds")
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "accord.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{`DROP TRIGGER events_no_update`, `DROP TRIGGER record_hashes_no_update`, `DROP TRIGGER record_hashes_no_delete`,
		`UPDATE events SET body = replace(body, 'Brand book', 'Brand boot') WHERE engagement_id = '` + id + `' AND seq = 1`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	c := h.call("GET", "/api/v1/record/check", token, nil, 200).json(t)
	p, _ := c["problem"].(map[string]any)
	if c["ok"] != false || p == nil || p["engagement_id"] != id || p["seq"].(float64) != 1 {
		t.Fatalf("the edited event was not caught: %v", c)
	}
	if page := b.get("/app"); !strings.Contains(page.text(), warning) || !strings.Contains(page.html, `href="/app/engagements/`+id+`"`) {
		t.Errorf("the dashboard does not warn of the broken record: %s", page.text())
	}

	// The host rewrites the whole tree from the edited events: every stored hash now agrees.
	var ws string
	if err := db.QueryRow(`SELECT workspace_id FROM engagements WHERE id = ?`, id).Scan(&ws); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT e.body FROM record_leaves l JOIN events e ON e.engagement_id = l.engagement_id AND e.seq = l.seq
		WHERE l.workspace_id = ? ORDER BY l.idx`, ws)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []tlog.Hash
	for n := int64(0); rows.Next(); n++ {
		var body []byte
		rows.Scan(&body)
		hs, err := tlog.StoredHashes(n, body, tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
			out := make([]tlog.Hash, len(ix))
			for i, x := range ix {
				out[i] = hashes[x]
			}
			return out, nil
		}))
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	rows.Close()
	for i, hsh := range hashes {
		if _, err := db.Exec(`UPDATE record_hashes SET hash = ? WHERE workspace_id = ? AND idx = ?`, hsh[:], ws, i); err != nil {
			t.Fatal(err)
		}
	}
	c = h.call("GET", "/api/v1/record/check", token, nil, 200).json(t)
	p, _ = c["problem"].(map[string]any)
	if c["ok"] != false || p == nil || !strings.Contains(p["reason"].(string), "head") {
		t.Fatalf("a tree rewritten to match the edit was not caught by the heads handed out: %v", c)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// An event slipped into the database without a leaf is caught too: the tree no longer counts
// every event.
func TestAnEventOutsideTheRecordIsCaught(t *testing.T) {
	h := newHarness(t)
	token := h.account("ana@studio.example")
	id, _, _ := h.agreed(token, "1000.00")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(h.dir, "accord.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO events (engagement_id, seq, workspace_id, type, at, body, hash)
		SELECT engagement_id, seq + 1000, workspace_id, type, at, body, hash FROM events WHERE engagement_id = ? AND seq = 1`, id); err != nil {
		t.Fatal(err)
	}
	c := h.call("GET", "/api/v1/record/check", token, nil, 200).json(t)
	p, _ := c["problem"].(map[string]any)
	if c["ok"] != false || p == nil || !strings.Contains(p["reason"].(string), "outside the record") {
		t.Errorf("an event with no leaf was not caught: %v", c)
	}
}
