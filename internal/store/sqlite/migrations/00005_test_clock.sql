-- +goose Up
-- The time of a server run with --test-clock, so that a restarted one goes on from it.
CREATE TABLE test_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  now INTEGER NOT NULL
);

-- +goose Down
DROP TABLE test_clock;
