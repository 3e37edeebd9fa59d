package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// findChromium finds the browser; without it the test is skipped, except in CI where it must run.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
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

// browser is one person's headless Chromium, with its own profile.
type browser struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu      sync.Mutex
	console []chromedp.ConsoleMessage

	// written is what people wrote that a page may show in Latin letters (file names, links).
	written []string
}

// openBrowser starts a browser that asks for pages in lang; it may run in a goroutine, so it
// returns its error.
func openBrowser(ctx context.Context, t *testing.T, name, execPath, lang string) (*browser, error) {
	profile := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.Flag("lang", lang),
		chromedp.Flag("accept-lang", lang),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	// Registered after TempDir, so it runs before the profile is removed: the browser
	// closes and the allocator waits for its process to end.
	t.Cleanup(func() {
		bcancel()
		acancel()
	})
	if err := chromedp.Do(bctx); err != nil { // starts the browser with the test's bound
		return nil, err
	}
	b := &browser{t: t, name: name, ctx: bctx}
	msgs := chromedp.Console(bctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b, nil
}

// consoleMessages lists the page errors and warnings the browser logged, each once with a count.
func (b *browser) consoleMessages() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var order []string
	count := map[string]int{}
	for _, m := range b.console {
		if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleWarning {
			continue
		}
		k := fmt.Sprintf("[%s] %s (%s)", m.Type, m.Text, m.URL)
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	for i, k := range order {
		if n := count[k]; n > 1 {
			order[i] = fmt.Sprintf("%d× %s", n, k)
		}
	}
	return order
}

func (b *browser) exceptions() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if m.IsException() {
			out = append(out, m.String())
		}
	}
	return out
}

// fatal stops the test with what went wrong, where the browser is, and the page's #error.
func (b *browser) fatal(what string, err error) {
	b.t.Helper()
	b.t.Fatalf("%s: %s: %v%s", b.name, what, err, b.diagnose())
}

func (b *browser) diagnose() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	type diag struct {
		URL   string `json:"url"`
		Title string `json:"title"`
		Error string `json:"error"`
	}
	d, err := chromedp.Run(ctx, chromedp.Evaluate[diag](`({url: location.href, title: document.title,
		error: (document.querySelector("#error") || {}).innerText || ""})`))
	if err != nil {
		return fmt.Sprintf("\n  (no page details: %v)", err)
	}
	s := fmt.Sprintf("\n  page: %s (%q)", d.URL, d.Title)
	if d.Error != "" {
		s += fmt.Sprintf("\n  #error: %q", strings.TrimSpace(d.Error))
	}
	return s
}

// do runs steps that return nothing, within one step's time.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fatal(what, err)
	}
}

// run runs one action and returns its value, within one step's time.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.fatal(what, err)
	}
	return v
}

// eval evaluates JavaScript in the page (awaiting a promise) and decodes its value.
func eval[T any](b *browser, what, js string) T {
	b.t.Helper()
	return run(b, what, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// submit clicks a button that submits a form, waits for the page the server answers with
// (after any redirect) and returns its HTTP status.
func (b *browser) submit(what, sel string) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.fatal(what, err)
	}
	if resp == nil {
		b.fatal(what, fmt.Errorf("clicking %s loaded no new page", sel))
	}
	return resp.Status
}

// submitOK submits a form that must succeed: no error status, no #error box.
func (b *browser) submitOK(what, sel string) {
	b.t.Helper()
	status := b.submit(what, sel)
	hasError := eval[bool](b, what, `document.querySelector("#error") !== null`)
	if status >= 400 || hasError {
		b.fatal(what, fmt.Errorf("the server answered %d", status))
	}
}

func (b *browser) location() *url.URL {
	b.t.Helper()
	loc := run(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.fatal("location", err)
	}
	return u
}

func (b *browser) wantPath(what, path string) {
	b.t.Helper()
	if u := b.location(); u.Path != path {
		b.fatal(what, fmt.Errorf("at %s, want path %s", u, path))
	}
}

