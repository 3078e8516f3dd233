import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../core';
import { DAY_MS } from '../time';
import { DEFAULT_CONFIG } from './config';
import { computePriority } from './priority';
import { addAccount, addRow, addTicket, addUsage, daysAgo, memoryCore, T0 } from './testkit';

let core: Core;
afterEach(() => core?.close());

/** An enterprise account that meets the seed rule: usage down ≥ 40% over 30 days and 2 negative tickets. */
const atRisk = (c: Core, name = 'Declining Co') => {
  const id = addAccount(c, { name, arr: 300_000, renewal: daysAgo(-60) });
  addUsage(c, id, 16, (w) => (w <= 4 ? { users: 40, logins: 200 } : { users: 100, logins: 1000 }));
  addTicket(c, id, 3, [{ body: 'This is unacceptable, the export is broken again.' }]);
  addTicket(c, id, 9, [{ body: 'Nobody answered our call.' }]);
  return id;
};

const seedRuleId = async (c: Core) =>
  (await c.call('risk.rules.list', {})).find((r) => r.key === 'enterprise-usage-negative')!.id;

describe('flags: dedupe, cooldown, snooze, confirm, dismiss', () => {
  it('raises one open flag per account and rule, recording the rule version', async () => {
    let setNow: (d: Date) => void;
    ({ core, setNow } = await memoryCore());
    const id = atRisk(core);
    addAccount(core, { name: 'Calm Co' });
    const first = await core.call('risk.rescoreAll', {});
    expect(first.accounts).toBe(2);
    const flags = await core.call('risk.flags.list', { accountId: id });
    expect(flags.map((f) => f.ruleKey)).toContain('enterprise-usage-negative');
    const flag = flags.find((f) => f.ruleKey === 'enterprise-usage-negative')!;
    expect(flag.ruleVersion).toBe(1);
    expect(flag.status).toBe('open');
    expect(flag.evidence.some((e) => e.startsWith('usage_periods:'))).toBe(true);
    expect(flag.evidence.some((e) => e.startsWith('tickets:'))).toBe(true);

    setNow(new Date(T0.getTime() + DAY_MS));
    const again = await core.call('risk.rescoreAll', {});
    expect(again.flagsRaised).toBe(0);
    expect((await core.call('risk.flags.list', { accountId: id })).length).toBe(flags.length);

    // Editing the rule makes a new version; a later flag records it.
    const rule = (await core.call('risk.rules.list', {})).find((r) => r.id === flag.ruleId)!;
    const saved = await core.call('risk.rules.save', {
      id: rule.id,
      definition: { ...rule.definition, cooldownDays: 0 },
    });
    expect(saved.version).toBe(2);
    await core.call('risk.flags.dismiss', {
      flagId: flag.id,
      decidedBy: 'Dana Lead',
      reason: 'known issue, handled',
    });
    await core.call('risk.rescoreAll', {});
    const latest = (await core.call('risk.flags.list', { accountId: id })).find(
      (f) => f.ruleId === rule.id && f.status === 'open',
    )!;
    expect(latest.ruleVersion).toBe(2);
  });

  it('keeps the dismissal reason and respects the cooldown before flagging again', async () => {
    ({ core } = await memoryCore());
    const id = atRisk(core);
    await core.call('risk.rescoreAll', {});
    const ruleId = await seedRuleId(core);
    const flag = (await core.call('risk.flags.list', { accountId: id })).find((f) => f.ruleId === ruleId)!;
    const [dismissed] = await core.call('risk.flags.dismiss', {
      flagId: flag.id,
      decidedBy: 'Dana Lead',
      reason: 'seasonal dip',
    });
    expect(dismissed!.status).toBe('dismissed');
    expect(dismissed!.dismissReason).toBe('seasonal dip');
    expect(dismissed!.decidedBy).toBe('Dana Lead');
    await expect(core.call('risk.flags.confirm', { flagId: flag.id, decidedBy: 'X' })).rejects.toThrow(
      /already dismissed/,
    );

    // Dismissed 10 days ago: inside the 30-day cooldown, no new flag although the rule still matches.
    const ago = (d: number) => new Date(T0.getTime() - d * DAY_MS).toISOString();
    core.store.write((tx) =>
      tx.run('UPDATE risk_flags SET raised_at = ?, decided_at = ? WHERE id = ?', [ago(12), ago(10), flag.id]),
    );
    await core.call('risk.rescoreAll', {});
    expect(
      (await core.call('risk.flags.list', { accountId: id })).filter((f) => f.ruleId === ruleId),
    ).toHaveLength(1);
    // Dismissed 31 days ago: the cooldown is over and the rule flags the account again.
    core.store.write((tx) =>
      tx.run('UPDATE risk_flags SET raised_at = ?, decided_at = ? WHERE id = ?', [ago(33), ago(31), flag.id]),
    );
    await core.call('risk.rescoreAll', {});
    const after = (await core.call('risk.flags.list', { accountId: id })).filter((f) => f.ruleId === ruleId);
    expect(after.map((f) => f.status).sort()).toEqual(['dismissed', 'open']);
  });

  it('a snoozed flag leaves the queue until its expiry, with its reason', async () => {
    let setNow: (d: Date) => void;
    ({ core, setNow } = await memoryCore());
    const id = atRisk(core);
    await core.call('risk.rescoreAll', {});
    expect((await core.call('risk.queue', {})).map((q) => q.accountId)).toEqual([id]);
    const flags = await core.call('risk.flags.list', { accountId: id });
    for (const f of flags) {
      const s = await core.call('risk.flags.snooze', {
        flagId: f.id,
        until: daysAgo(-7),
        reason: 'waiting for the fix release',
        snoozedBy: 'Dana',
      });
      expect(s.status).toBe('snoozed');
      expect(s.snoozeReason).toBe('waiting for the fix release');
    }
    expect(await core.call('risk.queue', {})).toEqual([]);
    expect((await core.call('risk.queue', { includeSnoozed: true })).length).toBe(1);
    await expect(
      core.call('risk.flags.snooze', {
        flagId: flags[0]!.id,
        until: daysAgo(1),
        reason: 'x',
        snoozedBy: 'D',
      }),
    ).rejects.toThrow(/future/);
    setNow(new Date(T0.getTime() + 8 * DAY_MS));
    expect((await core.call('risk.queue', {})).map((q) => q.accountId)).toEqual([id]);
    await core.call('risk.rescoreAll', {});
    expect((await core.call('risk.flags.list', { accountId: id })).every((f) => f.status === 'open')).toBe(
      true,
    );
    // Still one open flag per rule: the snooze did not make a duplicate.
    expect(new Set((await core.call('risk.flags.list', { accountId: id })).map((f) => f.ruleId)).size).toBe(
      flags.length,
    );
  });

  it('confirming creates an escalation with who and when, and closes the account’s other flags', async () => {
    ({ core } = await memoryCore());
    const id = atRisk(core);
    await core.call('risk.rescoreAll', {});
    const [item] = await core.call('risk.queue', {});
    expect(item!.topFactors.length).toBeGreaterThan(0);
    const res = await core.call('risk.flags.confirm', { flagId: item!.flags[0]!.id, decidedBy: 'Dana Lead' });
    expect(res.created).toBe(true);
    const esc = core.store.get<{
      status: string;
      decided_by: string;
      decided_at: string;
      account_id: number;
      priority: string;
    }>('SELECT status, decided_by, decided_at, account_id, priority FROM escalations WHERE id = ?', [
      res.escalationId,
    ])!;
    expect(esc).toMatchObject({
      status: 'open',
      decided_by: 'Dana Lead',
      decided_at: T0.toISOString(),
      account_id: id,
    });
    const ev = core.store.get<{ kind: string; actor: string }>(
      'SELECT kind, actor FROM escalation_events WHERE escalation_id = ?',
      [res.escalationId],
    )!;
    expect(ev).toEqual({ kind: 'confirmed', actor: 'Dana Lead' });
    expect(
      (await core.call('risk.flags.list', { accountId: id })).every(
        (f) => f.status === 'confirmed' && f.escalationId === res.escalationId,
      ),
    ).toBe(true);
    expect(await core.call('risk.queue', {})).toEqual([]);
    // The open escalation keeps the rules from flagging the account again.
    await core.call('risk.rescoreAll', {});
    expect((await core.call('risk.flags.list', { accountId: id, statuses: ['open'] })).length).toBe(0);
    await expect(
      core.call('risk.flags.dismiss', { flagId: item!.flags[0]!.id, decidedBy: 'D', reason: '  ' }),
    ).rejects.toThrow(/reason/);
  });

  it('rescoring one account after a new ticket touches only that account', async () => {
    ({ core } = await memoryCore());
    const a = addAccount(core, { name: 'A' });
    const b = addAccount(core, { name: 'B' });
    await core.call('risk.rescoreAll', {});
    const before = core.store.get<{ computed_at: string }>(
      'SELECT computed_at FROM risk_current WHERE account_id = ?',
      [b],
    )!;
    addTicket(core, a, 1, [{ body: 'We are evaluating alternatives, frankly frustrated.' }]);
    const r = await core.call('risk.rescoreAccount', { accountId: a });
    expect(r.accounts).toBe(1);
    const cur = core.store.get<{ factors: string }>('SELECT factors FROM risk_current WHERE account_id = ?', [
      a,
    ])!;
    expect(cur.factors).toContain('competitor');
    expect(
      core.store.get<{ computed_at: string }>('SELECT computed_at FROM risk_current WHERE account_id = ?', [
        b,
      ]),
    ).toEqual(before);
  });
});

