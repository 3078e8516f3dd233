/**
 * The account × snapshot training table, built without leakage.
 *
 * For each snapshot date d, each account eligible at d gets one row: the features a `FeatureFn` computes
 * from records dated strictly before d, and the label "an escalation was opened in [d, d + horizonDays)".
 * Rows whose label window runs past the end of the observed data are left out (censored), and so are
 * accounts with an escalation already open at d (the model predicts new escalations).
 *
 * `checkLeakage` proves a feature function honest: it copies the database, deletes or reverts every record
 * dated on or after d, recomputes the features on the copy and compares. Use it on any feature function,
 * including the risk engine's signals.
 */
import type { SqlEngine } from '../db/engine';
import { SqlJsEngine } from '../db/sqljs-engine';
import { addDays, isoDate } from '../time';
import type { Matrix } from './matrix';

/** What a feature function may read: the portfolio store or any engine with the same schema. */
export type Reader = Pick<SqlEngine, 'all' | 'get'>;

export type FeatureRow = Record<string, number | null>;

/** Features for many accounts as of `asOf` (YYYY-MM-DD), from records dated strictly before `asOf`. */
export type FeatureFn = (db: Reader, asOf: string, accountIds: readonly number[]) => Map<number, FeatureRow>;

/** Adapts a one-account feature function (such as a risk engine's signal function) to a FeatureFn. */
export const perAccount =
  (fn: (db: Reader, accountId: number, asOf: string) => FeatureRow): FeatureFn =>
  (db, asOf, ids) =>
    new Map(ids.map((id) => [id, fn(db, id, asOf)]));

export interface TrainingRow {
  accountId: number;
  asOf: string;
  label: 0 | 1;
  /** The first escalation opened in the label window (for lead-time measurement), or null. */
  escalationAt: string | null;
  escalationId: number | null;
}

export interface TrainingTable {
  featureNames: string[];
  rows: TrainingRow[];
  X: Matrix;
  y: Uint8Array;
  horizonDays: number;
  /** Rows left out because their label window was not fully observed. */
  censored: number;
  /** Rows left out because the account already had an open escalation at the snapshot. */
  alreadyEscalated: number;
  observedUntil: string;
}

export interface TrainingTableOptions {
  snapshotDates: readonly string[];
  horizonDays: number;
  featureFn: FeatureFn;
  /** Last date whose escalations are known (default: the latest dated record in the portfolio). */
  observedUntil?: string;
  /** Keep accounts that already have an escalation open at the snapshot (default false). */
  includeOpenEscalations?: boolean;
  accountIds?: readonly number[];
  /** Called after each snapshot date (for progress reporting). */
  onSnapshot?: (done: number, total: number) => void;
}

const DATED: readonly [table: string, column: string][] = [
  ['tickets', 'created_at'],
  ['ticket_messages', 'created_at'],
  ['health_scores', 'scored_at'],
  ['nps_responses', 'responded_at'],
  ['engagements', 'occurred_at'],
  ['escalations', 'opened_at'],
  ['usage_periods', 'period_start'],
];

export const latestRecordDate = (db: Reader): string => {
  let max = '';
  for (const [t, c] of DATED) {
    const v = db.get<{ m: string | null }>(`SELECT max(${c}) AS m FROM ${t}`)?.m;
    if (v && v > max) max = v;
  }
  return max ? max.slice(0, 10) : isoDate(new Date());
};

/** First day of each month from `from` to `to` (inclusive), as YYYY-MM-DD. */
export const monthlySnapshots = (from: string, to: string): string[] => {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  if (Number(from.slice(8, 10)) > 1) m++;
  for (;;) {
    if (m > 12) {
      m = 1;
      y++;
    }
    const d = `${y}-${String(m).padStart(2, '0')}-01`;
    if (d > to) break;
    out.push(d);
    m++;
  }
  return out;
};

