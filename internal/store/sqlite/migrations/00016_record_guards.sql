-- +goose Up
-- The heads handed out are kept for good, and a tree only grows.
CREATE TRIGGER record_heads_no_update BEFORE UPDATE ON record_heads
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_heads_no_delete BEFORE DELETE ON record_heads
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_trees_only_grow BEFORE UPDATE ON record_trees
WHEN NEW.size < OLD.size OR NEW.workspace_id <> OLD.workspace_id
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;
CREATE TRIGGER record_trees_no_delete BEFORE DELETE ON record_trees
BEGIN SELECT RAISE(ABORT, 'the record is append-only'); END;

-- +goose Down
DROP TRIGGER record_trees_no_delete;
DROP TRIGGER record_trees_only_grow;
DROP TRIGGER record_heads_no_delete;
DROP TRIGGER record_heads_no_update;
