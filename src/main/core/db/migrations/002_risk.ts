import type { Migration } from './index';

/**
 * The risk engine's tables: threshold rules (versioned), the flags they raise, the current score per account,
 * score history, manual overrides and the engine's configuration (weights, windows, priority matrix).
 */
export const m002Risk: Migration = {
  version: 2,
  name: '002_risk',
  up(engine) {
    engine.exec(`
CREATE TABLE risk_config (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

CREATE TABLE risk_rules (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  definition TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 0,
  builtin INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT
);

CREATE TABLE risk_rule_versions (
  rule_id INTEGER NOT NULL REFERENCES risk_rules(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT,
  PRIMARY KEY (rule_id, version)
);

CREATE TABLE risk_flags (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  rule_id INTEGER NOT NULL REFERENCES risk_rules(id),
  rule_version INTEGER NOT NULL,
  raised_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','snoozed','confirmed','dismissed')),
  score REAL,
  priority TEXT CHECK (priority IN ('critical','high','medium','low')),
  evidence TEXT NOT NULL DEFAULT '[]',
  snoozed_until TEXT,
  snooze_reason TEXT,
  snoozed_by TEXT,
  decided_by TEXT,
  decided_at TEXT,
  dismiss_reason TEXT,
  escalation_id INTEGER REFERENCES escalations(id) ON DELETE SET NULL
);
CREATE INDEX risk_flags_account ON risk_flags(account_id, rule_id, raised_at);
CREATE INDEX risk_flags_status ON risk_flags(status);
CREATE UNIQUE INDEX risk_flags_one_open ON risk_flags(account_id, rule_id) WHERE status IN ('open','snoozed');

CREATE TABLE risk_current (
  account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
  computed_at TEXT NOT NULL,
  as_of TEXT NOT NULL,
  score REAL NOT NULL,
  computed_score REAL NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('critical','high','medium','low')),
  factors TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX risk_current_score ON risk_current(score);

CREATE TABLE risk_score_history (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  score REAL NOT NULL,
  computed_score REAL NOT NULL,
  priority TEXT NOT NULL,
  factors TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (account_id, day)
);

CREATE TABLE risk_overrides (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
  priority TEXT CHECK (priority IN ('critical','high','medium','low')),
  reason TEXT NOT NULL,
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL,
  expires_at TEXT,
  cleared_at TEXT,
  cleared_by TEXT
);
CREATE INDEX risk_overrides_account ON risk_overrides(account_id, set_at);
`);
  },
};
