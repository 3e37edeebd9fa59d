package record

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The portal's record check (../server/static/record.js) run in Chromium against a fake portal
// API whose answers come from real trees and real signatures.

const browserWS = "ws_x"

var storageKey = "accord.record." + Origin(browserWS)

// memTree is a tree whose stored hashes are kept in a map.
type memTree struct{ hashes map[int64]tlog.Hash }

func (m memTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := m.hashes[x]
		if !ok {
			return nil, fmt.Errorf("no stored hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}

func newMemTree(t *testing.T, leaves []string) memTree {
	t.Helper()
	m := memTree{map[int64]tlog.Hash{}}
	for n, leaf := range leaves {
		hs, err := tlog.StoredHashes(int64(n), []byte(leaf), m)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range hs {
			m.hashes[tlog.StoredHashIndex(0, int64(n))+int64(i)] = h
		}
	}
	return m
}

func (m memTree) head(t *testing.T, n int64) *Head {
	t.Helper()
	root, err := tlog.TreeHash(n, m)
	if err != nil {
		t.Fatal(err)
	}
	return &Head{n, root}
}

// recordAnswer is what GET /portal/api/record answers.
type recordAnswer struct {
	Origin      string   `json:"origin"`
	Key         string   `json:"key"`
	Checkpoint  string   `json:"checkpoint"`
	Size        int64    `json:"size"`
	Root        string   `json:"root"`
	Since       int64    `json:"since"`
	Consistency []string `json:"consistency"`
}

// portal says what the fake API answers: the head of tree at size signed by signer, with the
// proof from the size the browser asks about, then changed by tamper; or only status, if set.
type portal struct {
	tree   memTree
	size   int64
	signer note.Signer
	status int
	tamper func(*recordAnswer)
}

// request is what the browser sent the API.
type request struct{ query, accept, cookie string }

type fakeAPI struct {
	t    *testing.T
	vkey string
	mu   sync.Mutex
	now  portal
	seen []request
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	p := f.now
	cookie, _ := r.Cookie("session")
	f.seen = append(f.seen, request{r.URL.RawQuery, r.Header.Get("Accept"), cookie.String()})
	f.mu.Unlock()
	if p.status != 0 {
		http.Error(w, "the record is not available", p.status)
		return
	}
	since, _ := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64)
	h := p.tree.head(f.t, p.size)
	c, err := Sign(p.signer, *h)
	if err != nil {
		f.t.Error(err)
	}
	a := recordAnswer{Origin: Origin(browserWS), Key: f.vkey, Checkpoint: c.Note, Size: h.Size,
		Root: base64.StdEncoding.EncodeToString(h.Root[:]), Since: since}
	if since > 0 && since < p.size {
		proof, err := tlog.ProveTree(p.size, since, p.tree)
		if err != nil {
			f.t.Error(err)
		}
		a.Consistency = Base64(proof)
	}
	if p.tamper != nil {
		p.tamper(&a)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(a)
}

func (f *fakeAPI) set(p portal) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now, f.seen = p, nil
}

func (f *fakeAPI) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen
}

var messages = map[string]string{
	"first":       "First look at this record.",
	"same":        "Nothing new since your last visit.",
	"grown":       "The record grew from {then} to {now} entries, keeping every earlier one.",
	"broken":      "Rewritten: <b>do not trust</b> this record.", // must show as text, not markup
	"unsupported": "This browser cannot check the record.",
	"error":       "The record could not be fetched.",
}

// recordPage is the portal's section as the server renders it; before runs first, if given.
func recordPage(before string) string {
	var attrs strings.Builder
	for state, msg := range messages {
		fmt.Fprintf(&attrs, ` data-msg-%s="%s"`, state, html.EscapeString(msg))
	}
	return `<!doctype html><html><head><meta charset="utf-8">` + before +
		`<script src="/static/record.js" defer></script></head><body>
<section id="record-check" data-api="/portal/api/record" data-origin="` + Origin(browserWS) + `"` + attrs.String() + `>
<p class="record-result" aria-live="polite"></p></section></body></html>`
}

// noEd25519 makes the page's browser one without Ed25519 in WebCrypto.
const noEd25519 = `<script>SubtleCrypto.prototype.importKey = () =>
	Promise.reject(new DOMException("Ed25519 is not supported", "NotSupportedError"));</script>`

func newPortalServer(t *testing.T, api *fakeAPI) *httptest.Server {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("..", "server", "static", "record.js"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /static/record.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(script)
	})
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		}
	}
	mux.HandleFunc("GET /portal", page(recordPage("")))
	mux.HandleFunc("GET /portal/no-ed25519", page(recordPage(noEd25519)))
	mux.HandleFunc("GET /blank", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "client", Path: "/"})
		page("<!doctype html><title>blank</title>")(w, r)
	})
	if api != nil {
		mux.HandleFunc("GET /portal/api/record", api.serve)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// chromiumPath finds the browser; without it the test is skipped, except in CI where it must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is missing; the browser test is mandatory in CI: apt-get install chromium")
	}
	t.Skip("chromium is missing, so the browser test is skipped; apt-get install chromium fixes it")
	return ""
}

