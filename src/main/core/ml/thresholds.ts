/**
 * Threshold refinement: for each rule with numeric conditions, sweep candidate thresholds (quantiles of the
 * signal across the portfolio's history), replay the rule over the backtest period, and return the
 * trade-off curve (precision, recall, median lead time, flags per CSM per week) with a suggested operating
 * point for the alert budget. A leader picks the points; `applyThresholds` saves them as new rule versions.
 *
 * The replay follows `backtestRule` exactly (same evaluation points, scope, cooldown, skip of accounts already
 * in escalation, precision over judged flags, recall over escalations opened after the first point, lead
 * time from the earliest flag in the horizon) but computes the signals once per point and evaluates every
 * candidate against them, so a whole sweep costs about one backtest instead of one per candidate.
 */
import type {
  ApplyThresholdsResult,
  RuleThresholdSuggestion,
  ThresholdChoice,
  ThresholdConditionSuggestion,
  ThresholdOutcome,
  ThresholdPoint,
  ThresholdSuggestions,
} from '../../../shared/contracts/ml';
import { CoreError } from '../../../shared/result';
import type {
  AccountSignals,
  RiskConfig,
  RuleCondition,
  RuleDefinition,
  RuleGroup,
  RuleRow,
} from '../../../shared/risk-types';
import type { Core } from '../core';
import type { PortfolioStore } from '../db/store';
import { loadConfig } from '../risk/config';
import {
  ensureDefaultRules,
  getRule,
  inScope,
  listRules,
  ruleMatches,
  ruleSignals,
  saveRule,
} from '../risk/rules';
import { scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { DAY_MS, isoDate } from '../time';
import type { Reader } from './training-table';

export const DEFAULT_BUDGET_PER_CSM_PER_WEEK = 2;
const NUMERIC_OPS = new Set(['>=', '>', '<=', '<']);
/** Tail quantiles of the signal (the upper tail for ">=", the lower one for "<="), and steps around the current value. */
const QUANTILES = [0.75, 0.85, 0.9, 0.95, 0.975, 0.99];
const STEPS = [0.5, 0.75, 1.25, 1.5];
const MAX_CANDIDATES = 9;

export interface ThresholdOptions {
  ruleId?: number;
  budgetPerCsmPerWeek?: number;
  horizonDays?: number;
  stepDays?: number;
  /** Months of history to replay (default 24, as the backtest). */
  months?: number;
  /** Progress: one step per evaluation point replayed, then one per rule swept. */
  onProgress?: (done: number, total: number, label: string) => void;
}

// The risk engine reads through all/get only, so a copy of the portfolio (in a worker thread) stands in.
const asStore = (db: Reader): PortfolioStore => db as unknown as PortfolioStore;

/** The numeric leaf conditions of a rule with their paths ("conditions.0.conditions.1"). */
export const numericConditions = (
  g: RuleGroup,
  prefix = 'conditions',
): { path: string; cond: RuleCondition }[] =>
  g.conditions.flatMap((c, i) =>
    'conditions' in c
      ? numericConditions(c, `${prefix}.${i}.conditions`)
      : NUMERIC_OPS.has(c.op)
        ? [{ path: `${prefix}.${i}`, cond: c }]
        : [],
  );

/** A copy of `def` with the condition at `path` set to `value` (throws when the path is not a condition). */
export const withThreshold = (def: RuleDefinition, path: string, value: number): RuleDefinition => {
  const copy = structuredClone(def);
  const parts = path.split('.');
  let node: unknown = copy;
  for (const p of parts) {
    if (node === null || typeof node !== 'object') break;
    node = (node as Record<string, unknown>)[p];
  }
  if (!node || typeof node !== 'object' || !('signal' in node) || !('op' in node))
    throw new CoreError('invalid_arguments', `no condition at "${path}" in rule "${def.name}"`, 'path');
  (node as RuleCondition).value = value;
  return copy;
};

/** A readable threshold: integers above 10, two significant decimals below. */
const nice = (v: number): number => (Math.abs(v) >= 10 ? Math.round(v) : Math.round(v * 100) / 100);

const quantile = (sorted: number[], q: number): number => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Signals at every evaluation point, computed once for the whole sweep. */
export interface ReplayData {
  from: Date;
  to: Date;
  now: Date;
  stepDays: number;
  points: { t: number; signals: Map<number, AccountSignals>; scores: Map<number, number> | null }[];
  accounts: { id: number; segment: 'enterprise' | 'mid_market' | 'smb'; tier: string | null; arr: number }[];
  escalations: { accountId: number; t: number }[];
}

export const prepareReplay = (
  db: Reader,
  now: Date,
  config: RiskConfig,
  opts: {
    stepDays: number;
    months: number;
    withScores: boolean;
    onProgress?: (d: number, n: number) => void;
  },
): ReplayData => {
  const store = asStore(db);
  const to = now;
  const from = new Date(to.getTime() - (opts.months === 24 ? 730 : Math.round(opts.months * 30.4)) * DAY_MS);
  const times: number[] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += opts.stepDays * DAY_MS) times.push(t);
  const points = times.map((t, i) => {
    opts.onProgress?.(i, times.length);
    const signals = computeSignalsBatch(store, new Date(t), config, {
      accountIds: null,
      includeChurned: true,
    });
    let scores: Map<number, number> | null = null;
    if (opts.withScores) {
      scores = new Map();
      for (const [id, s] of signals) scores.set(id, scoreSignals({ signals: s, config }).score);
    }
    return { t, signals, scores };
  });
  const accounts = store.all<ReplayData['accounts'][number]>('SELECT id, segment, tier, arr FROM accounts');
  const escalations = store
    .all<{ account_id: number; opened_at: string }>(
      'SELECT account_id, opened_at FROM escalations WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at',
      [isoDate(from), now.toISOString()],
    )
    .map((e) => ({ accountId: e.account_id, t: Date.parse(e.opened_at) }));
  return { from, to, now, stepDays: opts.stepDays, points, accounts, escalations };
};

