package accord

import (
	"net/mail"
	"strings"
	"time"
)

// User is a freelancer or a member of a workspace who logs in.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string // argon2id, in PHC string form
	CreatedAt    time.Time
}

// Workspace is a freelancer's (or agency's) space; everything else belongs to one.
type Workspace struct {
	ID         string
	Name       string
	OwnerID    string
	CoolingOff time.Duration // how long a reply is held after the client sends work back
	CreatedAt  time.Time
}

// DefaultCoolingOff is the hold on the freelancer's replies after a rejection.
const DefaultCoolingOff = 20 * time.Minute

// Client is someone the freelancer works for.
type Client struct {
	ID          string
	WorkspaceID string
	Name        string
	Email       string
	Language    string // en, ru or bg
	Timezone    string
	CreatedAt   time.Time
}

// Languages are the languages Accord speaks.
var Languages = []string{"en", "ru", "bg"}

// NewClient checks a client's details and returns it with a fresh id.
func NewClient(c Cmd, workspaceID, name, email, language, timezone string) (Client, error) {
	var v Invalid
	name = v.Text("name", name, true, 200)
	email, err := NormalizeEmail(email)
	if err != nil {
		v.Add("email", "field.email")
	}
	if language == "" {
		language = "en"
	}
	if !validLanguage(language) {
		v.Add("language", "field.language")
	}
	if timezone == "" {
		timezone = "UTC"
	}
	if _, err := time.LoadLocation(timezone); err != nil || len(timezone) > 64 {
		v.Add("timezone", "field.timezone")
	}
	if err := v.Err(); err != nil {
		return Client{}, err
	}
	return Client{ID: NewID("cli"), WorkspaceID: workspaceID, Name: name, Email: email,
		Language: language, Timezone: timezone, CreatedAt: c.Now.UTC()}, nil
}

func validLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// NormalizeEmail checks an address and returns it trimmed and lower-cased.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", Errorf(EINVALID, "field.email")
	}
	return s, nil
}

// Session kinds.
const (
	SessionAPI    = "api"    // a freelancer's API token; does not expire
	SessionWeb    = "web"    // a freelancer's browser session
	SessionPortal = "portal" // a client's portal session, for one engagement
)

// Session is a credential, stored only as the SHA-256 of its secret.
type Session struct {
	Hash         string
	Kind         string
	UserID       string
	WorkspaceID  string
	EngagementID string // portal sessions only
	Email        string // the client contact, for portal sessions
	CreatedAt    time.Time
	ExpiresAt    time.Time // zero: never
}

// PortalToken is a single-use, expiring invitation link token, stored only as a hash.
type PortalToken struct {
	Hash         string
	WorkspaceID  string
	EngagementID string
	Email        string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UsedAt       time.Time
}

// Mail is an email the instance sent, or with no SMTP set up would have sent.
type Mail struct {
	ID           string    `json:"id"`
	WorkspaceID  string    `json:"-"`
	EngagementID string    `json:"engagement_id"`
	To           string    `json:"to"`
	Subject      string    `json:"subject"`
	Body         string    `json:"body"`
	At           time.Time `json:"at"`
}
