package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/i18n"
	"github.com/accordapp/accord/internal/record"
)

// RecordView is a workspace record's signed head as handed out, with the proof that a head
// seen before (Since) is part of it.
type RecordView struct {
	Origin      string   `json:"origin"`
	Key         string   `json:"key"`
	Fingerprint string   `json:"fingerprint"`
	Checkpoint  string   `json:"checkpoint"`
	Size        int64    `json:"size"`
	Root        string   `json:"root"`
	Since       int64    `json:"since"`
	Consistency []string `json:"consistency"`
}

// signHead signs the workspace tree's head as it stands in tx and keeps it among the heads
// handed out, the anchors a later check holds the tree to.
func (a *App) signHead(tx accord.Tx, ws string) (record.Checkpoint, error) {
	return a.signHeadAt(tx, ws, 0)
}

// signHeadAt is signHead for the tree as it stood at size leaves (0: as it stands).
func (a *App) signHeadAt(tx accord.Tx, ws string, size int64) (record.Checkpoint, error) {
	tree := record.Tree{Tx: tx, WorkspaceID: ws}
	head, err := tree.Head()
	if err != nil {
		return record.Checkpoint{}, err
	}
	if size > head.Size {
		return record.Checkpoint{}, accord.Errorf(accord.EINVALID, "record.to_beyond", "size", int(head.Size))
	}
	if size > 0 && size < head.Size {
		if head, err = tree.HeadAt(size); err != nil {
			return record.Checkpoint{}, err
		}
	}
	cp, err := record.Sign(a.Keys.Signer(ws), head)
	if err != nil {
		return record.Checkpoint{}, err
	}
	return cp, tx.AddRecordHead(accord.RecordHead{WorkspaceID: ws, Size: head.Size, Root: head.Root, At: a.Clock.Now()})
}

// recordView signs the head of the tree at size to (0: as it stands) and proves it consistent
// with the one of size since (0: none).
func (a *App) recordView(ctx context.Context, ws string, since, to int64) (RecordView, error) {
	if since < 0 || to < 0 {
		return RecordView{}, accord.Errorf(accord.EINVALID, "record.since_invalid")
	}
	var v RecordView
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		cp, err := a.signHeadAt(tx, ws, to)
		if err != nil {
			return err
		}
		key := a.Keys.VerifierKey(ws)
		v = RecordView{Origin: cp.Origin, Key: key, Fingerprint: record.Fingerprint(key), Checkpoint: cp.Note,
			Size: cp.Size, Root: base64.StdEncoding.EncodeToString(cp.Root[:]), Since: since}
		if since > 0 && since <= cp.Size { // a head from beyond this tree has no proof: the tree lost it
			p, err := record.Tree{Tx: tx, WorkspaceID: ws}.Consistency(since, cp.Size)
			if err != nil {
				return err
			}
			v.Consistency = record.Base64(p)
		}
		return nil
	})
	return v, err
}

// Record is the freelancer's view of the workspace's record: the head at size to (0: now),
// proven consistent with the one at since.
func (a *App) Record(ctx context.Context, f Freelancer, since, to int64) (RecordView, error) {
	return a.recordView(ctx, f.WorkspaceID, since, to)
}

// PortalRecord is the record as the client's browser checks it: the workspace's signed head
// and its proof against the head the browser saw last.
func (a *App) PortalRecord(ctx context.Context, c Contact, since int64) (RecordView, error) {
	return a.recordView(ctx, c.WorkspaceID, since, 0)
}

// RecordKey is the workspace's public key and its fingerprint, as the client is shown them.
func (a *App) RecordKey(ws string) (key, fingerprint string) {
	key = a.Keys.VerifierKey(ws)
	return key, record.Fingerprint(key)
}