export interface ReplayResult {
  flags: number;
  truePositives: number;
  pending: number;
  precision: number | null;
  escalations: number;
  caught: number;
  recall: number | null;
  medianLeadDays: number | null;
}

/** One rule over the prepared points, with the same counting as backtestRule. */
export const replayRule = (data: ReplayData, def: RuleDefinition, horizonDays: number): ReplayResult => {
  const scoped = new Set(data.accounts.filter((a) => inScope(def, a)).map((a) => a.id));
  const needsScore = ruleSignals(def).includes('risk_score');
  const cooldown = Math.max(def.cooldownDays, 1) * DAY_MS;
  const flags: { accountId: number; t: number }[] = [];
  const lastFlag = new Map<number, number>();
  for (const p of data.points) {
    for (const [id, s] of p.signals) {
      if (!scoped.has(id)) continue;
      if (s.values.open_escalation === 1) continue;
      const last = lastFlag.get(id);
      if (last !== undefined && p.t - last < cooldown) continue;
      const values = needsScore ? { ...s.values, risk_score: p.scores?.get(id) ?? null } : s.values;
      if (!ruleMatches(def, s.account, values)) continue;
      flags.push({ accountId: id, t: p.t });
      lastFlag.set(id, p.t);
    }
  }
  const H = horizonDays * DAY_MS;
  const escByAccount = new Map<number, number[]>();
  const escalations = data.escalations.filter((e) => scoped.has(e.accountId));
  for (const e of escalations) {
    const list = escByAccount.get(e.accountId) ?? [];
    list.push(e.t);
    escByAccount.set(e.accountId, list);
  }
  let truePositives = 0;
  let pending = 0;
  const flagsByAccount = new Map<number, number[]>();
  for (const f of flags) {
    const next = (escByAccount.get(f.accountId) ?? []).find((e) => e > f.t && e <= f.t + H);
    if (next !== undefined) truePositives++;
    else if (f.t + H > data.now.getTime()) pending++;
    const list = flagsByAccount.get(f.accountId) ?? [];
    list.push(f.t);
    flagsByAccount.set(f.accountId, list);
  }
  let counted = 0;
  let caught = 0;
  const leads: number[] = [];
  for (const e of escalations) {
    if (e.t <= data.from.getTime()) continue;
    counted++;
    const before = (flagsByAccount.get(e.accountId) ?? []).filter((ft) => ft < e.t && ft >= e.t - H);
    if (before.length > 0) {
      caught++;
      leads.push(Math.round((e.t - Math.min(...before)) / DAY_MS));
    }
  }
  const judged = flags.length - pending;
  return {
    flags: flags.length,
    truePositives,
    pending,
    precision: judged > 0 ? Math.round((truePositives / judged) * 1000) / 1000 : null,
    escalations: counted,
    caught,
    recall: counted > 0 ? Math.round((caught / counted) * 1000) / 1000 : null,
    medianLeadDays: median(leads),
  };
};

