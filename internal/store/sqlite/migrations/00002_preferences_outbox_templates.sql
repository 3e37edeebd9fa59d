-- +goose Up
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE workspaces ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE workspaces ADD COLUMN payment_details TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE outbox ADD COLUMN error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sent_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE contact_prefs (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  email TEXT NOT NULL,
  language TEXT NOT NULL,
  PRIMARY KEY (workspace_id, email)
);
CREATE TABLE brief_templates (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id),
  name TEXT NOT NULL,
  questions TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX brief_templates_workspace ON brief_templates(workspace_id, name);
CREATE INDEX portal_tokens_email ON portal_tokens(email);
CREATE INDEX portal_tokens_expires ON portal_tokens(expires_at);
CREATE INDEX sessions_user ON sessions(user_id, kind);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- +goose Down
DROP INDEX sessions_expires;
DROP INDEX sessions_user;
DROP INDEX portal_tokens_expires;
DROP INDEX portal_tokens_email;
DROP INDEX brief_templates_workspace;
DROP TABLE brief_templates;
DROP TABLE contact_prefs;
ALTER TABLE outbox DROP COLUMN sent_at;
ALTER TABLE outbox DROP COLUMN error;
ALTER TABLE outbox DROP COLUMN state;
ALTER TABLE outbox DROP COLUMN kind;
ALTER TABLE workspaces DROP COLUMN payment_details;
ALTER TABLE workspaces DROP COLUMN timezone;
ALTER TABLE users DROP COLUMN language;
