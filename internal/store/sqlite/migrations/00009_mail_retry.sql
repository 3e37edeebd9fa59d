-- +goose Up
-- When a queued email that failed its last try is tried again (0: not waiting to retry).
ALTER TABLE outbox ADD COLUMN retry_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE outbox DROP COLUMN retry_at;
