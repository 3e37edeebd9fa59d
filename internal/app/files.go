package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/archive"
	"github.com/accordapp/accord/internal/filetype"
	"github.com/accordapp/accord/internal/jobs"
)

// CheckDeliverable says whether a delivery could be made now, before any upload is read.
func (a *App) CheckDeliverable(ctx context.Context, f Freelancer, id, milestoneID string) error {
	return a.tryDeliver(ctx, f, id, milestoneID, "", []accord.File{{Name: "check"}})
}

// Upload is an uploaded file staged for a delivery: its description, and its bytes waiting to
// be committed once the delivery is known to be accepted.
type Upload struct {
	File   accord.File
	staged accord.StagedBlob
}

// StageUpload keeps one uploaded file's bytes aside and describes it, its type told by its
// content alone: never by its name (beyond Markdown among texts) or the type the browser sent.
func (a *App) StageUpload(ctx context.Context, name string, r io.Reader) (Upload, error) {
	st, err := a.Blobs.Stage(ctx, r)
	if err != nil {
		return Upload{}, err
	}
	f, err := a.Blobs.OpenStaged(st)
	if err != nil {
		a.Blobs.Discard(st)
		return Upload{}, err
	}
	defer f.Close()
	ra, ok := f.(io.ReaderAt)
	if !ok {
		ra = io.NewSectionReader(readerAt{f}, 0, st.Size)
	}
	name = CleanFileName(name)
	t, err := filetype.DetectNamed(ra, st.Size, name)
	if err != nil {
		a.Blobs.Discard(st)
		return Upload{}, err
	}
	up := Upload{File: accord.File{Name: name, Size: st.Size, SHA256: st.SHA256, ContentType: t.MIME, Kind: t.Kind}, staged: st}
	if t.Kind == filetype.Archive {
		up.File.Listing = listArchive(ra, st.Size, t.MIME)
	}
	return up, nil
}

// listedEntries is how many of an archive's entries a delivery keeps on the record.
const listedEntries = 200

// listArchive lists what an archive declares, for the client to see before paying; one that
// cannot be read is shown without a listing.
func listArchive(r io.ReaderAt, size int64, kind string) *accord.Listing {
	l, err := archive.List(r, size, kind, archive.Limits{MaxEntries: listedEntries})
	if err != nil && len(l.Entries) == 0 {
		return nil
	}
	out := &accord.Listing{More: l.Truncated || err != nil, Size: l.TotalSize}
	for _, e := range l.Entries {
		out.Entries = append(out.Entries, accord.ListedEntry{Name: e.Name, Size: e.Size, Dir: e.Dir})
	}
	return out
}

// readerAt reads a seekable file at offsets, for stores whose staged files are not os.Files.
type readerAt struct{ f io.ReadSeeker }

func (r readerAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := r.f.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(r.f, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// DiscardUploads forgets staged uploads that will not be delivered.
func (a *App) DiscardUploads(ups []Upload) {
	for _, u := range ups {
		a.Blobs.Discard(u.staged)
	}
}

// CleanFileName keeps a file's base name as valid UTF-8, without control or bidirectional
// characters (a right-to-left override could disguise "gpj.exe" as "exe.jpg"), at most 255 bytes.
func CleanFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(strings.ToValidUTF8(name, ""), "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '"' {
			return -1
		}
		return r
	}, name)
	for len(name) > 255 { // drop whole runes from the end
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." || name == "/" {
		return "file"
	}
	return name
}

