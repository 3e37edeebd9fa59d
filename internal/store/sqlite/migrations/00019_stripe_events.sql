-- +goose Up
-- The Stripe events each workspace has applied, so that a repeated or replayed delivery of one
-- is taken once.
CREATE TABLE stripe_events (
  workspace_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, event_id)
);

-- +goose Down
DROP TABLE stripe_events;
