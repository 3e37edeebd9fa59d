package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/app"
	"github.com/accordapp/accord/internal/server"
	"github.com/accordapp/accord/internal/store/sqlite"
	"github.com/accordapp/accord/internal/store/sqlstore"
)

// loadFlags are bench load's: the database, the workload's size and how long each route is driven.
type loadFlags struct {
	data, databaseURL                       string
	duration, timeout                       time.Duration
	workers, writers, messages, engagements int
	maxRSS                                  int64 // bytes; a route is stopped past it
	cpuProfile, only                        string
}

func parseLoad(args []string) (loadFlags, error) {
	var fl loadFlags
	fs := flag.NewFlagSet("bench load", flag.ContinueOnError)
	fs.StringVar(&fl.data, "data", "", "data folder to seed and serve; default a temporary one, removed after")
	fs.StringVar(&fl.databaseURL, "database-url", "", "postgres://… of a server on which a fresh database accord_bench_PID is made and dropped after")
	fs.DurationVar(&fl.duration, "duration", 5*time.Second, "how long each route is driven, in each mode")
	fs.DurationVar(&fl.timeout, "timeout", 30*time.Second, "longest wait for one answer")
	fs.IntVar(&fl.workers, "workers", 8, "concurrent requests of the closed loop")
	fs.IntVar(&fl.writers, "writers", 8, "clients posting messages, each on an engagement of its own")
	fs.IntVar(&fl.messages, "messages", 500, "messages on the big engagement, which gets twice as many events")
	fs.IntVar(&fl.engagements, "engagements", 0, "background engagements in the workspace; seeded unless --data has them")
	fs.StringVar(&fl.only, "only", "", "drive only the routes whose name holds this text (and hello world)")
	fs.StringVar(&fl.cpuProfile, "cpuprofile", "", "write a CPU profile of the routes' driving to this file (go tool pprof)")
	maxRSS := fs.Int64("max-rss", 4096, "MB of memory past which a route is stopped, so that no run takes the machine down")
	if err := fs.Parse(args); err != nil {
		return fl, err
	}
	fl.maxRSS = *maxRSS << 20
	if fl.duration <= 0 || fl.timeout <= 0 || fl.workers <= 0 || fl.writers <= 0 || fl.messages < 2 || fl.engagements < 0 {
		return fl, errors.New("bench load: --duration, --timeout, --workers and --writers must be positive, --messages at least 2, --engagements not negative")
	}
	return fl, nil
}

