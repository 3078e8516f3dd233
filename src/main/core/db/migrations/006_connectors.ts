import type { Migration } from './index';

/**
 * Import mappings saved per source, API connectors with their sync cursors and run reports, and credentials
 * (always stored encrypted; `blob` is ciphertext, never a secret in clear).
 */
export const m006Connectors: Migration = {
  version: 6,
  name: '006_connectors',
  up(engine) {
    engine.exec(`
CREATE TABLE import_mappings (
  source TEXT NOT NULL,
  entity TEXT NOT NULL,
  mapping TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (source, entity)
);

CREATE TABLE import_runs (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  entity TEXT NOT NULL,
  file TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('imported','refused','dry_run','cancelled')),
  report TEXT NOT NULL
);

CREATE TABLE connectors (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('salesforce','zendesk','hubspot')),
  config TEXT NOT NULL DEFAULT '{}',
  enabled INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'never' CHECK (status IN ('never','ok','running','error','offline')),
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE connector_cursors (
  connector TEXT NOT NULL REFERENCES connectors(name) ON DELETE CASCADE,
  stream TEXT NOT NULL,
  cursor TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (connector, stream)
);

CREATE TABLE sync_runs (
  id INTEGER PRIMARY KEY,
  connector TEXT NOT NULL REFERENCES connectors(name) ON DELETE CASCADE,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running','ok','partial','error','offline','cancelled')),
  report TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_runs_connector ON sync_runs(connector, started_at);

CREATE TABLE credentials (
  name TEXT PRIMARY KEY,
  scheme TEXT NOT NULL,
  blob TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`);
  },
};
