package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgbenchCommand is the pgbench run that measures single-row inserts on a PostgreSQL database,
// 8 clients as the writes are, with the script file it reads.
func pgbenchCommand(dbURL, script string, d time.Duration) []string {
	secs := strconv.Itoa(max(1, int(d.Round(time.Second).Seconds())))
	return []string{"pgbench", "-n", "-c", "8", "-j", "2", "-T", secs, "-f", script, dbURL}
}

var tpsLine = regexp.MustCompile(`tps = ([0-9.]+)`)

// pgbenchRate runs pgbench's single-row insert script on the database, if pgbench is installed,
// and says the command and its transactions per second.
func pgbenchRate(ctx context.Context, dbURL string, d time.Duration) (cmd []string, tps float64, err error) {
	script := filepath.Join(os.TempDir(), fmt.Sprintf("accord-bench-%d.sql", os.Getpid()))
	cmd = pgbenchCommand(dbURL, script, d)
	if _, err := exec.LookPath("pgbench"); err != nil {
		return cmd, 0, nil
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return cmd, 0, err
	}
	_, err = conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_raw (id bigserial PRIMARY KEY, body text NOT NULL)`)
	conn.Close(ctx)
	if err != nil {
		return cmd, 0, err
	}
	if err := os.WriteFile(script, []byte("INSERT INTO bench_raw (body) VALUES ('a message of the usual length');\n"), 0o600); err != nil {
		return cmd, 0, err
	}
	defer os.Remove(script)
	b, err := exec.CommandContext(ctx, cmd[0], cmd[1:]...).CombinedOutput()
	m := tpsLine.FindSubmatch(b)
	if err != nil || m == nil {
		return cmd, 0, fmt.Errorf("pgbench: %v: %s", err, b)
	}
	tps, err = strconv.ParseFloat(string(m[1]), 64)
	return cmd, tps, err
}