// benchLoad seeds the workload, serves it beside hello world, and drives every route closed-loop
// then open-loop at half the rate it reached; see the usage text for the workload.
func benchLoad(ctx context.Context, args []string, out io.Writer) error {
	fl, err := parseLoad(args)
	if err != nil {
		return err
	}
	env, err := openBenchEnv(ctx, fl)
	if err != nil {
		return err
	}
	defer env.close()
	background, err := env.seedBackground(ctx, fl.engagements, out)
	if err != nil {
		return err
	}
	w, err := seedWorkload(ctx, env.a, fl.messages, fl.writers)
	if err != nil {
		return fmt.Errorf("seeding the workload: %w", err)
	}
	base, hello, err := env.serve()
	if err != nil {
		return err
	}
	time.Sleep(2 * time.Second)                           // the seeding's mail jobs finish before the first route is driven
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // the peak below is the serving's, not the seeding's
	fmt.Fprintf(out, "accord bench load: %s, GOMAXPROCS %d, load average %s; seeded: 1 big engagement (%d messages, %d events), %d writer engagements, %d background engagements over %d clients; %s per route and mode\n",
		env.label, runtime.GOMAXPROCS(0), loadAverage(), w.messages, w.events, fl.writers, background, benchClients, fl.duration)
	if fl.cpuProfile != "" {
		f, err := os.Create(fl.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	routes := w.routes(base, hello)
	if fl.only != "" { // hello world first, always: the others are measured against it
		routes = append(routes[:1], slices.DeleteFunc(routes[1:], func(r route) bool { return !strings.Contains(r.name, fl.only) })...)
	}
	// The peak is the serving's own: seeding, which runs in this process when --engagements asks
	// for it without --data, is not part of the load run.
	peakSince := "while serving"
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		peakSince = "since the process started, seeding included"
	}
	stats, _ := env.a.Store.(sqlstore.WriteCounter)
	var before sqlstore.WriteStats
	if stats != nil {
		before = stats.WriteStats()
	}
	results, err := runRoutes(ctx, routes, fl, out)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	env.compareWrites(ctx, results, fl.duration, out)
	if stats != nil {
		s := stats.WriteStats()
		fmt.Fprintf(out, "commits while serving: %d writes in %d commits (%.2f a commit), %d of them finding their engagement already decoded\n",
			s.Writes-before.Writes, s.Commits-before.Commits, float64(s.Writes-before.Writes)/float64(max(1, s.Commits-before.Commits)), s.Warm-before.Warm)
	}
	fmt.Fprintf(out, "peak RSS %s (VmHWM; server and load generator are one process): %d MB (target under 200 MB)\n", peakSince, procStatus("VmHWM")>>20)
	return failures(results)
}

// benchEnv is the app the bench serves, on its database, and what to undo when it is done.
type benchEnv struct {
	a      *app.App
	data   string
	marker string
	label  string // the database, as the header names it
	pgURL  string // the bench's own PostgreSQL database; "" on SQLite
	undo   []func()
}

func (e *benchEnv) close() {
	for i := len(e.undo) - 1; i >= 0; i-- {
		e.undo[i]()
	}
}

// openBenchEnv opens the app as serve does, jobs working, on a temporary data folder or --data,
// and on SQLite there or a fresh PostgreSQL database.
func openBenchEnv(ctx context.Context, fl loadFlags) (*benchEnv, error) {
	e := &benchEnv{data: fl.data}
	if e.data == "" {
		dir, err := os.MkdirTemp("", "accord-bench-")
		if err != nil {
			return nil, err
		}
		e.data = dir
		e.undo = append(e.undo, func() { os.RemoveAll(dir) })
	}
	c := config{data: e.data}
	e.label, e.marker = "SQLite "+filepath.Join(e.data, "accord.db"), markerPath("", e.data)
	if fl.databaseURL != "" {
		u, drop, err := freshPostgres(ctx, fl.databaseURL)
		if err != nil {
			e.close()
			return nil, err
		}
		e.undo = append(e.undo, drop)
		c.databaseURL, e.pgURL, e.marker = u.String(), u.String(), ""
		e.label = "PostgreSQL " + u.Redacted()
	}
	if err := e.openApp(ctx, c); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *benchEnv) openApp(ctx context.Context, c config) error {
	a, err := c.openApp(ctx, accord.SystemClock{}, true)
	if err != nil {
		return err
	}
	e.a = a
	e.undo = append(e.undo, func() { a.Store.Close() })
	if err := a.OpenJobs(ctx, 0); err != nil {
		return err
	}
	if _, err := a.RebuildSnapshots(ctx); err != nil {
		return err
	}
	stop, err := a.StartJobs(ctx, 0)
	if err != nil {
		return err
	}
	e.undo = append(e.undo, stop)
	return nil
}

// freshPostgres makes the database accord_bench_PID on the server base names, and drops it after.
func freshPostgres(ctx context.Context, base string) (*url.URL, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, nil, fmt.Errorf("--database-url: %w", err)
	}
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", u.Redacted(), err)
	}
	name := fmt.Sprintf("accord_bench_%d", os.Getpid())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		return nil, nil, fmt.Errorf("cannot make the bench's database %s: %w", name, err)
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "accord: the bench's database %s is left behind: %v\n", name, err)
		}
		conn.Close(ctx)
	}
	u.Path = "/" + name
	return u, drop, nil
}

// seedBackground seeds the engagements the data folder lacks of n, and says how many there are.
func (e *benchEnv) seedBackground(ctx context.Context, n int, out io.Writer) (int, error) {
	have := seeded(e.marker)
	if have >= n {
		return have, nil
	}
	s := seeding{a: e.a, out: out, batch: 500, marker: e.marker}
	if err := s.run(ctx, n-have); err != nil {
		return 0, err
	}
	return n, nil
}

// serve starts the app's server and hello world, each on a loopback port of its own, until
// the bench ends; it returns their addresses.
func (e *benchEnv) serve() (base, hello string, err error) {
	srv := server.New(e.a, e.a.Catalog)
	helloWorld := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "Hello, World!") })
	var addrs []string
	for _, h := range []http.Handler{srv.Handler(), helloWorld} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", "", err
		}
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(ln)
		e.undo = append(e.undo, func() { hs.Close() })
		addrs = append(addrs, "http://"+ln.Addr().String())
	}
	e.a.BaseURL = addrs[0]
	return addrs[0], addrs[1], nil
}

