import type { Migration } from './index';

/**
 * Trained models. Each training run adds a row (name + version unique); at most one row per name is active
 * (the one the risk score uses). Older versions are kept for comparison and rollback.
 *   params   the model's toJSON() (name, version, parameters, calibrator)
 *   metrics  the time-based test metrics (model card)
 *   training window, size, horizon, feature names
 */
export const m004Models: Migration = {
  version: 4,
  name: '004_models',
  up(engine) {
    engine.exec(`
CREATE TABLE models (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  params TEXT NOT NULL,
  metrics TEXT NOT NULL DEFAULT '{}',
  training TEXT NOT NULL DEFAULT '{}',
  active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
  activated_at TEXT,
  notes TEXT,
  UNIQUE (name, version)
);
CREATE UNIQUE INDEX models_one_active ON models(name) WHERE active = 1;
`);
  },
};
