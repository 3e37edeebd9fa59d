package accord_test

import (
	"strings"
	"testing"

	"github.com/accordapp/accord"
)

// deliveredPages returns an engagement whose first milestone was delivered with one file whose
// preview has three pages, and that file's id.
func deliveredPages(t *testing.T) (*accord.Engagement, string) {
	t.Helper()
	e := started(t)
	_, err := e.Deliver(fl(20), e.Milestones[0].ID, "", []accord.File{{Name: "book.pdf", Size: 3, SHA256: "abc", Kind: "pdf", PreviewState: accord.FilePreviewPending}})
	mustOK(t, err)
	id := e.Deliveries[0].Files[0].ID
	changed, err := e.SetPreview(accord.Cmd{Now: fl(21).Now, By: accord.System}, id, accord.File{Preview: "p1", Pages: []string{"p1", "p2", "p3"}, PreviewType: "image/jpeg"})
	mustOK(t, err)
	if !changed {
		t.Fatal("a pending preview was not set")
	}
	return e, id
}

func TestSetPreview(t *testing.T) {
	e := started(t)
	_, err := e.Deliver(fl(20), e.Milestones[0].ID, "", []accord.File{
		{Name: "a.jpg", Size: 3, SHA256: "a", PreviewState: accord.FilePreviewPending},
		{Name: "b.zip", Size: 3, SHA256: "b"},
		{Name: "c.docx", Size: 3, SHA256: "c", PreviewState: accord.FilePreviewPending},
	})
	mustOK(t, err)
	d := &e.Deliveries[0]
	if n := d.PreviewsPending(); n != 2 {
		t.Fatalf("pending previews = %d, want 2", n)
	}
	sys := accord.Cmd{Now: fl(21).Now, By: accord.System}
	if changed, err := e.SetPreview(sys, d.Files[0].ID, accord.File{Preview: "pa", PreviewType: "image/jpeg"}); err != nil || !changed {
		t.Fatalf("SetPreview = %v, %v", changed, err)
	}
	// A job that runs again changes nothing; nor does one for a file that never waited.
	n := len(e.Uncommitted())
	for _, id := range []string{d.Files[0].ID, d.Files[1].ID} {
		if changed, err := e.SetPreview(sys, id, accord.File{Preview: "other"}); err != nil || changed {
			t.Fatalf("SetPreview of a settled file = %v, %v", changed, err)
		}
	}
	if len(e.Uncommitted()) != n || e.Deliveries[0].Files[0].Preview != "pa" {
		t.Fatal("a settled preview was changed")
	}
	// No preview at all settles the file too, and drops stray pages.
	if changed, err := e.SetPreview(sys, d.Files[2].ID, accord.File{Pages: []string{"x"}}); err != nil || !changed {
		t.Fatalf("SetPreview without a preview = %v, %v", changed, err)
	}
	if f := e.Deliveries[0].Files[2]; f.Preview != "" || f.Pages != nil || f.PreviewState != "" || f.PageCount() != 0 {
		t.Fatalf("file without a preview = %+v", f)
	}
	if n := e.Deliveries[0].PreviewsPending(); n != 0 {
		t.Fatalf("pending previews = %d, want 0", n)
	}
	if _, err := e.SetPreview(sys, "file_unknown", accord.File{}); accord.ErrorCode(err) != accord.ENOTFOUND {
		t.Fatalf("unknown file: %v", err)
	}
	// The previews come back from the events alone.
	if got := replay(t, e); got.Deliveries[0].Files[0].Preview != "pa" || got.Deliveries[0].PreviewsPending() != 0 {
		t.Fatalf("replayed delivery = %+v", got.Deliveries[0])
	}
}