// Deliver records a delivery of staged uploads. Everything the domain would refuse is checked
// before any byte is committed, so a refused delivery leaves nothing behind; then the files are
// committed and the delivery recorded at once, each preview left to a job of its own (the
// client is told of the delivery once every preview is settled).
func (a *App) Deliver(ctx context.Context, f Freelancer, id, milestoneID, note string, ups []Upload) (string, []accord.File, error) {
	defer func() {
		for _, u := range ups {
			a.Blobs.Discard(u.staged) // a committed blob is no longer staged: this only removes leftovers
		}
	}()
	files := make([]accord.File, len(ups))
	renderers := a.renderers()
	for i, u := range ups {
		files[i] = u.File
		if _, ok := renderers[u.File.Kind]; ok {
			files[i].PreviewState = accord.FilePreviewPending
		}
	}
	if err := a.tryDeliver(ctx, f, id, milestoneID, note, files); err != nil {
		return "", nil, err
	}
	for _, u := range ups {
		if err := a.Blobs.Commit(ctx, u.staged); err != nil {
			return "", nil, err
		}
	}
	var did string
	e, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) (err error) {
		c := a.cmd(f.actor())
		did, err = e.Deliver(c, milestoneID, note, files)
		if err != nil {
			return err
		}
		d := e.Delivery(did)
		var js []jobs.Job
		for _, file := range d.Files {
			if file.PreviewState == accord.FilePreviewPending {
				js = append(js, jobs.Job{Kind: JobPreview, Args: previewArgs{WorkspaceID: e.WorkspaceID, EngagementID: e.ID, FileID: file.ID}})
			}
		}
		if len(js) > 0 {
			return a.enqueue(tx, js...)
		}
		return a.deliveryReady(tx, e, c, d)
	})
	if err != nil {
		return "", nil, err
	}
	return did, e.Delivery(did).Files, nil
}

// tryDeliver runs the delivery's checks on a copy of the engagement, keeping nothing.
func (a *App) tryDeliver(ctx context.Context, f Freelancer, id, milestoneID, note string, files []accord.File) error {
	return a.Store.Read(ctx, func(tx accord.Tx) error {
		e, err := tx.Engagement(f.WorkspaceID, id)
		if err != nil {
			return err
		}
		_, err = e.Clone().Deliver(a.cmd(f.actor()), milestoneID, note, append([]accord.File(nil), files...))
		return err
	})
}

// FileContent is a file's bytes with what a response needs to describe them.
type FileContent struct {
	Body io.ReadSeekCloser
	Name string
	Type string
	File accord.File
}

// File opens a delivered file of the freelancer's engagement: its original, or its preview.
func (a *App) File(ctx context.Context, f Freelancer, id, fileID string, original bool, page int) (FileContent, error) {
	e, err := a.Engagement(ctx, f, id)
	if err != nil {
		return FileContent{}, err
	}
	return a.openFile(ctx, e, fileID, original, false, page)
}

// OriginalLink is the expiry and signature that a link to an original carries.
type OriginalLink struct{ Exp, Sig string }

// PortalFile opens a delivered file for the client: the preview always; the original only once
// paid in full, by a link signed for it that has not expired. A locked original is refused as
// unpaid whatever its link, so that the client learns how to release it.
func (a *App) PortalFile(ctx context.Context, c Contact, fileID string, original bool, page int, link OriginalLink) (FileContent, error) {
	e, _, err := a.PortalEngagement(ctx, c)
	if err != nil {
		return FileContent{}, err
	}
	fc, err := a.openFile(ctx, e, fileID, original, true, page)
	if err != nil || !original {
		return fc, err
	}
	if err := a.CheckOriginalLink(c.EngagementID, fileID, link.Exp, link.Sig); err != nil {
		fc.Body.Close()
		return FileContent{}, err
	}
	// The original goes to the client: the record says so, or it does not go.
	if _, err := a.change(ctx, c.WorkspaceID, c.EngagementID, func(_ accord.Tx, e *accord.Engagement) error {
		return e.RecordDownload(a.cmd(c.actor()), fileID)
	}); err != nil {
		fc.Body.Close()
		return FileContent{}, err
	}
	return fc, nil
}

