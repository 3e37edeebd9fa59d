-- +goose Up
-- A workspace's settings version: it grows with every change to the workspace, its clients,
-- its billing details or its brief templates, so that a page rendered from them can be kept
-- for as long as the version and the engagement's seq stand. Triggers keep it, so that no
-- write path can forget to.
ALTER TABLE workspaces ADD COLUMN settings_version INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER workspaces_settings_version AFTER UPDATE ON workspaces
WHEN NEW.settings_version = OLD.settings_version
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.id; END;
CREATE TRIGGER clients_settings_version_insert AFTER INSERT ON clients
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER clients_settings_version_update AFTER UPDATE ON clients
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER billing_settings_version_insert AFTER INSERT ON billing_details
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER billing_settings_version_update AFTER UPDATE ON billing_details
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER templates_settings_version_insert AFTER INSERT ON brief_templates
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER templates_settings_version_update AFTER UPDATE ON brief_templates
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id; END;
CREATE TRIGGER templates_settings_version_delete AFTER DELETE ON brief_templates
BEGIN UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = OLD.workspace_id; END;

-- +goose Down
DROP TRIGGER templates_settings_version_delete;
DROP TRIGGER templates_settings_version_update;
DROP TRIGGER templates_settings_version_insert;
DROP TRIGGER billing_settings_version_update;
DROP TRIGGER billing_settings_version_insert;
DROP TRIGGER clients_settings_version_update;
DROP TRIGGER clients_settings_version_insert;
DROP TRIGGER workspaces_settings_version;
ALTER TABLE workspaces DROP COLUMN settings_version;
