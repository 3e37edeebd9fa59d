-- +goose Up
-- Each engagement's digest (who it waits on, its nearest deadline, what it adds to the
-- workspace's sums, its invoices still unpaid) is kept beside its snapshot, and each
-- workspace's counts and sums as tallies changed by the difference every save makes, so that
-- the dashboard reads indexed rows rather than every snapshot. The digests of engagements
-- stored before are written by the snapshot rebuild on the next start: marking them folded
-- by no version sends every one through it.
ALTER TABLE engagements ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE engagements ADD COLUMN agenda BIGINT NOT NULL DEFAULT 0;
ALTER TABLE engagements ADD COLUMN next_due TEXT;
ALTER TABLE engagements ADD COLUMN last_due TEXT;
UPDATE engagements SET fold_version = 0;
CREATE INDEX engagements_agenda ON engagements(workspace_id, agenda, id);
CREATE INDEX engagements_next_due ON engagements(workspace_id, next_due, id) WHERE next_due IS NOT NULL;
CREATE INDEX engagements_last_due ON engagements(workspace_id, last_due, id) WHERE last_due IS NOT NULL;
CREATE TABLE tallies (
  workspace_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  bucket BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (workspace_id, kind, currency, bucket)
);
CREATE TABLE open_invoices (
  engagement_id TEXT NOT NULL REFERENCES engagements(id),
  invoice_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  body TEXT NOT NULL,
  due_date TEXT NOT NULL,
  number TEXT NOT NULL,
  PRIMARY KEY (engagement_id, invoice_id)
);
CREATE INDEX open_invoices_due ON open_invoices(workspace_id, due_date, number);
-- The dashboard counts the emails that failed; this finds them without reading every email.
CREATE INDEX outbox_state ON outbox(workspace_id, state);

-- +goose Down
DROP INDEX outbox_state;
DROP TABLE open_invoices;
DROP TABLE tallies;
DROP INDEX engagements_last_due;
DROP INDEX engagements_next_due;
DROP INDEX engagements_agenda;
ALTER TABLE engagements DROP COLUMN last_due;
ALTER TABLE engagements DROP COLUMN next_due;
ALTER TABLE engagements DROP COLUMN agenda;
ALTER TABLE engagements DROP COLUMN digest;
