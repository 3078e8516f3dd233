import type { Migration } from './index';

/** The portfolio schema. Every table holding external records keeps `source` and `external_id`. */
export const m001Initial: Migration = {
  version: 1,
  name: '001_initial',
  up(engine) {
    engine.exec(`
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE team_members (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  name TEXT NOT NULL,
  email TEXT,
  role TEXT NOT NULL CHECK (role IN ('csm','technical','cs_leader','executive','account_executive')),
  skills TEXT NOT NULL DEFAULT '[]',
  capacity INTEGER NOT NULL DEFAULT 5 CHECK (capacity >= 0),
  timezone TEXT NOT NULL DEFAULT 'UTC',
  working_hours TEXT NOT NULL DEFAULT '{"start":"09:00","end":"17:00","days":[1,2,3,4,5]}',
  out_of_office TEXT NOT NULL DEFAULT '[]',
  manager_id INTEGER REFERENCES team_members(id),
  active INTEGER NOT NULL DEFAULT 1,
  UNIQUE (source, external_id)
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  name TEXT NOT NULL,
  segment TEXT NOT NULL CHECK (segment IN ('enterprise','mid_market','smb')),
  tier TEXT,
  industry TEXT,
  arr REAL NOT NULL DEFAULT 0 CHECK (arr >= 0),
  is_strategic INTEGER NOT NULL DEFAULT 0,
  expansion_potential TEXT NOT NULL DEFAULT 'low' CHECK (expansion_potential IN ('none','low','medium','high')),
  contract_start TEXT,
  renewal_date TEXT,
  owner_id INTEGER REFERENCES team_members(id),
  account_executive_id INTEGER REFERENCES team_members(id),
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','churned')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (source, external_id)
);
CREATE INDEX accounts_name ON accounts(name COLLATE NOCASE);
CREATE INDEX accounts_arr ON accounts(arr);
CREATE INDEX accounts_renewal ON accounts(renewal_date);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  email TEXT,
  title TEXT,
  role TEXT,
  is_champion INTEGER NOT NULL DEFAULT 0,
  is_exec_sponsor INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','departed')),
  started_at TEXT,
  departed_at TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX contacts_account ON contacts(account_id);

CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id),
  subject TEXT NOT NULL,
  product_area TEXT,
  category TEXT,
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('new','open','pending','solved','closed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  solved_at TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX tickets_account_created ON tickets(account_id, created_at);

CREATE TABLE ticket_messages (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  side TEXT NOT NULL CHECK (side IN ('customer','agent')),
  author_name TEXT,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sentiment_label TEXT CHECK (sentiment_label IN ('positive','neutral','negative')),
  sentiment_score REAL,
  sentiment_confidence REAL,
  sentiment_model TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, created_at);

CREATE TABLE usage_periods (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  period_start TEXT NOT NULL,
  period_days INTEGER NOT NULL DEFAULT 7 CHECK (period_days > 0),
  active_users INTEGER NOT NULL DEFAULT 0,
  logins INTEGER NOT NULL DEFAULT 0,
  key_feature_use INTEGER NOT NULL DEFAULT 0,
  features_adopted INTEGER NOT NULL DEFAULT 0,
  UNIQUE (account_id, period_start, period_days),
  UNIQUE (source, external_id)
);

CREATE TABLE health_scores (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  scored_at TEXT NOT NULL,
  score REAL NOT NULL CHECK (score BETWEEN 0 AND 100),
  UNIQUE (source, external_id)
);
CREATE INDEX health_account ON health_scores(account_id, scored_at);

CREATE TABLE nps_responses (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id),
  responded_at TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  comment TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX nps_account ON nps_responses(account_id, responded_at);

CREATE TABLE engagements (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  contact_id INTEGER REFERENCES contacts(id),
  team_member_id INTEGER REFERENCES team_members(id),
  occurred_at TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('meeting','email','call','qbr','exec_touchpoint','csm_note')),
  is_executive INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX engagements_account ON engagements(account_id, occurred_at);

CREATE TABLE escalations (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('open','acknowledged','in_progress','resolved','closed')),
  priority TEXT NOT NULL CHECK (priority IN ('critical','high','medium','low')),
  category TEXT,
  severity TEXT,
  summary TEXT,
  product_area TEXT,
  opened_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  owner_id INTEGER REFERENCES team_members(id),
  acknowledged_at TEXT,
  resolved_at TEXT,
  closed_at TEXT,
  UNIQUE (source, external_id)
);
CREATE INDEX escalations_account ON escalations(account_id, opened_at);

CREATE TABLE escalation_events (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  occurred_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX escalation_events_esc ON escalation_events(escalation_id, occurred_at);

CREATE TABLE outcomes (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL DEFAULT 'local',
  external_id TEXT,
  escalation_id INTEGER NOT NULL UNIQUE REFERENCES escalations(id) ON DELETE CASCADE,
  outcome TEXT NOT NULL CHECK (outcome IN ('saved','expanded','churned','downgraded')),
  arr_before REAL NOT NULL,
  arr_after REAL NOT NULL,
  resolved_at TEXT NOT NULL,
  root_cause TEXT,
  strategies TEXT NOT NULL DEFAULT '[]',
  notes TEXT,
  recorded_by TEXT,
  UNIQUE (source, external_id)
);

CREATE TABLE action_plans (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER REFERENCES escalations(id) ON DELETE CASCADE,
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (account_id, escalation_id, version)
);
`);
  },
};