func TestPinComment(t *testing.T) {
	tests := []struct {
		name   string
		by     accord.Cmd
		page   int
		spot   *accord.Spot
		text   string
		code   string
		key    string
		fields []string
	}{
		{name: "a spot on the second page", by: cl(30), page: 2, spot: &accord.Spot{X: 500, Y: 250}, text: " the logo is too small "},
		{name: "a whole page", by: cl(30), page: 3, text: "why blue?"},
		{name: "the freelancer", by: fl(30), page: 1, text: "x", code: accord.EFORBIDDEN, key: "comment.client_only"},
		{name: "page past the end", by: cl(30), page: 4, text: "x", code: accord.EINVALID, key: "error.invalid", fields: []string{"page=comment.page"}},
		{name: "page zero", by: cl(30), page: 0, text: "x", code: accord.EINVALID, key: "error.invalid", fields: []string{"page=comment.page"}},
		{name: "spot off the page", by: cl(30), page: 1, spot: &accord.Spot{X: 1001, Y: 0}, text: "x", code: accord.EINVALID, key: "error.invalid", fields: []string{"spot=comment.spot"}},
		{name: "no text", by: cl(30), page: 1, text: "  ", code: accord.EINVALID, key: "error.invalid", fields: []string{"text=field.required_short"}},
		{name: "text too long", by: cl(30), page: 1, text: strings.Repeat("a", accord.MaxCommentText+1), code: accord.EINVALID, key: "error.invalid", fields: []string{"text=field.too_long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, fid := deliveredPages(t)
			n := len(e.Uncommitted())
			id, err := e.PinComment(tt.by, fid, tt.page, tt.spot, tt.text)
			checkErr(t, err, tt.code, tt.key, tt.fields...)
			if tt.code != "" {
				if id != "" || len(e.Comments) != 0 || len(e.Uncommitted()) != n {
					t.Fatal("a refused comment left something behind")
				}
				return
			}
			c := e.Comment(id)
			if c == nil || c.Page != tt.page || c.Text != strings.TrimSpace(tt.text) || c.FileID != fid || c.DeliveryID != e.Deliveries[0].ID {
				t.Fatalf("comment = %+v", c)
			}
			if (c.Spot == nil) != (tt.spot == nil) || c.Spot != nil && *c.Spot != *tt.spot {
				t.Fatalf("spot = %v, want %v", c.Spot, tt.spot)
			}
			if !e.HeardAt.Equal(tt.by.Now) {
				t.Fatalf("a comment does not end the client's silence: heard at %v", e.HeardAt)
			}
		})
	}
}

func TestCommentOnlyUnderReview(t *testing.T) {
	e, fid := deliveredPages(t)
	mustOK(t, e.AcceptDelivery(cl(30), e.Deliveries[0].ID))
	_, err := e.PinComment(cl(31), fid, 1, nil, "late")
	checkErr(t, err, accord.ECONFLICT, "comment.not_under_review")

	e = started(t)
	_, err = e.Deliver(fl(20), e.Milestones[0].ID, "", []accord.File{{Name: "a.pdf", SHA256: "a", PreviewState: accord.FilePreviewPending}})
	mustOK(t, err)
	_, err = e.PinComment(cl(31), e.Deliveries[0].Files[0].ID, 1, nil, "nothing to see yet")
	checkErr(t, err, accord.ECONFLICT, "comment.no_preview")
	_, err = e.PinComment(cl(31), "file_unknown", 1, nil, "x")
	checkErr(t, err, accord.ENOTFOUND, "file.not_found")
}

func TestAnswerComment(t *testing.T) {
	e, fid := deliveredPages(t)
	id, err := e.PinComment(cl(30), fid, 1, &accord.Spot{X: 10, Y: 990}, "crop here?")
	mustOK(t, err)
	checkErr(t, e.AnswerComment(cl(31), id, "me"), accord.EFORBIDDEN, "comment.freelancer_only")
	checkErr(t, e.AnswerComment(fl(31), "cmt_unknown", "x"), accord.ENOTFOUND, "comment.not_found")
	checkErr(t, e.AnswerComment(fl(31), id, ""), accord.EINVALID, "error.invalid", "text=field.required_short")
	mustOK(t, e.AnswerComment(fl(32), id, "Yes, at the bottom left."))
	mustOK(t, e.AnswerComment(fl(33), id, "Done in the next version."))
	got := replay(t, e).Comment(id)
	if got == nil || len(got.Answers) != 2 || got.Answers[0].Text != "Yes, at the bottom left." || !got.Answers[1].At.Equal(fl(33).Now) {
		t.Fatalf("replayed comment = %+v", got)
	}
	if len(e.FileComments(fid)) != 1 || len(e.FileComments("other")) != 0 {
		t.Fatal("FileComments does not pick the file's comments")
	}
}

// replay rebuilds an engagement from its events' canonical bytes, as a store would.
func replay(t *testing.T, e *accord.Engagement) *accord.Engagement {
	t.Helper()
	prev, decoded := "", []accord.Event{}
	for _, ev := range e.Uncommitted() {
		d, err := accord.DecodeEvent(ev.Body, prev, ev.Hash)
		mustOK(t, err)
		decoded, prev = append(decoded, d), ev.Hash
	}
	r := accord.Replay(decoded)
	if jsonOf(t, r) != jsonOf(t, e) {
		t.Fatalf("the decoded record differs from the engagement:\n%s\n%s", jsonOf(t, r), jsonOf(t, e))
	}
	return r
}
