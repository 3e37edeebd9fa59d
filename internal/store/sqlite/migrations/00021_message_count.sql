-- +goose Up
-- How many messages each engagement holds, kept with every message written or withdrawn, so
-- that a page of them says how many there are without counting.
ALTER TABLE engagements ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
UPDATE engagements SET message_count = (SELECT count(*) FROM messages WHERE messages.engagement_id = engagements.id);

-- +goose Down
ALTER TABLE engagements DROP COLUMN message_count;
