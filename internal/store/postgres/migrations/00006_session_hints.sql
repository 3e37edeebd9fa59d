-- +goose Up
-- What a person tells their API tokens apart by: the secret's last four characters, and a label.
ALTER TABLE sessions ADD COLUMN hint TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN label;
ALTER TABLE sessions DROP COLUMN hint;
