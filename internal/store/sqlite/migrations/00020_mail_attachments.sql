-- +goose Up
-- The files an email carries (a receipt's PDF), as JSON: each one's name, type and blob hash.
ALTER TABLE outbox ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE outbox DROP COLUMN attachments;