// procStatus is a size field of /proc/self/status (VmHWM, VmRSS) in bytes; 0 where there is none.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if _, err := fmt.Sscanf(sc.Text(), field+": %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}

// route is one request the bench drives, from one client or, for writes, from several each
// with its own target.
type route struct {
	name    string
	targets []vegeta.Target
	want    string // what the first answer holds: a sign-in page must not pass for the page
}

// routes are the workload's routes, in the order they are driven; the writes come last, so
// that the reads see the workload as seeded.
func (w workload) routes(base, hello string) []route {
	h := func(kv ...string) http.Header {
		hd := http.Header{"Accept-Encoding": {"gzip"}} // as a browser asks; the bench does not unzip
		for i := 0; i < len(kv); i += 2 {
			hd.Set(kv[i], kv[i+1])
		}
		return hd
	}
	get := func(path string, hd http.Header) []vegeta.Target {
		return []vegeta.Target{{Method: http.MethodGet, URL: base + path, Header: hd}}
	}
	portal, token := h("Cookie", "accord_portal="+w.portal), h("Authorization", "Bearer "+w.token)
	web := h("Cookie", "accord_session="+w.web)
	var posts []vegeta.Target
	for _, s := range w.writers {
		posts = append(posts, vegeta.Target{Method: http.MethodPost, URL: base + "/portal/api/messages",
			Header: h("Authorization", "Bearer "+s, "Content-Type", "application/json"),
			Body:   []byte(`{"body": "Thanks, the second concept is the one. Could the blue be a little darker?"}`)})
	}
	return []route{
		{"hello world", []vegeta.Target{{Method: http.MethodGet, URL: hello + "/", Header: h()}}, "Hello, World!"},
		{"GET /portal", get("/portal", portal), w.bigTitle},
		{"GET /app/engagements/{id}", get("/app/engagements/"+w.bigID, web), w.bigTitle},
		{"GET /portal/api/engagement", get("/portal/api/engagement", portal), w.bigID},
		{"GET /api/v1/engagements", get("/api/v1/engagements", token), w.bigID},
		{"GET /api/v1/engagements/{id}", get("/api/v1/engagements/"+w.bigID, token), w.bigID},
		{"GET /app", get("/app", web), w.bigTitle},
		{"POST /portal/api/messages", posts, `"id"`},
	}
}

