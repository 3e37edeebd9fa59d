-- +goose Up
-- More of the workspace's policy: the least kill fee and the most revision rounds an agreement
-- may set (0: no rule).
ALTER TABLE workspaces ADD COLUMN min_kill_fee INTEGER NOT NULL DEFAULT 0;
ALTER TABLE workspaces ADD COLUMN max_revisions INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE workspaces DROP COLUMN min_kill_fee;
ALTER TABLE workspaces DROP COLUMN max_revisions;
