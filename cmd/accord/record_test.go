package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/store"
)

// demoEngagement runs the real server with the demo once, stops it, and returns the data
// folder and the id of one of the demo's engagements.
func demoEngagement(t *testing.T) (data, id string) {
	t.Helper()
	data = t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	_, _, done := serveInBackground(t, ctx, "--demo", "--data", data)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	st, err := store.Open(t.Context(), "", data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Read(t.Context(), func(tx accord.Tx) error {
		u, err := tx.UserByEmail(demo.Email)
		if err != nil {
			return err
		}
		ws, err := tx.WorkspaceOfUser(u.ID)
		if err != nil {
			return err
		}
		es, err := tx.Engagements(ws)
		if err != nil || len(es) == 0 {
			t.Fatalf("the demo has no engagements (%v)", err)
		}
		longest := es[0]
		for _, e := range es { // the one with the longest record
			if e.Seq > longest.Seq {
				longest = e
			}
		}
		id = longest.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return data, id
}

func TestExportThenVerifyFromTheCommandLine(t *testing.T) {
	data, id := demoEngagement(t)
	file := filepath.Join(t.TempDir(), "evidence.zip")
	var out bytes.Buffer
	if err := run(t.Context(), []string{"export", "--engagement", id, "--out", file, "--data", data, "--lang", "bg"}, &out); err != nil {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"verify", file}, &out); err != nil {
		t.Fatalf("verify of a fresh export: %v", err)
	}
	if !strings.Contains(out.String(), "holds") || !strings.Contains(out.String(), id) {
		t.Errorf("verify said %q; want it to say the bundle of %s holds", out.String(), id)
	}

	files := unzipFile(t, file)
	for _, name := range []string{"events.jsonl", "checkpoint.txt", "key.txt", "proofs.json", "report.html", "report.pdf"} {
		if len(files[name]) == 0 {
			t.Errorf("the bundle has no %s", name)
		}
	}
	if !strings.Contains(string(files["report.html"]), `lang="bg"`) || !strings.Contains(string(files["report.html"]), "Доказателства") {
		t.Error("the report is not in the language asked for")
	}
	// The PDF says the same, in Bulgarian, Cyrillic intact.
	if pdf := pdfText(t, files["report.pdf"]); pdf != "" {
		for _, want := range []string{"Доказателства", "Изпълнител", "Дневникът"} {
			if !strings.Contains(pdf, want) {
				t.Errorf("report.pdf lacks %q:\n%.600s", want, pdf)
			}
		}
	}

	// One byte of the third event changed: verify fails, naming it.
	events := files["events.jsonl"]
	third := bytes.Index(events, []byte(`"seq":3,`))
	if third < 0 {
		t.Fatal("no third event in events.jsonl")
	}
	changed := bytes.Clone(events)
	changed[third+len(`"seq":3,`)+2] ^= 1
	files["events.jsonl"] = changed
	bad := filepath.Join(t.TempDir(), "tampered.zip")
	writeZip(t, bad, files)
	err := run(t.Context(), []string{"verify", bad}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("verify of a tampered bundle = %v; want it to name the event on line 3", err)
	}

	// The key is the data folder's: a second export signs with the same one, and a
	// configured secret gives another.
	again := filepath.Join(t.TempDir(), "again.zip")
	if err := run(t.Context(), []string{"export", "--engagement", id, "--out", again, "--data", data}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if k := unzipFile(t, again)["key.txt"]; !bytes.Equal(k, files["key.txt"]) {
		t.Errorf("a second export has another key:\n%s\n%s", k, files["key.txt"])
	}
	t.Setenv("ACCORD_RECORD_KEY", "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=")
	other := filepath.Join(t.TempDir(), "other.zip")
	if err := run(t.Context(), []string{"export", "--engagement", id, "--out", other, "--data", data}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if k := unzipFile(t, other)["key.txt"]; bytes.Equal(k, files["key.txt"]) {
		t.Error("ACCORD_RECORD_KEY did not change the key")
	}

	if err := run(t.Context(), []string{"export", "--engagement", "eng_none", "--out", other, "--data", data}, io.Discard); err == nil || !strings.Contains(err.Error(), "no engagement eng_none") {
		t.Errorf("export of an unknown engagement: %v", err)
	}
	if err := run(t.Context(), []string{"verify", filepath.Join(data, "accord.db")}, io.Discard); err == nil || !strings.Contains(err.Error(), "not a zip") {
		t.Errorf("verify of a file that is no bundle: %v", err)
	}
}

func unzipFile(t *testing.T, path string) map[string][]byte {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	out := map[string][]byte{}
	for _, f := range z.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range files {
		w, _ := z.Create(name)
		w.Write(data)
	}
	z.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// pdfText is the text pdftotext reads from a PDF; without pdftotext it fails under CI and
// skips the check elsewhere (returning "").
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is needed under CI to read the evidence report")
		}
		t.Log("pdftotext is not installed (apt-get install poppler-utils): the PDF's text is not checked")
		return ""
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
