/**
 * Effectiveness metrics for a period and segment, computed from the raw records and returned with the ids
 * of the records behind each figure. The counting rules are stated in `definitions` and shown in the UI.
 */
import type { Breakdown, Metrics, MetricsQuery } from '../../../shared/insights-types';
import type { Core } from '../core';
import { ensureScored } from '../risk/engine';
import { DAY_MS } from '../time';
import { daysBetweenIso, median, quantile, ratio } from './stats';

export const DEFINITIONS: Record<string, string> = {
  precision:
    'Flags raised in the period that were followed by an escalation of the same account within the horizon (or were confirmed into one), among the flags whose horizon has passed.',
  falsePositiveRate:
    'Accounts flagged in the period that did not escalate within the period plus the horizon, among all accounts that did not escalate.',
  recall:
    'Escalations opened in the period that had a flag on the account in the horizon before they opened.',
  leadTimeDays:
    'For each escalation flagged beforehand: days from its earliest such flag to the escalation opening.',
  resolution:
    'Escalations resolved in the period; resolution time = resolved − opened; resolution rate = share whose outcome was saved or expanded.',
  sla: 'SLA clocks of escalations opened in the period that have concluded: met before breach vs breached.',
  preventedChurnArr:
    'ARR retained (the lower of ARR before and after) of escalations whose outcome, recorded in the period, was saved or expanded. Expansion above the prior ARR is not counted.',
  arrLostToChurn: 'ARR before minus ARR after of escalations that ended churned, recorded in the period.',
  arrLostToDowngrade:
    'ARR before minus ARR after of escalations that ended downgraded, recorded in the period.',
  arrAtRiskNow: 'Σ ARR × current risk score / 100 over active accounts (the same rule as the heatmap).',
};

interface EscRow {
  id: number;
  account_id: number;
  opened_at: string;
  resolved_at: string | null;
  closed_at: string | null;
  priority: string;
  category: string | null;
  owner: string | null;
  outcome: string | null;
}

const endOfDay = (d: string): string => new Date(Date.parse(d.slice(0, 10)) + DAY_MS).toISOString();

