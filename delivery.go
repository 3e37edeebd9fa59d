package accord

import (
	"strings"
	"time"
)

// Delivery is work handed over for a milestone; the client sees previews until it is paid.
type Delivery struct {
	ID            string    `json:"id"`
	MilestoneID   string    `json:"milestone_id"`
	Note          string    `json:"note"`
	State         string    `json:"state"` // submitted, accepted, changes_requested
	Files         []File    `json:"files"`
	At            time.Time `json:"at"`
	WhatIsWrong   string    `json:"what_is_wrong,omitempty"`
	DesiredResult string    `json:"desired_result,omitempty"`
}

// The delivery states.
const (
	DeliverySubmitted        = "submitted"
	DeliveryAccepted         = "accepted"
	DeliveryChangesRequested = "changes_requested"
)

// File is one delivered file, stored by content hash; Preview is empty when none could be made.
type File struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
	// Kind is what the content is (image, pdf, document, archive, video, design, other): it
	// decides how the file is previewed.
	Kind string `json:"kind,omitempty"`
	// Listing is what an archive holds, as its headers declare it: listed, never extracted.
	Listing *Listing `json:"listing,omitempty"`
	Preview string   `json:"preview,omitempty"` // sha256 of the preview blob (the first page's)
	// Pages are the previews of every page, in order, when a document has more than one.
	Pages       []string `json:"pages,omitempty"`
	PreviewType string   `json:"preview_type,omitempty"`
	// PreviewState is FilePreviewPending while a job makes the preview; empty once it is
	// settled, with a preview or without.
	PreviewState string `json:"preview_state,omitempty"`
}

// FilePreviewPending marks a file whose preview is still being made.
const FilePreviewPending = "pending"

// PageCount is how many preview pages a file has: none, one, or each of Pages.
func (f *File) PageCount() int {
	switch {
	case f.Preview == "":
		return 0
	case len(f.Pages) > 0:
		return len(f.Pages)
	}
	return 1
}

// PreviewsPending counts a delivery's files whose previews are still being made.
func (d *Delivery) PreviewsPending() int {
	n := 0
	for _, f := range d.Files {
		if f.PreviewState == FilePreviewPending {
			n++
		}
	}
	return n
}

// Deliver hands over files for a milestone in progress. A file marked FilePreviewPending gets
// its preview later, from SetPreview.
func (e *Engagement) Deliver(c Cmd, milestoneID, note string, files []File) (string, error) {
	m := e.Milestone(milestoneID)
	if m == nil {
		return "", Errorf(ENOTFOUND, "milestone.not_found")
	}
	if err := e.requireRunning(); err != nil {
		return "", err
	}
	if m.State != MilestoneInProgress {
		return "", Errorf(ECONFLICT, "delivery.not_in_progress", "num", m.N, "state", string(m.State))
	}
	var v Invalid
	if len(files) == 0 {
		v.Add("file", "delivery.no_files")
	}
	note = v.Text("note", note, false, 20000)
	if err := v.Err(); err != nil {
		return "", err
	}
	for i := range files {
		files[i].ID = NewID("file")
	}
	id := NewID("dlv")
	e.record(c, DeliverySubmittedEvent{DeliveryID: id, MilestoneID: milestoneID, Note: note, Files: files})
	return id, nil
}

func (e *Engagement) reviewable(id string) (*Delivery, *Milestone, error) {
	d := e.Delivery(id)
	if d == nil {
		return nil, nil, Errorf(ENOTFOUND, "delivery.not_found")
	}
	m := e.Milestone(d.MilestoneID)
	if d.State != DeliverySubmitted || m.State != MilestoneDelivered {
		return nil, nil, Errorf(ECONFLICT, "delivery.not_reviewable", "state", d.State)
	}
	if err := e.requireRunning(); err != nil {
		return nil, nil, err
	}
	return d, m, nil
}

// AcceptDelivery is the client's acceptance of a delivery; its milestone is accepted.
func (e *Engagement) AcceptDelivery(c Cmd, id string) error {
	d, _, err := e.reviewable(id)
	if err != nil {
		return err
	}
	e.record(c, DeliveryAcceptedEvent{DeliveryID: d.ID, MilestoneID: d.MilestoneID})
	return nil
}

