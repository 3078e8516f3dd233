/**
 * The indexed signal reads and the change-only score writes must give exactly what the straightforward
 * implementation gives: same values, same evidence (in the same order), same stored scores and history.
 * Checked on a small demo portfolio at several dates and on hand-built edge cases (ties, periods longer than a
 * week, records after asOf, churned accounts, contracts starting later).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountSignals } from '../../../shared/risk-types';
import type { Core } from '../core';
import { generateDemo } from '../demo/generator';
import { DAY_MS } from '../time';
import { DEFAULT_CONFIG, loadConfig } from './config';
import { activeOverrides, evaluateSignals, rescoreAccount, rescoreAll } from './engine';
import { computeSignals, computeSignalsBatch } from './signals';
import { referenceSignals, referenceSignalsBatch } from './signals-reference';
import { addAccount, addRow, addTicket, addUsage, daysAgo, memoryCore, T0, tsAgo } from './testkit';

const AS_OF = '2026-12-01';
const plain = (m: Map<number, AccountSignals>) =>
  Object.fromEntries([...m].sort(([a], [b]) => a - b).map(([id, s]) => [id, s]));
/**
 * The same, with each signal's evidence as a sorted set. Portfolio-wide, the first implementation listed
 * evidence in table order (a full scan); now it is in date order everywhere, as the single-account path
 * always had it (that path is compared with the order kept).
 */
const unordered = (m: Map<number, AccountSignals>) =>
  Object.fromEntries(
    [...m]
      .sort(([a], [b]) => a - b)
      .map(([id, s]) => [
        id,
        {
          ...s,
          evidence: Object.fromEntries(Object.entries(s.evidence).map(([k, v]) => [k, [...v].sort()])),
        },
      ]),
  );

let demo: Core;
let setDemoNow: (d: Date) => void;
beforeAll(async () => {
  ({ core: demo, setNow: setDemoNow } = await memoryCore(new Date(`${AS_OF}T09:30:00.000Z`)));
  generateDemo(demo.store, { seed: 11, accounts: 120, asOf: AS_OF });
}, 60_000);

let core: Core | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

