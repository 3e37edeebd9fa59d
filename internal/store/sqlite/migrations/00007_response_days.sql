-- +goose Up
-- How long a client has to answer before an agreement sets it: the workspace's own, 3 days unless changed.
ALTER TABLE workspaces ADD COLUMN response_days INTEGER NOT NULL DEFAULT 3;

-- +goose Down
ALTER TABLE workspaces DROP COLUMN response_days;
