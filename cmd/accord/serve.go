package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/blob"
	"github.com/accordapp/accord/internal/demo"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/mail"
	"github.com/accordapp/accord/internal/mail/inbound"
	"github.com/accordapp/accord/internal/pdfrender"
	"github.com/accordapp/accord/internal/preview"
	"github.com/accordapp/accord/internal/record"
	"github.com/accordapp/accord/internal/server"
	"github.com/accordapp/accord/internal/store"
)

type config struct {
	addr, data, databaseURL, signup, baseURL              string
	smtpAddr, smtpFrom, smtpListen, mailDomain, stripeAPI string
	testClock, demo                                       bool
	maxFiles                                              int
	maxUpload, maxFileSize, previewMemory                 int64
}

// env returns the ACCORD_ variable for a flag, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("ACCORD_" + name); ok {
		return v
	}
	return def
}

func envBool(name string) bool { b, _ := strconv.ParseBool(env(name, "false")); return b }

func parseServe(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.StringVar(&c.addr, "addr", env("ADDR", "127.0.0.1:8080"), "address to listen on (ACCORD_ADDR)")
	fs.StringVar(&c.data, "data", env("DATA", "./accord-data"), "folder for the SQLite database and files (ACCORD_DATA)")
	fs.StringVar(&c.databaseURL, "database-url", env("DATABASE_URL", ""), "postgres://… to use PostgreSQL instead of SQLite (ACCORD_DATABASE_URL)")
	fs.StringVar(&c.signup, "signup", env("SIGNUP", "first"), "who may sign up: first, open or closed (ACCORD_SIGNUP)")
	fs.StringVar(&c.baseURL, "base-url", env("BASE_URL", ""), "public address used in links sent to clients; default http://ADDR (ACCORD_BASE_URL)")
	fs.BoolVar(&c.testClock, "test-clock", envBool("TEST_CLOCK"), "enable POST /api/v1/test-clock/advance; for tests only (ACCORD_TEST_CLOCK)")
	fs.BoolVar(&c.demo, "demo", envBool("DEMO"), "add a demo workspace with engagements in several states (ACCORD_DEMO)")
	fs.StringVar(&c.smtpAddr, "smtp-addr", env("SMTP_ADDR", ""), "SMTP relay HOST:PORT for outgoing mail; without it mail only goes to the outbox (ACCORD_SMTP_ADDR; credentials in ACCORD_SMTP_USERNAME and ACCORD_SMTP_PASSWORD)")
	fs.StringVar(&c.smtpFrom, "smtp-from", env("SMTP_FROM", ""), "From address of outgoing mail (ACCORD_SMTP_FROM)")
	fs.StringVar(&c.smtpListen, "smtp-listen", env("SMTP_LISTEN", ""), "HOST:PORT to receive clients' replies by SMTP on; mail to an engagement's reply address lands in its messages (ACCORD_SMTP_LISTEN)")
	fs.StringVar(&c.stripeAPI, "stripe-api", env("STRIPE_API", ""), "address of the Stripe API, for a stripe-mock on loopback; empty for Stripe's own (ACCORD_STRIPE_API)")
	fs.StringVar(&c.mailDomain, "mail-domain", env("MAIL_DOMAIN", ""), "domain of the engagements' reply addresses, the one whose mail reaches --smtp-listen; with --smtp-listen it defaults to the host of --base-url, without it there are no reply addresses unless this is set (ACCORD_MAIL_DOMAIN)")
	maxUpload, _ := strconv.ParseInt(env("MAX_UPLOAD", "104857600"), 10, 64)
	fs.Int64Var(&c.maxUpload, "max-upload", maxUpload, "largest delivery upload in bytes (ACCORD_MAX_UPLOAD)")
	maxFileSize, _ := strconv.ParseInt(env("MAX_FILE_SIZE", "52428800"), 10, 64)
	fs.Int64Var(&c.maxFileSize, "max-file-size", maxFileSize, "largest file in a delivery in bytes (ACCORD_MAX_FILE_SIZE)")
	maxFiles, _ := strconv.Atoi(env("MAX_FILES", "100"))
	fs.IntVar(&c.maxFiles, "max-files", maxFiles, "most files in one delivery (ACCORD_MAX_FILES)")
	previewMemory, _ := strconv.ParseInt(env("PREVIEW_MEMORY", strconv.Itoa(preview.DefaultMemory)), 10, 64)
	fs.Int64Var(&c.previewMemory, "preview-memory", previewMemory, "memory in bytes that the previews rendered at once may take; a larger image gets no preview (ACCORD_PREVIEW_MEMORY)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch c.signup {
	case "first", "open", "closed":
	default:
		return c, fmt.Errorf("--signup must be first, open or closed, not %q", c.signup)
	}
	if c.maxUpload <= 0 {
		return c, fmt.Errorf("--max-upload must be a positive number of bytes")
	}
	if c.maxFileSize <= 0 {
		return c, fmt.Errorf("--max-file-size must be a positive number of bytes")
	}
	if c.maxFiles <= 0 {
		return c, fmt.Errorf("--max-files must be a positive number of files")
	}
	if c.previewMemory <= 0 {
		return c, fmt.Errorf("--preview-memory must be a positive number of bytes")
	}
	return c, nil
}

