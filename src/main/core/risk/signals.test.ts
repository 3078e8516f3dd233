import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core';
import { DEFAULT_CONFIG } from './config';
import { computeSignals, computeSignalsBatch, renewalAt } from './signals';
import { addAccount, addRow, addTicket, addUsage, daysAgo, memoryCore, T0, tsAgo } from './testkit';

let core: Core;
afterEach(() => core?.close());

const signals = (id: number, at: Date = T0, config = DEFAULT_CONFIG) =>
  computeSignals(core.store, id, at, config)!;

describe('signals on hand-built records', () => {
  it('usage, login and key-feature change over each window, from complete periods before asOf only', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    // 26 weeks: 100 users / 1000 logins until 5 weeks ago, then 50 / 300.
    const ids = addUsage(core, id, 26, (w) =>
      w <= 4 ? { users: 50, logins: 300, key: 100 } : { users: 100, logins: 1000, key: 400 },
    );
    // A period still running at asOf and one after it must not count.
    addRow(
      core,
      'INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins) VALUES (?, ?, 7, 0, 0)',
      [id, daysAgo(3)],
    );
    addRow(
      core,
      'INSERT INTO usage_periods(account_id, period_start, period_days, active_users, logins) VALUES (?, ?, 7, 0, 0)',
      [id, daysAgo(-7)],
    );
    const s = signals(id);
    // 30-day window: periods starting 28..7 days ago (4 weeks, all low) vs 56..35 (4 weeks high... one boundary week).
    expect(s.values.usage_drop_30d).toBe(50);
    expect(s.values.login_drop_30d).toBe(70);
    expect(s.values.key_feature_drop_30d).toBe(75);
    expect(s.values.usage_drop_max).toBe(70);
    expect(s.values.usage_drop_90d).toBeGreaterThan(0);
    expect(s.values.usage_drop_90d).toBeLessThan(s.values.usage_drop_30d!);
    expect(s.evidence.usage_drop_30d).toContain(`usage_periods:${ids[ids.length - 1]}`);
    // As of five weeks ago nothing had changed yet.
    const before = signals(id, new Date(T0.getTime() - 35 * 86_400_000));
    expect(before.values.usage_drop_30d).toBe(0);
  });

  it('ticket volume against the account baseline, and nothing dated at or after asOf', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    for (const d of [20, 50, 80, 110, 140, 170]) addTicket(core, id, d);
    const recent = [2, 5, 9, 12].map((d) => addTicket(core, id, d));
    addTicket(core, id, -1); // tomorrow
    const s = signals(id);
    expect(s.values.tickets_recent).toBe(4);
    expect(s.values.ticket_baseline).toBeCloseTo((6 * 14) / 180, 2);
    expect(s.values.ticket_volume_ratio).toBe(8.6);
    expect(s.evidence.tickets_recent?.sort()).toEqual(recent.map((t) => `tickets:${t}`).sort());
  });

  it('negative tickets use the stored sentiment, else the phrase fallback; agent messages do not count', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    const a = addTicket(core, id, 3, [{ body: 'All fine, thanks', label: 'negative' }]);
    const b = addTicket(core, id, 5, [{ body: 'Frankly we are frustrated with this.' }]);
    addTicket(core, id, 6, [{ body: 'This is unacceptable and broken again', label: 'neutral' }]);
    addTicket(core, id, 7, [{ body: 'Sorry, this is unacceptable on our side', side: 'agent' }]);
    addTicket(core, id, 40, [{ body: 'Nobody answered, this is unacceptable' }]); // outside 30 days
    addTicket(core, id, 60, [{ body: 'Great, works now', label: 'positive' }]);
    const s = signals(id);
    expect(s.values.negative_tickets).toBe(2);
    expect(s.values.negative_tickets_30d).toBe(2);
    expect(s.evidence.negative_tickets?.sort()).toEqual([`tickets:${a}`, `tickets:${b}`].sort());
    // recent: -1, -1, 0 -> -0.67; prior (30..120 days): -1 (fallback) and +1 -> 0
    expect(s.values.sentiment_recent).toBeCloseTo(-0.67, 2);
    expect(s.values.sentiment_trend).toBeCloseTo(-0.67, 2);
  });

  it('competitor mentions by configured name or evaluation phrase, within the window', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    addTicket(core, id, 4, [{ body: 'We have started a pilot with Zentrix next month.' }]);
    addTicket(core, id, 8, [{ body: 'Our CFO compared you with Stratalyne last week.' }]);
    addTicket(core, id, 100, [{ body: 'We are evaluating alternatives.' }]);
    expect(signals(id).values.competitor_mentions).toBe(1);
    const cfg = { ...DEFAULT_CONFIG, competitors: ['Stratalyne'] };
    const s = signals(id, T0, cfg);
    expect(s.values.competitor_mentions).toBe(2);
    expect(s.evidence.competitor_mentions).toHaveLength(2);
  });

  it('health level and drop over the window, NPS latest and detractor', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    const h = [
      [150, 80],
      [95, 78],
      [60, 61],
      [2, 43],
      [-3, 10],
    ].map(([d, score]) =>
      addRow(core, 'INSERT INTO health_scores(account_id, scored_at, score) VALUES (?, ?, ?)', [
        id,
        daysAgo(d!),
        score!,
      ]),
    );
    addRow(core, 'INSERT INTO nps_responses(account_id, responded_at, score) VALUES (?, ?, ?)', [
      id,
      daysAgo(200),
      9,
    ]);
    const n = addRow(core, 'INSERT INTO nps_responses(account_id, responded_at, score) VALUES (?, ?, ?)', [
      id,
      daysAgo(20),
      4,
    ]);
    const s = signals(id);
    expect(s.values.health_latest).toBe(43);
    expect(s.values.health_drop).toBe(35);
    expect(s.evidence.health_drop).toEqual([`health_scores:${h[1]}`, `health_scores:${h[3]}`]);
    expect(s.values.nps_latest).toBe(4);
    expect(s.values.nps_detractor).toBe(1);
    expect(s.evidence.nps_latest).toEqual([`nps_responses:${n}`]);
  });

  it('champion or sponsor departure and days since; a departure after asOf is not known yet', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core);
    const c = addRow(
      core,
      "INSERT INTO contacts(account_id, name, is_champion, status, departed_at) VALUES (?, 'Pat Example', 1, 'departed', ?)",
      [id, daysAgo(21)],
    );
    addRow(
      core,
      "INSERT INTO contacts(account_id, name, is_exec_sponsor, status, departed_at) VALUES (?, 'Sam Example', 1, 'departed', ?)",
      [id, daysAgo(-5)],
    );
    addRow(
      core,
      "INSERT INTO contacts(account_id, name, is_champion, status, departed_at) VALUES (?, 'Old Example', 0, 'departed', ?)",
      [id, daysAgo(3)],
    );
    const s = signals(id);
    expect(s.values.champion_departed_days).toBe(21);
    expect(s.values.champion_departed).toBe(1);
    expect(s.evidence.champion_departed_days).toEqual([`contacts:${c}`]);
    expect(signals(id, new Date(T0.getTime() - 30 * 86_400_000)).values.champion_departed_days).toBeNull();
  });

  it('executive engagement gap and communication frequency change', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core, { contractStart: daysAgo(1000) });
    const e = addRow(
      core,
      "INSERT INTO engagements(account_id, occurred_at, kind, is_executive) VALUES (?, ?, 'qbr', 1)",
      [id, tsAgo(95)],
    );
    for (const d of [70, 80, 90, 100, 110, 30]) {
      addRow(
        core,
        "INSERT INTO engagements(account_id, occurred_at, kind, is_executive) VALUES (?, ?, 'email', 0)",
        [id, tsAgo(d)],
      );
    }
    const s = signals(id);
    expect(s.values.days_since_exec_engagement).toBe(94);
    expect(s.evidence.days_since_exec_engagement).toEqual([`engagements:${e}`]);
    // last 60 days: 1 email; 60..120 days: 5 emails + the QBR = 6
    expect(s.values.comm_drop).toBeCloseTo(83.3, 1);
    // Never an executive engagement: the account's age, capped at a year.
    const other = addAccount(core, { name: 'Young Co', contractStart: daysAgo(40) });
    expect(signals(other).values.days_since_exec_engagement).toBe(40);
  });

  it('days to renewal, projected back for annual contracts when replaying history', async () => {
    ({ core } = await memoryCore());
    const id = addAccount(core, { renewal: daysAgo(-67) });
    expect(signals(id).values.days_to_renewal).toBe(67);
    expect(renewalAt('2027-03-01', '2024-03-01', new Date('2025-06-01T00:00:00Z'))).toBe('2026-03-01');
    expect(renewalAt('2027-03-01', '2026-03-01', new Date('2025-06-01T00:00:00Z'))).toBe('2027-03-01');
  });

  it('open escalation at asOf, and the portfolio-wide batch equals the single-account path', async () => {
    ({ core } = await memoryCore());
    const a = addAccount(core, { name: 'A' });
    const b = addAccount(core, { name: 'B' });
    addRow(
      core,
      "INSERT INTO escalations(account_id, status, priority, opened_at) VALUES (?, 'open', 'high', ?)",
      [a, tsAgo(10)],
    );
    addRow(
      core,
      "INSERT INTO escalations(account_id, status, priority, opened_at, resolved_at) VALUES (?, 'resolved', 'high', ?, ?)",
      [b, tsAgo(50), tsAgo(20)],
    );
    addUsage(core, a, 20, (w) => ({ users: 100 - w, logins: 500 + w * 3 }));
    addTicket(core, b, 3, [{ body: 'still broken' }]);
    expect(signals(a).values.open_escalation).toBe(1);
    expect(signals(b).values.open_escalation).toBe(0);
    expect(signals(b, new Date(T0.getTime() - 30 * 86_400_000)).values.open_escalation).toBe(1);
    const batch = computeSignalsBatch(core.store, T0, DEFAULT_CONFIG);
    for (const id of [a, b]) expect(batch.get(id)!.values).toEqual(signals(id).values);
  });
});
