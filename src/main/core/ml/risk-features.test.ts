import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../core';
import { PortfolioStore } from '../db/store';
import { trainPortfolioModel } from './portfolio-model';
import { modelProvider, riskSignalFeatures, ruleScoreBaseline } from './risk-features';
import { writeSyntheticPortfolio } from './synthetic-portfolio';
import { buildTrainingTable, checkLeakage, monthlySnapshots } from './training-table';

// Generous timeout: these train real models and the test machine may be shared (no timing assertions).
describe('the risk engine signals as model features', { timeout: 240_000 }, () => {
  let store: PortfolioStore;
  beforeAll(async () => {
    store = await PortfolioStore.memory();
    store.bulk((tx) =>
      writeSyntheticPortfolio(tx, { accounts: 200, months: 20, start: '2023-01-01', seed: 23 }),
    );
  });

  it('use only records dated before the snapshot (checked by truncating the portfolio at d)', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    for (const d of ['2023-06-01', '2024-02-15']) {
      const r = await checkLeakage(store, () => store.engine.export(), riskSignalFeatures(), d, ids);
      expect(r.leaks).toEqual([]);
    }
  });

  it('a model trained on them beats the rule-based score on later months', () => {
    const table = buildTrainingTable(store, {
      snapshotDates: monthlySnapshots('2023-04-01', '2024-08-01'),
      horizonDays: 60,
      featureFn: riskSignalFeatures(),
    });
    expect(table.featureNames).not.toContain('open_escalation');
    const baseline = ruleScoreBaseline(store)(table);
    const r = trainPortfolioModel(table, { kind: 'logistic', baseline });
    expect(r.test.auc).toBeGreaterThan(r.test.baselineAuc!);
    expect(r.test.auc).toBeGreaterThan(0.7);
  });

  it('the model provider returns nothing until a model is trained', () => {
    expect(modelProvider(store)([1, 2], new Date('2024-06-01T00:00:00Z')).size).toBe(0);
  });
});

describe('the model features on the demo portfolio', { timeout: 240_000 }, () => {
  let core: Core;
  beforeAll(async () => {
    core = await Core.open({ dbPath: null, now: () => new Date('2026-12-03T12:00:00Z') });
    await core.createDemo({ asOf: '2026-12-03', model: false });
  });
  afterAll(() => core.close());

  it('use ARR as it was at the snapshot, not after later outcomes, and pass the leakage check', async () => {
    const d = '2025-09-01';
    const ids = core.store.all<{ id: number }>('SELECT id FROM accounts ORDER BY id').map((r) => r.id);
    // The first outcome resolved on or after d of each account, where it changed the ARR since.
    const outcomes = core.store.all<{ id: number; now: number; before: number }>(
      `SELECT a.id, a.arr AS now, o.arr_before AS before FROM outcomes o JOIN escalations e ON e.id = o.escalation_id
       JOIN accounts a ON a.id = e.account_id WHERE o.resolved_at >= ? ORDER BY o.resolved_at, o.id`,
      [d],
    );
    const first = new Map<number, { now: number; before: number }>();
    for (const o of outcomes) if (!first.has(o.id)) first.set(o.id, o);
    const changed = [...first].filter(([, o]) => o.before !== o.now);
    expect(changed.length).toBeGreaterThan(0);
    const f = riskSignalFeatures()(core.store, d, ids);
    for (const [id, o] of changed) expect(f.get(id)!.arr).toBe(o.before);
    const r = await checkLeakage(core.store, () => core.store.engine.export(), riskSignalFeatures(), d, ids);
    expect(r.leaks).toEqual([]);
    // The short-window signals are features too.
    expect(Object.keys(f.get(ids[0]!)!)).toEqual(
      expect.arrayContaining(['usage_drop_14d', 'tickets_7d', 'negative_tickets_14d', 'sentiment_14d']),
    );
  });
});
