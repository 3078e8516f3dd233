import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundJobs } from './background';
import { Core } from './core';
import { rescoreIfNewDay } from './risk/engine';

let core: Core | undefined;
afterEach(() => core?.close());

describe('the daily rescore', () => {
  it('rescores when the stored scores are from an earlier day, and only then', async () => {
    let now = new Date('2026-12-03T09:00:00Z');
    core = await Core.open({ dbPath: null, now: () => now });
    await core.createDemo({ asOf: '2026-12-03', accounts: 40, model: false, sentiment: false });
    expect(rescoreIfNewDay(core)).toBe(false); // never scored: the first page that needs scores scores them
    await core.call('risk.rescoreAll', {});
    const asOf = () => core!.store.get<{ a: string }>('SELECT min(as_of) AS a FROM risk_current')!.a;
    const first = asOf();
    now = new Date('2026-12-03T17:00:00Z');
    expect(rescoreIfNewDay(core)).toBe(false); // same day
    now = new Date('2026-12-04T00:05:00Z');
    // one account rescored today (a new ticket) does not hide the others' stale scores
    const one = core.store.get<{ id: number }>("SELECT id FROM accounts WHERE status = 'active' LIMIT 1")!.id;
    await core.call('risk.rescoreAccount', { accountId: one });
    expect(rescoreIfNewDay(core)).toBe(true);
    expect(asOf() > first).toBe(true);
    expect(asOf().slice(0, 10)).toBe('2026-12-04');
    expect(rescoreIfNewDay(core)).toBe(false);
  });

  it('runs from the background jobs the app starts, and tells the pages', async () => {
    let now = new Date('2026-12-03T09:00:00Z');
    core = await Core.open({ dbPath: null, now: () => now });
    await core.createDemo({ asOf: '2026-12-03', accounts: 40, model: false, sentiment: false });
    await core.call('risk.rescoreAll', {});
    now = new Date('2026-12-05T08:00:00Z');
    const changed: string[][] = [];
    core.bus.subscribe((event, payload) => {
      if (event === 'data.changed') changed.push((payload as { entities: string[] }).entities);
    });
    const stop = startBackgroundJobs(core, { intervalMs: 60_000, firstRescoreAfterMs: 10 });
    try {
      for (let i = 0; i < 100 && !changed.some((e) => e.includes('risk_scores')); i++)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    expect(changed.some((e) => e.includes('risk_scores'))).toBe(true);
    expect(core.store.get<{ a: string }>('SELECT min(as_of) AS a FROM risk_current')!.a.slice(0, 10)).toBe(
      '2026-12-05',
    );
  });
});
