-- +goose Up
-- The workspace's Merkle tree (RFC 6962): every event is a leaf, appended in the transaction
-- that stores it. record_hashes holds the tree's stored hashes in the layout of
-- golang.org/x/mod/sumdb/tlog (StoredHashIndex); record_heads keeps each tree head the
-- workspace signed and handed out, the anchors a later check compares the tree with.
CREATE TABLE record_trees (
  workspace_id TEXT PRIMARY KEY,
  size BIGINT NOT NULL
);
CREATE TABLE record_leaves (
  workspace_id TEXT NOT NULL,
  idx BIGINT NOT NULL,
  engagement_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, idx),
  UNIQUE (engagement_id, seq)
);
CREATE TABLE record_hashes (
  workspace_id TEXT NOT NULL,
  idx BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (workspace_id, idx)
);
CREATE TABLE record_heads (
  workspace_id TEXT NOT NULL,
  size BIGINT NOT NULL,
  root BYTEA NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, size)
);
-- +goose StatementBegin
CREATE FUNCTION record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the record is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER record_leaves_no_change BEFORE UPDATE OR DELETE ON record_leaves
FOR EACH ROW EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_leaves_no_truncate BEFORE TRUNCATE ON record_leaves
FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_hashes_no_change BEFORE UPDATE OR DELETE ON record_hashes
FOR EACH ROW EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_hashes_no_truncate BEFORE TRUNCATE ON record_hashes
FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();

-- +goose Down
DROP TABLE record_heads;
DROP TABLE record_hashes;
DROP TABLE record_leaves;
DROP TABLE record_trees;
DROP FUNCTION record_append_only();
