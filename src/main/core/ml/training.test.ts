import { beforeAll, describe, expect, it } from 'vitest';
import { m004Models } from '../db/migrations/004_models';
import { PortfolioStore } from '../db/store';
import { cardFor, modelCard } from './card';
import { LogisticRegression } from './logistic';
import { matrix } from './matrix';
import { activateModel, activeModel, listModels, loadActiveModel, saveModel } from './model-store';
import { budgetMetrics, timeSplit, trainPortfolioModel } from './portfolio-model';
import { rawSignalFeatures } from './raw-features';
import { scoreAccounts, trainAndStore } from './service';
import { writeSyntheticPortfolio } from './synthetic-portfolio';
import { buildTrainingTable, checkLeakage, type FeatureFn, monthlySnapshots } from './training-table';

const ensureModelsTable = (store: PortfolioStore): void => {
  if (!store.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'models'"))
    m004Models.up(store.engine);
};

const tinyPortfolio = async (): Promise<PortfolioStore> => {
  const store = await PortfolioStore.memory();
  store.bulk((tx) => {
    const t = '2025-01-01T00:00:00Z';
    for (const id of [1, 2]) {
      tx.run(
        "INSERT INTO accounts(id, name, segment, arr, created_at, updated_at) VALUES (?, ?, 'enterprise', 100000, ?, ?)",
        [id, `A${id}`, t, t],
      );
    }
    // account 1: escalation opened 2025-03-15, resolved 2025-04-10
    tx.run(
      "INSERT INTO escalations(account_id, status, priority, opened_at, resolved_at) VALUES (1, 'resolved', 'high', '2025-03-15T09:00:00Z', '2025-04-10T09:00:00Z')",
    );
    tx.run(
      "INSERT INTO tickets(account_id, subject, created_at, updated_at) VALUES (1, 'x', '2025-02-20T10:00:00Z', '2025-02-20T10:00:00Z')",
    );
    tx.run("INSERT INTO health_scores(account_id, scored_at, score) VALUES (2, '2025-09-30T00:00:00Z', 70)");
  });
  return store;
};

describe('training table', () => {
  it('labels an escalation within the horizon, skips accounts already escalated, and censors unobserved windows', async () => {
    const store = await tinyPortfolio();
    const constant: FeatureFn = (_db, _asOf, ids) => new Map(ids.map((id) => [id, { one: 1 }]));
    const snapshots = ['2025-02-01', '2025-03-01', '2025-04-01', '2025-05-01', '2025-09-15'];
    const t30 = buildTrainingTable(store, { snapshotDates: snapshots, horizonDays: 30, featureFn: constant });
    const label = (t: typeof t30, id: number, d: string) =>
      t.rows.find((r) => r.accountId === id && r.asOf === d)?.label;
    expect(t30.observedUntil).toBe('2025-09-30');
    expect(label(t30, 1, '2025-02-01')).toBe(0); // Mar 15 is after Feb 1 + 30 days
    expect(label(t30, 1, '2025-03-01')).toBe(1);
    expect(label(t30, 1, '2025-04-01')).toBeUndefined(); // escalation still open on Apr 1
    expect(label(t30, 1, '2025-05-01')).toBe(0);
    expect(label(t30, 2, '2025-03-01')).toBe(0);
    expect(t30.alreadyEscalated).toBe(1);
    expect(t30.rows.some((r) => r.asOf === '2025-09-15')).toBe(false); // Sep 15 + 30 > Sep 30
    expect(t30.censored).toBe(2);
    const t60 = buildTrainingTable(store, { snapshotDates: snapshots, horizonDays: 60, featureFn: constant });
    expect(label(t60, 1, '2025-02-01')).toBe(1);
    expect(t60.rows.find((r) => r.label === 1)!.escalationAt).toBe('2025-03-15T09:00:00Z');
    expect(t60.featureNames).toEqual(['one']);
    store.close();
  });

  it('monthly snapshots', () => {
    expect(monthlySnapshots('2024-11-01', '2025-02-10')).toEqual([
      '2024-11-01',
      '2024-12-01',
      '2025-01-01',
      '2025-02-01',
    ]);
    expect(monthlySnapshots('2024-11-15', '2025-01-01')).toEqual(['2024-12-01', '2025-01-01']);
  });
});

describe('no leakage: features at d use only records dated before d', () => {
  let store: PortfolioStore;
  beforeAll(async () => {
    store = await PortfolioStore.memory();
    store.bulk((tx) =>
      writeSyntheticPortfolio(tx, { accounts: 40, months: 12, start: '2024-01-01', seed: 3 }),
    );
  });

  it('inserting records on and after d leaves every feature at d unchanged', () => {
    const d = '2024-07-01';
    const ids = [1, 2, 3, 4, 5];
    const before = rawSignalFeatures(store, d, ids);
    store.write((tx) => {
      for (const id of ids) {
        for (const at of ['2024-07-01T00:00:00Z', '2024-07-02T12:00:00Z', '2024-12-01T00:00:00Z']) {
          const tid = tx.run(
            "INSERT INTO tickets(account_id, subject, priority, created_at, updated_at) VALUES (?, 'late', 'urgent', ?, ?)",
            [id, at, at],
          ).lastInsertRowid;
          tx.run(
            "INSERT INTO ticket_messages(ticket_id, side, body, created_at, sentiment_label) VALUES (?, 'customer', 'switch to a competitor', ?, 'negative')",
            [tid, at],
          );
          tx.run('INSERT INTO health_scores(account_id, scored_at, score) VALUES (?, ?, 1)', [id, at]);
          tx.run('INSERT INTO nps_responses(account_id, responded_at, score) VALUES (?, ?, 0)', [id, at]);
          tx.run(
            "INSERT INTO engagements(account_id, occurred_at, kind, is_executive) VALUES (?, ?, 'qbr', 1)",
            [id, at],
          );
          tx.run(
            "INSERT INTO escalations(account_id, status, priority, opened_at) VALUES (?, 'open', 'critical', ?)",
            [id, at],
          );
        }
        // a usage week that starts before d but ends after it is not yet known at d
        tx.run(
          'INSERT OR REPLACE INTO usage_periods(account_id, period_start, period_days, logins) VALUES (?, ?, 7, 0)',
          [id, '2024-06-28'],
        );
        tx.run(
          "INSERT INTO contacts(account_id, name, is_champion, status, departed_at) VALUES (?, 'late champ', 1, 'departed', '2024-07-01T08:00:00Z')",
          [id],
        );
      }
    });
    const after = rawSignalFeatures(store, d, ids);
    expect(after).toEqual(before);
  });

  it('checkLeakage finds no leak in the raw signal features at several dates', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    for (const d of ['2024-03-01', '2024-06-15', '2024-10-01']) {
      const r = await checkLeakage(store, () => store.engine.export(), rawSignalFeatures, d, ids);
      expect(r.checked).toBe(40);
      expect(r.leaks).toEqual([]);
    }
  });

  it('checkLeakage catches a feature function that peeks at the future', async () => {
    const leaky: FeatureFn = (db, asOf, ids) => {
      const all = new Map(
        db
          .all<{ a: number; n: number }>(
            'SELECT account_id AS a, count(*) AS n FROM tickets GROUP BY account_id',
          )
          .map((r) => [r.a, r.n]),
      );
      const ok = rawSignalFeatures(db, asOf, ids);
      return new Map(ids.map((id) => [id, { ...ok.get(id)!, tickets_ever: all.get(id) ?? 0 }]));
    };
    const r = await checkLeakage(store, () => store.engine.export(), leaky, '2024-06-01', [1, 2, 3]);
    expect(r.leaks.length).toBeGreaterThan(0);
    expect(new Set(r.leaks.map((l) => l.feature))).toEqual(new Set(['tickets_ever']));
  });
});