// check asks each of the route's targets once, and refuses an answer that is not 2xx or lacks
// what the route's page or document must hold.
func (r route) check(ctx context.Context, timeout time.Duration) error {
	c := &http.Client{Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, t := range r.targets {
		req, err := http.NewRequestWithContext(ctx, t.Method, t.URL, bytes.NewReader(t.Body))
		if err != nil {
			return err
		}
		req.Header = t.Header.Clone()
		req.Header.Del("Accept-Encoding") // Go unzips what it asked for itself
		resp, err := c.Do(req)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		if resp.StatusCode/100 != 2 || !bytes.Contains(body, []byte(r.want)) {
			return fmt.Errorf("%s answered %s without %q: %.200q", r.name, resp.Status, r.want, body)
		}
	}
	return nil
}

// measured is what a route answered in one mode.
type measured struct {
	route   string
	rate    float64 // the arrival rate of the open loop; 0 for the closed loop
	m       vegeta.Metrics
	non2xx  int
	cpu     time.Duration // the process's CPU time over the run, server and load generator both
	stopped string        // why the run was stopped before its time, if it was
}

func (r measured) mode() string {
	if r.rate == 0 {
		return "closed"
	}
	return "open"
}

// runRoutes checks each route, drives it closed-loop, then open-loop at half the rate it
// reached, and prints a line for each as it goes.
func runRoutes(ctx context.Context, routes []route, fl loadFlags, out io.Writer) ([]measured, error) {
	fmt.Fprintf(out, rowFormat, "route", "mode", "clients", "rate asked", "req/s", "p50", "p99", "×hello", "non-2xx", "CPU/req", "")
	var all []measured
	var hello float64
	for i, r := range routes {
		if err := r.check(ctx, fl.timeout); err != nil { // not driven: failed in the table, and the run
			failed := measured{route: r.name, stopped: "first request: " + err.Error()}
			printRow(out, r, failed, hello, fl)
			all = append(all, failed)
			settle(fl.maxRSS, fl.timeout)
			continue
		}
		closed := attack(ctx, r, 0, fl)
		if i == 0 {
			hello = closed.m.Throughput
		}
		printRow(out, r, closed, hello, fl)
		all = append(all, closed)
		if half := closed.m.Throughput / 2; half > 0 && closed.stopped == "" && closed.non2xx == 0 && ctx.Err() == nil {
			open := attack(ctx, r, half, fl)
			printRow(out, r, open, hello, fl)
			all = append(all, open)
		}
		settle(fl.maxRSS, fl.timeout)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	fmt.Fprintln(out, "×hello: the route's req/s as a share of hello world's, closed-loop (the target for the pages is 0.1). Open loop: each route at half its own closed-loop rate; the target is p99 under 20ms there. CPU/req: the process's CPU time per request, server and load generator together.")
	return all, nil
}

const rowFormat = "%-28s  %-6s  %7s  %10s  %9s  %8s  %8s  %7s  %7s  %8s  %s\n"

func printRow(out io.Writer, r route, m measured, hello float64, fl loadFlags) {
	clients, asked, ratio := strconv.Itoa(max(fl.workers, len(r.targets))), "max", "-"
	if m.rate > 0 {
		clients, asked = "-", fmt.Sprintf("%.1f/s", m.rate)
	} else if m.m.Throughput > 0 {
		ratio = strconv.FormatFloat(m.m.Throughput/hello, 'f', 4, 64)
	}
	note := ""
	if m.stopped != "" {
		note = "stopped: " + m.stopped
	} else if m.rate > 0 && m.m.Latencies.P99 >= 20*time.Millisecond {
		note = "p99 over 20ms"
	}
	fmt.Fprintf(out, rowFormat, r.name, m.mode(), clients, asked, fmt.Sprintf("%.1f", m.m.Throughput),
		ms(m.m.Latencies.P50), ms(m.m.Latencies.P99), ratio, strconv.Itoa(m.non2xx), cpuPerRequest(m), note)
}

// cpuPerRequest is the CPU time the process spent per request answered, in microseconds: what a
// route costs the machine beside the rate it reaches (a rate held back by one writer uses less
// than the cores). It counts the load generator's share too, which hello world's row shows alone.
func cpuPerRequest(m measured) string {
	if m.cpu <= 0 || m.m.Requests == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0fµs", float64(m.cpu)/float64(m.m.Requests)/1e3)
}

// ms writes a latency in milliseconds, to two digits past the point below 10ms.
func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	}
	return fmt.Sprintf("%.0fms", float64(d)/1e6)
}

// attack drives a route for the run's duration: closed-loop (rate 0) with the run's workers
// shared among its targets, or open-loop at rate requests per second shared among them.
func attack(ctx context.Context, r route, rate float64, fl loadFlags) measured {
	res := measured{route: r.name, rate: rate}
	var mu sync.Mutex
	var wg sync.WaitGroup
	atks := make([]*vegeta.Attacker, len(r.targets))
	// Each attacker's connections are closed when its run ends: left open, the idle ones of
	// every route before would stay on both sides (two minutes on the server), in the memory
	// and the goroutines of the runs after.
	var transports []*http.Transport
	defer func() {
		for _, tr := range transports {
			tr.CloseIdleConnections()
		}
	}()
	for i, t := range r.targets {
		workers := uint64(max(1, fl.workers/len(r.targets)))
		maxWorkers := workers
		pace := vegeta.Rate{Freq: 0, Per: time.Second} // as fast as the workers go
		if rate > 0 {
			pace = perSecond(rate / float64(len(r.targets)))
			maxWorkers = uint64(max(1, maxOpenWorkers/len(r.targets)))
		}
		tr := &http.Transport{DialContext: (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext, MaxIdleConnsPerHost: int(maxWorkers)}
		transports = append(transports, tr)
		atks[i] = vegeta.NewAttacker(vegeta.Client(&http.Client{Transport: tr}), vegeta.Timeout(fl.timeout), vegeta.Redirects(vegeta.NoFollow),
			vegeta.MaxBody(0), vegeta.Workers(workers), vegeta.MaxWorkers(maxWorkers))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rate > 0 { // the clients' arrivals interleave rather than come together
				time.Sleep(time.Duration(float64(i) / rate * float64(time.Second)))
			}
			for hit := range atks[i].Attack(vegeta.NewStaticTargeter(t), pace, fl.duration, r.name) {
				mu.Lock()
				res.m.Add(hit)
				mu.Unlock()
			}
		}()
	}
	done := make(chan struct{})
	stopped := watch(ctx, atks, fl.maxRSS, done)
	cpu := processCPU()
	wg.Wait()
	if cpu > 0 {
		res.cpu = processCPU() - cpu
	}
	close(done)
	res.stopped = <-stopped
	res.m.Close()
	res.non2xx = non2xx(res.m)
	return res
}