export const computeMetrics = (core: Core, q: MetricsQuery): Metrics => {
  const store = core.store;
  const horizon = q.horizonDays ?? 60;
  const from = `${q.from.slice(0, 10)}T00:00:00.000Z`;
  const to = endOfDay(q.to); // exclusive
  const now = core.now().toISOString();
  const seg = q.segment ?? null;
  const inSeg = new Set(
    store
      .all<{ id: number }>(
        seg ? 'SELECT id FROM accounts WHERE segment = ?' : 'SELECT id FROM accounts',
        seg ? [seg] : [],
      )
      .map((r) => r.id),
  );
  const hasFlags = !!store.get(
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'risk_flags'",
  );

  // All escalations of accounts in the segment (the horizon looks past the period).
  const allEsc = store
    .all<EscRow>(
      `SELECT e.id, e.account_id, e.opened_at, e.resolved_at, e.closed_at, e.priority, e.category,
              t.name AS owner, o.outcome
       FROM escalations e LEFT JOIN team_members t ON t.id = e.owner_id LEFT JOIN outcomes o ON o.escalation_id = e.id
       ORDER BY e.opened_at`,
    )
    .filter((e) => inSeg.has(e.account_id));
  const escByAccount = new Map<number, EscRow[]>();
  for (const e of allEsc) {
    const l = escByAccount.get(e.account_id) ?? [];
    l.push(e);
    escByAccount.set(e.account_id, l);
  }

  const allFlags = hasFlags
    ? store
        .all<{ id: number; account_id: number; raised_at: string; escalation_id: number | null }>(
          'SELECT id, account_id, raised_at, escalation_id FROM risk_flags ORDER BY raised_at',
        )
        .filter((f) => inSeg.has(f.account_id))
    : [];
  const flagsByAccount = new Map<number, typeof allFlags>();
  for (const f of allFlags) {
    const l = flagsByAccount.get(f.account_id) ?? [];
    l.push(f);
    flagsByAccount.set(f.account_id, l);
  }

  // Precision: flags raised in the period.
  const flags = allFlags.filter((f) => f.raised_at >= from && f.raised_at < to);
  const tp: number[] = [];
  let judged = 0;
  for (const f of flags) {
    const limit = new Date(Date.parse(f.raised_at) + horizon * DAY_MS).toISOString();
    const followed =
      f.escalation_id !== null ||
      (escByAccount.get(f.account_id) ?? []).some((e) => e.opened_at >= f.raised_at && e.opened_at <= limit);
    if (followed) tp.push(f.id);
    if (followed || limit <= now) judged++;
  }

  // False-positive rate, by account.
  const horizonEnd = new Date(Date.parse(to) + horizon * DAY_MS).toISOString();
  const escalatedAccounts = new Set(
    allEsc.filter((e) => e.opened_at >= from && e.opened_at < horizonEnd).map((e) => e.account_id),
  );
  const flaggedAccounts = new Set(flags.map((f) => f.account_id));
  let negatives = 0;
  let falsePositives = 0;
  for (const id of inSeg) {
    if (escalatedAccounts.has(id)) continue;
    negatives++;
    if (flaggedAccounts.has(id)) falsePositives++;
  }

  // Recall and lead time: escalations opened in the period.
  const opened = allEsc.filter((e) => e.opened_at >= from && e.opened_at < to);
  const caught: number[] = [];
  const leads: number[] = [];
  for (const e of opened) {
    const windowStart = new Date(Date.parse(e.opened_at) - horizon * DAY_MS).toISOString();
    const before = (flagsByAccount.get(e.account_id) ?? []).filter(
      (f) => (f.raised_at >= windowStart && f.raised_at <= e.opened_at) || f.escalation_id === e.id,
    );
    if (before.length === 0) continue;
    caught.push(e.id);
    let earliest = before[0]!.raised_at;
    for (const f of before) if (f.raised_at < earliest) earliest = f.raised_at;
    leads.push(Math.max(0, Math.round(daysBetweenIso(earliest, e.opened_at))));
  }

  // Resolution.
  const resolvedAt = (e: EscRow) => e.resolved_at ?? e.closed_at;
  const resolved = allEsc.filter((e) => {
    const r = resolvedAt(e);
    return r !== null && r >= from && r < to;
  });
  const breakdown = (keyOf: (e: EscRow) => string): Breakdown[] => {
    const groups = new Map<string, EscRow[]>();
    for (const e of resolved) {
      const k = keyOf(e);
      groups.set(k, [...(groups.get(k) ?? []), e]);
    }
    return [...groups.entries()]
      .map(([key, es]) => {
        const days = es.map((e) => daysBetweenIso(e.opened_at, resolvedAt(e)!));
        const withOutcome = es.filter((e) => e.outcome !== null);
        const good = withOutcome.filter((e) => e.outcome === 'saved' || e.outcome === 'expanded').length;
        return {
          key,
          escalations: es.length,
          resolved: es.length,
          medianResolutionDays: median(days),
          p90ResolutionDays: quantile(days, 0.9),
          resolutionRate: ratio(good, withOutcome.length),
          escalationIds: es.map((e) => e.id),
        };
      })
      .sort((a, b) => b.escalations - a.escalations || a.key.localeCompare(b.key));
  };
  const resDays = resolved.map((e) => daysBetweenIso(e.opened_at, resolvedAt(e)!));
  const resWithOutcome = resolved.filter((e) => e.outcome !== null);
  const resGood = resWithOutcome.filter((e) => e.outcome === 'saved' || e.outcome === 'expanded').length;

  // SLA attainment.
  const hasSla = !!store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'sla_clocks'");
  const openedIds = new Set(opened.map((e) => e.id));
  const clocks = hasSla
    ? store
        .all<{ escalation_id: number; met_at: string | null; breached_at: string | null }>(
          'SELECT escalation_id, met_at, breached_at FROM sla_clocks WHERE met_at IS NOT NULL OR breached_at IS NOT NULL',
        )
        .filter((c) => openedIds.has(c.escalation_id))
    : [];
  const met = clocks.filter(
    (c) => c.met_at !== null && (c.breached_at === null || c.met_at <= c.breached_at),
  ).length;

  // ARR outcomes recorded in the period.
  const outcomes = store
    .all<{
      id: number;
      escalation_id: number;
      account_id: number;
      outcome: string;
      arr_before: number;
      arr_after: number;
      resolved_at: string;
    }>(
      `SELECT o.id, o.escalation_id, e.account_id, o.outcome, o.arr_before, o.arr_after, o.resolved_at
       FROM outcomes o JOIN escalations e ON e.id = o.escalation_id WHERE o.resolved_at >= ? AND o.resolved_at < ?`,
      [from, to],
    )
    .filter((o) => inSeg.has(o.account_id));
  const saved = outcomes.filter((o) => o.outcome === 'saved' || o.outcome === 'expanded');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  // ARR at risk now.
  ensureScored(core);
  const risk = store
    .all<{ id: number; arr: number; score: number }>(
      "SELECT a.id, a.arr, r.score FROM accounts a JOIN risk_current r ON r.account_id = a.id WHERE a.status = 'active'",
    )
    .filter((r) => inSeg.has(r.id) && r.score > 0);

  return {
    from: q.from.slice(0, 10),
    to: q.to.slice(0, 10),
    segment: seg,
    horizonDays: horizon,
    definitions: DEFINITIONS,
    flagsRaised: flags.length,
    flagsJudged: judged,
    flagsFollowedByEscalation: tp.length,
    precision: ratio(tp.length, judged),
    falsePositiveRate: ratio(falsePositives, negatives),
    escalationsOpened: opened.length,
    escalationsFlaggedBeforehand: caught.length,
    recall: ratio(caught.length, opened.length),
    leadTimeDays: {
      median: median(leads),
      p25: quantile(leads, 0.25),
      p75: quantile(leads, 0.75),
      n: leads.length,
    },
    resolution: {
      resolved: resolved.length,
      medianDays: median(resDays),
      p90Days: quantile(resDays, 0.9),
      rate: ratio(resGood, resWithOutcome.length),
      byCategory: breakdown((e) => e.category ?? 'uncategorized'),
      byPriority: breakdown((e) => e.priority),
      byOwner: breakdown((e) => e.owner ?? 'unassigned'),
    },
    sla: { clocks: clocks.length, met, breached: clocks.length - met, attainment: ratio(met, clocks.length) },
    preventedChurnArr: Math.round(sum(saved.map((o) => Math.min(o.arr_before, o.arr_after)))),
    arrLostToChurn: Math.round(
      sum(outcomes.filter((o) => o.outcome === 'churned').map((o) => o.arr_before - o.arr_after)),
    ),
    arrLostToDowngrade: Math.round(
      sum(outcomes.filter((o) => o.outcome === 'downgraded').map((o) => o.arr_before - o.arr_after)),
    ),
    arrAtRiskNow: { arr: Math.round(sum(risk.map((r) => (r.arr * r.score) / 100))), accounts: risk.length },
    refs: {
      flags: flags.map((f) => f.id),
      truePositiveFlags: tp,
      escalations: opened.map((e) => e.id),
      caughtEscalations: caught,
      savedOutcomes: saved.map((o) => o.id),
      atRiskAccounts: risk.map((r) => r.id),
      escalationAccounts: Object.fromEntries([...opened, ...resolved].map((e) => [e.id, e.account_id])),
    },
  };
};