/** Candidate thresholds: quantiles of the signal over the history (in-scope accounts) plus the current value. */
const candidatesFor = (data: ReplayData, def: RuleDefinition, cond: RuleCondition): number[] => {
  const scoped = new Set(data.accounts.filter((a) => inScope(def, a)).map((a) => a.id));
  const values: number[] = [];
  for (const p of data.points) {
    for (const [id, s] of p.signals) {
      if (!scoped.has(id)) continue;
      const v = cond.signal === 'risk_score' ? (p.scores?.get(id) ?? null) : s.values[cond.signal];
      if (v !== null && v !== undefined && Number.isFinite(v)) values.push(v);
    }
  }
  values.sort((a, b) => a - b);
  const high = cond.op === '>=' || cond.op === '>';
  const qs = values.length === 0 ? [] : QUANTILES.map((q) => nice(quantile(values, high ? q : 1 - q)));
  const steps = STEPS.map((k) => nice(cond.value * k));
  // Counts and flags take whole values: no fractional candidates for them.
  const integral = values.every(Number.isInteger) && Number.isInteger(cond.value);
  const all = [...new Set([...qs, ...steps, cond.value].map((v) => (integral ? Math.round(v) : v)))].sort(
    (a, b) => a - b,
  );
  if (all.length <= MAX_CANDIDATES) return all;
  // Keep the candidates nearest to the current value.
  const i = all.indexOf(cond.value);
  const start = Math.max(0, Math.min(all.length - MAX_CANDIDATES, i - Math.floor(MAX_CANDIDATES / 2)));
  return all.slice(start, start + MAX_CANDIDATES);
};

const csmCount = (db: Reader): number =>
  db.get<{ n: number }>("SELECT count(*) AS n FROM team_members WHERE role = 'csm' AND active = 1")?.n ?? 0;

const f1 = (p: ThresholdOutcome): number => {
  const pr = p.precision ?? 0;
  const rc = p.recall ?? 0;
  return pr + rc > 0 ? (2 * pr * rc) / (pr + rc) : 0;
};

/**
 * The suggested operating point: among the points within the budget, the best balance of precision and
 * recall (F1; ties: the current value, the longer lead time, the fewer flags, the nearer to the current
 * value). When none fits, the one with the fewest flags.
 */
const pick = (curve: ThresholdPoint[], budget: number): { point: ThresholdPoint | null; reason: string } => {
  const fits = curve.filter((p) => p.flagsPerCsmPerWeek <= budget && p.flags > 0);
  if (fits.length === 0) {
    const strictest = [...curve].sort((a, b) => a.flags - b.flags)[0] ?? null;
    return strictest && strictest.flags > 0
      ? {
          point: strictest,
          reason: `no candidate fits ${budget} flags per CSM per week; the strictest one tried`,
        }
      : { point: null, reason: 'no candidate raises any flag over the backtest period' };
  }
  const cur = curve.find((p) => p.current)?.value ?? 0;
  const best = [...fits].sort(
    (a, b) =>
      (Math.abs(f1(b) - f1(a)) > 1e-9 ? f1(b) - f1(a) : 0) ||
      Number(b.current) - Number(a.current) ||
      (b.medianLeadDays ?? -1) - (a.medianLeadDays ?? -1) ||
      a.flags - b.flags ||
      Math.abs(a.value - cur) - Math.abs(b.value - cur),
  )[0]!;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);
  const what = `precision ${pct(best.precision)}, recall ${pct(best.recall)}, ${best.flagsPerCsmPerWeek} flags per CSM per week`;
  const reason = best.current
    ? `the current threshold is already the best balance within ${budget} flags per CSM per week (${what})`
    : `best balance of precision and recall within ${budget} flags per CSM per week (${what})`;
  return { point: best, reason };
};

/** Trade-off curves and suggested thresholds for the rules (or one rule) with numeric conditions. */
export const suggestThresholds = (core: Core, opts: ThresholdOptions = {}): ThresholdSuggestions => {
  ensureDefaultRules(core.store, core.now().toISOString());
  return suggestThresholdsFrom(core.store, core.now(), opts);
};

/**
 * The sweep itself, reading only: on the portfolio store, or on a copy of it in a worker thread (the rules
 * must exist already: `suggestThresholds` makes sure of that first).
 */
