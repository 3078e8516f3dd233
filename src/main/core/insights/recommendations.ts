/**
 * Recommended rule changes, learned from the decisions people made on flags and from what the rules missed:
 *
 * - a rule whose flags are mostly dismissed → tighten: raise one numeric threshold by a step (or two); every
 *   variant is backtested and, among those that raise precision, the one with the best F0.5 (precision
 *   weighted over recall) is proposed, with the recall it costs stated;
 * - a rule that missed escalations of accounts in its scope → loosen: lower a threshold by a step, or add an
 *   OR condition on the signal those missed escalations most often had; the variant that catches the most
 *   escalations without losing more than 5 points of precision is proposed;
 * - a rule with too few decided flags to judge → review.
 *
 * Every variant is replayed with the same semantics as the rule editor's backtest (weekly points over the last
 * 24 months, scope, cooldown, accounts in escalation skipped) in one pass over the history.
 */
import type { RuleBacktestSummary, RuleRecommendation } from '../../../shared/insights-types';
import type {
  RiskConfig,
  RuleCondition,
  RuleDefinition,
  RuleGroup,
  RuleRow,
} from '../../../shared/risk-types';
import type { Core } from '../core';
import type { PortfolioStore } from '../db/store';
import { FACTOR_LABELS, loadConfig, signalCatalog } from '../risk/config';
import { inScope, listRules, ruleMatches, ruleProblems, ruleSignals } from '../risk/rules';
import { scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { DAY_MS } from '../time';
import { median } from './stats';

export const ruleLink = (ruleId: number): string => `#/rules?rule=${ruleId}`;

// ---------------------------------------------------------------- replay of many definitions at once

export interface ReplayOptions {
  now: Date;
  from?: Date;
  to?: Date;
  stepDays?: number;
  horizonDays?: number;
}

/**
 * Backtests several rule definitions in one pass over the history (signals computed once per point). Same
 * counting as risk/backtest.ts: precision among flags whose horizon has passed; recall over escalations of
 * accounts in scope opened after the first point; lead time from the earliest flag in the horizon.
 */
export const backtestMany = (
  store: PortfolioStore,
  defs: readonly RuleDefinition[],
  config: RiskConfig,
  opts: ReplayOptions,
): RuleBacktestSummary[] => {
  const step = (opts.stepDays ?? 7) * DAY_MS;
  const H = (opts.horizonDays ?? config.backtestHorizonDays) * DAY_MS;
  const to = opts.to ?? opts.now;
  const from = opts.from ?? new Date(to.getTime() - 730 * DAY_MS);
  const dataEnd = opts.now.getTime();
  const needsScore = defs.some((d) => ruleSignals(d).includes('risk_score'));
  const accounts = store.all<{
    id: number;
    segment: 'enterprise' | 'mid_market' | 'smb';
    tier: string | null;
    arr: number;
  }>('SELECT id, segment, tier, arr FROM accounts');
  const escalations = store.all<{ account_id: number; opened_at: string }>(
    'SELECT account_id, opened_at FROM escalations WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at',
    [from.toISOString().slice(0, 10), opts.now.toISOString()],
  );
  const escByAccount = new Map<number, number[]>();
  for (const e of escalations)
    escByAccount.set(e.account_id, [...(escByAccount.get(e.account_id) ?? []), Date.parse(e.opened_at)]);

  const flags: { accountId: number; t: number }[][] = defs.map(() => []);
  const last: Map<number, number>[] = defs.map(() => new Map());
  for (let t = from.getTime(); t <= to.getTime(); t += step) {
    const signals = computeSignalsBatch(store, new Date(t), config, { includeChurned: true });
    for (const [id, s] of signals) {
      if (s.values.open_escalation === 1) continue;
      let values: Record<string, number | null> | null = null;
      defs.forEach((def, k) => {
        const l = last[k]!.get(id);
        if (l !== undefined && t - l < Math.max(def.cooldownDays, 1) * DAY_MS) return;
        if (!inScope(def, s.account)) return;
        values ??= needsScore
          ? { ...s.values, risk_score: scoreSignals({ signals: s, config }).score }
          : s.values;
        if (!ruleMatches(def, s.account, values)) return;
        flags[k]!.push({ accountId: id, t });
        last[k]!.set(id, t);
      });
    }
  }
  return defs.map((def, k) => {
    const fs = flags[k]!;
    let tp = 0;
    let pending = 0;
    for (const f of fs) {
      if ((escByAccount.get(f.accountId) ?? []).some((e) => e > f.t && e <= f.t + H)) tp++;
      else if (f.t + H > dataEnd) pending++;
    }
    const scoped = new Set(accounts.filter((a) => inScope(def, a)).map((a) => a.id));
    const byAccount = new Map<number, number[]>();
    for (const f of fs) byAccount.set(f.accountId, [...(byAccount.get(f.accountId) ?? []), f.t]);
    let counted = 0;
    let caught = 0;
    const leads: number[] = [];
    for (const e of escalations) {
      const t = Date.parse(e.opened_at);
      if (t <= from.getTime() || !scoped.has(e.account_id)) continue;
      counted++;
      const before = (byAccount.get(e.account_id) ?? []).filter((ft) => ft < t && ft >= t - H);
      if (before.length > 0) {
        caught++;
        leads.push(Math.round((t - Math.min(...before)) / DAY_MS));
      }
    }
    const judged = fs.length - pending;
    return {
      flags: fs.length,
      truePositives: tp,
      pending,
      precision: judged > 0 ? Math.round((tp / judged) * 1000) / 1000 : null,
      escalations: counted,
      caught,
      recall: counted > 0 ? Math.round((caught / counted) * 1000) / 1000 : null,
      medianLeadDays: median(leads),
    };
  });
};

// ---------------------------------------------------------------- variants

const isGroup = (c: RuleCondition | RuleGroup): c is RuleGroup => 'conditions' in c;

/** The step a threshold moves by, from the signal's unit. */
const stepFor = (signal: string, value: number, units: Map<string, string>): number | null => {
  if (signal === 'risk_score') return 5;
  switch (units.get(signal)) {
    case 'percent':
      return 10;
    case 'count':
      return 1;
    case 'ratio':
      return 0.5;
    case 'score':
      return Math.abs(value) <= 1 ? 0.1 : 5;
    case 'days':
      return 15;
    case 'usd':
      return 10_000;
    default:
      return null;
  }
};

/** Every numeric leaf, with a function that rebuilds the definition with that leaf's value changed. */
const leaves = (def: RuleDefinition): { cond: RuleCondition; with: (value: number) => RuleDefinition }[] => {
  const out: { cond: RuleCondition; with: (value: number) => RuleDefinition }[] = [];
  const walk = (g: RuleGroup, rebuild: (g: RuleGroup) => RuleDefinition) => {
    g.conditions.forEach((c, i) => {
      const replaceAt = (x: RuleCondition | RuleGroup) =>
        rebuild({ ...g, conditions: g.conditions.map((y, j) => (j === i ? x : y)) });
      if (isGroup(c)) walk(c, replaceAt);
      else if (['>=', '>', '<=', '<'].includes(c.op))
        out.push({ cond: c, with: (value) => replaceAt({ ...c, value }) });
    });
  };
  walk(def, (g) => ({ ...def, match: g.match, conditions: g.conditions }));
  return out;
};

const round = (v: number) => Math.round(v * 1000) / 1000;
const up = (c: RuleCondition) => c.op === '>=' || c.op === '>';

interface Variant {
  kind: 'tighten' | 'loosen';
  title: string;
  def: RuleDefinition;
}

/** Conditions to try for a signal family that missed escalations had. */
const conditionFor = (factor: string, catalog: Set<string>): RuleCondition | null => {
  const comm = [...catalog].find((k) => k.startsWith('comm_drop_'));
  const m: Record<string, RuleCondition | null> = {
    usage_decline: { signal: 'usage_drop_30d', op: '>=', value: 30 },
    feature_adoption: { signal: 'key_feature_drop_30d', op: '>=', value: 30 },
    ticket_surge: { signal: 'ticket_volume_ratio', op: '>=', value: 2 },
    negative_tickets: { signal: 'negative_tickets', op: '>=', value: 2 },
    sentiment_trend: { signal: 'sentiment_trend', op: '<=', value: -0.3 },
    competitor: { signal: 'competitor_mentions', op: '>=', value: 1 },
    champion_departure: { signal: 'champion_departed', op: '==', value: 1 },
    exec_gap: { signal: 'days_since_exec_engagement', op: '>=', value: 90 },
    health_drop: { signal: 'health_drop', op: '>=', value: 15 },
    health_level: { signal: 'health_latest', op: '<=', value: 50 },
    nps: { signal: 'nps_detractor', op: '==', value: 1 },
    communication: comm ? { signal: comm, op: '>=', value: 50 } : null,
    renewal: { signal: 'days_to_renewal', op: '<=', value: 90 },
  };
  const c = m[factor] ?? null;
  return c && catalog.has(c.signal) ? c : null;
};

const fBeta = (r: RuleBacktestSummary, beta: number): number => {
  const p = r.precision ?? 0;
  const q = r.recall ?? 0;
  const b2 = beta * beta;
  return p + q === 0 ? 0 : ((1 + b2) * p * q) / (b2 * p + q);
};

const condText = (c: RuleCondition) => `${c.signal} ${c.op} ${c.value}`;

// ---------------------------------------------------------------- recommendations

interface FlagStat {
  rule_id: number;
  id: number;
  status: string;
  dismiss_reason: string | null;
}

const cache = new WeakMap<PortfolioStore, { key: string; value: RuleRecommendation[] }>();
const changes = new WeakMap<Core, { n: number }>();

/** Counts data changes so cached recommendations are recomputed after any write. */
const changeCounter = (core: Core): { n: number } => {
  let c = changes.get(core);
  if (!c) {
    const counter = { n: 0 };
    c = counter;
    core.bus.subscribe((event) => {
      if (event === 'data.changed') counter.n++;
    });
    changes.set(core, c);
  }
  return c;
};

export interface RecommendationOptions {
  /** Dismissal rate at or above which a rule is proposed for tightening (default 0.5). */
  dismissalRate?: number;
  /** Fewer decided flags than this: 'review' instead of a threshold change (default 8). */
  minDecided?: number;
  horizonDays?: number;
}

export const recommendRuleChanges = (core: Core, opts: RecommendationOptions = {}): RuleRecommendation[] => {
  const store = core.store;
  const now = core.now();
  const counter = changeCounter(core);
  const key = `${now.toISOString().slice(0, 10)}|${counter.n}|${JSON.stringify(opts)}`;
  const hit = cache.get(store);
  if (hit && hit.key === key) return hit.value;

  const config = loadConfig(store);
  const catalogInfo = signalCatalog(config);
  const units = new Map(catalogInfo.map((s) => [s.key, s.unit]));
  const catalog = new Set(catalogInfo.map((s) => s.key));
  const horizon = (opts.horizonDays ?? 60) * DAY_MS;
  const rules = listRules(store).filter((r) => r.enabled);
  const hasFlags = !!store.get(
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'risk_flags'",
  );
  const flagRows = hasFlags
    ? store.all<FlagStat & { account_id: number; raised_at: string; escalation_id: number | null }>(
        'SELECT id, rule_id, status, dismiss_reason, account_id, raised_at, escalation_id FROM risk_flags ORDER BY raised_at',
      )
    : [];
  const accounts = store.all<{
    id: number;
    segment: 'enterprise' | 'mid_market' | 'smb';
    tier: string | null;
    arr: number;
  }>('SELECT id, segment, tier, arr FROM accounts');
  const yearAgo = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const escalations = store.all<{ id: number; account_id: number; opened_at: string }>(
    'SELECT id, account_id, opened_at FROM escalations WHERE opened_at >= ? AND opened_at <= ? ORDER BY opened_at',
    [yearAgo, now.toISOString()],
  );

  interface Plan {
    rule: RuleRow;
    stats: Omit<RuleRecommendation, 'id' | 'kind' | 'title' | 'why' | 'proposed' | 'before' | 'after'>;
    variants: Variant[];
    review: string | null;
    tightenWhy: string | null;
    loosenWhy: string | null;
  }
  const plans: Plan[] = [];
  for (const rule of rules) {
    const def = rule.definition;
    const fs = flagRows.filter((f) => f.rule_id === rule.id);
    const dismissed = fs.filter((f) => f.status === 'dismissed');
    const confirmed = fs.filter((f) => f.status === 'confirmed');
    const decided = dismissed.length + confirmed.length;
    const reasons = new Map<string, number>();
    for (const f of dismissed)
      reasons.set(
        f.dismiss_reason ?? '(no reason)',
        (reasons.get(f.dismiss_reason ?? '(no reason)') ?? 0) + 1,
      );
    const dismissalRate = decided > 0 ? dismissed.length / decided : null;

    // Escalations in scope this rule did not flag in the horizon before.
    const scoped = new Set(accounts.filter((a) => inScope(def, a)).map((a) => a.id));
    const missed = escalations.filter((e) => {
      if (!scoped.has(e.account_id)) return false;
      const t = Date.parse(e.opened_at);
      return !fs.some(
        (f) =>
          f.escalation_id === e.id ||
          (f.account_id === e.account_id &&
            Date.parse(f.raised_at) <= t &&
            Date.parse(f.raised_at) >= t - horizon),
      );
    });
    const signalCounts = new Map<string, number>();
    for (const e of missed) {
      const s = computeSignalsBatch(store, new Date(e.opened_at), config, {
        accountIds: [e.account_id],
        includeChurned: true,
      }).get(e.account_id);
      if (!s) continue;
      for (const f of scoreSignals({ signals: s, config }).factors) {
        if (f.points > 0 && f.key !== 'model') signalCounts.set(f.key, (signalCounts.get(f.key) ?? 0) + 1);
      }
    }
    const missedSignals = [...signalCounts.entries()]
      .map(([k, count]) => ({ key: k, label: FACTOR_LABELS[k as keyof typeof FACTOR_LABELS] ?? k, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

    const stats: Plan['stats'] = {
      ruleId: rule.id,
      ruleKey: rule.key,
      ruleName: rule.name,
      ruleVersion: rule.version,
      flags: fs.length,
      confirmed: confirmed.length,
      dismissed: dismissed.length,
      dismissalRate,
      dismissReasons: [...reasons.entries()]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
      missedEscalationIds: missed.map((e) => e.id),
      missedSignals,
      flagIds: [...dismissed, ...confirmed].map((f) => f.id),
      link: ruleLink(rule.id),
    };
    const variants: Variant[] = [];
    const minDecided = opts.minDecided ?? 8;
    let review: string | null = null;
    let tightenWhy: string | null = null;
    let loosenWhy: string | null = null;
    const rateText = dismissalRate === null ? '' : `${Math.round(dismissalRate * 100)}%`;
    if (decided < minDecided) {
      review = `Only ${decided} decided flag${decided === 1 ? '' : 's'} (${fs.length} raised) in the history: too few to judge its thresholds${
        missed.length
          ? `, while ${missed.length} escalation${missed.length === 1 ? '' : 's'} of accounts in its scope went unflagged by it`
          : ''
      }. Check that its scope and thresholds fit the portfolio.`;
    }
    if (decided >= minDecided && dismissalRate !== null && dismissalRate >= (opts.dismissalRate ?? 0.5)) {
      const top = stats.dismissReasons
        .slice(0, 3)
        .map((r) => `"${r.reason}" (${r.count})`)
        .join(', ');
      tightenWhy = `${dismissed.length} of its ${decided} decided flags (${rateText}) were dismissed; most common reasons: ${top}.`;
      for (const l of leaves(def)) {
        const st = stepFor(l.cond.signal, l.cond.value, units);
        if (st === null) continue;
        for (const n of [1, 2]) {
          const v = round(l.cond.value + (up(l.cond) ? n : -n) * st);
          variants.push({
            kind: 'tighten',
            title: `Change ${condText(l.cond)} to ${l.cond.signal} ${l.cond.op} ${v}`,
            def: l.with(v),
          });
        }
      }
    }
    if (missed.length > 0 && decided >= minDecided) {
      const topSig = missedSignals.slice(0, 3);
      loosenWhy = `${missed.length} escalation${missed.length === 1 ? '' : 's'} of accounts in its scope in the last 12 months had no flag from it in the ${
        opts.horizonDays ?? 60
      } days before${topSig.length ? `; the signals they most often had: ${topSig.map((s) => `${s.label} (${s.count})`).join(', ')}` : ''}.`;
      for (const l of leaves(def)) {
        const st = stepFor(l.cond.signal, l.cond.value, units);
        if (st === null) continue;
        const v = round(l.cond.value + (up(l.cond) ? -1 : 1) * st);
        variants.push({
          kind: 'loosen',
          title: `Change ${condText(l.cond)} to ${l.cond.signal} ${l.cond.op} ${v}`,
          def: l.with(v),
        });
      }
      for (const s of topSig) {
        const c = conditionFor(s.key, catalog);
        if (!c) continue;
        const base: RuleGroup = { match: def.match, conditions: def.conditions };
        variants.push({
          kind: 'loosen',
          title: `Also flag when ${condText(c)} (${s.label.toLowerCase()})`,
          def: { ...def, match: 'any', conditions: [base, c] },
        });
        variants.push({
          kind: 'loosen',
          title: `Also flag when ${condText(c)} and risk_score >= 15`,
          def: {
            ...def,
            match: 'any',
            conditions: [
              base,
              { match: 'all', conditions: [c, { signal: 'risk_score', op: '>=', value: 15 }] },
            ],
          },
        });
      }
    }
    plans.push({
      rule,
      stats,
      variants: variants.filter((v) => ruleProblems(v.def, config).length === 0),
      review,
      tightenWhy,
      loosenWhy,
    });
  }

  // One replay for every rule and variant.
  const defs = plans.flatMap((p) =>
    p.variants.length > 0 ? [p.rule.definition, ...p.variants.map((v) => v.def)] : [],
  );
  const results = defs.length > 0 ? backtestMany(store, defs, config, { now }) : [];
  let k = 0;
  const out: RuleRecommendation[] = [];
  for (const p of plans) {
    if (p.review) {
      out.push({
        id: `${p.rule.id}:review`,
        kind: 'review',
        title: `Review "${p.rule.name}"`,
        why: p.review,
        proposed: null,
        before: null,
        after: null,
        ...p.stats,
      });
    }
    if (p.variants.length === 0) continue;
    const before = results[k++]!;
    const tried = p.variants.map((v) => ({ v, r: results[k++]! }));
    const pick = (kind: 'tighten' | 'loosen') => {
      const c = tried.filter((x) => x.v.kind === kind && x.r.flags > 0);
      if (c.length === 0) return null;
      const bp = before.precision ?? 0;
      const br = before.recall ?? 0;
      if (kind === 'tighten') {
        // Precision weighs more than recall here (F0.5), among the variants that raise precision.
        const ok = c.filter((x) => (x.r.precision ?? 0) > bp);
        return ok.sort((a, b) => fBeta(b.r, 0.5) - fBeta(a.r, 0.5) || b.r.flags - a.r.flags)[0] ?? null;
      }
      const ok = c.filter((x) => (x.r.precision ?? 0) >= bp - 0.05 && (x.r.recall ?? 0) > br);
      return (
        ok.sort(
          (a, b) => (b.r.recall ?? 0) - (a.r.recall ?? 0) || (b.r.precision ?? 0) - (a.r.precision ?? 0),
        )[0] ?? null
      );
    };
    const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
    for (const kind of ['tighten', 'loosen'] as const) {
      const why = kind === 'tighten' ? p.tightenWhy : p.loosenWhy;
      if (!why) continue;
      const best = pick(kind);
      if (!best) {
        out.push({
          id: `${p.rule.id}:${kind}`,
          kind: 'review',
          title: `Review "${p.rule.name}"`,
          why: `${why} No single threshold step ${kind === 'tighten' ? 'raised precision' : 'caught more escalations without losing more than 5 points of precision'} in the backtest; review the rule by hand.`,
          proposed: null,
          before,
          after: null,
          ...p.stats,
        });
        continue;
      }
      out.push({
        id: `${p.rule.id}:${kind}`,
        kind,
        title: best.v.title,
        why: `${why} Backtest over 24 months: precision ${pct(before.precision)} -> ${pct(best.r.precision)}, recall ${pct(before.recall)} -> ${pct(best.r.recall)}, flags ${before.flags} -> ${best.r.flags}.`,
        proposed: best.v.def,
        before,
        after: best.r,
        ...p.stats,
      });
    }
  }
  cache.set(store, { key, value: out });
  return out;
};