describe('indexed signals equal the straightforward implementation', () => {
  const dates = [
    `${AS_OF}T09:30:00.000Z`, // a time of day
    AS_OF, // midnight: date-only bounds
    '2026-09-17T15:00:00.000Z',
    '2026-03-02',
    '2025-06-20T08:00:00.000Z',
  ];

  it.each(dates)('portfolio-wide as of %s, with and without evidence, active and churned', (at) => {
    const cfg = DEFAULT_CONFIG;
    expect(plain(computeSignalsBatch(demo.store, at, cfg))).toEqual(
      plain(referenceSignalsBatch(demo.store, at, cfg)),
    );
    const opts = { evidence: true, includeChurned: true };
    expect(unordered(computeSignalsBatch(demo.store, at, cfg, opts))).toEqual(
      unordered(referenceSignalsBatch(demo.store, at, cfg, opts)),
    );
  });

  it('for a list of accounts and for single accounts (evidence always on)', () => {
    const ids = demo.store
      .all<{ id: number }>('SELECT id FROM accounts ORDER BY id')
      .map((r) => r.id)
      .filter((_, i) => i % 7 === 0);
    for (const at of [dates[0]!, dates[3]!]) {
      const opts = { accountIds: ids, evidence: true, includeChurned: true };
      expect(plain(computeSignalsBatch(demo.store, at, DEFAULT_CONFIG, opts))).toEqual(
        plain(referenceSignalsBatch(demo.store, at, DEFAULT_CONFIG, opts)),
      );
      for (const id of ids.slice(0, 8))
        expect(computeSignals(demo.store, id, at)).toEqual(referenceSignals(demo.store, id, at));
    }
  });

  it('with other windows and phrases', () => {
    const cfg = {
      ...DEFAULT_CONFIG,
      windows: [14, 60],
      competitors: ['Stratalyne', 'Quorvex'],
      negativePhrases: ['broken', 'waiting'],
      healthWindowDays: 30,
      commWindowDays: 21,
    };
    expect(unordered(computeSignalsBatch(demo.store, dates[0]!, cfg, { evidence: true }))).toEqual(
      unordered(referenceSignalsBatch(demo.store, dates[0]!, cfg, { evidence: true })),
    );
  });

  it('on hand-built edge cases: ties, long periods, records after asOf, churned and future accounts', async () => {
    ({ core } = await memoryCore());
    const c = core;
    const a = addAccount(c, { name: 'Ties Co' });
    const b = addAccount(c, { name: 'Churned Co' });
    const f = addAccount(c, { name: 'Future Co', contractStart: daysAgo(-10) });
    const n = addAccount(c, { name: 'No Contract Co', contractStart: null, renewal: null });
    c.store.write((tx) => tx.run("UPDATE accounts SET status = 'churned' WHERE id = ?", [b]));
    for (const id of [a, b, f, n]) {
      addUsage(c, id, 30, (w) => ({ users: 50 + ((w * 7) % 13), logins: 300 + ((w * 11) % 17) }));
      // A 30-day period that has ended, one still running, and a 90-day one across the window edges.
      for (const [start, days] of [
        [daysAgo(75), 30],
        [daysAgo(20), 30],
        [daysAgo(100), 90],
      ] as const)
        addRow(
          c,
          'INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins, key_feature_use, features_adopted) VALUES (?, ?, ?, 40, 200, 90, 7)',
          [id, start, days],
        );
      // Two health scores and two NPS answers on the same day (ties: the lowest id wins), one after asOf.
      for (const [d, score] of [
        [5, 40],
        [5, 60],
        [90, 70],
        [90, 75],
        [200, 80],
        [-2, 10],
      ] as const)
        addRow(c, 'INSERT INTO health_scores(account_id, scored_at, score) VALUES (?, ?, ?)', [
          id,
          daysAgo(d),
          score,
        ]);
      for (const [d, score] of [
        [12, 3],
        [12, 9],
        [-1, 0],
      ] as const)
        addRow(c, 'INSERT INTO nps_responses(account_id, responded_at, score) VALUES (?, ?, ?)', [
          id,
          daysAgo(d),
          score,
        ]);
      for (const [d, exec] of [
        [30, 1],
        [30, 1],
        [70, 0],
        [100, 1],
        [-3, 1],
      ] as const)
        addRow(
          c,
          "INSERT INTO engagements(account_id, occurred_at, kind, is_executive) VALUES (?, ?, 'meeting', ?)",
          [id, tsAgo(d), exec],
        );
      for (const d of [21, 21, -4])
        addRow(
          c,
          "INSERT INTO contacts(account_id, name, is_champion, status, departed_at) VALUES (?, 'Pat', 1, 'departed', ?)",
          [id, daysAgo(d)],
        );
      addTicket(c, id, 2, [
        { body: 'This is unacceptable, we are evaluating alternatives.' },
        { body: 'All good', label: 'positive' },
        { body: 'frustrating', side: 'agent' },
      ]);
      addTicket(c, id, 50, [{ body: 'Still not fixed', label: 'negative' }]);
      addTicket(c, id, -1, [{ body: 'Tomorrow: unacceptable' }]);
      addRow(
        c,
        "INSERT INTO escalations(account_id, status, priority, opened_at, resolved_at) VALUES (?, 'resolved', 'high', ?, NULL)",
        [id, tsAgo(40)],
      );
    }
    for (const at of [T0, new Date(T0.getTime() + 9 * 3_600_000), new Date(T0.getTime() - 45 * DAY_MS)]) {
      for (const opts of [{}, { evidence: true, includeChurned: true }, { accountIds: [a, b, f] }]) {
        expect(unordered(computeSignalsBatch(c.store, at, DEFAULT_CONFIG, opts))).toEqual(
          unordered(referenceSignalsBatch(c.store, at, DEFAULT_CONFIG, opts)),
        );
      }
      for (const id of [a, b, f, n])
        expect(computeSignals(c.store, id, at)).toEqual(referenceSignals(c.store, id, at));
    }
  });
});

