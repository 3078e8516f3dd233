/**
 * The prioritized escalation queue (flagged accounts, one row each) and the portfolio heatmap, both read from
 * the scores stored by the last rescore. ARR at risk = ARR × score / 100.
 */
import type { Priority, Segment } from '../../../shared/domain';
import type {
  FlagRow,
  Heatmap,
  HeatmapCell,
  QueueItem,
  QueueSort,
  TopFactor,
} from '../../../shared/risk-types';
import type { Core } from '../core';
import { daysBetween } from '../time';
import { loadConfig } from './config';
import { ensureScored } from './engine';
import { listFlags } from './flags';
import { rankOf } from './priority';

interface CurrentDb {
  account_id: number;
  name: string;
  segment: Segment;
  arr: number;
  renewal_date: string | null;
  score: number;
  computed_score: number;
  priority: Priority;
  factors: string;
}

const top3 = (json: string): TopFactor[] =>
  (JSON.parse(json) as { k: TopFactor['key']; l: string; p: number; d: string }[])
    .slice(0, 3)
    .map((f) => ({ key: f.k, label: f.l, points: f.p, detail: f.d }));

export const queue = (
  core: Core,
  opts: {
    sort?: QueueSort | undefined;
    includeSnoozed?: boolean | undefined;
    limit?: number | undefined;
  } = {},
): QueueItem[] => {
  ensureScored(core);
  const now = core.now();
  const config = loadConfig(core.store);
  const flags = listFlags(core, { statuses: ['open', 'snoozed'], limit: 100_000 }).filter(
    (f) => opts.includeSnoozed || f.status === 'open',
  );
  const byAccount = new Map<number, FlagRow[]>();
  for (const f of flags) {
    const list = byAccount.get(f.accountId) ?? [];
    list.push(f);
    byAccount.set(f.accountId, list);
  }
  if (byAccount.size === 0) return [];
  const rows = core.store.all<CurrentDb>(
    `SELECT c.account_id, a.name, a.segment, a.arr, a.renewal_date, c.score, c.computed_score, c.priority, c.factors
     FROM risk_current c JOIN accounts a ON a.id = c.account_id WHERE c.account_id IN (SELECT value FROM json_each(?))`,
    [JSON.stringify([...byAccount.keys()])],
  );
  const items: QueueItem[] = rows.map((r) => {
    const fl = byAccount.get(r.account_id) ?? [];
    return {
      accountId: r.account_id,
      accountName: r.name,
      segment: r.segment,
      arr: r.arr,
      arrAtRisk: Math.round((r.arr * r.score) / 100),
      renewalDate: r.renewal_date,
      daysToRenewal: r.renewal_date ? daysBetween(now, r.renewal_date) : null,
      score: r.score,
      computedScore: r.computed_score,
      overridden: r.score !== r.computed_score,
      priority: r.priority,
      response: config.priority.response[r.priority],
      topFactors: top3(r.factors),
      flags: fl,
      firstRaisedAt: fl.map((f) => f.raisedAt).sort()[0] ?? '',
    };
  });
  const sort = opts.sort ?? 'priority';
  const cmp: Record<QueueSort, (a: QueueItem, b: QueueItem) => number> = {
    priority: (a, b) => rankOf(a.priority) - rankOf(b.priority) || b.score - a.score || b.arr - a.arr,
    score: (a, b) => b.score - a.score || rankOf(a.priority) - rankOf(b.priority),
    arrAtRisk: (a, b) => b.arrAtRisk - a.arrAtRisk || b.score - a.score,
    daysToRenewal: (a, b) => (a.daysToRenewal ?? 1e9) - (b.daysToRenewal ?? 1e9) || b.score - a.score,
  };
  items.sort(cmp[sort]);
  return opts.limit ? items.slice(0, opts.limit) : items;
};

// ---------------------------------------------------------------- heatmap