// Evidence is the engagement's evidence bundle (docs/evidence.md), its report in l's language.
func (a *App) Evidence(ctx context.Context, ws, id string, l i18n.Locale) ([]byte, error) {
	var b *record.Bundle
	var rep *Report
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(ws, id)
		if err != nil {
			return err
		}
		if b, err = record.Build(tx, a.Keys, ws, id, a.Clock.Now()); err != nil {
			return err
		}
		rep, err = a.evidenceReport(tx, e, l, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	if b.Extra["report.html"], err = rep.HTML(); err != nil {
		return nil, fmt.Errorf("evidence report: %w", err)
	}
	if b.Extra["report.pdf"], err = rep.PDF(); err != nil {
		return nil, fmt.Errorf("evidence report: %w", err)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// headKinds are the emails that matter for a dispute: each carries the record's signed head,
// stamped in when the email goes out, so that the client holds the record as it stood.
var headKinds = map[string]bool{
	"accepted": true, "delivery": true, "payment_received": true, "settlement_payment": true, "refund": true,
	"review_warning": true, "info_overdue": true, "check_in": true, "paused": true, "auto_accepted": true,
	"terminated": true, "closed_early": true, "notify_agreement_accepted": true, "call_summary": true,
}

// recordFooter is the words before the signed head in an email of a kind that carries one.
func (a *App) recordFooter(l i18n.Locale, name, ws, kind string) string {
	if !headKinds[kind] {
		return ""
	}
	_, fp := a.RecordKey(ws)
	words := a.Catalog.In(l, "mail.record_footer", map[string]any{"fingerprint": fp, "workspace": name})
	return signatureRule + words + "\n\n"
}

// stampHead puts the record's signed head, as it stands now, at the end of an email that
// carries one, once; the head joins those handed out.
func (a *App) stampHead(ctx context.Context, m accord.Mail) (accord.Mail, error) {
	err := a.Store.Write(ctx, func(tx accord.Tx) error {
		cur, err := tx.Mail(m.ID)
		if err != nil || cur.HeadSize != 0 {
			m = cur
			return err
		}
		cp, err := a.signHead(tx, m.WorkspaceID)
		if err != nil {
			return err
		}
		m.Body, m.HeadSize = cur.Body+cp.Note, max(cp.Size, 1)
		stamped, err := tx.SetMailHead(m.ID, m.Body, m.HeadSize)
		if err == nil && !stamped { // another run stamped it meanwhile: send that one's
			m, err = tx.Mail(m.ID)
		}
		return err
	})
	return m, err
}

// EngagementReplyAddress is the engagement's reply address ("" when no mail domain is set).
func (a *App) EngagementReplyAddress(ctx context.Context, ws, id string) (string, error) {
	if a.MailDomain == "" {
		return "", nil
	}
	var addr string
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		addr, err = a.ReplyAddress(tx, ws, id)
		return err
	})
	return addr, err
}

// signatureRule sets the record's part of an email apart, as a signature is ("-- " on its own
// line), so that a mail program quoting the reply leaves it out.
const signatureRule = "\n\n-- \n"

// RecordCheck is what a check of a workspace's record found.
type RecordCheck struct {
	Size  int64 `json:"size"`
	Heads int   `json:"heads"` // the heads handed out that the tree was held to
	OK    bool  `json:"ok"`
	// Problem names the first thing that does not hold, for the people who keep the server.
	Problem *RecordProblem `json:"problem,omitempty"`
}

// RecordProblem is the first leaf or head of a record that does not hold.
type RecordProblem struct {
	Index        int64  `json:"index"`
	EngagementID string `json:"engagement_id,omitempty"`
	Seq          int64  `json:"seq,omitempty"`
	Reason       string `json:"reason"`
}

// CheckRecord rebuilds the workspace's tree from the stored events alone and holds it to the
// stored hashes and to every head handed out: an event edited, removed or reordered in the
// database, or a tree rewritten to match, shows as the first leaf or head that differs. The
// outcome is kept for the dashboard.
func (a *App) CheckRecord(ctx context.Context, ws string) (RecordCheck, error) {
	var out RecordCheck
	err := a.Store.Read(ctx, func(tx accord.Tx) error {
		// The heads first: one signed meanwhile is then within the size read after it.
		heads, err := tx.RecordHeads(ws)
		if err != nil {
			return err
		}
		if out.Size, err = tx.RecordSize(ws); err != nil {
			return err
		}
		out.Heads = len(heads)
		p, err := record.Check(tx, ws, out.Size, heads)
		if err != nil {
			return err
		}
		if p != nil {
			out.Problem = &RecordProblem{Index: p.Index, EngagementID: p.EngagementID, Seq: p.Seq, Reason: p.Reason}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	out.OK = out.Problem == nil
	kept := accord.RecordCheck{WorkspaceID: ws, At: a.Clock.Now(), OK: out.OK}
	if p := out.Problem; p != nil {
		kept.Leaf, kept.EngagementID, kept.Seq = p.Index, p.EngagementID, p.Seq
	}
	return out, a.Store.Write(ctx, func(tx accord.Tx) error { return tx.SetRecordCheck(kept) })
}

// CheckAllRecords checks every workspace's record and logs what does not hold; serve runs it
// on start and every day.
func (a *App) CheckAllRecords(ctx context.Context) (broken int, err error) {
	var wss []string
	if err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		wss, err = tx.RecordWorkspaces()
		return err
	}); err != nil {
		return 0, err
	}
	for _, ws := range wss {
		c, err := a.CheckRecord(ctx, ws)
		if err != nil {
			return broken, err
		}

		if c.Problem != nil {
			broken++
			a.Log.Error("the record does not hold", "workspace", ws, "leaf", c.Problem.Index,
				"engagement", c.Problem.EngagementID, "seq", c.Problem.Seq, "reason", c.Problem.Reason)
		}
	}
	return broken, nil
}

// BrokenRecord is the workspace's last record check when it did not hold, for the dashboard;
// nil when it held or never ran.
func (a *App) BrokenRecord(ctx context.Context, f Freelancer) (*accord.RecordCheck, error) {
	var c accord.RecordCheck
	err := a.Store.Read(ctx, func(tx accord.Tx) (err error) {
		c, err = tx.LastRecordCheck(f.WorkspaceID)
		return err
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND || err == nil && c.OK {
		return nil, nil
	}
	return &c, err
}