// RequestChanges sends a delivery back; the client must say what is wrong and what would satisfy.
// The freelancer's replies are held for coolingOff afterwards.
func (e *Engagement) RequestChanges(c Cmd, id, whatIsWrong, desired string, coolingOff time.Duration) error {
	d, _, err := e.reviewable(id)
	if err != nil {
		return err
	}
	var v Invalid
	if strings.TrimSpace(whatIsWrong) == "" {
		v.Add("what_is_wrong", "delivery.what_is_wrong")
	}
	if strings.TrimSpace(desired) == "" {
		v.Add("desired_result", "delivery.desired_result")
	}
	whatIsWrong = v.Text("what_is_wrong", whatIsWrong, false, 20000)
	desired = v.Text("desired_result", desired, false, 20000)
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, ChangesRequested{DeliveryID: d.ID, MilestoneID: d.MilestoneID, WhatIsWrong: whatIsWrong,
		DesiredResult: desired, CoolingOffUntil: c.Now.Add(coolingOff).UTC()})
	return nil
}

// OriginalReleased reports whether the client may download a delivered file's original:
// only once its milestone is paid in full.
func (e *Engagement) OriginalReleased(d *Delivery) bool {
	m := e.Milestone(d.MilestoneID)
	return m != nil && m.PaidInFull()
}

// Listing is the first entries an archive declares, and how many there are in all.
type Listing struct {
	Entries []ListedEntry `json:"entries"`
	More    bool          `json:"more,omitempty"` // the archive holds more than are listed
	Size    int64         `json:"size"`           // the listed entries' declared sizes, summed
}

// ListedEntry is one file or folder of an archive.
type ListedEntry struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	Dir  bool   `json:"dir,omitempty"`
}

// FileDownloaded records that the client took a released original.
type FileDownloaded struct {
	FileID     string `json:"file_id"`
	DeliveryID string `json:"delivery_id"`
	Name       string `json:"name"`
}

func (FileDownloaded) EventType() string        { return "file.downloaded" }
func (FileDownloaded) apply(*Engagement, Event) {}

// RecordDownload puts on the record that the client downloaded an original, which only a paid
// milestone releases.
func (e *Engagement) RecordDownload(c Cmd, fileID string) error {
	f, d := e.File(fileID)
	if f == nil {
		return Errorf(ENOTFOUND, "file.not_found")
	}
	if !e.OriginalReleased(d) {
		m := e.Milestone(d.MilestoneID)
		return Errorf(EPAYMENT, "file.unpaid", "due", m.Price.Sub(m.Paid))
	}
	e.record(c, FileDownloaded{FileID: f.ID, DeliveryID: d.ID, Name: f.Name})
	return nil
}

// PreviewMade fills in a delivered file's preview, made after the delivery: its pages, or none.
type PreviewMade struct {
	DeliveryID  string   `json:"delivery_id"`
	FileID      string   `json:"file_id"`
	Preview     string   `json:"preview,omitempty"`
	Pages       []string `json:"pages,omitempty"`
	PreviewType string   `json:"preview_type,omitempty"`
}

func (PreviewMade) EventType() string { return "preview.ready" }
func (d PreviewMade) apply(e *Engagement, _ Event) {
	f, _ := e.File(d.FileID)
	f.Preview, f.Pages, f.PreviewType, f.PreviewState = d.Preview, d.Pages, d.PreviewType, ""
}

// SetPreview settles the preview of a file delivered with its preview pending: p's Preview,
// Pages and PreviewType, all empty when none could be made. It reports whether it changed
// anything: a preview settled already (a job run twice) is left as it is.
func (e *Engagement) SetPreview(c Cmd, fileID string, p File) (bool, error) {
	f, d := e.File(fileID)
	if f == nil {
		return false, Errorf(ENOTFOUND, "file.not_found")
	}
	if f.PreviewState != FilePreviewPending {
		return false, nil
	}
	if p.Preview == "" {
		p.Pages, p.PreviewType = nil, ""
	}
	e.record(c, PreviewMade{DeliveryID: d.ID, FileID: f.ID, Preview: p.Preview, Pages: p.Pages, PreviewType: p.PreviewType})
	return true, nil
}
