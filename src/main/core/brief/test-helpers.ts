/** Helpers for the brief's tests. */
import type { Brief, Citation } from '../../../shared/brief-types';
import type { PortfolioStore } from '../db/store';
import { collectCitations } from './brief';

/** Citations whose record does not exist (or whose table is unknown). */
export const unresolved = (store: PortfolioStore, refs: readonly Citation[]): Citation[] => {
  const tables = new Set(
    store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name),
  );
  return refs.filter((ref) => {
    const m = /^([a-z_]+):(\d+)$/.exec(ref);
    if (!m || !tables.has(m[1]!)) return true;
    return !store.get(`SELECT 1 AS x FROM "${m[1]}" WHERE id = ?`, [Number(m[2])]);
  });
};

export const allBriefCitations = (b: Brief): Citation[] => [
  ...collectCitations(b),
  ...b.risk.factors.flatMap((f) => f.citations),
  ...b.similarCases.flatMap((c) => c.citations),
  ...b.usage.map((u) => u.ref),
  ...b.health.map((h) => h.ref),
  ...b.markers.map((m) => m.ref),
];
