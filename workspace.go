package accord

import (
	"net/mail"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // zones load the same on a machine without a zoneinfo folder
)

// User is a freelancer or a member of a workspace who logs in.
type User struct {
	ID           string
	Email        string
	Name         string
	PasswordHash string // argon2id, in PHC string form
	Language     string // en, ru or bg; empty: the browser's Accept-Language decides
	CreatedAt    time.Time
}

// Workspace is a freelancer's (or agency's) space; everything else belongs to one.
type Workspace struct {
	ID         string
	Name       string
	OwnerID    string
	CoolingOff time.Duration // how long a reply is held after the client sends work back
	Timezone   string        // IANA zone the freelancer reads times in
	// PaymentDetails is shown to clients where a payment is asked of them (bank, IBAN, reference).
	PaymentDetails string
	// ResponseDays is how long a client has to answer before an agreement sets it.
	ResponseDays int
	// MinPrepayment is the policy's least prepayment share, in percent, an agreement may ask;
	// only a trusted client's agreement may ask less.
	MinPrepayment int
	// MinKillFee and MaxRevisions are the rest of the policy: the least kill fee and the most
	// revision rounds an agreement may set (0: no rule); a trusted client's may differ.
	MinKillFee, MaxRevisions int
	// Muted are the kinds of notification the freelancer turned off.
	Muted     []string
	CreatedAt time.Time
}

// Edit returns the workspace with new settings, checked: a name, an IANA zone, a cooling-off
// of 0 to 1440 minutes, and payment details of plain text.
func (w Workspace) Edit(name, timezone string, coolingOffMinutes int, paymentDetails string, responseDays int) (Workspace, error) {
	var v Invalid
	w.Name = v.Text("name", name, true, 200)
	if _, err := LoadZone(timezone); err != nil {
		v.Add("timezone", "field.timezone")
	}
	w.Timezone = timezone
	if coolingOffMinutes < 0 || coolingOffMinutes > 1440 {
		v.Add("cooling_off_minutes", "field.range", "min", 0, "max", 1440)
	}
	w.CoolingOff = time.Duration(coolingOffMinutes) * time.Minute
	w.PaymentDetails = v.Text("payment_details", paymentDetails, false, 2000)
	checkRange(&v, "response_days", responseDays, 1, 90)
	w.ResponseDays = responseDays
	if err := v.Err(); err != nil {
		return Workspace{}, err
	}
	return w, nil
}

// DefaultMinPrepayment is the policy's least prepayment share unless the freelancer sets one:
// none, so that agreements the API took before the policy existed are taken still.
const DefaultMinPrepayment = 0

// Policy is what the workspace asks of every agreement unless the client is trusted.
type Policy struct {
	MinPrepayment, MinKillFee, MaxRevisions int
}

// WithPolicy sets the workspace's policy: the least prepayment share and kill fee (0 to 100 %),
// the most revision rounds (0 to 20; 0 for no rule).
func (w Workspace) WithPolicy(p Policy) (Workspace, error) {
	var v Invalid
	checkRange(&v, "min_prepayment", p.MinPrepayment, 0, 100)
	checkRange(&v, "min_kill_fee", p.MinKillFee, 0, 100)
	checkRange(&v, "max_revisions", p.MaxRevisions, 0, 20)
	if err := v.Err(); err != nil {
		return Workspace{}, err
	}
	w.MinPrepayment, w.MinKillFee, w.MaxRevisions = p.MinPrepayment, p.MinKillFee, p.MaxRevisions
	return w, nil
}

// NewBriefTemplate checks a template's name and questions.
func NewBriefTemplate(c Cmd, workspaceID, name string, qs []Question) (BriefTemplate, error) {
	var v Invalid
	name = v.Text("template_name", name, true, 200)
	if len(qs) == 0 {
		v.Add("template_name", "brief_template.empty")
	}
	if err := v.Err(); err != nil {
		return BriefTemplate{}, err
	}
	return BriefTemplate{ID: NewID("tpl"), WorkspaceID: workspaceID, Name: name, Questions: qs, CreatedAt: c.Now.UTC()}, nil
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
	// RedFlags are the signs, set by hand or found in what the client wrote, of a client who
	// may not pay or of a scam.
	RedFlags []RedFlag
	// TrustedReason is why the freelancer trusts the client enough to relax the policy.
	TrustedReason string
}

// RedFlag is one sign against a client: its code, where it was found and when.
type RedFlag struct {
	Code         string    `json:"code"`
	FoundIn      string    `json:"found_in"` // manual, brief or message
	At           time.Time `json:"at"`
	EngagementID string    `json:"engagement_id,omitempty"`
}

// Trust is how far a client is trusted: "caution" with any red flag, whatever else; "trusted"
// when the freelancer said why; else "new".
func (c Client) Trust() string {
	switch {
	case len(c.RedFlags) > 0:
		return "caution"
	case c.TrustedReason != "":
		return "trusted"
	}
	return "new"
}

// Flag adds a red flag unless one of the same code was already found in the same place; it
// reports whether it added one.
func (c *Client) Flag(f RedFlag) bool {
	for _, o := range c.RedFlags {
		if o.Code == f.Code && o.FoundIn == f.FoundIn {
			return false
		}
	}
	c.RedFlags = append(c.RedFlags, f)
	return true
}

// Languages are the languages Accord speaks.
var Languages = []string{"en", "ru", "bg"}

