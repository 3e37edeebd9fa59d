-- +goose Up
-- A workspace's settings version: it grows with every change to the workspace, its clients,
-- its billing details or its brief templates, so that a page rendered from them can be kept
-- for as long as the version and the engagement's seq stand. Triggers keep it, so that no
-- write path can forget to.
ALTER TABLE workspaces ADD COLUMN settings_version BIGINT NOT NULL DEFAULT 0;
-- +goose StatementBegin
CREATE FUNCTION workspace_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = OLD.workspace_id;
  ELSE
    UPDATE workspaces SET settings_version = settings_version + 1 WHERE id = NEW.workspace_id;
  END IF;
  RETURN NULL;
END;
$$;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE FUNCTION workspace_settings_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.settings_version := OLD.settings_version + 1;
  RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER workspaces_settings_version BEFORE UPDATE ON workspaces
FOR EACH ROW WHEN (NEW.settings_version = OLD.settings_version) EXECUTE FUNCTION workspace_settings_bump();
CREATE TRIGGER clients_settings_version AFTER INSERT OR UPDATE ON clients
FOR EACH ROW EXECUTE FUNCTION workspace_settings_changed();
CREATE TRIGGER billing_settings_version AFTER INSERT OR UPDATE ON billing_details
FOR EACH ROW EXECUTE FUNCTION workspace_settings_changed();
CREATE TRIGGER templates_settings_version AFTER INSERT OR UPDATE OR DELETE ON brief_templates
FOR EACH ROW EXECUTE FUNCTION workspace_settings_changed();

-- +goose Down
DROP TRIGGER templates_settings_version ON brief_templates;
DROP TRIGGER billing_settings_version ON billing_details;
DROP TRIGGER clients_settings_version ON clients;
DROP TRIGGER workspaces_settings_version ON workspaces;
DROP FUNCTION workspace_settings_bump();
DROP FUNCTION workspace_settings_changed();
ALTER TABLE workspaces DROP COLUMN settings_version;
