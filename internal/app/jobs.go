package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/jobs"
)

// The kinds of job.
const (
	// JobSendMail sends one email of the outbox.
	JobSendMail = "send_mail"
)

type mailArgs struct {
	ID string `json:"id"`
}

// mailBackoff is the wait after each failed try to send an email: a relay that is down for a
// day still gets every email, and the freelancer learns of one that never went within a day.
var mailBackoff = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// nudgeBackoff is the wait after a nudge that failed (a conflicting change, a database away).
var nudgeBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

// JobKinds are the jobs Accord runs, each with its handler.
func (a *App) JobKinds() []jobs.Kind {
	return []jobs.Kind{
		// The emails one commit queues go out as one job: one row for River to insert, fetch and
		// complete rather than one each, on the writer that every change waits for.
		{Name: JobSendMail, MaxAttempts: len(mailBackoff) + 1, Backoff: backoff(mailBackoff), Handle: a.sendMail, Merge: true},
		{Name: JobNudge, MaxAttempts: 10, Backoff: backoff(nudgeBackoff), Handle: a.nudge},
		{Name: JobReport, MaxAttempts: 10, Backoff: backoff(nudgeBackoff), Handle: a.report},
		{Name: JobReleaseMessage, MaxAttempts: 10, Backoff: backoff(nudgeBackoff), Handle: a.releaseMessage},
		{Name: JobPreview, MaxAttempts: len(previewBackoff) + 1, Backoff: backoff(previewBackoff), Handle: a.makePreview,
			Queue: previewQueue, Timeout: previewTimeout},
	}
}

func backoff(waits []time.Duration) func(int) time.Duration {
	return func(n int) time.Duration { return waits[min(max(n, 1), len(waits))-1] }
}

// OpenJobs sets up the job runner on the app's store, so that changes can schedule jobs, without
// working any. poll is how often SQLite is asked for new jobs (0: River's default).
func (a *App) OpenJobs(ctx context.Context, poll time.Duration) (err error) {
	a.Jobs, err = jobs.Open(ctx, a.Store, jobs.Config{Kinds: a.JobKinds(), Clock: a.Clock, Poll: poll, Workers: 4,
		Queues: map[string]int{previewQueue: previewWorkers}, Log: a.Log})
	return err
}

// StartJobs sets up the job runner, unless OpenJobs did, and starts working jobs; stop waits
// for those under way.
func (a *App) StartJobs(ctx context.Context, poll time.Duration) (stop func(), err error) {
	if a.Jobs == nil {
		if err := a.OpenJobs(ctx, poll); err != nil {
			return nil, err
		}
	}
	if err := a.Jobs.Start(ctx); err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := a.Jobs.Stop(ctx); err != nil {
			a.Log.Error("jobs did not stop cleanly", "err", err)
		}
	}, nil
}

// RunJob runs one job once, now, as its last try: for the command line.
func (a *App) RunJob(ctx context.Context, kind string, args json.RawMessage) error {
	for _, k := range a.JobKinds() {
		if k.Name == kind {
			return k.Handle(ctx, args, jobs.Try{Attempt: 1, MaxAttempts: 1})
		}
	}
	return fmt.Errorf("no job of kind %q; the kinds are %s", kind, a.jobKindNames())
}

func (a *App) jobKindNames() string {
	s := ""
	for i, k := range a.JobKinds() {
		if i > 0 {
			s += ", "
		}
		s += k.Name
	}
	return s
}

// enqueue schedules jobs in the transaction tx; in a batching one (see batchTx) they are held
// and inserted with the others when it ends.
func (a *App) enqueue(tx accord.Tx, js ...jobs.Job) error {
	if a.Jobs == nil {
		return errors.New("jobs: no job runner is set up")
	}
	if b, ok := tx.(*batchTx); ok {
		b.jobs = append(b.jobs, js...)
		return nil
	}
	return a.Jobs.Enqueue(tx, js...)
}

// batchTx is a write transaction that holds the jobs its change schedules, to insert them
// together in one statement before it commits (flushJobs): a change that mails the client
// and schedules the next nudge inserts once, not twice.
//
// It also keeps the workspaces and clients it read, which a change reads several times (for
// the message, the mail, the steps) and seldom changes: a change to one through it forgets it.
type batchTx struct {
	accord.Tx
	jobs       []jobs.Job
	workspaces map[string]accord.Workspace
	clients    map[[2]string]accord.Client // by workspace and id
}

func (b *batchTx) Client(workspaceID, id string) (accord.Client, error) {
	key := [2]string{workspaceID, id}
	c, ok := b.clients[key]
	if !ok {
		var err error
		if c, err = b.Tx.Client(workspaceID, id); err != nil {
			return c, err
		}
		if b.clients == nil {
			b.clients = map[[2]string]accord.Client{}
		}
		b.clients[key] = c
	}
	c.RedFlags = slices.Clone(c.RedFlags)
	return c, nil
}