// startChromium starts a headless Chromium with its own profile, bounded to the test's time.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Registered after TempDir, so the browser has ended before its profile is removed.
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

func browserRun[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

// keptJSON is the head as record.js keeps it in localStorage.
func keptJSON(h *Head, vkey string) string {
	b, _ := json.Marshal(struct {
		Size int64  `json:"size"`
		Root string `json:"root"`
		Key  string `json:"key"`
	}{h.Size, base64.StdEncoding.EncodeToString(h.Root[:]), vkey})
	return string(b)
}

// browserKeys are keys whose verifier key has a '+' in its base64, so record.js must split the key
// on its first two '+' only.
func browserKeys(t *testing.T) *Keys {
	for i := byte(1); i < 100; i++ {
		k := NewKeys(bytes.Repeat([]byte{i}, 32))
		if strings.Count(k.VerifierKey(browserWS), "+") > 2 {
			return k
		}
	}
	t.Fatal("no key with a '+' in its base64")
	return nil
}

func TestBrowserRecordCheck(t *testing.T) {
	ctx := startChromium(t)
	keys := browserKeys(t)
	signer, vkey := keys.Signer(browserWS), keys.VerifierKey(browserWS)
	other := NewKeys(bytes.Repeat([]byte{0xee}, 32)).Signer(browserWS) // same name, another key

	var leaves []string
	for i := range 20 {
		leaves = append(leaves, fmt.Sprintf(`{"seq":%d,"kind":"milestone.done"}`, i))
	}
	honest := newMemTree(t, leaves)
	leaves[2] = `{"seq":2,"kind":"payment.refunded"}`
	rewritten := newMemTree(t, leaves)

	api := &fakeAPI{t: t, vkey: vkey}
	srv := newPortalServer(t, api)

	// the signature by another key, relabelled with this key's hash, so that Ed25519 must refuse it
	relabel := func(a *recordAnswer) {
		c, _ := Sign(other, *honest.head(t, 20))
		text, sigs, _ := strings.Cut(c.Note, "\n\n")
		name, b64, _ := strings.Cut(strings.TrimPrefix(strings.TrimSuffix(sigs, "\n"), "— "), " ")
		sig, _ := base64.StdEncoding.DecodeString(b64)
		hash, _ := strconv.ParseUint(strings.Split(vkey, "+")[1], 16, 32)
		sig[0], sig[1], sig[2], sig[3] = byte(hash>>24), byte(hash>>16), byte(hash>>8), byte(hash)
		a.Checkpoint = text + "\n\n— " + name + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
	}

	visits := []struct {
		name  string
		kept  *Head // the head this browser keeps before the visit; nil for none
		serve portal
		path  string // the page, if not /portal
		state string
		text  string
		after *Head // the head kept after the visit
		quiet bool  // the page asks the API nothing
		// keptKey is the key the browser keeps with its head, when not the record's own.
		keptKey string
	}{
		{name: "first visit", serve: portal{tree: honest, size: 5, signer: signer},
			state: "first", text: messages["first"], after: honest.head(t, 5)},
		{name: "same head again", kept: honest.head(t, 5), serve: portal{tree: honest, size: 5, signer: signer},
			state: "same", text: messages["same"], after: honest.head(t, 5)},
		{name: "grown from 5 to 13", kept: honest.head(t, 5), serve: portal{tree: honest, size: 13, signer: signer},
			state: "grown", text: "The record grew from 5 to 13 entries, keeping every earlier one.", after: honest.head(t, 13)},
		{name: "grown from a power of two", kept: honest.head(t, 8), serve: portal{tree: honest, size: 20, signer: signer},
			state: "grown", text: "The record grew from 8 to 20 entries, keeping every earlier one.", after: honest.head(t, 20)},
		{name: "first visit of an empty record keeps nothing", serve: portal{tree: honest, size: 0, signer: signer},
			state: "first", text: messages["first"]},
		{name: "rewritten at the same size", kept: honest.head(t, 13), serve: portal{tree: rewritten, size: 13, signer: signer},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "rewritten and grown", kept: honest.head(t, 13), serve: portal{tree: rewritten, size: 20, signer: signer},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "a record signed by a key this browser did not see before", kept: honest.head(t, 13), keptKey: NewKeys(bytes.Repeat([]byte{0xee}, 32)).VerifierKey(browserWS),
			serve: portal{tree: honest, size: 20, signer: signer}, state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "signed by another key", kept: honest.head(t, 13), serve: portal{tree: honest, size: 20, signer: other},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "another key's signature under this key's hash", kept: honest.head(t, 13),
			serve: portal{tree: honest, size: 20, signer: signer, tamper: relabel},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "key with another hash", kept: honest.head(t, 13),
			serve: portal{tree: honest, size: 20, signer: signer, tamper: func(a *recordAnswer) {
				f := strings.SplitN(a.Key, "+", 3)
				a.Key = f[0] + "+00000000+" + f[2]
			}},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "signed text altered", kept: honest.head(t, 13),
			serve: portal{tree: honest, size: 20, signer: signer, tamper: func(a *recordAnswer) {
				a.Checkpoint = strings.Replace(a.Checkpoint, "\n20\n", "\n21\n", 1)
				a.Size = 21
			}},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "unsigned fields differ from the signed ones", kept: honest.head(t, 13),
			serve: portal{tree: honest, size: 20, signer: signer, tamper: func(a *recordAnswer) {
				a.Root = base64.StdEncoding.EncodeToString(rewritten.head(t, 20).Root[:])
			}},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "proof with one hash changed", kept: honest.head(t, 13),
			serve: portal{tree: honest, size: 20, signer: signer, tamper: func(a *recordAnswer) {
				h, _ := base64.StdEncoding.DecodeString(a.Consistency[1])
				h[7] ^= 0x10
				a.Consistency[1] = base64.StdEncoding.EncodeToString(h)
			}},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "tree shorter than the kept head", kept: honest.head(t, 13), serve: portal{tree: honest, size: 5, signer: signer},
			state: "broken", text: messages["broken"], after: honest.head(t, 13)},
		{name: "kept head of size 0", kept: &Head{}, serve: portal{tree: honest, size: 5, signer: signer},
			state: "broken", text: messages["broken"], after: &Head{}, quiet: true},
		{name: "server error", kept: honest.head(t, 13), serve: portal{status: http.StatusBadGateway},
			state: "error", text: messages["error"], after: honest.head(t, 13)},
		{name: "no Ed25519 in the browser", kept: honest.head(t, 13), serve: portal{tree: honest, size: 20, signer: signer},
			path: "/portal/no-ed25519", state: "unsupported", text: messages["unsupported"], after: honest.head(t, 13), quiet: true},
	}
	for _, v := range visits {
		t.Run(v.name, func(t *testing.T) {
			// Set what this browser keeps on a page of the same origin that does not check.
			kept, keptKey := "null", cmp.Or(v.keptKey, vkey)
			if v.kept != nil {
				kept = strconv.Quote(keptJSON(v.kept, keptKey))
			}
			browserRun(t, ctx, "blank page", chromedp.Steps(chromedp.Navigate(srv.URL+"/blank"),
				chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.clear(); if (%[1]s !== null) localStorage.setItem(%[2]q, %[1]s)`, kept, storageKey))))
			api.set(v.serve)
			path := v.path
			if path == "" {
				path = "/portal"
			}
			browserRun(t, ctx, "portal", chromedp.Navigate(srv.URL+path))
			type seen struct {
				State  string  `json:"state"`
				Text   string  `json:"text"`
				Markup int     `json:"markup"`
				Kept   *string `json:"kept"`
			}
			got := browserRun(t, ctx, "the check's verdict", chromedp.Evaluate[seen](fmt.Sprintf(`(async () => {
				const s = document.getElementById("record-check"), p = s.querySelector(".record-result");
				while (!s.dataset.state) await new Promise((ok) => setTimeout(ok, 10));
				return {state: s.dataset.state, text: p.textContent, markup: p.children.length, kept: localStorage.getItem(%q)};
			})()`, storageKey), chromedp.EvalAwaitPromise))
			if got.State != v.state || got.Text != v.text || got.Markup != 0 {
				t.Errorf("data-state=%q, text %q (%d elements); want %q, %q as text", got.State, got.Text, got.Markup, v.state, v.text)
			}
			switch {
			case v.after == nil && got.Kept != nil:
				t.Errorf("the browser keeps %s, want nothing", *got.Kept)
			case v.after == nil:
			case got.Kept == nil:
				t.Errorf("the browser keeps nothing, want %s", keptJSON(v.after, keptKey))
			case *got.Kept != keptJSON(v.after, keptKey):
				t.Errorf("the browser keeps %s, want %s", *got.Kept, keptJSON(v.after, keptKey))
			}
			wantRequest(t, api.requests(), v.kept, v.quiet)
		})
	}
}

// wantRequest checks that the page asked once, with ?since= the kept size, for JSON, with its
// cookie; or, when quiet, not at all (no check is possible, or the kept head is not valid).
func wantRequest(t *testing.T, seen []request, kept *Head, none bool) {
	t.Helper()
	if none {
		if len(seen) != 0 {
			t.Errorf("the page asked the API %v, want no request", seen)
		}
		return
	}
	query := ""
	if kept != nil {
		query = fmt.Sprintf("since=%d", kept.Size)
	}
	want := request{query, "application/json", "session=client"}
	if len(seen) != 1 || seen[0] != want {
		t.Errorf("the API was asked %+v, want once %+v", seen, want)
	}
}

// padded decodes a vector's hash; the short placeholders are zero-padded to a hash's size, an
// empty one stays empty (and must fail).
func padded(t *testing.T, s string) []byte {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("hash %q: %v", s, err)
	}
	if len(b) > 0 && len(b) < tlog.HashSize {
		b = append(b, make([]byte, tlog.HashSize-len(b))...)
	}
	return b
}

// consistencyCase is one call of window.accordRecord.verifyConsistency.
type consistencyCase struct {
	Name  string   `json:"name"`
	S1    int64    `json:"size1"`
	S2    int64    `json:"size2"`
	Root1 []byte   `json:"root1"`
	Root2 []byte   `json:"root2"`
	Proof [][]byte `json:"proof"`
	Want  bool     `json:"-"`
}

func TestBrowserConsistency(t *testing.T) {
	ctx := startChromium(t)
	srv := newPortalServer(t, nil) // the page's API fails; only the functions are used
	browserRun(t, ctx, "portal", chromedp.Navigate(srv.URL+"/portal"))

	var cases []consistencyCase
	for name, v := range loadVectors(t, "consistency") {
		c := consistencyCase{Name: name, S1: v.Size1, S2: v.Size2, Root1: padded(t, v.Root1), Root2: padded(t, v.Root2), Want: !v.WantErr}
		for _, h := range v.Proof {
			c.Proof = append(c.Proof, padded(t, h))
		}
		cases = append(cases, c)
	}
	// Every proof tlog makes between sizes of a real tree holds, and none holds for another tree.
	var leaves []string
	for i := range 20 {
		leaves = append(leaves, fmt.Sprintf("leaf %d", i))
	}
	tree := newMemTree(t, leaves)
	leaves[2] = "leaf 2, rewritten"
	other := newMemTree(t, leaves)
	for n := int64(1); n <= 20; n++ {
		for m := int64(1); m <= n; m++ {
			proof, err := tlog.ProveTree(n, m, tree)
			if err != nil {
				t.Fatal(err)
			}
			var hs [][]byte
			for _, h := range proof {
				hs = append(hs, h[:])
			}
			old, now := tree.head(t, m), tree.head(t, n)
			cases = append(cases, consistencyCase{Name: fmt.Sprintf("tlog %d to %d", m, n), S1: m, S2: n,
				Root1: old.Root[:], Root2: now.Root[:], Proof: hs, Want: true})
			if m > 2 { // the rewritten leaf 2 is in both trees
				cases = append(cases, consistencyCase{Name: fmt.Sprintf("tlog %d to %d from another tree", m, n), S1: m, S2: n,
					Root1: other.head(t, m).Root[:], Root2: now.Root[:], Proof: hs, Want: false})
			}
		}
	}
	js, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	got := browserRun(t, ctx, "verifyConsistency", chromedp.Evaluate[[]bool](fmt.Sprintf(`(async (cases) => {
		const bytes = (s) => Uint8Array.from(atob(s || ""), (c) => c.charCodeAt(0));
		const out = [];
		for (const c of cases) {
			out.push(await window.accordRecord.verifyConsistency(c.size1, bytes(c.root1), c.size2, bytes(c.root2), (c.proof || []).map(bytes)));
		}
		return out;
	})(%s)`, js), chromedp.EvalAwaitPromise))
	if len(got) != len(cases) {
		t.Fatalf("%d answers for %d cases", len(got), len(cases))
	}
	held := 0
	for i, c := range cases {
		if got[i] != c.Want {
			t.Errorf("%s (%d to %d): verifyConsistency = %v, want %v", c.Name, c.S1, c.S2, got[i], c.Want)
		}
		if got[i] && strings.HasPrefix(c.Name, "testdata") {
			held++
		}
	}
	if held < 5 {
		t.Errorf("only %d of the vectors held; the set is not the one copied", held)
	}
}