// maxOpenWorkers bounds the requests the open loop keeps waiting at once.
const maxOpenWorkers = 512

// perSecond is a steady rate of r requests a second, to a tenth of a request.
func perSecond(r float64) vegeta.Rate {
	return vegeta.Rate{Freq: max(1, int(math.Round(r*10))), Per: 10 * time.Second}
}

// watch stops the attackers when ctx ends or the process's memory passes maxRSS, until done;
// it then says why it stopped them, or "".
func watch(ctx context.Context, atks []*vegeta.Attacker, maxRSS int64, done <-chan struct{}) <-chan string {
	why := make(chan string, 1)
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		reason := ""
		for reason == "" {
			select {
			case <-done:
				why <- ""
				return
			case <-ctx.Done():
				reason = "interrupted"
			case <-t.C:
				if rss := procStatus("VmRSS"); rss > maxRSS {
					reason = fmt.Sprintf("memory at %d MB, over --max-rss", rss>>20)
				}
			}
		}
		for _, a := range atks {
			a.Stop()
		}
		<-done
		why <- reason
	}()
	return why
}

// settle gives the memory a route left behind back to the system, waiting up to timeout for
// requests the server still works on after their client gave up, so that the next route is not
// stopped for the last one's memory.
func settle(maxRSS int64, timeout time.Duration) {
	for start := time.Now(); procStatus("VmRSS") > maxRSS/2 && time.Since(start) < timeout; {
		debug.FreeOSMemory()
		time.Sleep(500 * time.Millisecond)
	}
}

// non2xx counts the answers that were not 2xx, failed requests (code 0) included.
func non2xx(m vegeta.Metrics) int {
	n := int(m.Requests)
	for code, k := range m.StatusCodes {
		if code[0] == '2' {
			n -= k
		}
	}
	return n
}

// failures is an error naming each route that answered anything but 2xx or was stopped.
func failures(rs []measured) error {
	var errs []error
	for _, r := range rs {
		if r.non2xx > 0 || r.stopped != "" {
			errs = append(errs, fmt.Errorf("%s (%s loop): %d answers not 2xx %v %s; errors: %v", r.route, r.mode(), r.non2xx, r.m.StatusCodes, r.stopped, r.m.Errors))
		}
	}
	if errs != nil {
		return fmt.Errorf("routes failed, a bug to look into:\n%w", errors.Join(errs...))
	}
	return nil
}

// compareWrites sets the writes' closed-loop rate beside the database's own rate of
// single-row commits on the same disk.
func (e *benchEnv) compareWrites(ctx context.Context, rs []measured, d time.Duration, out io.Writer) {
	var writes float64
	for _, r := range rs {
		if r.route == "POST /portal/api/messages" && r.rate == 0 {
			writes = r.m.Throughput
		}
	}
	if e.pgURL != "" {
		cmd, tps, err := pgbenchRate(ctx, e.pgURL, d)
		switch {
		case err != nil:
			fmt.Fprintf(out, "writes: %.1f writes/s; pgbench failed (%v); compare with: %s\n", writes, err, strings.Join(cmd, " "))
		case tps == 0:
			fmt.Fprintf(out, "writes: %.1f writes/s; compare with pgbench's single-row inserts: %s\n", writes, strings.Join(cmd, " "))
		default:
			fmt.Fprintf(out, "writes: %.1f writes/s = %.1f%% of pgbench's single-row inserts, 8 clients (%.0f tps: %s)\n", writes, 100*writes/tps, tps, strings.Join(cmd, " "))
		}
		return
	}
	raw, err := sqlite.RawCommitRate(ctx, e.data, d)
	if err != nil {
		fmt.Fprintf(out, "writes: %.1f writes/s; the raw commit rate could not be measured: %v\n", writes, err)
		return
	}
	fmt.Fprintf(out, "writes: %.1f writes/s = %.1f%% of raw single-row SQLite commits on the same disk (%.0f commits/s, one at a time, WAL, synchronous=FULL)\n", writes, 100*writes/raw, raw)
}

// loadAverage is the machine's load over 1, 5 and 15 minutes, as uptime says it; other work on
// the machine skews every figure.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