func (b *batchTx) UpdateClient(c accord.Client) error {
	delete(b.clients, [2]string{c.WorkspaceID, c.ID})
	return b.Tx.UpdateClient(c)
}

func (b *batchTx) SetRedFlags(workspaceID, clientID string, flags []accord.RedFlag) error {
	delete(b.clients, [2]string{workspaceID, clientID})
	return b.Tx.SetRedFlags(workspaceID, clientID, flags)
}

func (b *batchTx) SetClientTrust(workspaceID, clientID, reason string) error {
	delete(b.clients, [2]string{workspaceID, clientID})
	return b.Tx.SetClientTrust(workspaceID, clientID, reason)
}

func (b *batchTx) Workspace(id string) (accord.Workspace, error) {
	if w, ok := b.workspaces[id]; ok {
		w.Muted = slices.Clone(w.Muted)
		return w, nil
	}
	w, err := b.Tx.Workspace(id)
	if err != nil {
		return w, err
	}
	if b.workspaces == nil {
		b.workspaces = map[string]accord.Workspace{}
	}
	b.workspaces[id] = w
	w.Muted = slices.Clone(w.Muted)
	return w, nil
}

func (b *batchTx) UpdateWorkspace(w accord.Workspace) error {
	delete(b.workspaces, w.ID)
	return b.Tx.UpdateWorkspace(w)
}

// flushJobs inserts the jobs b holds (the runner inserts each unique job once).
func (a *App) flushJobs(b *batchTx) error {
	if len(b.jobs) == 0 {
		return nil
	}
	js := b.jobs
	b.jobs = nil
	return a.Jobs.Enqueue(b.Tx, js...)
}

// save stores an engagement with its new events, and schedules the nudge that falls due next.
func (a *App) save(tx accord.Tx, e *accord.Engagement) error {
	if err := tx.SaveEngagement(e); err != nil {
		return err
	}
	return a.schedule(tx, e)
}

// sendMail sends one email of the outbox unless it went already; a failed try is recorded with
// its reason and the time of the next, and after the last the email is marked failed.
func (a *App) sendMail(ctx context.Context, raw json.RawMessage, try jobs.Try) error {
	var args mailArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return err
	}
	var m accord.Mail
	if err := a.Store.Read(ctx, func(tx accord.Tx) (err error) { m, err = tx.Mail(args.ID); return err }); err != nil {
		return err
	}
	if m.State == accord.MailSent {
		return nil // sent before a crash, or a repeat
	}
	if headKinds[m.Kind] && m.HeadSize == 0 {
		stamped, err := a.stampHead(ctx, m)
		if err != nil { // not sent without its head; failed like a send when tries run out
			return a.recordTry(ctx, m, err, try)
		}
		m = stamped
	}
	if a.Mailer == nil {
		return nil // the outbox is the only destination
	}
	if err := a.setReplyTo(ctx, &m); err != nil {
		return err
	}
	if err := a.loadAttachments(ctx, &m); err != nil { // a blob away: tried again like a failed send
		return a.recordTry(ctx, m, err, try)
	}
	return a.recordTry(ctx, m, a.Mailer.Send(ctx, m), try)
}

// recordTry keeps the outcome of a try to send m: sent, queued for the next try with the reason,
// or failed after the last. It returns sendErr, so that the job is tried again.
func (a *App) recordTry(ctx context.Context, m accord.Mail, sendErr error, try jobs.Try) error {
	rec := accord.MailTry{State: accord.MailSent, SentAt: a.Clock.Now()}
	if sendErr != nil {
		rec = accord.MailTry{State: accord.MailQueued, Error: sendErr.Error(), RetryAt: try.RetryAt}
		if try.Last() {
			rec.State = accord.MailFailed
			a.Log.Error("mail not sent after its last try", "to", m.To, "subject", m.Subject, "err", sendErr)
		}
	}
	if err := a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetMailState(m.ID, rec) }); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

// loadAttachments reads the files an email carries from their blobs.
func (a *App) loadAttachments(ctx context.Context, m *accord.Mail) error {
	for i := range m.Attachments {
		f := &m.Attachments[i]
		r, err := a.Blobs.Open(ctx, f.SHA256)
		if err != nil {
			return fmt.Errorf("attachment %s: %w", f.Name, err)
		}
		f.Data, err = io.ReadAll(r)
		r.Close()
		if err != nil {
			return fmt.Errorf("attachment %s: %w", f.Name, err)
		}
	}
	return nil
}
