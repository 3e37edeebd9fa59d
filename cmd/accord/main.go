// Command accord runs Accord: the server, and the commands around it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // client time zones resolve on machines without a zoneinfo database
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accord:", err)
		os.Exit(1)
	}
}

const usage = `usage: accord <command> [flags]

commands:
  serve            run the web app, the client portal and the JSON API
  migrate          bring the database schema up to date and exit
  prune            remove expired sessions, portal links and page messages, and exit
  job KIND ARGS    run one background job once, now, e.g. job send_mail '{"id":"mail_…"}'
  export --engagement ID --out FILE   write an engagement's evidence bundle (a zip)
  verify FILE      check an evidence bundle offline; exits 1 naming the first event that fails
  bench previews DIR   render watermarked previews of the images in DIR and report previews/s
  bench load [--duration 5s] [--workers 8] [--engagements N] [--data DIR | --database-url URL]
                   seed a workspace (a big engagement of 500 messages and 1,000+ events, 8 writers'
                   engagements, N others), serve it beside a hello-world handler, and report each
                   route's req/s, p50 and p99, closed-loop then open-loop at half that rate
  bench seed --engagements N [--data DIR | --database-url URL]
                   add N engagements in several states to the bench workspace, 500 a transaction

Run "accord serve -h" for the server's flags; each also reads an ACCORD_* environment variable.`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("no command given\n\n%s", usage)
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], out)
	case "migrate":
		return migrate(ctx, args[1:], out)
	case "prune":
		return pruneOnce(ctx, args[1:], out)
	case "job":
		return runJob(ctx, args[1:], out)
	case "export":
		return export(ctx, args[1:], out)
	case "verify":
		return verify(args[1:], out)
	case "bench":
		return bench(ctx, args[1:], out)
	case "help", "-h", "--help":
		fmt.Fprintln(out, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}