func serve(ctx context.Context, args []string, out io.Writer) error {
	c, err := parseServe(args)
	if err != nil {
		return err
	}
	var clock accord.Clock = accord.SystemClock{}
	var testClock *accord.TestClock
	if c.testClock {
		testClock = accord.NewTestClock(time.Now().Truncate(time.Second))
		clock = testClock
	}
	a, err := c.openApp(ctx, clock, true)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (choose another with --addr)", c.addr, err)
	}
	defer ln.Close() // if starting fails before it serves
	base := c.baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	cat := a.Catalog
	a.SignupPolicy, a.BaseURL, a.Previews = c.signup, base, preview.NewBudget(c.previewMemory)
	pdf := newLazyPDF()
	defer pdf.Close()
	go pdf.ready() // PDFium compiles once per data folder (seconds), before the first PDF needs it
	a.PDFPages = pdf
	a.MailDomain, a.StripeURL = c.mailDomain, c.stripeAPI
	if a.MailDomain == "" && c.smtpListen != "" { // no reply address that nothing receives
		if u, err := url.Parse(base); err == nil {
			a.MailDomain = u.Hostname()
		}
	}
	poll := time.Duration(0)
	if testClock != nil {
		poll = 10 * time.Millisecond // an advance waits for each job it makes due
	}
	if err := a.OpenJobs(ctx, poll); err != nil {
		return err
	}
	if testClock != nil {
		if err := a.StartTestClock(ctx, testClock); err != nil {
			return err
		}
	}
	if n, err := a.RebuildSnapshots(ctx); err != nil {
		return err
	} else if n > 0 {
		slog.Info("engagements folded anew from their events", "count", n, "fold", accord.FoldVersion)
	}
	stopJobs, err := a.StartJobs(ctx, poll)
	if err != nil {
		return err
	}
	defer stopJobs()
	srv := server.New(a, cat)
	srv.TestClock, srv.MaxUpload, srv.MaxFiles, srv.Secure = testClock, c.maxUpload, c.maxFiles, strings.HasPrefix(base, "https:")
	srv.MaxFileSize = c.maxFileSize
	fmt.Fprintf(out, "Accord is serving on %s\n", base)
	if c.demo {
		d, err := demo.Seed(ctx, a)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		fmt.Fprint(out, d.Describe(base))
	}
	if c.smtpListen != "" {
		stop, err := receiveMail(a, c.smtpListen, out)
		if err != nil {
			return err
		}
		defer stop()
	}
	go pruneEvery(ctx, a, time.Hour)
	go checkRecordsEvery(ctx, a, 24*time.Hour)
	return listen(ctx, ln, srv.Handler())
}

// every runs fn now and then every period, until ctx ends.
func every(ctx context.Context, period time.Duration, fn func()) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pruneEvery removes expired sessions, portal links and page messages now and then every
// period, until ctx ends.
func pruneEvery(ctx context.Context, a *app.App, period time.Duration) {
	every(ctx, period, func() {
		if n, err := a.Prune(ctx); err != nil && ctx.Err() == nil {
			slog.Error("prune", "err", err)
		} else if n > 0 {
			slog.Info("pruned expired sessions, links and page messages", "rows", n)
		}
	})
}