describe('overrides', () => {
  it('stay visible, are never overwritten by a rescore, and end only when cleared or at their expiry', async () => {
    let setNow: (d: Date) => void;
    ({ core, setNow } = await memoryCore());
    const id = atRisk(core);
    await core.call('risk.rescoreAll', {});
    const computed = (await core.call('risk.account', { accountId: id })).computedScore;
    await core.call('risk.override.set', {
      accountId: id,
      score: 95,
      reason: 'CEO threatened to churn on the call',
      setBy: 'Dana',
      expiresAt: daysAgo(-14),
    });
    await core.call('risk.rescoreAll', {});
    const r = await core.call('risk.account', { accountId: id });
    expect(r.score).toBe(95);
    expect(r.computedScore).toBe(computed);
    expect(r.override).toMatchObject({
      score: 95,
      reason: 'CEO threatened to churn on the call',
      setBy: 'Dana',
    });
    expect(r.priorityReason).toMatch(/Override by Dana/);
    const row = core.store.get<{ score: number; computed_score: number }>(
      'SELECT score, computed_score FROM risk_current WHERE account_id = ?',
      [id],
    )!;
    expect(row).toEqual({ score: 95, computed_score: computed });
    const [q] = await core.call('risk.queue', {});
    expect(q!.overridden).toBe(true);

    setNow(new Date(T0.getTime() + 15 * DAY_MS));
    expect((await core.call('risk.account', { accountId: id })).override).toBeNull();

    setNow(T0);
    await core.call('risk.override.set', {
      accountId: id,
      score: 10,
      priority: 'low',
      reason: 'Renewal signed yesterday',
      setBy: 'Dana',
    });
    expect((await core.call('risk.account', { accountId: id })).priority).toBe('low');
    await core.call('risk.override.clear', { accountId: id, clearedBy: 'Dana' });
    expect((await core.call('risk.account', { accountId: id })).override).toBeNull();
    await expect(core.call('risk.override.clear', { accountId: id, clearedBy: 'Dana' })).rejects.toThrow(
      /no override/,
    );
    expect(
      core.store.get<{ n: number }>('SELECT count(*) AS n FROM risk_overrides WHERE account_id = ?', [id])!.n,
    ).toBe(2);
    await expect(
      core.call('risk.override.set', { accountId: id, score: 50, reason: ' ', setBy: 'D' }),
    ).rejects.toThrow(/reason/);
  });
});

