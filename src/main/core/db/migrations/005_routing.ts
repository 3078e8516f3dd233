import type { Migration } from './index';

/**
 * Routing, SLA clocks, escalation paths, notifications and automations (issue 6).
 * Settings are JSON in TEXT columns (validated by zod in the handlers); times are ISO 8601 UTC strings.
 */
export const m005Routing: Migration = {
  version: 5,
  name: '005_routing',
  up(engine) {
    engine.exec(`
CREATE TABLE routing_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sla_policies (
  priority TEXT PRIMARY KEY CHECK (priority IN ('critical','high','medium','low')),
  config TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE escalation_paths (
  priority TEXT PRIMARY KEY CHECK (priority IN ('critical','high','medium','low')),
  steps TEXT NOT NULL DEFAULT '[]',
  updated_at TEXT NOT NULL
);

CREATE TABLE sla_clocks (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('ack','progress','resolve')),
  started_at TEXT NOT NULL,
  target_minutes INTEGER NOT NULL CHECK (target_minutes > 0),
  warn_pct INTEGER NOT NULL DEFAULT 75 CHECK (warn_pct BETWEEN 1 AND 99),
  calendar TEXT NOT NULL,
  met_at TEXT,
  warned_at TEXT,
  breached_at TEXT,
  UNIQUE (escalation_id, kind)
);

CREATE TABLE sla_pauses (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  paused_at TEXT NOT NULL,
  resumed_at TEXT,
  reason TEXT NOT NULL,
  paused_by TEXT,
  resumed_by TEXT
);
CREATE INDEX sla_pauses_esc ON sla_pauses(escalation_id);

CREATE TABLE path_firings (
  id INTEGER PRIMARY KEY,
  escalation_id INTEGER NOT NULL REFERENCES escalations(id) ON DELETE CASCADE,
  step_index INTEGER NOT NULL,
  level INTEGER NOT NULL,
  due_at TEXT NOT NULL,
  processed_at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('fired','not_needed')),
  detail TEXT NOT NULL DEFAULT '{}',
  UNIQUE (escalation_id, step_index)
);

CREATE TABLE notification_channels (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('desktop','slack','email')),
  name TEXT NOT NULL,
  config TEXT NOT NULL DEFAULT '{}',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL
);

CREATE TABLE notification_prefs (
  member_id INTEGER PRIMARY KEY REFERENCES team_members(id) ON DELETE CASCADE,
  channels TEXT NOT NULL DEFAULT '["desktop"]',
  quiet_hours TEXT,
  digest_time TEXT NOT NULL DEFAULT '08:00',
  daily_budget INTEGER NOT NULL DEFAULT 10 CHECK (daily_budget >= 0),
  updated_at TEXT NOT NULL
);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  member_id INTEGER REFERENCES team_members(id) ON DELETE CASCADE,
  escalation_id INTEGER REFERENCES escalations(id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  priority TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  created_at TEXT NOT NULL,
  disposition TEXT NOT NULL CHECK (disposition IN ('immediate','held','digest')),
  reason TEXT,
  deliver_at TEXT NOT NULL,
  released_at TEXT
);
CREATE INDEX notifications_member ON notifications(member_id, created_at);
CREATE INDEX notifications_digest ON notifications(disposition, released_at, deliver_at);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  channel_id INTEGER REFERENCES notification_channels(id) ON DELETE SET NULL,
  channel_kind TEXT NOT NULL CHECK (channel_kind IN ('desktop','slack','email')),
  recipient TEXT,
  member_id INTEGER REFERENCES team_members(id) ON DELETE SET NULL,
  escalation_id INTEGER REFERENCES escalations(id) ON DELETE SET NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','failed','unknown','cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  sending_at TEXT,
  sent_at TEXT,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  dedupe_key TEXT NOT NULL UNIQUE,
  member_id INTEGER REFERENCES team_members(id) ON DELETE CASCADE,
  escalation_id INTEGER REFERENCES escalations(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  link TEXT,
  created_at TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX inbox_created ON inbox(created_at);

CREATE TABLE automation_runs (
  id INTEGER PRIMARY KEY,
  ran_at TEXT NOT NULL,
  caught_up_from TEXT,
  actions INTEGER NOT NULL DEFAULT 0,
  summary TEXT NOT NULL DEFAULT '[]'
);
`);
  },
};
