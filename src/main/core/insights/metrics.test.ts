/**
 * Every metric on the demo portfolio (with its seeded flag history) against an independent recomputation from
 * the raw rows: per-flag and per-escalation SQL queries and plain loops, no shared helpers. Then hand-built
 * portfolios for the edge cases, and the planted systemic issue.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core';
import { ensureDefaultRules } from '../risk/rules';
import { addAccount, memoryCore } from '../risk/testkit';
import { seedFlagHistory } from './flag-history';
import { computeMetrics } from './metrics';
import { systemicClusters } from './systemic';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const DAY = 86_400_000;
let core: Core;

beforeAll(async () => {
  core = await Core.open({ dbPath: null, now: () => NOW });
  await core.createDemo({ asOf: '2026-12-03' });
  seedFlagHistory(core, {});
}, 240_000);

// ------------------------------------------------------------ independent implementation

const iso = (ms: number) => new Date(ms).toISOString();
const interp = (values: number[], q: number): number | null => {
  if (values.length === 0) return null;
  const s = values.slice().sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const i = Math.floor(h);
  if (i + 1 >= s.length) return s[i]!;
  return s[i]! + (h - i) * (s[i + 1]! - s[i]!);
};

interface Flat {
  id: number;
  account_id: number;
  raised_at: string;
  escalation_id: number | null;
}

const recompute = (c: Core, fromDay: string, toDay: string, segment: string | null, horizon = 60) => {
  const s = c.store;
  const from = `${fromDay}T00:00:00.000Z`;
  const toEx = iso(Date.parse(`${toDay}T00:00:00.000Z`) + DAY);
  const now = c.now().getTime();
  const segOk = (accountId: number) =>
    segment === null ||
    s.get<{ segment: string }>('SELECT segment FROM accounts WHERE id = ?', [accountId])!.segment === segment;

  // Precision, flag by flag.
  const flags = s
    .all<Flat>(
      'SELECT id, account_id, raised_at, escalation_id FROM risk_flags WHERE raised_at >= ? AND raised_at < ?',
      [from, toEx],
    )
    .filter((f) => segOk(f.account_id));
  let tp = 0;
  let judged = 0;
  for (const f of flags) {
    const limit = iso(Date.parse(f.raised_at) + horizon * DAY);
    let followed = f.escalation_id !== null;
    if (!followed)
      followed = !!s.get(
        'SELECT 1 AS x FROM escalations WHERE account_id = ? AND opened_at >= ? AND opened_at <= ?',
        [f.account_id, f.raised_at, limit],
      );
    if (followed) tp++;
    if (followed || Date.parse(limit) <= now) judged++;
  }

  // False-positive rate, account by account.
  const horizonEnd = iso(Date.parse(toEx) + horizon * DAY);
  let negatives = 0;
  let fps = 0;
  for (const a of s.all<{ id: number }>(
    `SELECT id FROM accounts${segment ? ' WHERE segment = ?' : ''}`,
    segment ? [segment] : [],
  )) {
    const esc = s.get(
      'SELECT 1 AS x FROM escalations WHERE account_id = ? AND opened_at >= ? AND opened_at < ?',
      [a.id, from, horizonEnd],
    );
    if (esc) continue;
    negatives++;
    if (
      s.get('SELECT 1 AS x FROM risk_flags WHERE account_id = ? AND raised_at >= ? AND raised_at < ?', [
        a.id,
        from,
        toEx,
      ])
    )
      fps++;
  }

  // Recall and lead time, escalation by escalation.
  const opened = s
    .all<{ id: number; account_id: number; opened_at: string }>(
      'SELECT id, account_id, opened_at FROM escalations WHERE opened_at >= ? AND opened_at < ?',
      [from, toEx],
    )
    .filter((e) => segOk(e.account_id));
  let caught = 0;
  const leads: number[] = [];
  for (const e of opened) {
    const start = iso(Date.parse(e.opened_at) - horizon * DAY);
    const first = s.get<{ t: string | null }>(
      'SELECT min(raised_at) AS t FROM risk_flags WHERE account_id = ? AND ((raised_at >= ? AND raised_at <= ?) OR escalation_id = ?)',
      [e.account_id, start, e.opened_at, e.id],
    )!.t;
    if (first === null) continue;
    caught++;
    leads.push(Math.max(0, Math.round((Date.parse(e.opened_at) - Date.parse(first)) / DAY)));
  }

  // Resolution.
  const resolved = s
    .all<{
      id: number;
      account_id: number;
      opened_at: string;
      r: string;
      category: string | null;
      outcome: string | null;
    }>(
      `SELECT e.id, e.account_id, e.opened_at, coalesce(e.resolved_at, e.closed_at) AS r, e.category,
         (SELECT outcome FROM outcomes o WHERE o.escalation_id = e.id) AS outcome
       FROM escalations e WHERE coalesce(e.resolved_at, e.closed_at) >= ? AND coalesce(e.resolved_at, e.closed_at) < ?`,
      [from, toEx],
    )
    .filter((e) => segOk(e.account_id));
  const durations = resolved.map((e) => (Date.parse(e.r) - Date.parse(e.opened_at)) / DAY);
  const rate = (rows: typeof resolved) => {
    const withOutcome = rows.filter((e) => e.outcome !== null);
    if (withOutcome.length === 0) return null;
    return (
      withOutcome.filter((e) => e.outcome === 'saved' || e.outcome === 'expanded').length / withOutcome.length
    );
  };
  const byCategory: Record<
    string,
    { n: number; median: number | null; p90: number | null; rate: number | null }
  > = {};
  for (const cat of new Set(resolved.map((e) => e.category ?? 'uncategorized'))) {
    const rows = resolved.filter((e) => (e.category ?? 'uncategorized') === cat);
    const ds = rows.map((e) => (Date.parse(e.r) - Date.parse(e.opened_at)) / DAY);
    byCategory[cat] = { n: rows.length, median: interp(ds, 0.5), p90: interp(ds, 0.9), rate: rate(rows) };
  }

  // SLA clocks of escalations opened in the period.
  let clocks = 0;
  let met = 0;
  for (const e of opened) {
    for (const k of s.all<{ met_at: string | null; breached_at: string | null }>(
      'SELECT met_at, breached_at FROM sla_clocks WHERE escalation_id = ?',
      [e.id],
    )) {
      if (k.met_at === null && k.breached_at === null) continue;
      clocks++;
      if (k.met_at !== null && (k.breached_at === null || k.met_at <= k.breached_at)) met++;
    }
  }

  // ARR, by SQL aggregates.
  const segJoin = segment ? ' AND e.account_id IN (SELECT id FROM accounts WHERE segment = ?)' : '';
  const p = (extra: (string | number)[] = []) => [from, toEx, ...(segment ? [segment] : []), ...extra];
  const sumOf = (where: string) =>
    s.get<{ v: number | null }>(
      `SELECT sum(${where}) AS v FROM outcomes o JOIN escalations e ON e.id = o.escalation_id WHERE o.resolved_at >= ? AND o.resolved_at < ?${segJoin}`,
      p(),
    )!.v ?? 0;
  const prevented = sumOf(
    "CASE WHEN o.outcome IN ('saved','expanded') THEN min(o.arr_before, o.arr_after) ELSE 0 END",
  );
  const churn = sumOf("CASE WHEN o.outcome = 'churned' THEN o.arr_before - o.arr_after ELSE 0 END");
  const down = sumOf("CASE WHEN o.outcome = 'downgraded' THEN o.arr_before - o.arr_after ELSE 0 END");
  const atRisk = s.get<{ v: number | null; n: number }>(
    `SELECT sum(a.arr * r.score / 100.0) AS v, count(*) AS n FROM accounts a JOIN risk_current r ON r.account_id = a.id
     WHERE a.status = 'active' AND r.score > 0${segment ? ' AND a.segment = ?' : ''}`,
    segment ? [segment] : [],
  )!;

  return {
    flagsRaised: flags.length,
    precision: judged ? tp / judged : null,
    falsePositiveRate: negatives ? fps / negatives : null,
    recall: opened.length ? caught / opened.length : null,
    escalationsOpened: opened.length,
    leadMedian: interp(leads, 0.5),
    leadN: leads.length,
    resolved: resolved.length,
    resMedian: interp(durations, 0.5),
    resP90: interp(durations, 0.9),
    resRate: rate(resolved),
    byCategory,
    sla: { clocks, met, attainment: clocks ? met / clocks : null },
    prevented: Math.round(prevented),
    churn: Math.round(churn),
    down: Math.round(down),
    atRisk: { arr: Math.round(atRisk.v ?? 0), accounts: atRisk.n },
  };
};

const check = (fromDay: string, toDay: string, segment: 'enterprise' | 'mid_market' | 'smb' | null) => {
  const m = computeMetrics(core, { from: fromDay, to: toDay, ...(segment ? { segment } : {}) });
  const x = recompute(core, fromDay, toDay, segment);
  expect(m.flagsRaised).toBe(x.flagsRaised);
  expect(m.precision).toBeCloseTo(x.precision!, 10);
  expect(m.falsePositiveRate).toBeCloseTo(x.falsePositiveRate!, 10);
  expect(m.escalationsOpened).toBe(x.escalationsOpened);
  expect(m.recall).toBeCloseTo(x.recall!, 10);
  expect(m.leadTimeDays.n).toBe(x.leadN);
  expect(m.leadTimeDays.median).toBe(x.leadMedian);
  expect(m.resolution.resolved).toBe(x.resolved);
  expect(m.resolution.medianDays).toBeCloseTo(x.resMedian!, 8);
  expect(m.resolution.p90Days).toBeCloseTo(x.resP90!, 8);
  expect(m.resolution.rate).toBeCloseTo(x.resRate!, 10);
  expect(Object.fromEntries(m.resolution.byCategory.map((b) => [b.key, b.resolved]))).toEqual(
    Object.fromEntries(Object.entries(x.byCategory).map(([k, v]) => [k, v.n])),
  );
  for (const b of m.resolution.byCategory) {
    const y = x.byCategory[b.key]!;
    expect(b.medianResolutionDays).toBeCloseTo(y.median!, 8);
    expect(b.p90ResolutionDays).toBeCloseTo(y.p90!, 8);
    if (y.rate === null) expect(b.resolutionRate).toBeNull();
    else expect(b.resolutionRate).toBeCloseTo(y.rate, 10);
  }
  expect(m.sla.clocks).toBe(x.sla.clocks);
  expect(m.sla.met).toBe(x.sla.met);
  expect(m.sla.attainment).toBe(x.sla.attainment);
  expect(m.preventedChurnArr).toBe(x.prevented);
  expect(m.arrLostToChurn).toBe(x.churn);
  expect(m.arrLostToDowngrade).toBe(x.down);
  expect(m.arrAtRiskNow).toEqual(x.atRisk);
  return { m, x };
};

describe('metrics on the demo portfolio match an independent recomputation', () => {
  it('over the last 12 months, all segments', () => {
    const { m } = check('2025-12-01', '2026-11-30', null);
    // The seeded history makes these meaningful, not empty.
    expect(m.flagsRaised).toBeGreaterThan(50);
    expect(m.precision).toBeGreaterThan(0.1);
    expect(m.recall).toBeGreaterThan(0.3);
    expect(m.leadTimeDays.n).toBeGreaterThan(10);
    expect(m.resolution.resolved).toBeGreaterThan(20);
    expect(m.preventedChurnArr).toBeGreaterThan(0);
    expect(m.arrAtRiskNow.arr).toBeGreaterThan(0);
  });

  it('for one month and for each segment', () => {
    check('2026-11-01', '2026-11-30', null);
    check('2026-10-01', '2026-10-31', null);
    for (const seg of ['enterprise', 'mid_market', 'smb'] as const) check('2025-12-01', '2026-11-30', seg);
  });

  it('refs list exactly the records behind the figures', () => {
    const m = computeMetrics(core, { from: '2025-12-01', to: '2026-11-30' });
    expect(m.refs.flags.length).toBe(m.flagsRaised);
    expect(m.refs.truePositiveFlags.length).toBe(m.flagsFollowedByEscalation);
    expect(m.refs.caughtEscalations.length).toBe(m.escalationsFlaggedBeforehand);
    const saved = core.store.get<{ v: number }>(
      'SELECT sum(min(arr_before, arr_after)) AS v FROM outcomes WHERE id IN (SELECT value FROM json_each(?))',
      [JSON.stringify(m.refs.savedOutcomes)],
    )!.v;
    expect(Math.round(saved)).toBe(m.preventedChurnArr);
    for (const k of Object.keys(m.definitions)) expect(m.definitions[k]!.length).toBeGreaterThan(20);
  });
});

describe('systemic issues on the demo portfolio', () => {
  it('finds the planted issue without being told: the top growing cluster is integrations, about sync/connectors', () => {
    const clusters = systemicClusters(core, '2026-11-30');
    const top = clusters[0]!;
    expect(top.growing).toBe(true);
    expect(top.productArea).toBe('integrations');
    expect(top.topTerms.some((t) => t === 'sync' || t === 'connector')).toBe(true);
    expect(top.accounts.length).toBeGreaterThanOrEqual(3);
    expect(top.arrAffected).toBe(top.accounts.reduce((s, a) => s + a.arr, 0));
    expect(clusters.filter((c) => c.growing && c.productArea !== 'integrations').length).toBeLessThanOrEqual(
      1,
    );
  });
});

// ------------------------------------------------------------ hand-built portfolios

const addEsc = (
  c: Core,
  accountId: number,
  openedAt: string,
  extra: { resolvedAt?: string; category?: string } = {},
): number =>
  c.store.write(
    (tx) =>
      tx.run(
        `INSERT INTO escalations(account_id, status, priority, category, opened_at, resolved_at) VALUES (?, ?, 'high', ?, ?, ?)`,
        [
          accountId,
          extra.resolvedAt ? 'resolved' : 'open',
          extra.category ?? 'billing',
          openedAt,
          extra.resolvedAt ?? null,
        ],
      ).lastInsertRowid,
  );

const addFlag = (c: Core, accountId: number, raisedAt: string): number => {
  ensureDefaultRules(c.store, '2026-01-01T00:00:00.000Z');
  const rule = c.store.get<{ id: number }>('SELECT id FROM risk_rules ORDER BY id LIMIT 1')!;
  return c.store.write(
    (tx) =>
      tx.run(
        "INSERT INTO risk_flags(account_id, rule_id, rule_version, raised_at, status) VALUES (?, ?, 1, ?, 'open')",
        [accountId, rule.id, raisedAt],
      ).lastInsertRowid,
  );
};

describe('edge cases on hand-built portfolios', () => {
  it('no flags: precision, recall and lead time are null or zero, not NaN', async () => {
    const { core: c } = await memoryCore(new Date('2026-06-01T00:00:00.000Z'));
    const a = addAccount(c, { name: 'A' });
    addEsc(c, a, '2026-03-10T10:00:00.000Z', { resolvedAt: '2026-03-20T10:00:00.000Z' });
    const m = computeMetrics(c, { from: '2026-03-01', to: '2026-03-31' });
    expect(m.flagsRaised).toBe(0);
    expect(m.precision).toBeNull();
    expect(m.recall).toBe(0);
    expect(m.leadTimeDays.median).toBeNull();
    expect(m.resolution.medianDays).toBeCloseTo(10, 10);
    expect(m.resolution.rate).toBeNull(); // no outcome recorded
    expect(m.sla.attainment).toBeNull();
    expect(m.preventedChurnArr).toBe(0);
    const empty = computeMetrics(c, { from: '2025-01-01', to: '2025-01-31' });
    expect(empty.escalationsOpened).toBe(0);
    expect(empty.recall).toBeNull();
    expect(empty.resolution.p90Days).toBeNull();
  });

  it('period boundaries: `from` is inclusive from midnight, `to` includes its whole day, the next day is out', async () => {
    const { core: c } = await memoryCore(new Date('2026-06-01T00:00:00.000Z'));
    const a = addAccount(c, { name: 'A' });
    const b = addAccount(c, { name: 'B' });
    const onFrom = addEsc(c, a, '2026-03-01T00:00:00.000Z');
    const lastMoment = addEsc(c, b, '2026-03-31T23:59:59.999Z');
    addEsc(c, a, '2026-04-01T00:00:00.000Z');
    addEsc(c, b, '2026-02-28T23:59:59.999Z');
    const f1 = addFlag(c, a, '2026-02-20T00:00:00.000Z'); // before the period: not counted in precision, counts for recall
    const f2 = addFlag(c, b, '2026-03-31T12:00:00.000Z');
    const m = computeMetrics(c, { from: '2026-03-01', to: '2026-03-31' });
    expect(m.refs.escalations.sort()).toEqual([onFrom, lastMoment].sort());
    expect(m.refs.flags).toEqual([f2]);
    expect(m.refs.caughtEscalations.sort()).toEqual([onFrom, lastMoment].sort());
    expect(m.leadTimeDays.median).toBe(4.5); // 9 days and just under half a day (rounds to 0)
    expect(m.refs.flags).not.toContain(f1);
  });

  it('a flag is a true positive within the horizon, pending before it, and a false positive after it', async () => {
    const { core: c } = await memoryCore(new Date('2026-06-01T00:00:00.000Z'));
    const a = addAccount(c, { name: 'A' });
    const b = addAccount(c, { name: 'B' });
    const d = addAccount(c, { name: 'D' });
    addFlag(c, a, '2026-01-10T00:00:00.000Z');
    addEsc(c, a, '2026-03-10T00:00:00.000Z'); // 59 days later: within 60
    addFlag(c, b, '2026-01-10T00:00:00.000Z');
    addEsc(c, b, '2026-03-12T00:00:00.000Z'); // 61 days later: outside
    addFlag(c, d, '2026-05-20T00:00:00.000Z'); // horizon not passed at now: pending, not judged
    const m = computeMetrics(c, { from: '2026-01-01', to: '2026-05-31' });
    expect(m.flagsRaised).toBe(3);
    expect(m.flagsJudged).toBe(2);
    expect(m.flagsFollowedByEscalation).toBe(1);
    expect(m.precision).toBe(0.5);
  });

  it('SLA attainment counts met clocks before breach among concluded clocks', async () => {
    const { core: c } = await memoryCore(new Date('2026-06-01T00:00:00.000Z'));
    const a = addAccount(c, { name: 'A' });
    const e = addEsc(c, a, '2026-03-10T00:00:00.000Z');
    c.store.write((tx) => {
      const ins =
        "INSERT INTO sla_clocks(escalation_id, kind, started_at, target_minutes, calendar, met_at, breached_at) VALUES (?, ?, '2026-03-10T00:00:00.000Z', 60, '24x7', ?, ?)";
      tx.run(ins, [e, 'ack', '2026-03-10T00:30:00.000Z', null]);
      tx.run(ins, [e, 'progress', '2026-03-12T00:00:00.000Z', '2026-03-11T00:00:00.000Z']);
      tx.run(ins, [e, 'resolve', null, null]);
    });
    const m = computeMetrics(c, { from: '2026-03-01', to: '2026-03-31' });
    expect(m.sla).toEqual({ clocks: 2, met: 1, breached: 1, attainment: 0.5 });
  });
});
