/**
 * Backtest: replay a rule over stored history before it is switched on. The rule is evaluated at regular
 * points (weekly by default over the last 24 months) with the signals as they were then (only records dated
 * before each point), respecting the rule's scope and cooldown and skipping accounts already in escalation.
 *
 * - precision: flags followed by a real escalation of the account within `horizonDays`, among the flags whose
 *   horizon has fully passed (later ones are reported as pending);
 * - recall: escalations opened in the period that had a flag in the `horizonDays` before them;
 * - lead time: for each caught escalation, days from the earliest such flag to the escalation.
 */
import type { BacktestPoint, BacktestResult, RiskConfig, RuleDefinition } from '../../../shared/risk-types';
import type { PortfolioStore } from '../db/store';
import { DAY_MS, isoDate } from '../time';
import { inScope, ruleMatches, ruleSignals } from './rules';
import { scoreSignals } from './scoring';
import { computeSignalsBatch } from './signals';

export interface BacktestOptions {
  /** The last evaluation point (default: `now`). */
  to?: Date;
  /** The first evaluation point (default: `to` minus 24 months). */
  from?: Date;
  stepDays?: number;
  horizonDays?: number;
  /** The end of the data (default `now`): flags closer to it than the horizon are pending. */
  now: Date;
  ruleVersion?: number | null;
  onProgress?: (done: number, total: number) => void;
}

interface EscRow {
  account_id: number;
  opened_at: string;
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const backtestRule = (
  store: PortfolioStore,
  def: RuleDefinition,
  config: RiskConfig,
  opts: BacktestOptions,
): BacktestResult => {
  const t0 = performance.now();
  const stepDays = opts.stepDays ?? 7;
  const horizon = opts.horizonDays ?? config.backtestHorizonDays;
  const to = opts.to ?? opts.now;
  const from = opts.from ?? new Date(to.getTime() - 730 * DAY_MS);
  const dataEnd = opts.now.getTime();
  const needsScore = ruleSignals(def).includes('risk_score');

  // Accounts in scope (by their stored attributes), evaluated including those that churned since.
  const accounts = store.all<{
    id: number;
    name: string;
    segment: 'enterprise' | 'mid_market' | 'smb';
    tier: string | null;
    arr: number;
  }>('SELECT id, name, segment, tier, arr FROM accounts');
  const scoped = accounts.filter((a) => inScope(def, a));
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const scopedIds = scoped.length === accounts.length ? null : scoped.map((a) => a.id);
  const scopedSet = scopedIds ? new Set(scopedIds) : null;

  const escalations = store
    .all<EscRow>(
      'SELECT account_id, opened_at FROM escalations WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at',
      [isoDate(from), opts.now.toISOString()],
    )
    .filter((e) => scopedSet === null || scopedSet.has(e.account_id));
  const escByAccount = new Map<number, number[]>();
  for (const e of escalations) {
    const list = escByAccount.get(e.account_id) ?? [];
    list.push(Date.parse(e.opened_at));
    escByAccount.set(e.account_id, list);
  }

  const points: Date[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += stepDays * DAY_MS) points.push(new Date(t));
  const flags: { accountId: number; t: number }[] = [];
  const lastFlag = new Map<number, number>();
  points.forEach((at, i) => {
    opts.onProgress?.(i, points.length);
    if (scopedIds !== null && scopedIds.length === 0) return;
    const signals = computeSignalsBatch(store, at, config, { accountIds: scopedIds, includeChurned: true });
    for (const [id, s] of signals) {
      if (s.values.open_escalation === 1) continue;
      const last = lastFlag.get(id);
      if (last !== undefined && at.getTime() - last < Math.max(def.cooldownDays, 1) * DAY_MS) continue;
      const values = needsScore
        ? { ...s.values, risk_score: scoreSignals({ signals: s, config }).score }
        : s.values;
      if (!ruleMatches(def, s.account, values)) continue;
      flags.push({ accountId: id, t: at.getTime() });
      lastFlag.set(id, at.getTime());
    }
  });
  opts.onProgress?.(points.length, points.length);

  const H = horizon * DAY_MS;
  let truePositives = 0;
  let pending = 0;
  const samples: BacktestResult['samples'] = [];
  const monthly = new Map<string, BacktestPoint>();
  const bucket = (ms: number) => {
    const k = new Date(ms).toISOString().slice(0, 7);
    let b = monthly.get(k);
    if (!b) {
      b = { date: k, flags: 0, truePositives: 0, escalations: 0 };
      monthly.set(k, b);
    }
    return b;
  };
  for (const p of points) bucket(p.getTime());
  for (const f of flags) {
    const next = (escByAccount.get(f.accountId) ?? []).find((e) => e > f.t && e <= f.t + H);
    const b = bucket(f.t);
    b.flags++;
    if (next !== undefined) {
      truePositives++;
      b.truePositives++;
    } else if (f.t + H > dataEnd) pending++;
    if (samples.length < 25) {
      samples.push({
        accountId: f.accountId,
        accountName: names.get(f.accountId) ?? String(f.accountId),
        date: isoDate(new Date(f.t)),
        escalatedAt: next !== undefined ? isoDate(new Date(next)) : null,
      });
    }
  }
  // Recall over escalations opened after the first evaluation point.
  const flagsByAccount = new Map<number, number[]>();
  for (const f of flags) {
    const list = flagsByAccount.get(f.accountId) ?? [];
    list.push(f.t);
    flagsByAccount.set(f.accountId, list);
  }
  let counted = 0;
  let caught = 0;
  const leads: number[] = [];
  for (const e of escalations) {
    const t = Date.parse(e.opened_at);
    if (t <= from.getTime()) continue;
    counted++;
    bucket(t).escalations++;
    const before = (flagsByAccount.get(e.account_id) ?? []).filter((ft) => ft < t && ft >= t - H);
    if (before.length > 0) {
      caught++;
      leads.push(Math.round((t - Math.min(...before)) / DAY_MS));
    }
  }
  const judged = flags.length - pending;
  return {
    rule: { name: def.name, version: opts.ruleVersion ?? null },
    from: isoDate(from),
    to: isoDate(to),
    stepDays,
    horizonDays: horizon,
    evaluations: points.length,
    flags: flags.length,
    truePositives,
    pending,
    precision: judged > 0 ? Math.round((truePositives / judged) * 1000) / 1000 : null,
    escalations: counted,
    caught,
    recall: counted > 0 ? Math.round((caught / counted) * 1000) / 1000 : null,
    medianLeadDays: median(leads),
    accountsFlagged: new Set(flags.map((f) => f.accountId)).size,
    series: [...monthly.values()].sort((a, b) => a.date.localeCompare(b.date)),
    samples,
    ms: Math.round(performance.now() - t0),
  };
};
