package accord

import (
	"context"
	"io"
	"time"
)

// Store runs transactions; a write transaction is the unit in which a change and its events land.
type Store interface {
	Read(ctx context.Context, fn func(Tx) error) error
	Write(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is what one transaction can read and write. Lookups that miss return an *Error
// with code not_found; every engagement-owned lookup is scoped by its workspace or engagement.
type Tx interface {
	CountUsers() (int, error)
	CreateUser(u User) error
	UserByEmail(email string) (User, error)
	UserByID(id string) (User, error)
	CreateWorkspace(w Workspace) error
	Workspace(id string) (Workspace, error)
	// WorkspaceOfUser returns the id of the first workspace the user owns.
	WorkspaceOfUser(userID string) (string, error)

	CreateSession(s Session) error
	Session(hash string, now time.Time) (Session, error)
	DeleteSession(hash string) error
	CreatePortalToken(t PortalToken) error
	// SpendPortalToken marks an unspent, unexpired token used and returns it, exactly once.
	SpendPortalToken(hash string, now time.Time) (PortalToken, error)

	CreateClient(c Client) error
	Client(workspaceID, id string) (Client, error)
	Clients(workspaceID string) ([]Client, error)

	// SaveEngagement inserts or updates the engagement and appends its uncommitted events.
	SaveEngagement(e *Engagement) error
	Engagement(workspaceID, id string) (*Engagement, error)
	Engagements(workspaceID string) ([]*Engagement, error)
	Events(engagementID string) ([]Event, error)

	CreateMessage(m Message) error
	Message(engagementID, id string) (Message, error)
	Messages(engagementID string) ([]Message, error)
	SetMessageSendAt(engagementID, id string, at time.Time) error

	AddMail(m Mail) error
	Outbox(workspaceID string) ([]Mail, error)
}

// Blobs keeps file contents by their SHA-256.
type Blobs interface {
	// Put stores everything r yields and returns its hex SHA-256 and size.
	Put(ctx context.Context, r io.Reader) (sum string, size int64, err error)
	// Open returns the contents stored under sum.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
}
