-- +goose Up
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner_id TEXT NOT NULL REFERENCES users(id),
  cooling_off_seconds BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  engagement_id TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE portal_tokens (
  hash TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  engagement_id TEXT NOT NULL,
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  language TEXT NOT NULL,
  timezone TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX clients_workspace ON clients(workspace_id, name);
CREATE TABLE engagements (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  client_id TEXT NOT NULL REFERENCES clients(id),
  state TEXT NOT NULL,
  seq BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX engagements_workspace ON engagements(workspace_id, updated_at);
CREATE TABLE events (
  engagement_id TEXT NOT NULL REFERENCES engagements(id),
  seq BIGINT NOT NULL,
  workspace_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at BIGINT NOT NULL,
  body BYTEA NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (engagement_id, seq)
);
-- +goose StatementBegin
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  engagement_id TEXT NOT NULL REFERENCES engagements(id),
  author TEXT NOT NULL,
  author_name TEXT NOT NULL,
  body TEXT NOT NULL,
  at BIGINT NOT NULL,
  send_at BIGINT NOT NULL,
  channel TEXT NOT NULL
);
CREATE INDEX messages_engagement ON messages(engagement_id, at);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  engagement_id TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX outbox_workspace ON outbox(workspace_id, at);

-- +goose Down
DROP TABLE outbox;
DROP TABLE messages;
DROP TABLE events;
DROP FUNCTION events_append_only();
DROP TABLE engagements;
DROP TABLE clients;
DROP TABLE portal_tokens;
DROP TABLE sessions;
DROP TABLE workspaces;
DROP TABLE users;
