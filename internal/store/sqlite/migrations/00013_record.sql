-- +goose Up
-- The workspace's Merkle tree (RFC 6962): every event is a leaf, appended in the transaction
-- that stores it. record_hashes holds the tree's stored hashes in the layout of
-- golang.org/x/mod/sumdb/tlog (StoredHashIndex); record_heads keeps each tree head the
-- workspace signed and handed out, the anchors a later check compares the tree with.
CREATE TABLE record_trees (
  workspace_id TEXT PRIMARY KEY,
  size INTEGER NOT NULL
);
CREATE TABLE record_leaves (
  workspace_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  engagement_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, idx),
  UNIQUE (engagement_id, seq)
);
CREATE TABLE record_hashes (
  workspace_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (workspace_id, idx)
);
CREATE TABLE record_heads (
  workspace_id TEXT NOT NULL,
  size INTEGER NOT NULL,
  root BLOB NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, size)
);
CREATE TRIGGER record_leaves_no_update BEFORE UPDATE ON record_leaves
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_leaves_no_delete BEFORE DELETE ON record_leaves
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_hashes_no_update BEFORE UPDATE ON record_hashes
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_hashes_no_delete BEFORE DELETE ON record_hashes
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;

-- +goose Down
DROP TABLE record_heads;
DROP TABLE record_hashes;
DROP TABLE record_leaves;
DROP TABLE record_trees;
