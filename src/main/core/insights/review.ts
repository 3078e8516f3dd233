/**
 * The monthly review for the leadership meeting: what happened in the month, the metrics against the month
 * before, a 12-month series, the top patterns of the last 12 months and the recommended rule changes.
 * Every figure carries the ids of the records behind it (rendered as an appendix in the exports).
 */
import type { MonthlyReview, ReviewEscalation, ReviewMonthPoint } from '../../../shared/insights-types';
import { CoreError } from '../../../shared/result';
import type { Core } from '../core';
import { computeMetrics } from './metrics';
import { computePatterns } from './patterns';
import { recommendRuleChanges } from './recommendations';

export const addMonths = (month: string, n: number): string => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}`;
};

/** First and last day of a month, inclusive, as YYYY-MM-DD. */
export const monthRange = (month: string): { from: string; to: string } => {
  const next = Date.parse(`${addMonths(month, 1)}-01T00:00:00.000Z`);
  return { from: `${month}-01`, to: new Date(next - 86_400_000).toISOString().slice(0, 10) };
};

/** The last month that has fully ended before `now`. */
export const lastFullMonth = (now: Date): string => addMonths(now.toISOString().slice(0, 7), -1);

interface EscDb {
  id: number;
  account_id: number;
  name: string;
  arr: number;
  category: string | null;
  priority: string;
  opened_at: string;
  resolved_at: string | null;
  outcome_id: number | null;
  outcome: string | null;
  arr_before: number | null;
  arr_after: number | null;
}

const toEsc = (r: EscDb): ReviewEscalation => ({
  id: r.id,
  accountId: r.account_id,
  accountName: r.name,
  arr: r.arr,
  category: r.category,
  priority: r.priority,
  openedAt: r.opened_at,
  resolvedAt: r.resolved_at,
  outcomeId: r.outcome_id,
  outcome: r.outcome,
  arrBefore: r.arr_before,
  arrAfter: r.arr_after,
});

/** Escalations, flags and outcomes per month for the `n` months ending with `month` (same counting rules as the metrics). */
export const monthlySeries = (core: Core, month: string, n = 12): ReviewMonthPoint[] => {
  const store = core.store;
  const first = addMonths(month, -(n - 1));
  const months = Array.from({ length: n }, (_, i) => addMonths(first, i));
  const hasFlags = !!store.get(
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'risk_flags'",
  );
  const byMonth = <T extends { m: string }>(rows: T[]) => new Map(rows.map((r) => [r.m, r]));
  const esc = byMonth(
    store.all<{ m: string; n: number }>(
      'SELECT substr(opened_at, 1, 7) AS m, count(*) AS n FROM escalations WHERE substr(opened_at, 1, 7) BETWEEN ? AND ? GROUP BY m',
      [first, month],
    ),
  );
  const flags = hasFlags
    ? byMonth(
        store.all<{ m: string; n: number }>(
          'SELECT substr(raised_at, 1, 7) AS m, count(*) AS n FROM risk_flags WHERE substr(raised_at, 1, 7) BETWEEN ? AND ? GROUP BY m',
          [first, month],
        ),
      )
    : new Map<string, { m: string; n: number }>();
  const outs = byMonth(
    store.all<{ m: string; saved: number; churned: number; prevented: number; lost: number }>(
      `SELECT substr(resolved_at, 1, 7) AS m,
         sum(outcome IN ('saved','expanded')) AS saved,
         sum(outcome = 'churned') AS churned,
         sum(CASE WHEN outcome IN ('saved','expanded') THEN min(arr_before, arr_after) ELSE 0 END) AS prevented,
         sum(CASE WHEN outcome IN ('churned','downgraded') THEN arr_before - arr_after ELSE 0 END) AS lost
       FROM outcomes WHERE substr(resolved_at, 1, 7) BETWEEN ? AND ? GROUP BY m`,
      [first, month],
    ),
  );
  return months.map((m) => ({
    month: m,
    escalations: esc.get(m)?.n ?? 0,
    flags: flags.get(m)?.n ?? 0,
    saved: outs.get(m)?.saved ?? 0,
    churned: outs.get(m)?.churned ?? 0,
    preventedChurnArr: Math.round(outs.get(m)?.prevented ?? 0),
    arrLost: Math.round(outs.get(m)?.lost ?? 0),
  }));
};

const money = (v: number): string =>
  Math.abs(v) >= 1e6
    ? `$${(v / 1e6).toFixed(2)}M`
    : Math.abs(v) >= 1e3
      ? `$${Math.round(v / 1e3)}K`
      : `$${Math.round(v)}`;
const pct = (v: number | null): string => (v === null ? 'n/a' : `${Math.round(v * 100)}%`);

export const buildMonthlyReview = (core: Core, month: string): MonthlyReview => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new CoreError('invalid_arguments', `month: expected YYYY-MM, got "${month}"`, 'month');
  const { from, to } = monthRange(month);
  const prev = monthRange(addMonths(month, -1));
  const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString();
  const start = `${from}T00:00:00.000Z`;
  const select = `SELECT e.id, e.account_id, a.name, a.arr, e.category, e.priority, e.opened_at,
      coalesce(e.resolved_at, e.closed_at) AS resolved_at, o.id AS outcome_id, o.outcome, o.arr_before, o.arr_after
    FROM escalations e JOIN accounts a ON a.id = e.account_id LEFT JOIN outcomes o ON o.escalation_id = e.id`;
  const opened = core.store
    .all<EscDb>(`${select} WHERE e.opened_at >= ? AND e.opened_at < ? ORDER BY e.opened_at, e.id`, [
      start,
      end,
    ])
    .map(toEsc);
  const resolved = core.store
    .all<EscDb>(
      `${select} WHERE coalesce(e.resolved_at, e.closed_at) >= ? AND coalesce(e.resolved_at, e.closed_at) < ? ORDER BY coalesce(e.resolved_at, e.closed_at), e.id`,
      [start, end],
    )
    .map(toEsc);
  const outcomeCounts = { saved: 0, expanded: 0, churned: 0, downgraded: 0 };
  for (const r of core.store.all<{ outcome: keyof typeof outcomeCounts; n: number }>(
    'SELECT outcome, count(*) AS n FROM outcomes WHERE resolved_at >= ? AND resolved_at < ? GROUP BY outcome',
    [start, end],
  ))
    outcomeCounts[r.outcome] = r.n;

  const current = computeMetrics(core, { from, to });
  const previous = computeMetrics(core, { from: prev.from, to: prev.to });
  const monthly = monthlySeries(core, month);
  const patterns = computePatterns(core, monthRange(addMonths(month, -11)).from, to);
  const recommendations = recommendRuleChanges(core);

  const highlights: string[] = [];
  highlights.push(
    `${opened.length} escalation${opened.length === 1 ? '' : 's'} opened (${previous.escalationsOpened} the month before) and ${resolved.length} resolved; ${
      outcomeCounts.saved + outcomeCounts.expanded
    } saved or expanded, ${outcomeCounts.churned} churned, ${outcomeCounts.downgraded} downgraded.`,
  );
  highlights.push(
    `Prevented churn ${money(current.preventedChurnArr)} (previous month ${money(previous.preventedChurnArr)}); ARR lost ${money(
      current.arrLostToChurn + current.arrLostToDowngrade,
    )}.`,
  );
  highlights.push(
    `Early warning: ${current.escalationsFlaggedBeforehand} of ${current.escalationsOpened} escalations were flagged beforehand (recall ${pct(current.recall)}), median lead time ${
      current.leadTimeDays.median === null ? 'n/a' : `${Math.round(current.leadTimeDays.median)} days`
    }; flag precision ${pct(current.precision)}.`,
  );
  const growing = patterns.systemic.filter((c) => c.growing);
  for (const c of growing.slice(0, 2)) {
    highlights.push(
      `Systemic issue growing: ${c.rootCause ?? 'unknown cause'} in ${c.productArea ?? 'no product area'} (${c.recent} escalations in the last 3 months vs ${c.previous} before, ${c.accounts.length} accounts, ${money(c.arrAffected)} ARR; terms: ${c.topTerms.slice(0, 4).join(', ')}).`,
    );
  }
  const concrete = recommendations.filter((r) => r.kind !== 'review');
  if (concrete.length > 0)
    highlights.push(
      `${concrete.length} rule change${concrete.length === 1 ? '' : 's'} recommended: ${concrete.map((r) => r.title).join('; ')}.`,
    );

  return {
    month,
    from,
    to,
    generatedAt: core.now().toISOString(),
    opened,
    resolved,
    outcomes: outcomeCounts,
    current,
    previous,
    monthly,
    patterns,
    recommendations,
    highlights,
  };
};

export const formatMoney = money;
export const formatPct = pct;
