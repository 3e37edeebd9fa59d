-- +goose Up
-- The workspace's policy: the least prepayment share an agreement may ask, in percent.
ALTER TABLE workspaces ADD COLUMN min_prepayment INTEGER NOT NULL DEFAULT 0;
-- Why the freelancer trusts a client enough to relax the policy ('' when it does not).
ALTER TABLE clients ADD COLUMN trusted_reason TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE workspaces DROP COLUMN min_prepayment;
ALTER TABLE clients DROP COLUMN trusted_reason;