describe('priority matrix edges', () => {
  const m = DEFAULT_CONFIG.priority;
  const p = (
    score: number,
    arr: number,
    days: number | null,
    extra: { isStrategic?: boolean; expansionPotential?: 'none' | 'low' | 'medium' | 'high' } = {},
  ) =>
    computePriority(
      {
        score,
        daysToRenewal: days,
        account: {
          arr,
          isStrategic: extra.isStrategic ?? false,
          expansionPotential: extra.expansionPotential ?? 'low',
        },
      },
      m,
    ).priority;

  it('Critical: ≥ $500K ARR, renewal within 90 days, score ≥ 70', () => {
    expect(p(70, 500_000, 90)).toBe('critical');
    expect(p(69, 500_000, 90)).toBe('high');
    expect(p(70, 499_999, 90)).toBe('high');
    expect(p(70, 500_000, 91)).toBe('high');
    expect(p(70, 500_000, null)).toBe('high');
  });

  it('High: ≥ $200K ARR with moderate risk; strategic accounts with elevated risk', () => {
    expect(p(50, 200_000, 300)).toBe('high');
    expect(p(49, 200_000, 300)).toBe('low');
    expect(p(65, 50_000, 300, { isStrategic: true })).toBe('high');
  });

  it('Medium: strategic or expansion account with early warning signs, or moderate risk', () => {
    expect(p(30, 20_000, 300, { isStrategic: true })).toBe('medium');
    expect(p(30, 20_000, 300, { expansionPotential: 'high' })).toBe('medium');
    expect(p(29, 20_000, 300, { expansionPotential: 'high' })).toBe('low');
    expect(p(50, 20_000, 300)).toBe('medium');
    expect(p(30, 20_000, 300)).toBe('low');
  });

  it('severe risk raises one level; Critical needs at least $100K ARR', () => {
    expect(p(80, 380_000, 67)).toBe('critical');
    expect(p(79, 380_000, 67)).toBe('high');
    expect(p(85, 90_000, 300)).toBe('high');
    expect(p(85, 150_000, 300)).toBe('high');
    expect(p(85, 150_000, 300, { isStrategic: true })).toBe('critical');
  });

  it('each priority carries its response expectation', () => {
    expect(m.response.critical.label).toMatch(/Immediate/);
    expect(m.response.high.responseHours).toBe(24);
    expect(m.response.medium.label).toMatch(/Weekly review/);
    expect(m.response.low.responseHours).toBeNull();
  });
});

