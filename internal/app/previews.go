package app

import (
	"context"
	"encoding/json"
	"runtime"
	"time"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/jobs"
)

// JobPreview makes the preview of one delivered file.
const JobPreview = "make_preview"

// previewQueue is the pool of workers that make previews: as many as the machine has cores, the
// memory they take bounded by the app's preview budget, apart from the jobs that send mail.
const previewQueue = "previews"

// previewWorkers is how many previews are made at once.
var previewWorkers = runtime.NumCPU()

// previewTimeout ends a try at a preview that runs longer: a PDF or document that would take
// more is given up on by its renderer well before.
const previewTimeout = 3 * time.Minute

// previewBackoff is the wait after a try at a preview that failed for a reason other than the
// file itself (the blob store or the database away).
var previewBackoff = []time.Duration{10 * time.Second, time.Minute}

type previewArgs struct {
	WorkspaceID  string `json:"workspace_id"`
	EngagementID string `json:"engagement_id"`
	FileID       string `json:"file_id"`
}

// makePreview makes one delivered file's preview and puts it on the record; once the delivery's
// last preview is settled, the client is told of the delivery. A file that cannot be previewed
// is settled without one, and so is one whose every try failed, so that no delivery waits
// for ever. A preview settled already (the job run twice) is left alone.
func (a *App) makePreview(ctx context.Context, raw json.RawMessage, try jobs.Try) error {
	var args previewArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return err
	}
	var file accord.File
	var mark string
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(args.WorkspaceID, args.EngagementID)
		if err != nil {
			return err
		}
		f, _ := e.File(args.FileID)
		if f == nil {
			return accord.Errorf(accord.ENOTFOUND, "file.not_found")
		}
		file = *f
		mark, err = a.watermark(tx, e)
		return err
	})
	if err != nil {
		return err
	}
	if file.PreviewState != accord.FilePreviewPending {
		return nil
	}
	p, err := a.renderPreview(ctx, file, mark)
	if err != nil && !try.Last() {
		return err
	}
	if err != nil {
		a.Log.Error("preview not made after its last try", "file", file.Name, "err", err)
		p = accord.File{}
	}
	_, err = a.change(ctx, args.WorkspaceID, args.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmd(accord.System)
		changed, err := e.SetPreview(c, args.FileID, p)
		if err != nil || !changed {
			return err
		}
		_, d := e.File(args.FileID)
		if d.PreviewsPending() > 0 {
			return nil
		}
		return a.deliveryReady(tx, e, c, d)
	})
	return err
}

// deliveryReady tells the client of a delivery whose previews are all settled.
func (a *App) deliveryReady(tx accord.Tx, e *accord.Engagement, c accord.Cmd, d *accord.Delivery) error {
	return a.askMail(tx, e, c, "delivery", map[string]any{"num": e.Milestone(d.MilestoneID).N})
}

// watermark is what the previews of an engagement's deliveries carry: the workspace's name and
// "preview" in the client's language.
func (a *App) watermark(tx accord.Tx, e *accord.Engagement) (string, error) {
	w, err := tx.Workspace(e.WorkspaceID)
	if err != nil {
		return "", err
	}
	c, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err != nil {
		return "", err
	}
	return w.Name + " · " + a.Catalog.T(c.Language, "preview.word", nil), nil
}