export const buildTrainingTable = (db: Reader, opts: TrainingTableOptions): TrainingTable => {
  const observedUntil = opts.observedUntil ?? latestRecordDate(db);
  const horizon = opts.horizonDays;
  if (!(horizon > 0)) throw new Error('horizonDays must be positive');
  const accounts =
    opts.accountIds ?? db.all<{ id: number }>('SELECT id FROM accounts ORDER BY id').map((r) => r.id);
  const escalations = db.all<{ id: number; account_id: number; opened_at: string; ended: string | null }>(
    `SELECT id, account_id, opened_at, coalesce(closed_at, resolved_at) AS ended FROM escalations ORDER BY opened_at, id`,
  );
  const byAccount = new Map<number, typeof escalations>();
  for (const e of escalations) {
    const list = byAccount.get(e.account_id) ?? [];
    list.push(e);
    byAccount.set(e.account_id, list);
  }
  const contractStart = new Map(
    db
      .all<{ id: number; s: string | null }>('SELECT id, contract_start AS s FROM accounts')
      .map((r) => [r.id, r.s]),
  );

  const rows: TrainingRow[] = [];
  const feats: FeatureRow[] = [];
  const names: string[] = [];
  const known = new Set<string>();
  let censored = 0;
  let alreadyEscalated = 0;
  const dates = [...opts.snapshotDates].sort();
  for (const [di, asOf] of dates.entries()) {
    opts.onSnapshot?.(di, dates.length);
    const end = isoDate(addDays(new Date(`${asOf}T00:00:00Z`), horizon));
    if (end > observedUntil) {
      censored += accounts.length;
      continue;
    }
    const eligible: number[] = [];
    for (const id of accounts) {
      const cs = contractStart.get(id);
      if (cs && cs.slice(0, 10) >= asOf) continue;
      const open = (byAccount.get(id) ?? []).some(
        (e) => e.opened_at < asOf && (e.ended === null || e.ended.slice(0, 10) >= asOf),
      );
      if (open && !opts.includeOpenEscalations) {
        alreadyEscalated++;
        continue;
      }
      eligible.push(id);
    }
    if (eligible.length === 0) continue;
    const f = opts.featureFn(db, asOf, eligible);
    for (const id of eligible) {
      const fr = f.get(id);
      if (!fr) throw new Error(`feature function returned nothing for account ${id} at ${asOf}`);
      for (const k of Object.keys(fr)) {
        if (!known.has(k)) {
          known.add(k);
          names.push(k);
        }
      }
      const next = (byAccount.get(id) ?? []).find(
        (e) => e.opened_at.slice(0, 10) >= asOf && e.opened_at.slice(0, 10) < end,
      );
      rows.push({
        accountId: id,
        asOf,
        label: next ? 1 : 0,
        escalationAt: next?.opened_at ?? null,
        escalationId: next?.id ?? null,
      });
      feats.push(fr);
    }
  }
  const d = names.length;
  const data = new Float64Array(rows.length * d);
  feats.forEach((fr, i) => {
    names.forEach((k, j) => {
      const v = fr[k];
      data[i * d + j] = v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v;
    });
  });
  return {
    featureNames: names,
    rows,
    X: { rows: rows.length, cols: d, data },
    y: Uint8Array.from(rows.map((r) => r.label)),
    horizonDays: horizon,
    censored,
    alreadyEscalated,
    observedUntil,
  };
};

/**
 * A copy of the portfolio as it was known just before `asOf`: every dated record on or after `asOf` is
 * deleted (usage periods that end after `asOf` too), departures after `asOf` are undone, and ARR is set back
 * to what it was before the outcomes resolved on or after `asOf`.
 */
export const truncatedCopy = async (bytes: Uint8Array, asOf: string): Promise<SqlJsEngine> => {
  const copy = await SqlJsEngine.create(bytes);
  copy.exec('PRAGMA foreign_keys = OFF');
  const has = (t: string): boolean =>
    !!copy.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [t]);
  // ARR as it was: undo the ARR changes of outcomes resolved on or after asOf (their arr_before).
  copy.run(
    `UPDATE accounts SET arr = (SELECT o.arr_before FROM outcomes o JOIN escalations e ON e.id = o.escalation_id
       WHERE e.account_id = accounts.id AND o.resolved_at >= ? ORDER BY o.resolved_at, o.id LIMIT 1)
     WHERE id IN (SELECT e.account_id FROM outcomes o JOIN escalations e ON e.id = o.escalation_id WHERE o.resolved_at >= ?)`,
    [asOf, asOf],
  );
  for (const [t, c] of DATED) {
    if (!has(t)) continue;
    if (t === 'usage_periods')
      copy.run("DELETE FROM usage_periods WHERE date(period_start, '+' || period_days || ' days') > ?", [
        asOf,
      ]);
    else copy.run(`DELETE FROM ${t} WHERE ${c} >= ?`, [asOf]);
  }
  copy.run('DELETE FROM escalation_events WHERE occurred_at >= ?', [asOf]);
  copy.run('DELETE FROM outcomes WHERE resolved_at >= ?', [asOf]);
  copy.run('DELETE FROM contacts WHERE started_at >= ?', [asOf]);
  copy.run("UPDATE contacts SET status = 'active', departed_at = NULL WHERE departed_at >= ?", [asOf]);
  copy.run('UPDATE escalations SET resolved_at = NULL WHERE resolved_at >= ?', [asOf]);
  copy.run('UPDATE escalations SET closed_at = NULL WHERE closed_at >= ?', [asOf]);
  if (has('risk_flags')) copy.run('DELETE FROM risk_flags WHERE raised_at >= ?', [asOf]);
  return copy;
};

export interface LeakageReport {
  asOf: string;
  checked: number;
  /** Features whose value changed once the future was removed: each is a leak. */
  leaks: { accountId: number; feature: string; withFuture: number | null; withoutFuture: number | null }[];
}

/** Compares a feature function on the full portfolio and on the portfolio truncated at `asOf`. */
export const checkLeakage = async (
  db: Reader,
  exportBytes: () => Uint8Array,
  featureFn: FeatureFn,
  asOf: string,
  accountIds: readonly number[],
): Promise<LeakageReport> => {
  const full = featureFn(db, asOf, accountIds);
  const copy = await truncatedCopy(exportBytes(), asOf);
  try {
    const past = featureFn(copy, asOf, accountIds);
    const leaks: LeakageReport['leaks'] = [];
    for (const id of accountIds) {
      const a = full.get(id) ?? {};
      const b = past.get(id) ?? {};
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        const va = a[k] ?? null;
        const vb = b[k] ?? null;
        const same =
          va === vb || (va !== null && vb !== null && Math.abs(va - vb) <= 1e-9 * Math.max(1, Math.abs(va)));
        if (!same) leaks.push({ accountId: id, feature: k, withFuture: va, withoutFuture: vb });
      }
    }
    return { asOf, checked: accountIds.length, leaks };
  } finally {
    copy.close();
  }
};
