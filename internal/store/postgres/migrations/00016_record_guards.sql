-- +goose Up
-- The heads handed out are kept for good, and a tree only grows.
CREATE TRIGGER record_heads_no_change BEFORE UPDATE OR DELETE ON record_heads
FOR EACH ROW EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_heads_no_truncate BEFORE TRUNCATE ON record_heads
FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_trees_only_grow BEFORE UPDATE ON record_trees
FOR EACH ROW WHEN (NEW.size < OLD.size OR NEW.workspace_id <> OLD.workspace_id) EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_trees_no_delete BEFORE DELETE ON record_trees
FOR EACH ROW EXECUTE FUNCTION record_append_only();
CREATE TRIGGER record_trees_no_truncate BEFORE TRUNCATE ON record_trees
FOR EACH STATEMENT EXECUTE FUNCTION record_append_only();

-- +goose Down
DROP TRIGGER record_trees_no_truncate ON record_trees;
DROP TRIGGER record_trees_no_delete ON record_trees;
DROP TRIGGER record_trees_only_grow ON record_trees;
DROP TRIGGER record_heads_no_truncate ON record_heads;
DROP TRIGGER record_heads_no_change ON record_heads;
