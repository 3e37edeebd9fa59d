-- +goose Up
-- A flash is one page's message after a form (a confirmation, or a refused form as typed),
-- kept until the browser comes back for it.
CREATE TABLE flashes (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  body BLOB NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX flashes_expires ON flashes(expires_at);
-- Mail written before mail had a state was sent, or kept in the outbox only, when it was written.
UPDATE outbox SET state = 'sent' WHERE state = 'queued';

-- +goose Down
DROP TABLE flashes;