describe('stored scores equal a straightforward recomputation', () => {
  interface Stored {
    account_id: number;
    score: number;
    computed_score: number;
    priority: string;
    factors: string;
  }
  /** risk_current as a full recomputation from the reference signals would store it. */
  const expected = (c: Core) => {
    const now = c.now();
    const cfg = loadConfig(c.store);
    const ev = evaluateSignals(
      c,
      referenceSignalsBatch(c.store, now, cfg),
      cfg,
      now,
      activeOverrides(c, now),
    );
    return [...ev]
      .sort(([x], [y]) => x - y)
      .map(([id, e]) => ({
        account_id: id,
        score: e.score,
        computed_score: e.result.score,
        priority: e.priority,
        factors: JSON.stringify(
          e.result.factors
            .filter((f) => f.points > 0)
            .sort((x, y) => y.points - x.points)
            .map((f) => ({ k: f.key, l: f.label, p: f.points, d: f.detail })),
        ),
      }));
  };
  const current = (c: Core) =>
    c.store.all<Stored & { computed_at: string; as_of: string }>(
      'SELECT account_id, score, computed_score, priority, factors, computed_at, as_of FROM risk_current ORDER BY account_id',
    );
  const strip = (rows: (Stored & { computed_at: string; as_of: string })[]) =>
    rows.map(({ computed_at: _c, as_of: _a, ...r }) => r);
  const history = (c: Core, day: string) =>
    c.store.all<Stored>(
      'SELECT account_id, score, computed_score, priority, factors FROM risk_score_history WHERE day = ? ORDER BY account_id',
      [day],
    );

  it('after full rescores (changed and unchanged rows), an incremental rescore, and a new day', async () => {
    let now = new Date(`${AS_OF}T09:30:00.000Z`);
    setDemoNow(now);
    const c = demo;
    rescoreAll(c);
    const first = current(c);
    expect(strip(first)).toEqual(expected(c));
    expect(first.every((r) => r.computed_at === now.toISOString() && r.as_of === now.toISOString())).toBe(
      true,
    );
    expect(history(c, AS_OF)).toEqual(expected(c));

    // A minute later almost nothing changed: unchanged rows are not rewritten but are stamped as computed now.
    now = new Date(now.getTime() + 60_000);
    setDemoNow(now);
    rescoreAll(c);
    expect(strip(current(c))).toEqual(expected(c));
    expect(current(c).every((r) => r.computed_at === now.toISOString())).toBe(true);
    expect(history(c, AS_OF)).toEqual(expected(c));

    // A new negative ticket: the incremental rescore touches exactly that account.
    const id = c.store.get<{ id: number }>(
      "SELECT id FROM accounts WHERE status = 'active' AND segment = 'enterprise' ORDER BY id LIMIT 1",
    )!.id;
    const before = current(c);
    now = new Date(now.getTime() + 60_000);
    setDemoNow(now);
    c.store.write((tx) => {
      const at = new Date(now.getTime() - 1000).toISOString();
      const t = tx.run(
        "INSERT INTO tickets(account_id, subject, status, created_at, updated_at) VALUES (?, 'Broken again', 'open', ?, ?)",
        [id, at, at],
      ).lastInsertRowid;
      tx.run(
        "INSERT INTO ticket_messages(ticket_id, side, body, created_at) VALUES (?, 'customer', 'This is unacceptable, we are evaluating alternatives.', ?)",
        [t, at],
      );
    });
    rescoreAccount(c, id);
    const after = current(c);
    expect(
      after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(before[i])).map((r) => r.account_id),
    ).toEqual([id]);
    expect(strip(after).find((r) => r.account_id === id)).toEqual(
      expected(c).find((r) => r.account_id === id),
    );

    // The next day: every row is written again where it changed, and a new history day is complete.
    now = new Date(now.getTime() + DAY_MS);
    setDemoNow(now);
    rescoreAll(c);
    expect(strip(current(c))).toEqual(expected(c));
    expect(history(c, now.toISOString().slice(0, 10))).toEqual(expected(c));
  });
});
