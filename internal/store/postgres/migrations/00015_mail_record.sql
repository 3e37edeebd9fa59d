-- +goose Up
-- An email that matters carries the record's signed head: head_size is the size of the head
-- stamped into its body, 0 until then. Each engagement gets its reply address's secret part.
ALTER TABLE outbox ADD COLUMN head_size BIGINT NOT NULL DEFAULT 0;
ALTER TABLE engagements ADD COLUMN reply_token TEXT;
UPDATE engagements SET reply_token = substr(replace(gen_random_uuid()::text, '-', ''), 1, 24) WHERE reply_token IS NULL;
CREATE UNIQUE INDEX engagements_reply_token ON engagements(reply_token);
-- A message that came by email keeps its attachments and the hash of the raw message.
ALTER TABLE messages ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
ALTER TABLE messages ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE inbound_mail (
  engagement_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (engagement_id, message_id)
);

-- +goose Down
DROP TABLE inbound_mail;
ALTER TABLE messages DROP COLUMN email;
ALTER TABLE messages DROP COLUMN files;
DROP INDEX engagements_reply_token;
ALTER TABLE engagements DROP COLUMN reply_token;
ALTER TABLE outbox DROP COLUMN head_size;
