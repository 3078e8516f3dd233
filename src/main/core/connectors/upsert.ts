/**
 * Writes connector records inside a `store.write` transaction. Every value is checked against the entity
 * definition first: a statement that failed inside a journaled transaction would be journaled too, so
 * nothing may reach SQL that SQLite could refuse. A bad record is reported and skipped; the page goes on.
 */
import type { SqlValue } from '../db/engine';
import type { Tx } from '../db/store';
import { ENTITIES, type EntityDef } from '../import/entities';
import type { SyncRecord } from './types';

export type UpsertOutcome =
  | { kind: 'inserted' | 'unchanged' }
  | { kind: 'updated'; changed: string[] }
  | { kind: 'failed'; reason: string };

const check = (e: EntityDef, field: string, v: SqlValue): string | null => {
  const def = e.fields.find((f) => f.name === field);
  if (!def) return `${e.name} has no field ${field}`;
  if (v === null) return null;
  if (def.type === 'enum' && !(def.values ?? []).includes(String(v)))
    return `${field} "${v}" is not one of ${(def.values ?? []).join(', ')}`;
  if (
    (def.type === 'int' || def.type === 'real' || def.type === 'bool' || def.type === 'ref') &&
    (typeof v !== 'number' || !Number.isFinite(v))
  ) {
    return `${field} is not a number`;
  }
  if (typeof v === 'number' && def.min !== undefined && v < def.min)
    return `${field} ${v} is below ${def.min}`;
  if (typeof v === 'number' && def.max !== undefined && v > def.max)
    return `${field} ${v} is above ${def.max}`;
  if ((def.type === 'date' || def.type === 'datetime') && Number.isNaN(Date.parse(String(v))))
    return `${field} "${v}" is not a date`;
  return null;
};

export const upsertRecord = (tx: Tx, source: string, rec: SyncRecord, now: string): UpsertOutcome => {
  const e = ENTITIES[rec.entity];
  const values: Record<string, SqlValue> = { ...rec.values };
  for (const [field, ref] of Object.entries(rec.refs ?? {})) {
    if (!ref) {
      values[field] = null;
      continue;
    }
    const target = ENTITIES[ref.entity];
    const row = tx.get<{ id: number }>(
      `SELECT id FROM ${target.table} WHERE source = ? AND external_id = ?`,
      [ref.source ?? source, ref.externalId],
    );
    if (!row) {
      if (e.fields.find((f) => f.name === field)?.required) {
        return {
          kind: 'failed',
          reason: `${field}: no ${ref.entity} with id ${ref.externalId} in ${ref.source ?? source} (not synced yet?)`,
        };
      }
      values[field] = null;
    } else values[field] = row.id;
  }
  for (const [k, v] of Object.entries(values)) {
    const why = check(e, k, v);
    if (why) return { kind: 'failed', reason: why };
  }
  const cols = Object.keys(values);
  const existing = tx.get<Record<string, SqlValue>>(
    `SELECT id${cols.map((c) => `, ${c}`).join('')} FROM ${e.table} WHERE source = ? AND external_id = ?`,
    [source, rec.externalId],
  );
  if (!existing) {
    if (rec.mode === 'update')
      return { kind: 'failed', reason: `no ${e.name} with id ${rec.externalId} to update (not synced yet?)` };
    const ins: Record<string, SqlValue> = { ...(rec.insertOnly ?? {}), ...values };
    for (const f of e.fields) {
      if (f.auto && !(f.name in ins)) ins[f.name] = now;
      if (f.fallbackTo && ins[f.name] == null && ins[f.fallbackTo] != null) ins[f.name] = ins[f.fallbackTo]!;
    }
    for (const [k, v] of Object.entries(rec.insertOnly ?? {})) {
      const why = check(e, k, v);
      if (why) return { kind: 'failed', reason: why };
    }
    const missing = e.fields.filter(
      (f) => f.required && f.name !== 'external_id' && (ins[f.name] === null || ins[f.name] === undefined),
    );
    if (missing.length > 0)
      return { kind: 'failed', reason: `missing ${missing.map((f) => f.name).join(', ')}` };
    const names = Object.keys(ins);
    tx.run(
      `INSERT INTO ${e.table} (source, external_id, ${names.join(', ')}) VALUES (?, ?, ${names.map(() => '?').join(', ')})`,
      [source, rec.externalId, ...names.map((n) => ins[n]!)],
    );
    return { kind: 'inserted' };
  }
  const changed = cols.filter(
    (c) => existing[c] !== values[c] && !(values[c] === null && e.fields.find((f) => f.name === c)?.required),
  );
  if (changed.length === 0) return { kind: 'unchanged' };
  const sets = changed.map((c) => `${c} = ?`);
  const params = changed.map((c) => values[c]!);
  const upd = e.fields.find((f) => f.auto === 'updated' && !cols.includes(f.name));
  if (upd) {
    sets.push(`${upd.name} = ?`);
    params.push(now);
  }
  tx.run(`UPDATE ${e.table} SET ${sets.join(', ')} WHERE id = ?`, [...params, existing.id as number]);
  return { kind: 'updated', changed };
};
