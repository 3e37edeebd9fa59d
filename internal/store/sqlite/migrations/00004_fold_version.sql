-- +goose Up
-- The version of the rules that folded each snapshot; 0 is every snapshot written before it was
-- kept, and all of those are rebuilt from their events on the next start.
ALTER TABLE engagements ADD COLUMN fold_version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE engagements DROP COLUMN fold_version;