export const suggestThresholdsFrom = (
  db: Reader,
  now: Date,
  opts: ThresholdOptions = {},
): ThresholdSuggestions => {
  const t0 = performance.now();
  const store = asStore(db);
  const config = loadConfig(store);
  const budget = opts.budgetPerCsmPerWeek ?? DEFAULT_BUDGET_PER_CSM_PER_WEEK;
  const horizonDays = opts.horizonDays ?? config.backtestHorizonDays;
  const stepDays = opts.stepDays ?? 14;
  const rules: RuleRow[] =
    opts.ruleId !== undefined
      ? [getRule(store, opts.ruleId)]
      : listRules(store).filter((r) => numericConditions(r.definition).length > 0);
  const withScores = rules.some((r) => ruleSignals(r.definition).includes('risk_score'));
  const report = opts.onProgress;
  let points = 0;
  const data = prepareReplay(db, now, config, {
    stepDays,
    months: opts.months ?? 24,
    withScores,
    onProgress: (d, n) => {
      points = n;
      report?.(d, n + rules.length, 'Replaying the rules over the history');
    },
  });
  const csms = Math.max(1, csmCount(db));
  const weeks = Math.max(1, (data.to.getTime() - data.from.getTime()) / (7 * DAY_MS));
  // Rules share the budget: each enabled rule of the portfolio gets an equal part of it.
  const enabled = Math.max(1, listRules(store).filter((r) => r.enabled).length);
  const perRule = Math.round((budget / enabled) * 1000) / 1000;
  const outcome = (r: ReplayResult): ThresholdOutcome => ({
    flags: r.flags,
    precision: r.precision,
    recall: r.recall,
    medianLeadDays: r.medianLeadDays,
    flagsPerCsmPerWeek: Math.round((r.flags / csms / weeks) * 1000) / 1000,
  });
  const point = (r: ReplayResult, value: number, current: boolean): ThresholdPoint => ({
    value,
    ...outcome(r),
    current,
  });
  const out: RuleThresholdSuggestion[] = rules.map((rule, ri) => {
    report?.(points + ri, points + rules.length, `Sweeping thresholds: ${rule.name}`);
    const def = rule.definition;
    const conditions: ThresholdConditionSuggestion[] = numericConditions(def).map(({ path, cond }) => {
      const curve = candidatesFor(data, def, cond).map((v) =>
        point(replayRule(data, withThreshold(def, path, v), horizonDays), v, v === cond.value),
      );
      const { point: best, reason } = pick(curve, perRule);
      return {
        path,
        signal: cond.signal,
        op: cond.op,
        currentValue: cond.value,
        curve,
        suggestedValue: best ? best.value : null,
        reason,
      };
    });
    return {
      ruleId: rule.id,
      ruleName: rule.name,
      ruleVersion: rule.version,
      enabled: rule.enabled,
      current: outcome(replayRule(data, def, horizonDays)),
      conditions,
    };
  });
  return {
    budgetPerCsmPerWeek: budget,
    budgetPerRule: perRule,
    csmCount: csms,
    horizonDays,
    stepDays,
    from: isoDate(data.from),
    to: isoDate(data.to),
    rules: out,
    ms: Math.round(performance.now() - t0),
  };
};

/** Applies the chosen thresholds: one new version per rule touched (via saveRule, so it is validated). */
export const applyThresholds = (
  core: Core,
  choices: readonly ThresholdChoice[],
  by: string | null,
): ApplyThresholdsResult => {
  ensureDefaultRules(core.store, core.now().toISOString());
  const config = loadConfig(core.store);
  const byRule = new Map<number, ThresholdChoice[]>();
  for (const c of choices) byRule.set(c.ruleId, [...(byRule.get(c.ruleId) ?? []), c]);
  // Validate every choice before saving anything.
  const plans = [...byRule].map(([ruleId, list]) => {
    const rule = getRule(core.store, ruleId);
    let def = rule.definition;
    let changes = 0;
    for (const c of list) {
      const before = JSON.stringify(def);
      def = withThreshold(def, c.path, c.value);
      if (JSON.stringify(def) !== before) changes++;
    }
    return { rule, def, changes };
  });
  const at = core.now().toISOString();
  const updated = plans.map(({ rule, def, changes }) => {
    const row = changes > 0 ? saveRule(core.store, { id: rule.id, definition: def }, config, by, at) : rule;
    return {
      ruleId: rule.id,
      ruleName: row.name,
      fromVersion: rule.version,
      toVersion: row.version,
      changes,
    };
  });
  if (updated.some((u) => u.changes > 0)) core.bus.emit('data.changed', { entities: ['risk_rules'] });
  return { updated };
};