func (b *browser) text(what, sel string) string {
	b.t.Helper()
	return run(b, what+" ("+sel+")", chromedp.Text(chromedp.CSS(sel)))
}

func (b *browser) value(what, sel string) string {
	b.t.Helper()
	return run(b, what+" ("+sel+")", chromedp.Value(chromedp.CSS(sel)))
}

func (b *browser) wantText(what, sel, want string) {
	b.t.Helper()
	if got := b.text(what, sel); !strings.Contains(normSpace(got), normSpace(want)) {
		b.fatal(what, fmt.Errorf("%s reads %q, want it to contain %q", sel, got, want))
	}
}

func (b *browser) wantAttr(what, sel, name, want string) {
	b.t.Helper()
	b.wantPresent(what, sel)
	got := eval[string](b, what, fmt.Sprintf(`document.querySelector(%s).getAttribute(%s) || ""`, jsString(sel), jsString(name)))
	if got != want {
		b.fatal(what, fmt.Errorf("%s has %s=%q, want %q", sel, name, got, want))
	}
}

func (b *browser) wantPresent(what, sel string) {
	b.t.Helper()
	if !eval[bool](b, what, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel))) {
		b.fatal(what, fmt.Errorf("the page has no %s", sel))
	}
}

func (b *browser) wantNotPresent(what, sel string) {
	b.t.Helper()
	if eval[bool](b, what, fmt.Sprintf(`document.querySelector(%s) !== null`, jsString(sel))) {
		b.fatal(what, fmt.Errorf("the page shows %s", sel))
	}
}

