package accord

import "time"

// Comment is the client's remark on a delivered file, pinned to a page of its preview and, where
// the client pointed, to a spot on that page; the freelancer answers it, all on the record.
type Comment struct {
	ID         string    `json:"id"`
	DeliveryID string    `json:"delivery_id"`
	FileID     string    `json:"file_id"`
	Page       int       `json:"page"` // from 1
	Spot       *Spot     `json:"spot,omitempty"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
	Answers    []Answer  `json:"answers,omitempty"`
}

// Spot is a point on a preview page, in thousandths of its width and height from the top left,
// so that it holds at any size the page is shown.
type Spot struct {
	X int `json:"x"`
	Y int `json:"y"`
}

// Answer is the freelancer's answer to a comment.
type Answer struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Limits of comments.
const (
	MaxCommentText = 5000
	// MaxComments is how many comments one delivery takes.
	MaxComments = 500
)

// Comment finds a comment by its id.
func (e *Engagement) Comment(id string) *Comment {
	for i := range e.Comments {
		if e.Comments[i].ID == id {
			return &e.Comments[i]
		}
	}
	return nil
}

// FileComments are the comments on one file, in the order they were made.
func (e *Engagement) FileComments(fileID string) []Comment {
	var out []Comment
	for _, c := range e.Comments {
		if c.FileID == fileID {
			out = append(out, c)
		}
	}
	return out
}

// CanComment says why the client cannot comment on a file's preview now, or nil if it can: only
// while its delivery waits for the client's review, and only on a preview that is there.
func (e *Engagement) CanComment(fileID string) error {
	f, d := e.File(fileID)
	if f == nil {
		return Errorf(ENOTFOUND, "file.not_found")
	}
	if err := e.requireRunning(); err != nil {
		return err
	}
	if d.State != DeliverySubmitted {
		return Errorf(ECONFLICT, "comment.not_under_review")
	}
	if f.PageCount() == 0 {
		return Errorf(ECONFLICT, "comment.no_preview")
	}
	n := 0
	for _, c := range e.Comments {
		if c.DeliveryID == d.ID {
			n++
		}
	}
	if n >= MaxComments {
		return Errorf(ECONFLICT, "comment.too_many", "max", MaxComments)
	}
	return nil
}

// PinComment is the client's comment on a page of a file's preview, at spot if it is not nil.
func (e *Engagement) PinComment(c Cmd, fileID string, page int, spot *Spot, text string) (string, error) {
	if c.By.Kind != "client" {
		return "", Errorf(EFORBIDDEN, "comment.client_only")
	}
	if err := e.CanComment(fileID); err != nil {
		return "", err
	}
	f, d := e.File(fileID)
	var v Invalid
	if page < 1 || page > f.PageCount() {
		v.Add("page", "comment.page", "pages", f.PageCount())
	}
	if spot != nil && (spot.X < 0 || spot.X > 1000 || spot.Y < 0 || spot.Y > 1000) {
		v.Add("spot", "comment.spot")
	}
	text = v.Text("text", text, true, MaxCommentText)
	if err := v.Err(); err != nil {
		return "", err
	}
	id := NewID("cmt")
	e.record(c, CommentPinned{CommentID: id, DeliveryID: d.ID, FileID: f.ID, Page: page, Spot: spot, Text: text})
	return id, nil
}

// AnswerComment is the freelancer's answer to a client's comment.
func (e *Engagement) AnswerComment(c Cmd, commentID, text string) error {
	if c.By.Kind != "freelancer" {
		return Errorf(EFORBIDDEN, "comment.freelancer_only")
	}
	if e.Comment(commentID) == nil {
		return Errorf(ENOTFOUND, "comment.not_found")
	}
	if err := e.requireRunning(); err != nil {
		return err
	}
	var v Invalid
	text = v.Text("text", text, true, MaxCommentText)
	if err := v.Err(); err != nil {
		return err
	}
	e.record(c, CommentAnswered{CommentID: commentID, Text: text})
	return nil
}

// CommentPinned is the client's comment on a page of a preview, or a spot on it.
type CommentPinned struct {
	CommentID  string `json:"comment_id"`
	DeliveryID string `json:"delivery_id"`
	FileID     string `json:"file_id"`
	Page       int    `json:"page"`
	Spot       *Spot  `json:"spot,omitempty"`
	Text       string `json:"text"`
}

func (CommentPinned) EventType() string { return "comment.pinned" }
func (d CommentPinned) apply(e *Engagement, ev Event) {
	e.Comments = append(e.Comments, Comment{ID: d.CommentID, DeliveryID: d.DeliveryID, FileID: d.FileID,
		Page: d.Page, Spot: d.Spot, Text: d.Text, At: ev.At})
}

// CommentAnswered is the freelancer's answer to a comment.
type CommentAnswered struct {
	CommentID string `json:"comment_id"`
	Text      string `json:"text"`
}

func (CommentAnswered) EventType() string { return "comment.answered" }
func (d CommentAnswered) apply(e *Engagement, ev Event) {
	c := e.Comment(d.CommentID)
	c.Answers = append(c.Answers, Answer{Text: d.Text, At: ev.At})
}