const ARR_BANDS = [
  { key: 'lt50k', label: '< $50K', max: 50_000 },
  { key: '50k-200k', label: '$50K-200K', max: 200_000 },
  { key: '200k-500k', label: '$200K-500K', max: 500_000 },
  { key: 'gte500k', label: '≥ $500K', max: Number.POSITIVE_INFINITY },
];
const RENEWAL = [
  { key: 'le30', label: '≤ 30 days', max: 30 },
  { key: '31-90', label: '31-90 days', max: 90 },
  { key: '91-180', label: '91-180 days', max: 180 },
  { key: 'gt180', label: '> 180 days', max: Number.POSITIVE_INFINITY },
];
const RISK = [
  { key: 'low', label: 'Low (< 25)', max: 25 },
  { key: 'guarded', label: 'Guarded (25-49)', max: 50 },
  { key: 'elevated', label: 'Elevated (50-69)', max: 70 },
  { key: 'high', label: 'High (≥ 70)', max: Number.POSITIVE_INFINITY },
];
const SEGMENT_ROWS = [
  { key: 'enterprise', label: 'Enterprise' },
  { key: 'mid_market', label: 'Mid-market' },
  { key: 'smb', label: 'SMB' },
];

/** The first band whose upper limit is above `v` (or at least `v` when `inclusive`). */
const band = (bands: { key: string; max: number }[], v: number, inclusive = false) =>
  (bands.find((b) => (inclusive ? v <= b.max : v < b.max)) ?? bands[bands.length - 1]!).key;

export const heatmap = (
  core: Core,
  opts: { rows?: Heatmap['rowKind'] | undefined; cols?: Heatmap['colKind'] | undefined } = {},
): Heatmap => {
  ensureScored(core);
  const now = core.now();
  const rowKind = opts.rows ?? 'segment';
  const colKind = opts.cols ?? 'renewalWindow';
  const rows = core.store.all<{
    id: number;
    segment: Segment;
    arr: number;
    renewal_date: string | null;
    score: number;
  }>(
    `SELECT a.id, a.segment, a.arr, a.renewal_date, c.score FROM accounts a JOIN risk_current c ON c.account_id = a.id
     WHERE a.status = 'active' ORDER BY c.score DESC`,
  );
  const rowDefs = rowKind === 'segment' ? SEGMENT_ROWS : ARR_BANDS.map(({ key, label }) => ({ key, label }));
  const colDefs = (
    colKind === 'renewalWindow' ? [...RENEWAL, { key: 'none', label: 'No renewal date', max: 0 }] : RISK
  ).map(({ key, label }) => ({
    key,
    label,
  }));
  const cells = new Map<string, HeatmapCell>();
  for (const r of rowDefs)
    for (const c of colDefs)
      cells.set(`${r.key}|${c.key}`, {
        row: r.key,
        col: c.key,
        count: 0,
        arr: 0,
        arrAtRisk: 0,
        avgScore: 0,
        maxScore: 0,
        accountIds: [],
      });
  let arr = 0;
  let arrAtRisk = 0;
  for (const a of rows) {
    const rk = rowKind === 'segment' ? a.segment : band(ARR_BANDS, a.arr);
    let ck: string;
    if (colKind === 'riskBand') ck = band(RISK, a.score);
    else if (!a.renewal_date) ck = 'none';
    else ck = band(RENEWAL, Math.max(0, daysBetween(now, a.renewal_date)), true);
    const cell = cells.get(`${rk}|${ck}`);
    if (!cell) continue;
    const atRisk = (a.arr * a.score) / 100;
    cell.count++;
    cell.arr += a.arr;
    cell.arrAtRisk += atRisk;
    cell.avgScore += a.score;
    cell.maxScore = Math.max(cell.maxScore, a.score);
    cell.accountIds.push(a.id);
    arr += a.arr;
    arrAtRisk += atRisk;
  }
  for (const c of cells.values()) {
    c.avgScore = c.count ? Math.round((c.avgScore / c.count) * 10) / 10 : 0;
    c.arrAtRisk = Math.round(c.arrAtRisk);
  }
  const usedCols =
    colKind === 'renewalWindow' && ![...cells.values()].some((c) => c.col === 'none' && c.count > 0)
      ? colDefs.filter((c) => c.key !== 'none')
      : colDefs;
  return {
    rowKind,
    colKind,
    rows: rowDefs,
    cols: usedCols,
    cells: [...cells.values()].filter((c) => usedCols.some((u) => u.key === c.col)),
    totals: { accounts: rows.length, arr, arrAtRisk: Math.round(arrAtRisk) },
  };
};