// Generous timeout: these train real models and the test machine may be shared (no timing assertions).
describe('portfolio model with time-based validation', { timeout: 240_000 }, () => {
  let store: PortfolioStore;
  beforeAll(async () => {
    store = await PortfolioStore.memory();
    store.bulk((tx) =>
      writeSyntheticPortfolio(tx, { accounts: 400, months: 24, start: '2023-01-01', seed: 11 }),
    );
    ensureModelsTable(store);
  });

  it('trains on earlier months, tests on later ones, beats a single-signal baseline, and stores the model', () => {
    const snapshots = monthlySnapshots('2023-05-01', '2024-12-01');
    const table = buildTrainingTable(store, {
      snapshotDates: snapshots,
      horizonDays: 60,
      featureFn: rawSignalFeatures,
    });
    expect(table.rows.length).toBeGreaterThan(4000);
    const positives = table.y.reduce((s, v) => s + v, 0);
    expect(positives).toBeGreaterThan(100);

    const split = timeSplit(table);
    const testFrom = split.testFrom;
    for (const i of [...split.fit, ...split.cal]) {
      const r = table.rows[i]!;
      const end = new Date(Date.parse(r.asOf) + 60 * 86_400_000).toISOString().slice(0, 10);
      expect(end <= testFrom).toBe(true); // no training label looks into the test period
    }
    for (const i of split.test) expect(table.rows[i]!.asOf >= testFrom).toBe(true);

    const healthIdx = table.featureNames.indexOf('health');
    const baseline = Float64Array.from({ length: table.rows.length }, (_, i) => {
      const h = table.X.data[i * table.X.cols + healthIdx]!;
      return Number.isNaN(h) ? 0 : 100 - h;
    });
    const lr = trainPortfolioModel(table, { kind: 'logistic', baseline });
    const gbt = trainPortfolioModel(table, { kind: 'gbt', baseline, calibration: 'isotonic' });
    for (const r of [lr, gbt]) {
      expect(r.test.auc).toBeGreaterThan(0.7);
      expect(r.test.auc).toBeGreaterThan(r.test.baselineAuc! + 0.02);
      expect(r.test.precisionAtBudget).toBeGreaterThan(r.size.testPositives / r.size.testRows);
      expect(r.test.medianLeadTimeDays).not.toBeNull();
      expect(r.test.medianLeadTimeDays!).toBeGreaterThan(0);
      expect(r.test.escalationsCaught).toBeLessThanOrEqual(r.test.escalationsTotal);
      expect(r.window.testFrom).toBe(testFrom);
    }
    // calibrated: mean predicted probability close to the observed rate on the test period
    const meanP = lr.test.calibration.reduce((s, b) => s + b.meanPredicted * b.count, 0) / lr.size.testRows;
    const rate = lr.size.testPositives / lr.size.testRows;
    expect(Math.abs(meanP - rate)).toBeLessThan(0.05);
    expect(lr.topFeatures.length).toBeGreaterThan(3);

    const saved = saveModel(store, {
      name: 'escalation-60d',
      kind: 'logistic',
      model: lr.model,
      metrics: lr.test,
      training: { window: lr.window, size: lr.size, horizonDays: 60, featureNames: lr.featureNames },
      activate: true,
    });
    expect(saved.version).toBe(1);
    const loaded = loadActiveModel(store, 'escalation-60d')!;
    expect([...loaded.model.predictProba(table.X)]).toEqual([...lr.model.predictProba(table.X)]);
    expect(loaded.stored.training.featureNames).toEqual(table.featureNames);
  });

  it('keeps earlier versions, activates one per name, and rolls back', () => {
    ensureModelsTable(store);
    const X = matrix([[0], [1], [2], [3]]);
    const m = new LogisticRegression().fit(X, [0, 0, 1, 1]);
    const a = saveModel(store, {
      name: 'toy',
      kind: 'logistic',
      model: m,
      metrics: { auc: Number.NaN },
      activate: true,
    });
    const b = saveModel(store, { name: 'toy', kind: 'logistic', model: m, activate: true });
    expect([a.version, b.version]).toEqual([1, 2]);
    expect(activeModel(store, 'toy')!.id).toBe(b.id);
    activateModel(store, a.id);
    expect(activeModel(store, 'toy')!.id).toBe(a.id);
    expect(listModels(store, 'toy').map((x) => [x.version, x.active])).toEqual([
      [2, false],
      [1, true],
    ]);
    expect(listModels(store, 'toy')[1]!.metrics).toEqual({ auc: null });
    expect(() => activateModel(store, 9999)).toThrow(/no model/);
  });

  it('budget metrics by hand', () => {
    const table = {
      rows: [
        { accountId: 1, asOf: '2024-01-01', label: 1, escalationAt: '2024-02-10T00:00:00Z', escalationId: 7 },
        { accountId: 2, asOf: '2024-01-01', label: 0, escalationAt: null, escalationId: null },
        { accountId: 1, asOf: '2024-02-01', label: 1, escalationAt: '2024-02-10T00:00:00Z', escalationId: 7 },
        { accountId: 2, asOf: '2024-02-01', label: 0, escalationAt: null, escalationId: null },
      ],
      y: Uint8Array.of(1, 0, 1, 0),
    } as unknown as Parameters<typeof budgetMetrics>[0];
    // budget 1 per snapshot: Jan flags account 2 (wrong), Feb flags account 1 (right) -> lead 9 days
    const r = budgetMetrics(table, [0, 1, 2, 3], [0.2, 0.9, 0.8, 0.1], 1);
    expect(r.precisionAtBudget).toBe(0.5);
    expect(r.recallAtBudget).toBe(0.5);
    expect(r.falsePositiveShare).toBe(0.5);
    expect(r.falsePositiveRate).toBe(0.5); // 1 false flag over 2 rows without an escalation
    expect(r.medianLeadTimeDays).toBe(9);
    expect([r.escalationsCaught, r.escalationsTotal]).toEqual([1, 1]);
    // flagged in January already -> 40 days of warning
    expect(budgetMetrics(table, [0, 1, 2, 3], [0.9, 0.2, 0.8, 0.1], 1).medianLeadTimeDays).toBe(40);
  });
});