// NewClient checks a client's details and returns it with a fresh id.
func NewClient(c Cmd, workspaceID, name, email, language, timezone string) (Client, error) {
	cl := Client{ID: NewID("cli"), WorkspaceID: workspaceID, CreatedAt: c.Now.UTC()}
	return cl.Edit(name, email, language, timezone)
}

// Edit returns the client with new details, checked: a name, an email address, a language
// Accord speaks and an IANA time zone (empty ones default to English and UTC).
func (cl Client) Edit(name, email, language, timezone string) (Client, error) {
	var v Invalid
	cl.Name = v.Text("name", name, true, 200)
	email, err := NormalizeEmail(email)
	if err != nil {
		v.Add("email", "field.email")
	}
	cl.Email = email
	if language == "" {
		language = "en"
	}
	if !ValidLanguage(language) {
		v.Add("language", "field.language")
	}
	if timezone == "" {
		timezone = "UTC"
	}
	if _, err := LoadZone(timezone); err != nil {
		v.Add("timezone", "field.timezone")
	}
	cl.Language, cl.Timezone = language, timezone
	if err := v.Err(); err != nil {
		return Client{}, err
	}
	return cl, nil
}

// ValidLanguage reports whether Accord speaks l.
func ValidLanguage(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}

// LoadZone loads an IANA time zone by name. "Local" is refused: it would mean the server's own
// zone, which no person lives in. A zone is read from the zone database once, then kept: a
// write reads its zones several times, and the database holds a few hundred at most.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	if name == "" || name == "Local" || len(name) > 64 || !PlainText(name) {
		return nil, Errorf(EINVALID, "field.timezone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "field.timezone")
	}
	zones.Store(name, loc)
	return loc, nil
}

// zones are the zones LoadZone has loaded, by name; only names the zone database knows.
var zones sync.Map

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
	SessionICS    = "ics"    // the secret of a workspace's deadlines feed; does not expire
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
	// Hint is the secret's last four characters and Label what its owner calls it, so that a
	// person can tell their API tokens apart; neither lets anyone use it.
	Hint, Label string
}

// FreelancerSession is a web or API session with the user it acts as, and their workspace's
// time zone and response days.
type FreelancerSession struct {
	Session
	User         User
	Timezone     string
	ResponseDays int
}

// ContactPlace is how a contact of an engagement reads: Language is the one they chose in the
// portal, else their client's, and Timezone the client's.
type ContactPlace struct {
	Language, Timezone string
}

// ContactSession is a portal session with how its contact reads.
type ContactSession struct {
	Session
	ContactPlace
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
	Kind         string    `json:"kind"`            // invitation, brief, agreement, delivery, message, portal_link
	State        string    `json:"state"`           // queued, sent, failed
	Error        string    `json:"error,omitempty"` // why the last try failed, for the outbox page
	SentAt       time.Time `json:"sent_at,omitzero"`
	// RetryAt is when a queued email whose last try failed is tried again.
	RetryAt time.Time `json:"retry_at,omitzero"`
	// HeadSize is the size of the record's signed head stamped into the body, 0 for none yet.
	HeadSize int64 `json:"-"`
	// ReplyTo is the engagement's reply address, where an answer lands in its messages.
	ReplyTo string `json:"-"`
	// Attachments are the files the email carries, kept as blobs until it is sent.
	Attachments []Attachment `json:"-"`
}

// Attachment is a file an email carries: its name, type and blob; Data is filled in to send it.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	Data        []byte `json:"-"`
}

// MailTry is the outcome of a try to send an email: sent (when), queued to be tried again (why
// the try failed and when the next one is), or failed for good (why).
type MailTry struct {
	State   string
	Error   string
	SentAt  time.Time
	RetryAt time.Time
}

// What the freelancer is told by email, each of which can be turned off in the settings.
const (
	NotifyBriefAnswered     = "brief_answered"
	NotifyAgreementAccepted = "agreement_accepted"
	NotifyAmendmentDeclined = "amendment_declined"
	NotifyChangesRequested  = "changes_requested"
	NotifyDeliveryAccepted  = "delivery_accepted"
	NotifyClientMessage     = "client_message"
	NotifyInfoAnswered      = "info_answered"
	NotifyClientSilent      = "client_silent"
	NotifyReportDrafted     = "report_drafted"
	NotifyPaidChange        = "paid_change_answered"
	NotifyOptionChosen      = "option_chosen"
	NotifySummaryAnswered   = "summary_answered"
	NotifyClientComment     = "client_comment"
)

// Notifications are the kinds, in the order the settings list them.
var Notifications = []string{NotifyBriefAnswered, NotifyAgreementAccepted, NotifyAmendmentDeclined,
	NotifyChangesRequested, NotifyDeliveryAccepted, NotifyInfoAnswered, NotifyClientMessage, NotifyClientSilent, NotifyReportDrafted, NotifyPaidChange, NotifyOptionChosen,
	NotifySummaryAnswered, NotifyClientComment}

// Notifies reports whether the freelancer wants to be told of kind.
func (w Workspace) Notifies(kind string) bool { return !slices.Contains(w.Muted, kind) }

// Mail states.
const (
	MailQueued = "queued"
	MailSent   = "sent"
	MailFailed = "failed"
)

// BriefTemplate is a set of brief questions a freelancer starts new briefs from.
type BriefTemplate struct {
	ID          string
	WorkspaceID string
	Name        string
	Questions   []Question
	CreatedAt   time.Time
}
