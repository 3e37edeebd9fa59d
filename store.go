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
	// UpdateUser saves a user's name and language.
	UpdateUser(u User) error
	CreateWorkspace(w Workspace) error
	Workspace(id string) (Workspace, error)
	// UpdateWorkspace saves a workspace's name, cooling-off, time zone and payment details.
	UpdateWorkspace(w Workspace) error
	// WorkspaceOfUser returns the id of the first workspace the user owns.
	WorkspaceOfUser(userID string) (string, error)

	CreateSession(s Session) error
	Session(hash string, now time.Time) (Session, error)
	// FreelancerSession finds a live web or API session with the user it acts as and what of
	// their workspace each request needs, in one indexed query; any other is not found.
	FreelancerSession(hash string, now time.Time) (FreelancerSession, error)
	// ContactSession finds a live portal session with how its contact reads, in one indexed
	// query; any other, or one whose engagement is gone, is not found.
	ContactSession(hash string, now time.Time) (ContactSession, error)
	DeleteSession(hash string) error
	// Sessions lists a user's live sessions of one kind, newest first.
	Sessions(userID, kind string, now time.Time) ([]Session, error)
	// DeleteUserSession removes one of the user's sessions; another user's is not found.
	DeleteUserSession(userID, hash string) error
	// DeleteUserSessions removes every session of the user of one kind and says how many.
	DeleteUserSessions(userID, kind string) (int, error)
	// PruneExpired removes sessions and portal tokens that expired before now.
	PruneExpired(now time.Time) (int, error)
	CreatePortalToken(t PortalToken) error
	// SpendPortalToken marks an unspent, unexpired token used and returns it, exactly once.
	SpendPortalToken(hash string, now time.Time) (PortalToken, error)
	// PortalToken finds a link token by hash, spent or not, without spending it.
	PortalToken(hash string) (PortalToken, error)
	// InvitedEngagements lists the engagements a contact's email was ever invited to, one
	// PortalToken (the newest) each.
	InvitedEngagements(email string) ([]PortalToken, error)
	// ContactLanguage is the language a contact chose in the portal, "" when none.
	ContactLanguage(workspaceID, email string) (string, error)
	// ContactPlace is how a contact of one of the workspace's engagements reads, in one query;
	// another workspace's engagement is not found.
	ContactPlace(workspaceID, engagementID, email string) (ContactPlace, error)
	SetContactLanguage(workspaceID, email, lang string) error

	CreateClient(c Client) error
	// Billing is what the workspace's invoices say of the freelancer (zero if never set);
	// SetBilling saves it.
	Billing(workspaceID string) (Billing, error)
	SetBilling(workspaceID string, b Billing) error
	// ClientBilling is what invoices say of a client (zero if never set); SetClientBilling saves it.
	ClientBilling(workspaceID, clientID string) (ClientBilling, error)
	SetClientBilling(workspaceID, clientID string, b ClientBilling) error
	// ClientBillings is what invoices say of each of the workspace's clients that has details, by id.
	ClientBillings(workspaceID string) (map[string]ClientBilling, error)
	// NextInvoiceSeq takes the workspace's next invoice number in year: one more than the last
	// taken in a committed transaction, so that numbers have no gaps.
	NextInvoiceSeq(workspaceID string, year int) (int, error)
	// TakeStripeEvent notes that the workspace applies a Stripe event in this transaction; it
	// reports false when the event was taken before (a repeat or a replay).
	TakeStripeEvent(workspaceID, eventID string, at time.Time) (bool, error)
	Client(workspaceID, id string) (Client, error)
	Clients(workspaceID string) ([]Client, error)
	// ClientPage is a page of the workspace's clients by name.
	ClientPage(workspaceID string, p Page) (Paged[Client], error)
	// UpdateClient saves a client's name, email, language and time zone.
	UpdateClient(c Client) error
	// SetClientTrust saves why the freelancer trusts a client ("" for not).
	SetClientTrust(workspaceID, clientID, reason string) error
	// SetRedFlags saves a client's red flags.
	SetRedFlags(workspaceID, clientID string, flags []RedFlag) error
	// PutFlash keeps a page's one-time message (body) for its owner until expires.
	PutFlash(id, owner string, body []byte, expires time.Time) error
	// TakeFlash returns a live flash of the owner and forgets it; any other is not found.
	TakeFlash(id, owner string, now time.Time) ([]byte, error)

	CreateBriefTemplate(t BriefTemplate) error
	BriefTemplate(workspaceID, id string) (BriefTemplate, error)
	BriefTemplates(workspaceID string) ([]BriefTemplate, error)
	DeleteBriefTemplate(workspaceID, id string) error
	// SetTemplateQuestions replaces a brief template's questions.
	SetTemplateQuestions(workspaceID, id string, qs []Question) error

	// SaveEngagement inserts or updates the engagement and appends its uncommitted events.
	SaveEngagement(e *Engagement) error
	Engagement(workspaceID, id string) (*Engagement, error)
	Engagements(workspaceID string) ([]*Engagement, error)
	Events(engagementID string) ([]Event, error)
	// EngagementPage is a page of the workspace's engagements, most recently changed first.
	EngagementPage(workspaceID string, p Page) (Paged[*Engagement], error)
	// EventPage is a page of an engagement's events by seq, decoded but not checked against
	// the chain (checked when written and by the record's checks; Events checks it).
	EventPage(engagementID string, p Page) (Paged[Event], error)
	// StaleEngagements lists the engagements whose snapshot was folded by a version older than
	// fold, as references (workspace and id).
	StaleEngagements(fold int) ([]EngagementRef, error)
	// RewriteSnapshot replaces a stored snapshot by e, folded anew from the events up to e.Seq;
	// it does nothing when events were appended meanwhile (that write stored a current fold).
	RewriteSnapshot(e *Engagement) error
	// Tallies reads a workspace's tallies of the kinds given whose bucket is in [from, to):
	// the sums of its engagements' digests, kept by every save.
	Tallies(workspaceID string, kinds []string, from, to int64) ([]Tally, error)
	// NearestDue reads the n engagements whose digest's NextDue comes first.
	NearestDue(workspaceID string, n int) ([]*Engagement, error)
	// DueFrom reads up to n engagements whose digest's LastDue is on from or after, the
	// soonest first.
	DueFrom(workspaceID string, from Date, n int) ([]*Engagement, error)
	// OverdueInvoices reads up to limit open invoices due before today, the earliest due first.
	OverdueInvoices(workspaceID string, today Date, limit int) ([]OpenInvoice, error)
	// AgendaPage is a page of the workspace's engagements by their digest's AgendaRank, largest
	// first, with the workspace's count of engagements.
	AgendaPage(workspaceID string, p Page) (Paged[*Engagement], error)

	// RecordSize is the number of leaves in the workspace's tree.
	RecordSize(workspaceID string) (int64, error)
	// RecordHashes reads the workspace tree's stored hashes by their tlog stored-hash index,
	// in the order asked; a missing one is an error.
	RecordHashes(workspaceID string, indexes []int64) ([][32]byte, error)
	// RecordLeaves lists where an engagement's events stand in its workspace's tree, by seq.
	RecordLeaves(engagementID string) ([]Leaf, error)
	// RecordBodies lists up to limit leaves of the workspace's tree from index from on, each
	// with the stored bytes of its event.
	RecordBodies(workspaceID string, from int64, limit int) ([]LeafBody, error)
	// AddRecordHead keeps a head the workspace signed; one already kept at that size stays.
	AddRecordHead(h RecordHead) error
	// RecordHeads lists the heads kept for a workspace, smallest first.
	RecordHeads(workspaceID string) ([]RecordHead, error)
	// CountEvents counts a workspace's stored events, leaves or not.
	CountEvents(workspaceID string) (int64, error)
	// SetRecordCheck keeps the outcome of a workspace's latest record check.
	SetRecordCheck(c RecordCheck) error
	// LastRecordCheck is that outcome; a workspace never checked has none (not found).
	LastRecordCheck(workspaceID string) (RecordCheck, error)
	// RecordWorkspaces lists the workspaces that have a record.
	RecordWorkspaces() ([]string, error)

	CreateMessage(m Message) error
	Message(engagementID, id string) (Message, error)
	Messages(engagementID string) ([]Message, error)
	// MessagePage is a page of an engagement's messages in the order written, with their count;
	// unless visibleAt is zero it leaves out those held past it (and counts none: Total -1).
	MessagePage(engagementID string, visibleAt time.Time, p Page) (Paged[Message], error)
	SetMessageSendAt(engagementID, id string, at time.Time) error
	// SetMessageBody changes a message's text (a held one, edited before it goes).
	SetMessageBody(engagementID, id, body string) error
	// DeleteMessage removes a message from the list (a held one withdrawn; the record keeps it).
	DeleteMessage(engagementID, id string) error

	// ClockTime is the test clock's time as last kept, zero when it never was.
	ClockTime() (time.Time, error)
	// SetClockTime keeps the test clock's time, so a restarted server goes on from it.
	SetClockTime(t time.Time) error

	AddMail(m Mail) error
	Outbox(workspaceID string) ([]Mail, error)
	// MailPage is a page of the workspace's emails, oldest first.
	MailPage(workspaceID string, p Page) (Paged[Mail], error)
	// CountMails counts a workspace's emails in one state.
	CountMails(workspaceID, state string) (int, error)
	// Mail finds an email of the outbox by id.
	Mail(id string) (Mail, error)
	// SetMailState records the outcome of a try to send it.
	SetMailState(id string, try MailTry) error
	// SetMailHead stamps the record's signed head (of the given size) into an email's body,
	// once: one stamped before keeps its first head, and false says so.
	SetMailHead(id, body string, size int64) (bool, error)

	// ReplyToken is the secret part of an engagement's reply address.
	ReplyToken(workspaceID, engagementID string) (string, error)
	// EngagementByReplyToken finds the engagement a reply address belongs to.
	EngagementByReplyToken(token string) (EngagementRef, error)
	// FindEngagement finds an engagement's workspace and client by its id alone, without its
	// snapshot (for tools on the server, and to say who reads the portal).
	FindEngagement(id string) (EngagementRef, error)
	// EngagementStamp is what a page of one of the workspace's engagements is rendered from,
	// in two numbers; another workspace's engagement is not found.
	EngagementStamp(workspaceID, engagementID string) (Stamp, error)
	// MarkInbound notes an email's Message-ID as received by an engagement and says whether it
	// is new.
	MarkInbound(engagementID, messageID string, at time.Time) (bool, error)
}