// Generous timeout: these train real models and the test machine may be shared (no timing assertions).
describe('train, store and score (service)', { timeout: 240_000 }, () => {
  it('trains the best model, activates it, keeps the previous one, and scores accounts with contributions', async () => {
    const store = await PortfolioStore.memory();
    store.bulk((tx) =>
      writeSyntheticPortfolio(tx, { accounts: 250, months: 20, start: '2023-01-01', seed: 19 }),
    );
    ensureModelsTable(store);
    const first = trainAndStore(store, { featureFn: rawSignalFeatures, horizonDays: 60, kind: 'logistic' });
    expect(first.activated).toBe(true);
    expect(first.previous).toBeUndefined();
    expect(first.stored.name).toBe('escalation-60d');
    expect(first.stored.metrics.auc).toBeGreaterThan(0.65);
    const second = trainAndStore(store, { featureFn: rawSignalFeatures, horizonDays: 60, kind: 'best' });
    expect(Object.keys(second.tried).sort()).toEqual(['gbt', 'logistic']);
    expect(second.stored.version).toBe(2);
    expect(second.previous?.id).toBe(first.stored.id);
    expect(listModels(store, 'escalation-60d').length).toBe(2);

    const card = modelCard(store, 'escalation-60d')!;
    expect(card.version).toBe(second.activated ? 2 : 1);
    expect(card.metrics.auc).toBeGreaterThan(0.6);
    expect(card.horizonDays).toBe(60);
    expect(card.calibration.length).toBeGreaterThan(2);
    expect(card.topSignals[0]!.direction === 1 || card.topSignals[0]!.direction === -1).toBe(true);
    expect(card.size!.testRows).toBeGreaterThan(0);
    if (second.activated) expect(card.previous!.version).toBe(1);
    // 250 accounts, a few dozen test escalations: the card says whether that is enough
    if (card.metrics.escalationsTotal! < 30) {
      expect(card.trustworthy).toBe(false);
      expect(card.warnings.join(' ')).toMatch(/too uncertain/);
    }

    activateModel(store, first.stored.id); // roll back to the logistic model
    const scored = scoreAccounts(store, {
      name: 'escalation-60d',
      asOf: '2024-08-01',
      featureFn: rawSignalFeatures,
    })!;
    expect(scored.model.id).toBe(first.stored.id);
    expect(scored.scores.size).toBe(250);
    for (const s of scored.scores.values()) {
      expect(s.probability).toBeGreaterThan(0);
      expect(s.probability).toBeLessThan(1);
      expect(s.contributions.length).toBe(5);
    }
    expect(
      scoreAccounts(store, { name: 'escalation-30d', asOf: '2024-08-01', featureFn: rawSignalFeatures }),
    ).toBeUndefined();
    store.close();
  });
});

