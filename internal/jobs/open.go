package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/store/postgres"
	"github.com/accordapp/accord/internal/store/sqlite"
)

// dueIndex lets River's scheduler find the jobs that fall due without reading every job
// scheduled for later: its query asks for a state and scheduled_at before now, ordered by
// priority, and River's own index puts the queue and the priority between the two, so SQLite
// read all of them (200,000 scheduled reports at a million engagements: 16 ms in C SQLite,
// longer here) on the one writer connection, every few seconds, and every write waited. With
// it the query takes 0.01 ms. PostgreSQL has no one writer to hold up, so its tables are left
// as River makes them.
const dueIndex = `CREATE INDEX IF NOT EXISTS accord_river_job_due ON river_job (state, scheduled_at)`

// migrationLock is the PostgreSQL advisory lock held while River's tables are brought up to
// date, so that instances starting together take turns.
const migrationLock = 0x61636a6f62 // "acjob"

// Open brings River's tables in the store's database up to date and returns a Runner whose jobs
// commit in the store's transactions. It does not start working them.
func Open(ctx context.Context, st accord.Store, cfg Config) (*Runner, error) {
	cfg = cfg.withDefaults()
	for _, k := range cfg.Kinds {
		if _, ok := cfg.Queues[k.Queue]; k.Queue != "" && !ok {
			return nil, fmt.Errorf("jobs: kind %s runs on queue %q, which has no workers", k.Name, k.Queue)
		}
	}
	r := newRunner(cfg)
	rc := r.riverConfig(cfg)
	switch s := st.(type) {
	case *sqlite.Store:
		d := riversqlite.New(s.Writer)
		if err := migrate(ctx, d); err != nil {
			return nil, err
		}
		if _, err := s.Writer.ExecContext(ctx, dueIndex); err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		c, err := river.NewClient(d, rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		r.q = client[*sql.Tx]{c: c, plainFast: true}
	case *postgres.Store:
		conn, err := s.Pool.Acquire(ctx)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return nil, fmt.Errorf("jobs: migration lock: %w", err)
		}
		d := riverpgxv5.New(s.Pool)
		err = migrate(ctx, d)
		if _, uerr := conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock); err == nil {
			err = uerr
		}
		if err != nil {
			return nil, err
		}
		c, err := river.NewClient(d, rc)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		r.q = client[pgx.Tx]{c: c}
	default:
		return nil, fmt.Errorf("jobs: a %T store has no job queue", st)
	}
	return r, nil
}

func migrate[TTx any](ctx context.Context, d riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(d, nil)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	return nil
}
