/**
 * Trained models in the portfolio database (table `models`, migration 004): save a new version, list,
 * activate one (rollback = activate an older version), and load the active one ready to score.
 */
import type { Tx } from '../db/store';
import type { Classifier, ModelJson } from './model';
import { loadModel } from './registry';
import type { Reader } from './training-table';

export interface StoredModel {
  id: number;
  name: string;
  version: number;
  kind: string;
  createdAt: string;
  params: ModelJson;
  metrics: Record<string, unknown>;
  training: Record<string, unknown>;
  active: boolean;
  activatedAt: string | null;
  notes: string | null;
}

interface Row {
  id: number;
  name: string;
  version: number;
  kind: string;
  created_at: string;
  params: string;
  metrics: string;
  training: string;
  active: number;
  activated_at: string | null;
  notes: string | null;
}

const fromRow = (r: Row): StoredModel => ({
  id: r.id,
  name: r.name,
  version: r.version,
  kind: r.kind,
  createdAt: r.created_at,
  params: JSON.parse(r.params) as ModelJson,
  metrics: JSON.parse(r.metrics) as Record<string, unknown>,
  training: JSON.parse(r.training) as Record<string, unknown>,
  active: r.active === 1,
  activatedAt: r.activated_at,
  notes: r.notes,
});

/** A writer: the store's `write`/`bulk` transaction handle. */
export interface Writer {
  write<T>(fn: (tx: Tx) => T): T;
}

/** JSON that survives NaN/Infinity (stored as null). */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x));

export const saveModel = (
  db: Writer,
  m: {
    name: string;
    kind: string;
    /** The model, or anything that gives its JSON (e.g. a model trained in a worker thread). */
    model: Pick<Classifier, 'toJSON'>;
    metrics?: object;
    training?: object;
    activate?: boolean;
    notes?: string;
    now?: Date;
  },
): StoredModel =>
  db.write((tx) => {
    const at = (m.now ?? new Date()).toISOString();
    const version =
      (tx.get<{ v: number | null }>('SELECT max(version) AS v FROM models WHERE name = ?', [m.name])?.v ??
        0) + 1;
    if (m.activate) tx.run('UPDATE models SET active = 0 WHERE name = ? AND active = 1', [m.name]);
    const { lastInsertRowid } = tx.run(
      `INSERT INTO models(name, version, kind, created_at, params, metrics, training, active, activated_at, notes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        m.name,
        version,
        m.kind,
        at,
        json(m.model.toJSON()),
        json(m.metrics ?? {}),
        json(m.training ?? {}),
        m.activate ? 1 : 0,
        m.activate ? at : null,
        m.notes ?? null,
      ],
    );
    return fromRow(tx.get<Row>('SELECT * FROM models WHERE id = ?', [lastInsertRowid])!);
  });

export const listModels = (db: Reader, name?: string): StoredModel[] =>
  !hasModelsTable(db)
    ? []
    : (name
        ? db.all<Row>('SELECT * FROM models WHERE name = ? ORDER BY version DESC', [name])
        : db.all<Row>('SELECT * FROM models ORDER BY name, version DESC')
      ).map(fromRow);

export const getModel = (db: Reader, id: number): StoredModel | undefined => {
  const r = db.get<Row>('SELECT * FROM models WHERE id = ?', [id]);
  return r ? fromRow(r) : undefined;
};

/** False until migration 004 has been applied to this portfolio. */
export const hasModelsTable = (db: Reader): boolean =>
  !!db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'models'");

export const activeModel = (db: Reader, name: string): StoredModel | undefined => {
  if (!hasModelsTable(db)) return undefined;
  const r = db.get<Row>('SELECT * FROM models WHERE name = ? AND active = 1', [name]);
  return r ? fromRow(r) : undefined;
};

/** Makes model `id` the active one for its name (also how a rollback is done). */
export const activateModel = (db: Writer, id: number, now: Date = new Date()): StoredModel =>
  db.write((tx) => {
    const r = tx.get<Row>('SELECT * FROM models WHERE id = ?', [id]);
    if (!r) throw new Error(`no model ${id}`);
    tx.run('UPDATE models SET active = 0 WHERE name = ? AND active = 1', [r.name]);
    tx.run('UPDATE models SET active = 1, activated_at = ? WHERE id = ?', [now.toISOString(), id]);
    return fromRow(tx.get<Row>('SELECT * FROM models WHERE id = ?', [id])!);
  });

/** The active model for `name`, loaded and ready to score, or undefined when none is trained yet. */
export const loadActiveModel = (
  db: Reader,
  name: string,
): { stored: StoredModel; model: Classifier } | undefined => {
  const stored = activeModel(db, name);
  return stored ? { stored, model: loadModel(stored.params) } : undefined;
};
