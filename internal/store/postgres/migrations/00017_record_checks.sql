-- +goose Up
-- The last check of each workspace's record, shown to the freelancer when it did not hold.
CREATE TABLE record_checks (
  workspace_id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  ok BOOLEAN NOT NULL,
  leaf BIGINT NOT NULL,
  engagement_id TEXT NOT NULL,
  seq BIGINT NOT NULL
);

-- +goose Down
DROP TABLE record_checks;
