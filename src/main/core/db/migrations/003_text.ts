import type { Migration } from './index';

/**
 * Text intelligence: detected intents per message (with the triggering span), the team's corrections, learnt
 * text models (sentiment adapter, triage classifiers), triage suggestions, and text settings. A trigger clears
 * a message's automatic sentiment and intents when its body changes, so incremental scoring picks it up.
 */
export const m003Text: Migration = {
  version: 3,
  name: '003_text',
  up(engine) {
    engine.exec(`
CREATE TABLE message_intents (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES ticket_messages(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('frustration','churn','competitor','executive_legal','outage_defect')),
  span_start INTEGER NOT NULL,
  span_end INTEGER NOT NULL,
  text TEXT NOT NULL,
  confidence REAL NOT NULL,
  source TEXT NOT NULL DEFAULT 'auto' CHECK (source IN ('auto','human'))
);
CREATE INDEX message_intents_message ON message_intents(message_id);
CREATE INDEX message_intents_kind ON message_intents(kind);

CREATE TABLE text_corrections (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES ticket_messages(id) ON DELETE CASCADE,
  sentiment_label TEXT CHECK (sentiment_label IN ('positive','neutral','negative')),
  intents TEXT,
  previous_label TEXT,
  previous_model TEXT,
  corrected_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX text_corrections_message ON text_corrections(message_id, created_at);

CREATE TABLE text_models (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  model_json TEXT NOT NULL,
  metrics_json TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX text_models_kind ON text_models(kind, active, created_at);

CREATE TABLE triage_suggestions (
  id INTEGER PRIMARY KEY,
  target TEXT NOT NULL CHECK (target IN ('escalation','ticket')),
  target_id INTEGER NOT NULL,
  category TEXT,
  category_confidence REAL,
  severity TEXT,
  severity_confidence REAL,
  model TEXT NOT NULL,
  suggested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  final_category TEXT,
  final_severity TEXT,
  UNIQUE (target, target_id)
);

CREATE TABLE text_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TRIGGER ticket_messages_body_changed AFTER UPDATE OF body ON ticket_messages
WHEN old.body IS NOT new.body
BEGIN
  UPDATE ticket_messages SET sentiment_label = NULL, sentiment_score = NULL, sentiment_confidence = NULL,
    sentiment_model = NULL WHERE id = new.id;
  DELETE FROM message_intents WHERE message_id = new.id AND source = 'auto';
END;
`);
  },
};