// EngagementRef names one engagement of one workspace.
type EngagementRef struct{ WorkspaceID, ID, ClientID string }

// Stamp says which version of an engagement and of its workspace's settings (the workspace,
// its clients, billing details and brief templates) is stored: a page rendered from them
// stands for as long as both numbers do.
type Stamp struct {
	Seq      int64 // the engagement's last event
	Settings int64 // the workspace's settings version, grown by every change to them
}

// Blobs keeps file contents by their SHA-256. New contents are staged first and become visible
// under their hash only when committed, so a refused upload leaves nothing behind.
type Blobs interface {
	// Stage writes everything r yields to a temporary place and returns its hash and size.
	Stage(ctx context.Context, r io.Reader) (StagedBlob, error)
	// OpenStaged reads a staged blob back.
	OpenStaged(s StagedBlob) (io.ReadSeekCloser, error)
	// Commit makes a staged blob readable under its hash.
	Commit(ctx context.Context, s StagedBlob) error
	// Discard forgets a staged blob.
	Discard(s StagedBlob)
	// Open returns the contents committed under sum.
	Open(ctx context.Context, sum string) (io.ReadSeekCloser, error)
}

// StagedBlob is contents written but not yet committed.
type StagedBlob struct {
	SHA256 string
	Size   int64
	Ref    string // where the store keeps it meanwhile
}
