-- +goose Up
-- The kinds of notification the freelancer turned off, comma-separated.
ALTER TABLE workspaces ADD COLUMN muted TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE workspaces DROP COLUMN muted;
