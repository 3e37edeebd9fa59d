package app

import (
	"context"

	"github.com/accordapp/accord"
)

// PinComment is the client's comment on a page of a delivered file's preview, at spot if it is
// not nil; the freelancer is told.
func (a *App) PinComment(ctx context.Context, c Contact, fileID string, page int, spot *accord.Spot, text string) (string, error) {
	var id string
	_, err := a.change(ctx, c.WorkspaceID, c.EngagementID, func(tx accord.Tx, e *accord.Engagement) (err error) {
		if id, err = e.PinComment(a.cmd(c.actor()), fileID, page, spot, text); err != nil {
			return err
		}
		f, _ := e.File(fileID)
		return a.notify(tx, e, accord.NotifyClientComment, map[string]any{"file": f.Name, "page": page, "body": e.Comment(id).Text})
	})
	return id, err
}

// AnswerComment is the freelancer's answer to a client's comment; the client is emailed it,
// with a way into the portal.
func (a *App) AnswerComment(ctx context.Context, f Freelancer, id, commentID, text string) (*accord.Engagement, error) {
	return a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		c := a.cmd(f.actor())
		if err := e.AnswerComment(c, commentID, text); err != nil {
			return err
		}
		cm := e.Comment(commentID)
		file, _ := e.File(cm.FileID)
		return a.askMail(tx, e, c, "comment_answered", map[string]any{"file": file.Name, "page": cm.Page,
			"comment": cm.Text, "body": cm.Answers[len(cm.Answers)-1].Text})
	})
}