describe('model card', () => {
  const stored = (metrics: Record<string, unknown>, training: Record<string, unknown>) => ({
    id: 3,
    name: 'escalation-60d',
    version: 2,
    kind: 'logistic',
    createdAt: '2025-01-01T00:00:00.000Z',
    params: { name: 'logistic-regression', version: 1 },
    metrics,
    training,
    active: true,
    activatedAt: null,
    notes: null,
  });

  it('warns when the data is too small to trust and reports the baseline side by side', () => {
    const card = cardFor(
      stored(
        {
          auc: 0.71,
          escalationsTotal: 8,
          baselineAuc: 0.6,
          baselinePrecisionAtBudget: 0.1,
          baselineMedianLeadTimeDays: null,
        },
        {
          horizonDays: 60,
          size: {
            rows: 900,
            positives: 20,
            trainRows: 500,
            calibrationRows: 100,
            testRows: 300,
            testPositives: 8,
          },
        },
      ),
    );
    expect(card.trustworthy).toBe(false);
    expect(card.warnings.some((w) => /only 8 escalations in the test period/.test(w))).toBe(true);
    expect(card.warnings.some((w) => /only 12 escalations to learn from/.test(w))).toBe(true);
    expect(card.baseline).toEqual({ auc: 0.6, precisionAtBudget: 0.1, medianLeadTimeDays: null });
    expect(card.metrics.auc).toBe(0.71);
    expect(card.metrics.brier).toBeNull();
  });

  it('trusts a model with enough escalations', () => {
    const card = cardFor(
      stored(
        { auc: 0.8, escalationsTotal: 60 },
        {
          horizonDays: 30,
          size: {
            rows: 9000,
            positives: 400,
            trainRows: 6000,
            calibrationRows: 1000,
            testRows: 2000,
            testPositives: 60,
          },
        },
      ),
    );
    expect(card.trustworthy).toBe(true);
    expect(card.warnings).toEqual([]);
    expect(card.baseline).toBeNull();
  });
});
