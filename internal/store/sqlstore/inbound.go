package sqlstore

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/accordapp/accord"
)

// newReplyToken is the secret part of an engagement's reply address: 96 random bits.
func newReplyToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ReplyToken is the secret part of an engagement's reply address.
func (t *Tx) ReplyToken(workspaceID, engagementID string) (string, error) {
	var tok string
	err := t.row(`SELECT reply_token FROM engagements WHERE workspace_id = ? AND id = ?`, workspaceID, engagementID).Scan(&tok)
	return tok, notFound(err, "engagement")
}

// EngagementByReplyToken finds the engagement a reply address belongs to.
func (t *Tx) EngagementByReplyToken(token string) (accord.EngagementRef, error) {
	var r accord.EngagementRef
	err := t.row(`SELECT workspace_id, id FROM engagements WHERE reply_token = ?`, token).Scan(&r.WorkspaceID, &r.ID)
	return r, notFound(err, "engagement")
}

// FindEngagement finds an engagement's workspace by the engagement's id alone, for the tools
// that run on the server itself.
func (t *Tx) FindEngagement(id string) (accord.EngagementRef, error) {
	var r accord.EngagementRef
	err := t.row(`SELECT workspace_id, id, client_id FROM engagements WHERE id = ?`, id).Scan(&r.WorkspaceID, &r.ID, &r.ClientID)
	return r, notFound(err, "engagement")
}

// EngagementStamp reads an engagement's seq and its workspace's settings version, which the
// database's triggers grow with every change to the workspace, its clients, billing details
// and brief templates.
func (t *Tx) EngagementStamp(workspaceID, engagementID string) (accord.Stamp, error) {
	var s accord.Stamp
	err := t.row(`SELECT e.seq, w.settings_version FROM engagements e JOIN workspaces w ON w.id = e.workspace_id
		WHERE e.id = ? AND e.workspace_id = ?`, engagementID, workspaceID).Scan(&s.Seq, &s.Settings)
	return s, notFound(err, "engagement")
}

// MarkInbound notes that an email (by its Message-ID) reached an engagement, and says whether it
// is the first time: a sender retrying after a lost answer must not post it twice.
func (t *Tx) MarkInbound(engagementID, messageID string, at time.Time) (bool, error) {
	n, err := t.exec(`INSERT INTO inbound_mail (engagement_id, message_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		engagementID, messageID, micros(at))
	return n == 1, err
}