func (b *browser) wantVisible(what, sel string) {
	b.t.Helper()
	b.wantPresent(what, sel)
	b.do(what, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// watchPosts records the POST requests the page sends from now on; the func it returns
// stops recording and lists them as "TYPE POST URL".
func (b *browser) watchPosts() func() []string {
	ctx, cancel := context.WithCancel(b.ctx)
	evs := chromedp.Events(ctx, network.RequestWillBeSent)
	var mu sync.Mutex
	var posts []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev, err := range evs {
			if err != nil {
				return
			}
			if ev.Request != nil && ev.Request.Method == "POST" {
				mu.Lock()
				posts = append(posts, fmt.Sprintf("%s POST %s", ev.Type, ev.Request.URL))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return posts
	}
}

func (b *browser) screenshot(what string) []byte {
	b.t.Helper()
	return run(b, what, chromedp.FullScreenshot(100))
}

// imageWidthJS waits until the image is loaded and gives its natural width (0 if it failed).
func imageWidthJS(sel string) string {
	return fmt.Sprintf(`(async () => {
		const img = document.querySelector(%s);
		if (!img.complete) {
			await new Promise(ok => { img.addEventListener("load", ok); img.addEventListener("error", ok); });
		}
		return img.naturalWidth;
	})()`, jsString(sel))
}

func termBox(id string) string {
	return fmt.Sprintf(`input[name=acknowledged_terms][value=%s]`, jsString(id))
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

var spaces = regexp.MustCompile(`\s+`)

func normSpace(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// writePNG draws a w×h poster and keeps it as a PNG file named name.
func writePNG(t *testing.T, name string, w, h int) (string, []byte) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(40 + x*180/w), uint8(90 + y*120/h), uint8(160 + (x+y)%64), 255}
			if dx, dy := x-w/2, y-h/2; dx*dx+dy*dy < (h/4)*(h/4) {
				c = color.NRGBA{240, 200, 60, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode png: %v", err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatalf("write png: %v", err)
	}
	return path, buf.Bytes()
}

// keepScreenshot writes a PNG into $ACCORD_E2E_SCREENSHOTS, or into the test's temporary folder.
func keepScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := os.Getenv("ACCORD_E2E_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("write screenshot: %v", err)
	}
}

// latinWord finds a word in Latin letters: on a Russian or Bulgarian page it is English left
// untranslated, unless it is one of the things a person wrote or a name that is the same in
// every language.
var (
	latinWord  = regexp.MustCompile(`[A-Za-z]{2,}`)
	notEnglish = []*regexp.Regexp{
		regexp.MustCompile(`[\w.+-]+@[\w.-]+`),                 // email addresses
		regexp.MustCompile(`https?://\S+`),                     // links
		regexp.MustCompile(`\b[A-Z][a-z]+/[A-Za-z_]+\b`),       // time zones, Europe/Sofia
		regexp.MustCompile(`\b(Accord|English|kB|Stripe)\b`),   // the brands, an endonym, a unit (bg writes kB, MB)
		regexp.MustCompile(`(/[a-z0-9]+)+/[a-z0-9]+`),          // an address to type, /api/v1/stripe/webhook
		regexp.MustCompile(`\b[A-Z]{2,5}[0-9]*\b`),             // codes and abbreviations: EUR, UTC, PDF, IBAN
		regexp.MustCompile(`\b[0-9a-f]{8}\b`),                  // the short form of a token's id
		regexp.MustCompile(`\b[0-9a-f]{4}( [0-9a-f]{4}){3}\b`), // a key's fingerprint
		regexp.MustCompile(`\baccord verify\b`),                // a command, typed as it is
	}
)

// noEnglish fails when the page's text has a word in Latin letters left after what people wrote.
func (b *browser) noEnglish(what string, allowed ...string) {
	b.t.Helper()
	text := eval[string](b, what, `document.body.innerText + " " + document.title`)
	for _, a := range append(allowed, b.written...) {
		text = strings.ReplaceAll(text, a, " ")
	}
	for _, re := range notEnglish {
		text = re.ReplaceAllString(text, " ")
	}
	if w := latinWord.FindAllString(text, 5); len(w) > 0 {
		b.t.Errorf("%s: %s shows words in Latin letters %q at %s", b.name, what, w, b.location())
	}
}

// refused checks a refused form as a person sees it: back at the form's page, the field holds
// what was typed, its label is there, and the problem (in the catalog's words) stands right
// after the field.
func (b *browser) refused(what, path, field, typed, problem string) {
	b.t.Helper()
	b.wantPath(what, path)
	b.wantVisible(what, "#"+field)
	if typed != "" {
		if got := b.value(what, "#"+field); got != typed {
			b.t.Errorf("%s: %s: #%s holds %q, want what was typed, %q", b.name, what, field, got, typed)
		}
	}
	type beside struct {
		Label   string `json:"label"`
		Problem string `json:"problem"`
	}
	got := eval[beside](b, what, fmt.Sprintf(`(() => {
		const f = document.getElementById(%s);
		const l = document.querySelector("label[for='" + f.id + "']") || f.closest("label");
		const wrap = f.closest("label"); // a checkbox inside its label: the problem follows the label
		const n = wrap ? wrap.nextElementSibling : f.nextElementSibling;
		return {label: l ? l.innerText.trim() : "", problem: n && n.classList.contains("field-error") ? n.innerText : ""};
	})()`, jsString(field)))
	if got.Label == "" {
		b.t.Errorf("%s: %s: #%s has no label", b.name, what, field)
	}
	if !strings.Contains(got.Problem, problem) {
		b.t.Errorf("%s: %s: beside #%s (%q) reads %q, want %q", b.name, what, field, got.Label, got.Problem, problem)
	}
}

// fitsPhone checks that the page does not scroll sideways on a 390 px wide phone.
func (b *browser) fitsPhone(what, path string) {
	b.t.Helper()
	b.do(what, chromedp.Navigate(path))
	if w := eval[int](b, what, `document.documentElement.scrollWidth`); w > 390 {
		b.t.Errorf("%s: on a 390 px phone %s is %d px wide", b.name, what, w)
	}
}
