import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core';

let core: Core;
let escId: number;
beforeAll(async () => {
  core = await Core.open({ dbPath: null, now: () => new Date('2026-12-03T12:00:00.000Z') });
  await core.createDemo({ asOf: '2026-12-03', accounts: 60 });
  escId = core.store.get<{ id: number }>(
    "SELECT id FROM escalations WHERE status IN ('open','acknowledged','in_progress') ORDER BY id LIMIT 1",
  )!.id;
}, 120_000);

describe('outcome capture', () => {
  it('refuses to close an escalation without its outcome', async () => {
    const r = await core.dispatch('routing.setStatus', { escalationId: escId, status: 'closed' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/closes with its outcome/);
    expect(
      core.store.get<{ status: string }>('SELECT status FROM escalations WHERE id = ?', [escId])!.status,
    ).not.toBe('closed');
  });

  it('refuses an inconsistent outcome and stores nothing', async () => {
    const before = core.store.get<{ n: number }>('SELECT count(*) AS n FROM outcomes')!.n;
    const r = await core.dispatch('outcomes.record', {
      escalationId: escId,
      outcome: 'churned',
      arrAfter: 5000,
      rootCause: 'billing',
      strategies: [],
      recordedBy: 'Test leader',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.where).toBe('arrAfter');
    expect(core.store.get<{ n: number }>('SELECT count(*) AS n FROM outcomes')!.n).toBe(before);
  });

  it('records the outcome, closes the escalation and updates the account', async () => {
    const acct = core.store.get<{ id: number; arr: number }>(
      'SELECT a.id, a.arr FROM accounts a JOIN escalations e ON e.account_id = a.id WHERE e.id = ?',
      [escId],
    )!;
    const v = await core.call('outcomes.record', {
      escalationId: escId,
      outcome: 'downgraded',
      arrAfter: Math.round(acct.arr * 0.8),
      rootCause: 'product_defect',
      strategies: [
        { id: 'technical_review', effect: 'helped' },
        { id: 'commercial_concession', effect: 'no_effect' },
      ],
      recordedBy: 'Test leader',
    });
    expect(v).toMatchObject({ status: 'closed', arrBefore: acct.arr, arrAfter: Math.round(acct.arr * 0.8) });
    const o = core.store.get<{ outcome: string; strategies: string; root_cause: string }>(
      'SELECT outcome, strategies, root_cause FROM outcomes WHERE escalation_id = ?',
      [escId],
    )!;
    expect(o).toEqual({
      outcome: 'downgraded',
      strategies: '["technical_review","commercial_concession"]',
      root_cause: 'product_defect',
    });
    expect(
      core.store.get<{ status: string }>('SELECT status FROM escalations WHERE id = ?', [escId])!.status,
    ).toBe('closed');
    expect(core.store.get<{ arr: number }>('SELECT arr FROM accounts WHERE id = ?', [acct.id])!.arr).toBe(
      Math.round(acct.arr * 0.8),
    );
    const ev = core.store.get<{ detail: string }>(
      "SELECT detail FROM escalation_events WHERE escalation_id = ? AND kind = 'outcome_recorded'",
      [escId],
    )!;
    expect(JSON.parse(ev.detail).strategies).toEqual([
      { id: 'technical_review', effect: 'helped' },
      { id: 'commercial_concession', effect: 'no_effect' },
    ]);
    const again = await core.dispatch('outcomes.record', {
      escalationId: escId,
      outcome: 'saved',
      arrAfter: 1,
      rootCause: 'billing',
      strategies: [],
      recordedBy: 'Test leader',
    });
    expect(!again.ok && again.error.code).toBe('conflict');
  });
});