// openFile opens a delivered file's original, or the preview of one of its pages (1 the first;
// 0 is the first too).
func (a *App) openFile(ctx context.Context, e *accord.Engagement, fileID string, original, client bool, page int) (FileContent, error) {
	file, d := e.File(fileID)
	if file == nil {
		return FileContent{}, accord.Errorf(accord.ENOTFOUND, "file.not_found")
	}
	sum, typ, name := file.SHA256, file.ContentType, file.Name
	if !original {
		if file.Preview == "" {
			return FileContent{}, accord.Errorf(accord.ENOTFOUND, "file.no_preview")
		}
		sum, typ, name = file.Preview, file.PreviewType, "preview-"+strings.TrimSuffix(file.Name, filepath.Ext(file.Name))+previewExt(file.PreviewType)
		if page > 1 {
			if page > len(file.Pages) {
				return FileContent{}, accord.Errorf(accord.ENOTFOUND, "file.no_preview")
			}
			sum = file.Pages[page-1]
		}
	} else if client && !e.OriginalReleased(d) {
		m := e.Milestone(d.MilestoneID)
		return FileContent{}, accord.Errorf(accord.EPAYMENT, "file.unpaid", "due", m.Price.Sub(m.Paid))
	}
	body, err := a.Blobs.Open(ctx, sum)
	return FileContent{Body: body, Name: name, Type: typ, File: *file}, err
}

// previewExt names a preview's type; previews made before they were all JPEGs may be PNGs.
func previewExt(typ string) string {
	if typ == "image/png" {
		return ".png"
	}
	return ".jpg"
}

// MessageFile opens a file that came with a message of the freelancer's engagement (an email's
// attachment), to download.
func (a *App) MessageFile(ctx context.Context, f Freelancer, id, messageID, fileID string) (FileContent, error) {
	var m accord.Message
	if err := a.Store.Read(ctx, func(tx accord.Tx) error {
		if _, err := tx.Engagement(f.WorkspaceID, id); err != nil {
			return err
		}
		var err error
		m, err = tx.Message(id, messageID)
		return err
	}); err != nil {
		return FileContent{}, err
	}
	for _, file := range m.Files {
		if file.ID == fileID {
			body, err := a.Blobs.Open(ctx, file.SHA256)
			return FileContent{Body: body, Name: file.Name, Type: downloadType(file.ContentType), File: file}, err
		}
	}
	return FileContent{}, accord.Errorf(accord.ENOTFOUND, "file.not_found")
}

// downloadType is the type an emailed file is served with: its own when it is one a browser
// shows without running anything, else bytes to save (a sender names the type, not Accord).
func downloadType(t string) string {
	switch t {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "text/plain; charset=utf-8":
		return t
	}
	return "application/octet-stream"
}

// OriginalLinkTTL is how long a link to an original works once the portal shows it.
const OriginalLinkTTL = time.Hour

// SignOriginal is the query that makes a link to one of the engagement's originals work, for
// OriginalLinkTTL from now: expiry and signature.
func (a *App) SignOriginal(engagementID, fileID string) string {
	exp := a.Clock.Now().Add(OriginalLinkTTL).Unix()
	return "exp=" + strconv.FormatInt(exp, 10) + "&sig=" + a.linkSig(engagementID, fileID, exp)
}

func (a *App) linkSig(engagementID, fileID string, exp int64) string {
	m := hmac.New(sha256.New, a.Keys.LinkKey())
	m.Write([]byte(engagementID + "\n" + fileID + "\n" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// CheckOriginalLink says whether a link's expiry and signature let it open the original: one
// from another engagement or file, altered, or past its time is refused, and the portal shows a
// fresh one.
func (a *App) CheckOriginalLink(engagementID, fileID, exp, sig string) error {
	n, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !hmac.Equal([]byte(sig), []byte(a.linkSig(engagementID, fileID, n))) {
		return accord.Errorf(accord.EFORBIDDEN, "file.link_invalid")
	}
	if a.Clock.Now().Unix() > n {
		return accord.Errorf(accord.EFORBIDDEN, "file.link_expired")
	}
	return nil
}
