package accord

import "time"

// The record: every event is also a leaf of its workspace's Merkle tree (RFC 6962), appended
// in the transaction that stores the event. The tree's hashes are kept in the layout of
// golang.org/x/mod/sumdb/tlog, so proofs are read straight from the store.

// Leaf is where one event of an engagement stands in its workspace's tree.
type Leaf struct {
	Index int64 // the leaf's position in the workspace's tree
	Seq   int64 // the event's number in its engagement
}

// LeafBody is a leaf with the event bytes it was made from.
type LeafBody struct {
	Index        int64
	EngagementID string
	Seq          int64
	Body         []byte
}

// RecordCheck is the outcome of the last check of a workspace's record: whether it held, and
// where it first did not.
type RecordCheck struct {
	WorkspaceID  string
	At           time.Time
	OK           bool
	Leaf         int64
	EngagementID string
	Seq          int64
}

// RecordHead is a tree head the workspace signed and handed out (in an email, the portal or
// an evidence bundle): a later tree must contain it.
type RecordHead struct {
	WorkspaceID string
	Size        int64
	Root        [32]byte
	At          time.Time
}
