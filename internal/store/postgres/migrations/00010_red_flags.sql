-- +goose Up
-- The client's red flags, as JSON: [{code, found_in, at, engagement_id}].
ALTER TABLE clients ADD COLUMN red_flags TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE clients DROP COLUMN red_flags;
