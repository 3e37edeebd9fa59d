-- +goose Up
-- What invoices say of the freelancer (client_id '') and of each client: legal name, address,
-- tax ids, and the workspace's invoice numbering, tax and card payment settings, as JSON.
CREATE TABLE billing_details (
  workspace_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (workspace_id, client_id)
);

-- The last invoice number each workspace gave in each year; taken in the transaction that
-- issues the invoice, so that a rolled-back issue leaves no gap.
CREATE TABLE invoice_counters (
  workspace_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, year)
);

-- +goose Down
DROP TABLE invoice_counters;
DROP TABLE billing_details;
