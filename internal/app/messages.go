package app

import (
	"context"
	"encoding/json"

	"github.com/accordapp/accord"
	"github.com/accordapp/accord/internal/jobs"
)

// SendMessage puts a freelancer's message on the record; during a cooling-off it is held.
func (a *App) SendMessage(ctx context.Context, f Freelancer, id, body, channel string) (accord.Message, error) {
	return a.sendMessage(ctx, f.WorkspaceID, id, f.actor(), body, channel)
}

// SendClientMessage puts a client's message on the record.
func (a *App) SendClientMessage(ctx context.Context, c Contact, body string) (accord.Message, error) {
	return a.sendMessage(ctx, c.WorkspaceID, c.EngagementID, c.actor(), body, "portal")
}

func (a *App) sendMessage(ctx context.Context, ws, id string, by accord.Actor, body, channel string) (accord.Message, error) {
	var m *accord.Message
	var pre screening
	if by.Kind == "client" {
		pre = screenOf(body)
	}
	_, err := a.change(ctx, ws, id, func(tx accord.Tx, e *accord.Engagement) error {
		w, err := tx.Workspace(ws)
		if err != nil {
			return err
		}
		if by.Kind == "client" {
			if by, err = a.contactName(tx, e, by); err != nil {
				return err
			}
		}
		m, err = a.postMessage(tx, e, a.cmd(by), body, channel, w, pre)
		return err
	})
	if err != nil {
		return accord.Message{}, err
	}
	return *m, nil
}

// postMessage puts a message on the record and tells the other side, in the transaction tx; a
// client's is screened for red flags (pre: screened before, when it was).
func (a *App) postMessage(tx accord.Tx, e *accord.Engagement, c accord.Cmd, body, channel string, w accord.Workspace, pre screening) (*accord.Message, error) {
	m, err := e.SendMessage(c, body, channel, w.CoolingOff)
	if err != nil {
		return nil, err
	}
	if err := tx.CreateMessage(*m); err != nil {
		return nil, err
	}
	if c.By.Kind == "freelancer" && m.Held(c.Now) { // mailed when its time comes, unless sent or withdrawn first
		return m, a.enqueue(tx, jobs.Job{Kind: JobReleaseMessage, At: m.SendAt, Unique: true,
			Args: heldArgs{WorkspaceID: e.WorkspaceID, EngagementID: e.ID, MessageID: m.ID}})
	}
	if c.By.Kind == "freelancer" {
		return m, a.askMail(tx, e, c, "message", map[string]any{"author": m.AuthorName, "body": m.Body})
	}
	if c.By.Kind == "client" {
		if err := a.screenText(tx, e, m.Body, "message", pre); err != nil {
			return nil, err
		}
		return m, a.notify(tx, e, accord.NotifyClientMessage, map[string]any{"author": m.AuthorName, "body": m.Body})
	}
	return m, nil
}

// SendNow releases a held message at once; the override is on the record.
func (a *App) SendNow(ctx context.Context, f Freelancer, id, messageID string) (accord.Message, error) {
	var m accord.Message
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		var err error
		if m, err = tx.Message(id, messageID); err != nil {
			return err
		}
		c := a.cmd(f.actor())
		if err := e.ReleaseMessage(c, &m); err != nil {
			return err
		}
		if err := tx.SetMessageSendAt(id, messageID, m.SendAt); err != nil {
			return err
		}
		return a.askMail(tx, e, c, "message", map[string]any{"author": m.AuthorName, "body": m.Body})
	})
	return m, err
}

// contactName signs a client's message with the client's name when the contact is the client's own address.
func (a *App) contactName(tx accord.Tx, e *accord.Engagement, by accord.Actor) (accord.Actor, error) {
	c, err := tx.Client(e.WorkspaceID, e.ClientID)
	if err == nil && c.Email == by.ID {
		by.Name = c.Name
	}
	return by, err
}

// JobReleaseMessage sends a held message to the client when its hold ends.
const JobReleaseMessage = "release_message"

type heldArgs struct {
	WorkspaceID  string `json:"workspace_id"`
	EngagementID string `json:"engagement_id"`
	MessageID    string `json:"message_id"`
}

// releaseMessage mails a held message whose hold has ended, once; one sent now or withdrawn
// meanwhile is left alone.
func (a *App) releaseMessage(ctx context.Context, raw json.RawMessage, _ jobs.Try) error {
	var args heldArgs
	if err := json.Unmarshal(raw, &args); err != nil {
		return err
	}
	_, err := a.change(ctx, args.WorkspaceID, args.EngagementID, func(tx accord.Tx, e *accord.Engagement) error {
		m, err := tx.Message(e.ID, args.MessageID)
		if accord.ErrorCode(err) == accord.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		c := a.cmd(accord.System)
		if m.Held(c.Now) || !e.DeliverHeld(c, m.ID) {
			return nil
		}
		return a.askMail(tx, e, c, "message", map[string]any{"author": m.AuthorName, "body": m.Body})
	})
	if accord.ErrorCode(err) == accord.ENOTFOUND {
		return nil
	}
	return err
}

// EditHeld changes a held reply's text before it goes.
func (a *App) EditHeld(ctx context.Context, f Freelancer, id, messageID, body string) (accord.Message, error) {
	var m accord.Message
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		var err error
		if m, err = tx.Message(id, messageID); err != nil {
			return err
		}
		if err := e.EditHeld(a.cmd(f.actor()), &m, body); err != nil {
			return err
		}
		return tx.SetMessageBody(id, messageID, m.Body)
	})
	return m, err
}

// CancelHeld withdraws a held reply: the client never gets it; the record keeps it.
func (a *App) CancelHeld(ctx context.Context, f Freelancer, id, messageID string) error {
	_, err := a.change(ctx, f.WorkspaceID, id, func(tx accord.Tx, e *accord.Engagement) error {
		m, err := tx.Message(id, messageID)
		if err != nil {
			return err
		}
		if err := e.CancelHeld(a.cmd(f.actor()), &m); err != nil {
			return err
		}
		return tx.DeleteMessage(id, messageID)
	})
	return err
}