describe('heatmap and backtest', () => {
  it('cells count accounts with their ARR and ARR at risk, and list the accounts in each', async () => {
    ({ core } = await memoryCore());
    const hot = atRisk(core);
    const calm = addAccount(core, { name: 'Calm', segment: 'smb', arr: 20_000, renewal: daysAgo(-300) });
    const h = await core.call('risk.heatmap', {});
    const cell = h.cells.find((c) => c.accountIds.includes(hot))!;
    expect(cell).toMatchObject({ row: 'enterprise', col: '31-90', count: 1, arr: 300_000 });
    expect(cell.arrAtRisk).toBeGreaterThan(0);
    expect(h.cells.find((c) => c.accountIds.includes(calm))).toMatchObject({ row: 'smb', col: 'gt180' });
    expect(h.totals.accounts).toBe(2);
    const byRisk = await core.call('risk.heatmap', { rows: 'arrBand', cols: 'riskBand' });
    expect(byRisk.cells.find((c) => c.accountIds.includes(calm))!.row).toBe('lt50k');
  });

  it('replays a rule over history: flags, precision, recall and lead time', async () => {
    ({ core } = await memoryCore());
    const id = atRisk(core);
    // The account escalated 20 days after the signals were visible; another escalation had no warning.
    addRow(
      core,
      "INSERT INTO escalations(account_id, status, priority, opened_at) VALUES (?, 'open', 'high', ?)",
      [id, new Date(T0.getTime() + 20 * DAY_MS).toISOString()],
    );
    const other = addAccount(core, { name: 'Surprise Co' });
    addRow(
      core,
      "INSERT INTO escalations(account_id, status, priority, opened_at) VALUES (?, 'open', 'high', ?)",
      [other, daysAgo(100)],
    );
    core.setClock(() => new Date(T0.getTime() + 200 * DAY_MS));
    const ruleId = await seedRuleId(core);
    const r = await core.call('risk.rules.backtest', {
      id: ruleId,
      from: daysAgo(180),
      to: daysAgo(-7),
      stepDays: 7,
    });
    expect(r.flags).toBe(1);
    expect(r.truePositives).toBe(1);
    expect(r.precision).toBe(1);
    expect(r.escalations).toBe(2);
    expect(r.caught).toBe(1);
    expect(r.recall).toBe(0.5);
    // Flagged at the first weekly point after the second negative ticket (T0 + 2 days): 18 days ahead.
    expect(r.medianLeadDays).toBe(18);
    expect(r.series.reduce((s, p) => s + p.flags, 0)).toBe(1);
    await expect(
      core.call('risk.rules.backtest', {
        definition: {
          name: 'x',
          match: 'all',
          conditions: [{ signal: 'usage_dorp', op: '>=', value: 1 }],
          cooldownDays: 1,
        },
      }),
    ).rejects.toThrow("conditions[0].signal: unknown signal 'usage_dorp'");
  });
});
