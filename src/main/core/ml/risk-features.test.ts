import { beforeAll, describe, expect, it } from 'vitest';
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
