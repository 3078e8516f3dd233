/**
 * Pattern analysis over the portfolio's history: which signals preceded escalations (risk ratios with
 * confidence intervals), which strategies worked for which categories, which escalations no flag caught
 * (and what signals they had), and whether a fast first action mattered.
 */
import type {
  EffectSize,
  FirstActionEffect,
  MissedEscalation,
  Patterns,
  StrategyStat,
} from '../../../shared/insights-types';
import type { Core } from '../core';
import { FACTOR_LABELS, loadConfig } from '../risk/config';
import { scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { DAY_MS, isoDate } from '../time';
import { riskRatio, wilson } from './stats';
import { systemicClusters } from './systemic';

const SMALL = 10;

/** Month starts (YYYY-MM-01) from `from` to `to`, inclusive. */
export const monthStarts = (from: string, to: string): string[] => {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > end) break;
    out.push(`${s}-01`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
};

/**
 * For each monthly snapshot, which risk factors were present (scored above zero) per account, and whether the
 * account escalated in the following `horizonDays`. Signals use only records before each snapshot.
 */
export const signalEffects = (core: Core, from: string, to: string, horizonDays = 60): EffectSize[] => {
  const store = core.store;
  const config = loadConfig(store);
  const esc = store.all<{ account_id: number; opened_at: string }>(
    'SELECT account_id, opened_at FROM escalations',
  );
  const nowMs = core.now().getTime();
  const counts = new Map<string, { a: number; n1: number; c: number; n2: number }>();
  for (const snap of monthStarts(from, to)) {
    const t = Date.parse(snap);
    if (t + horizonDays * DAY_MS > nowMs) continue; // label not yet observable
    const limit = new Date(t + horizonDays * DAY_MS).toISOString();
    const escalated = new Set(
      esc.filter((e) => e.opened_at >= snap && e.opened_at < limit).map((e) => e.account_id),
    );
    const openBefore = new Set(
      store
        .all<{ account_id: number }>(
          'SELECT account_id FROM escalations WHERE opened_at < ? AND (resolved_at IS NULL OR resolved_at >= ?) AND (closed_at IS NULL OR closed_at >= ?)',
          [snap, snap, snap],
        )
        .map((r) => r.account_id),
    );
    const signals = computeSignalsBatch(store, snap, config, { includeChurned: true });
    for (const [id, s] of signals) {
      if (openBefore.has(id)) continue;
      const y = escalated.has(id);
      const { factors } = scoreSignals({ signals: s, config });
      for (const f of factors) {
        if (f.key === 'model') continue;
        const c = counts.get(f.key) ?? { a: 0, n1: 0, c: 0, n2: 0 };
        if (f.points > 0) {
          c.n1++;
          if (y) c.a++;
        } else {
          c.n2++;
          if (y) c.c++;
        }
        counts.set(f.key, c);
      }
    }
  }
  return [...counts.entries()]
    .map(([key, c]) => {
      const rr = riskRatio(c.a, c.n1, c.c, c.n2);
      return {
        signal: key,
        label: FACTOR_LABELS[key as keyof typeof FACTOR_LABELS] ?? key,
        ratePresent: c.n1 ? c.a / c.n1 : null,
        rateAbsent: c.n2 ? c.c / c.n2 : null,
        riskRatio: rr.rr,
        ciLow: rr.low,
        ciHigh: rr.high,
        nPresent: c.n1,
        nAbsent: c.n2,
        smallSample: c.a < SMALL || c.n1 < 30,
      };
    })
    .sort((x, y) => (y.riskRatio ?? 0) - (x.riskRatio ?? 0));
};

/** Success rate of each strategy per root-cause category, from recorded outcomes. */
export const strategyStats = (core: Core, from: string, to: string): StrategyStat[] => {
  const rows = core.store.all<{
    id: number;
    outcome: string;
    root_cause: string | null;
    category: string | null;
    strategies: string;
  }>(
    `SELECT o.id, o.outcome, o.root_cause, e.category, o.strategies FROM outcomes o JOIN escalations e ON e.id = o.escalation_id
     WHERE o.resolved_at >= ? AND o.resolved_at < ?`,
    [from, new Date(Date.parse(to) + DAY_MS).toISOString()],
  );
  const groups = new Map<string, { category: string; strategy: string; ids: number[]; ok: number }>();
  for (const r of rows) {
    let list: unknown;
    try {
      list = JSON.parse(r.strategies);
    } catch {
      list = [];
    }
    const category = r.root_cause ?? r.category ?? 'uncategorized';
    for (const s of Array.isArray(list) ? list : []) {
      const strategy =
        typeof s === 'string'
          ? s
          : typeof s === 'object' && s && 'id' in s
            ? String((s as { id: unknown }).id)
            : null;
      if (!strategy) continue;
      const k = `${category}|${strategy}`;
      const g = groups.get(k) ?? { category, strategy, ids: [], ok: 0 };
      g.ids.push(r.id);
      if (r.outcome === 'saved' || r.outcome === 'expanded') g.ok++;
      groups.set(k, g);
    }
  }
  return [...groups.values()]
    .map((g) => {
      const [lo, hi] = wilson(g.ok, g.ids.length);
      return {
        category: g.category,
        strategy: g.strategy,
        used: g.ids.length,
        succeeded: g.ok,
        rate: g.ok / g.ids.length,
        ciLow: lo,
        ciHigh: hi,
        smallSample: g.ids.length < 5,
        outcomeIds: g.ids,
      };
    })
    .sort((a, b) => a.category.localeCompare(b.category) || b.rate - a.rate || b.used - a.used);
};

/** Escalations opened in the period with no flag in the horizon before them, with the signals they had. */
export const missedEscalations = (
  core: Core,
  from: string,
  to: string,
  horizonDays = 60,
): MissedEscalation[] => {
  const store = core.store;
  const hasFlags = !!store.get(
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'risk_flags'",
  );
  const config = loadConfig(store);
  const esc = store.all<{
    id: number;
    account_id: number;
    name: string;
    opened_at: string;
    category: string | null;
  }>(
    `SELECT e.id, e.account_id, a.name, e.opened_at, e.category FROM escalations e JOIN accounts a ON a.id = e.account_id
     WHERE e.opened_at >= ? AND e.opened_at < ? ORDER BY e.opened_at`,
    [from, new Date(Date.parse(to) + DAY_MS).toISOString()],
  );
  const out: MissedEscalation[] = [];
  for (const e of esc) {
    const start = new Date(Date.parse(e.opened_at) - horizonDays * DAY_MS).toISOString();
    const flagged =
      hasFlags &&
      !!store.get(
        'SELECT 1 AS x FROM risk_flags WHERE account_id = ? AND ((raised_at >= ? AND raised_at <= ?) OR escalation_id = ?)',
        [e.account_id, start, e.opened_at, e.id],
      );
    if (flagged) continue;
    const s = computeSignalsBatch(store, isoDate(new Date(Date.parse(e.opened_at))), config, {
      accountIds: [e.account_id],
      includeChurned: true,
    }).get(e.account_id);
    const present = s
      ? scoreSignals({ signals: s, config })
          .factors.filter((f) => f.points > 0 && f.key !== 'model')
          .sort((a, b) => b.points - a.points)
          .map((f) => ({ key: f.key, label: `${f.label}: ${f.detail}`, value: f.points }))
      : [];
    out.push({
      escalationId: e.id,
      accountId: e.account_id,
      accountName: e.name,
      openedAt: e.opened_at,
      category: e.category,
      signals: present,
    });
  }
  return out;
};

/**
 * Time to first action: escalations whose first executive engagement (or acknowledged/progress event) came
 * within `thresholdHours` of opening vs later vs never, and their save rates.
 */
export const firstActionEffect = (
  core: Core,
  from: string,
  to: string,
  thresholdHours = 48,
): FirstActionEffect => {
  const rows = core.store.all<{
    id: number;
    opened_at: string;
    outcome: string | null;
    first_exec: string | null;
  }>(
    `SELECT e.id, e.opened_at, o.outcome,
       (SELECT min(g.occurred_at) FROM engagements g WHERE g.account_id = e.account_id AND g.is_executive = 1 AND g.occurred_at >= e.opened_at) AS first_exec
     FROM escalations e JOIN outcomes o ON o.escalation_id = e.id WHERE e.opened_at >= ? AND e.opened_at < ?`,
    [from, new Date(Date.parse(to) + DAY_MS).toISOString()],
  );
  const bucket = () => ({ n: 0, saved: 0, rate: null as number | null });
  const fast = bucket();
  const slow = bucket();
  const none = bucket();
  for (const r of rows) {
    const b =
      r.first_exec === null
        ? none
        : Date.parse(r.first_exec) - Date.parse(r.opened_at) <= thresholdHours * 3_600_000
          ? fast
          : slow;
    b.n++;
    if (r.outcome === 'saved' || r.outcome === 'expanded') b.saved++;
  }
  for (const b of [fast, slow, none]) b.rate = b.n ? b.saved / b.n : null;
  return {
    thresholdHours,
    fast,
    slow,
    none,
    definition: `Escalations with a recorded outcome, split by when the first executive engagement with the account happened after the escalation opened: within ${thresholdHours} hours, later, or not at all. Rate = share saved or expanded.`,
  };
};

export const computePatterns = (core: Core, from: string, to: string): Patterns => ({
  from,
  to,
  effects: signalEffects(core, from, to),
  strategies: strategyStats(core, from, to),
  missed: missedEscalations(core, from, to),
  firstAction: firstActionEffect(core, from, to),
  systemic: systemicClusters(core, to),
});