// pruneOnce is the same clean-up run once from the command line.
func pruneOnce(ctx context.Context, args []string, out io.Writer) error {
	st, err := openStore(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := app.New(st, nil, accord.SystemClock{}, i18n.New()).Prune(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "removed %d expired sessions, portal links and page messages\n", n)
	return nil
}

// listen serves until ctx ends, then lets requests under way finish.
func listen(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func migrate(ctx context.Context, args []string, out io.Writer) error {
	st, err := openStore(ctx, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := app.New(st, nil, accord.SystemClock{}, i18n.New()).OpenJobs(ctx, 0); err != nil { // River's tables too
		return err
	}
	fmt.Fprintln(out, "the schema is up to date")
	return nil
}

// openApp opens the store and the files the flags name, with the mail relay they give. Only the
// server makes the record's secret when there is none: a tool that made one would sign with a
// key no client was shown.
func (c config) openApp(ctx context.Context, clock accord.Clock, makeKey bool) (*app.App, error) {
	st, err := store.Open(ctx, c.databaseURL, c.data)
	if err != nil {
		return nil, err
	}
	blobs, err := blob.NewDir(filepath.Join(c.data, "blobs"))
	if err != nil {
		st.Close()
		return nil, err
	}
	a := app.New(st, blobs, clock, i18n.New())
	// The record's signing secret: ACCORD_RECORD_KEY where several instances must sign alike,
	// else a file of the data folder; never the database the keys sign.
	if a.Keys, err = record.LoadKeys(c.data, env("RECORD_KEY", ""), makeKey); err != nil {
		st.Close()
		return nil, err
	}
	if c.smtpAddr != "" {
		a.Mailer = &mail.SMTP{Addr: c.smtpAddr, From: c.smtpFrom, Username: env("SMTP_USERNAME", ""), Password: env("SMTP_PASSWORD", "")}
	}
	return a, nil
}

// runJob runs one job once, with the server's flags for the store and the mail relay.
func runJob(ctx context.Context, args []string, out io.Writer) error {
	if len(args) < 2 || strings.HasPrefix(args[0], "-") {
		return errors.New(`usage: accord job KIND ARGS [--data DIR | --database-url URL] [--smtp-addr HOST:PORT]
ARGS is the job's JSON, e.g. accord job send_mail '{"id":"mail_…"}'`)
	}
	c, err := parseServe(args[2:])
	if err != nil {
		return err
	}
	a, err := c.openApp(ctx, accord.SystemClock{}, false)
	if err != nil {
		return err
	}
	defer a.Store.Close()
	a.BaseURL = cmp.Or(c.baseURL, "http://"+c.addr)
	if !json.Valid([]byte(args[1])) {
		return fmt.Errorf("the job's arguments %s are not JSON; give an object such as '{\"id\":\"mail_…\"}'", args[1])
	}
	if err := a.OpenJobs(ctx, 0); err != nil {
		return err
	}
	if err := a.RunJob(ctx, args[0], json.RawMessage(args[1])); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s done\n", args[0])
	return nil
}

// openStore opens (and migrates) the store that serve's --database-url and --data name.
func openStore(ctx context.Context, args []string) (accord.Store, error) {
	c, err := parseServe(args)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, c.databaseURL, c.data)
}

// bench runs one of the benchmarks: previews, load or seed.
func bench(ctx context.Context, args []string, out io.Writer) error {
	switch {
	case len(args) == 2 && args[0] == "previews":
		return preview.Bench(ctx, args[1], out)
	case len(args) > 0 && args[0] == "load":
		return benchLoad(ctx, args[1:], out)
	case len(args) > 0 && args[0] == "seed":
		return benchSeed(ctx, args[1:], out)
	}
	return fmt.Errorf("usage: accord bench previews DIR | bench load [flags] | bench seed --engagements N [flags]\n\n%s", usage)
}

// receiveMail runs the SMTP server that takes clients' replies into their engagements.
func receiveMail(a *app.App, addr string, out io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot receive mail on %s: %w (choose another with --smtp-listen)", addr, err)
	}
	srv := inbound.NewServer(a.Inbound(), inbound.Config{Domain: a.MailDomain, Log: slog.Default()})
	go func() {
		if err := srv.Serve(ln); err != nil {
			slog.Error("smtp server", "err", err)
		}
	}()
	fmt.Fprintf(out, "Accord receives replies by SMTP on %s, for addresses @%s\n", ln.Addr(), a.MailDomain)
	return func() { srv.Close() }, nil
}

// checkRecordsEvery rebuilds every workspace's record from its events and holds it to the heads
// handed out, now and then every period, logging what does not hold.
func checkRecordsEvery(ctx context.Context, a *app.App, period time.Duration) {
	every(ctx, period, func() {
		if n, err := a.CheckAllRecords(ctx); err != nil && ctx.Err() == nil {
			slog.Error("record check", "err", err)
		} else if n > 0 {
			slog.Error("records that do not hold; see the errors above", "workspaces", n)
		}
	})
}

// lazyPDF starts the PDF renderer when it is first needed, so that serve answers at once.
type lazyPDF struct {
	cfg  pdfrender.Config
	once sync.Once
	done chan struct{} // closed once the renderer started, or failed to
	r    *pdfrender.Renderer
	err  error
}

// newLazyPDF keeps PDFium, compiled, in the user's cache folder (the server's own user: it is
// code that runs), so that it compiles once per machine rather than on every start.
func newLazyPDF() *lazyPDF {
	cfg := pdfrender.Config{}
	if dir, err := os.UserCacheDir(); err == nil {
		cfg.CacheDir = filepath.Join(dir, "accord", "pdfium")
	}
	return &lazyPDF{cfg: cfg, done: make(chan struct{})}
}

func (l *lazyPDF) ready() (*pdfrender.Renderer, error) {
	l.once.Do(func() {
		defer close(l.done)
		if l.r, l.err = pdfrender.New(l.cfg); l.err != nil {
			slog.Error("PDFs get no previews: the renderer did not start", "err", l.err)
		}
	})
	return l.r, l.err
}

// RenderEach renders pages of a PDF with the renderer, starting it if need be.
func (l *lazyPDF) RenderEach(ctx context.Context, pdf []byte, first, n, maxSide int, use func(int, image.Image) error) error {
	r, err := l.ready()
	if err != nil {
		return err
	}
	return r.RenderEach(ctx, pdf, first, n, maxSide, use)
}

// Close stops the renderer if it has started; one still starting is left to the process's end.
func (l *lazyPDF) Close() {
	select {
	case <-l.done:
		if l.r != nil {
			l.r.Close()
		}
	default:
	}
}
