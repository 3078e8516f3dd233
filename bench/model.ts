/**
 * Model benchmark: training time and memory for 10,000 accounts × 24 monthly snapshots (240,000 rows × 46
 * synthetic signal features, as many as the escalation model has) for logistic regression and gradient-boosted
 * trees, and scoring time for the whole portfolio (10,000 rows). With --table N it also times, on a synthetic
 * portfolio database of N accounts × 24 months: building the training table (the SQL feature extraction,
 * risk-engine signals over default and short windows), training the model on it, and scoring every account
 * from the database as the risk score does (features as of today + the model).
 * Run: npx tsx bench/model.ts [--accounts N] [--snapshots N] [--features N] [--table N] [--json]
 */
import { PortfolioStore } from '../src/main/core/db/store';
import { CalibratedClassifier } from '../src/main/core/ml/calibration';
import { GradientBoostedTrees } from '../src/main/core/ml/gbt';
import { LogisticRegression } from '../src/main/core/ml/logistic';
import { type Matrix, sigmoid } from '../src/main/core/ml/matrix';
import { rocAuc } from '../src/main/core/ml/metrics';
import type { Classifier } from '../src/main/core/ml/model';
import { saveModel } from '../src/main/core/ml/model-store';
import { trainPortfolioModel } from '../src/main/core/ml/portfolio-model';
import { Prng } from '../src/main/core/ml/prng';
import { modelProvider, riskSignalFeatures } from '../src/main/core/ml/risk-features';
import { modelName } from '../src/main/core/ml/service';
import { writeSyntheticPortfolio } from '../src/main/core/ml/synthetic-portfolio';
import { buildTrainingTable, monthlySnapshots } from '../src/main/core/ml/training-table';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const accounts = arg('accounts', 10_000);
const snapshots = arg('snapshots', 24);
const tableAccounts = arg('table', 0);
const json = process.argv.includes('--json');
const D = arg('features', 46);

/** Account × month rows: a latent risk per account drifting over months; 20 noisy signals of it. */
const generate = (nAcc: number, nSnap: number, seed: number): { X: Matrix; y: Uint8Array } => {
  const rng = new Prng(seed);
  const n = nAcc * nSnap;
  const data = new Float64Array(n * D);
  const y = new Uint8Array(n);
  const loadings = Array.from({ length: D }, (_, j) =>
    j < 12 ? (j % 2 ? -1 : 1) * (0.3 + 0.1 * (j % 5)) : 0,
  );
  for (let a = 0; a < nAcc; a++) {
    let risk = rng.normal();
    for (let s = 0; s < nSnap; s++) {
      risk = 0.8 * risk + 0.6 * rng.normal();
      const i = a * nSnap + s;
      for (let j = 0; j < D; j++)
        data[i * D + j] =
          loadings[j]! * risk + rng.normal() + (j === 15 && rng.next() < 0.05 ? Number.NaN : 0);
      y[i] = rng.next() < sigmoid(1.5 * risk - 3 + (risk > 1.5 ? 1 : 0)) ? 1 : 0;
    }
  }
  return { X: { rows: n, cols: D, data }, y };
};

const mb = (b: number): number => Math.round(b / 1e5) / 10;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Wall time and CPU time (CPU time is the steadier figure on a busy machine). */
const measure = <T>(
  fn: () => T,
): { value: T; seconds: number; cpuSeconds: number; heapDeltaMb: number; rssMb: number } => {
  gc();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = fn();
  const cpu = process.cpuUsage(c0);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const after = process.memoryUsage();
  peakRss = Math.max(peakRss, after.rss);
  return {
    value,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    heapDeltaMb: mb(after.heapUsed - before.heapUsed),
    rssMb: mb(peakRss),
  };
};

const t0 = performance.now();
const train = generate(accounts, snapshots, 1);
const portfolio = generate(accounts, 1, 2); // today's snapshot of every account
const genSeconds = (performance.now() - t0) / 1000;
const results: Record<string, unknown>[] = [];
const models: [string, () => Classifier][] = [
  ['logistic-regression', () => new LogisticRegression({ C: 1 })],
  [
    'gradient-boosted-trees',
    () => new GradientBoostedTrees({ nEstimators: 300, learningRate: 0.1, maxDepth: 4, subsample: 0.8 }),
  ],
];
for (const [name, make] of models) {
  const fit = measure(() => make().fit(train.X, train.y));
  const m = fit.value;
  const calibrated = new CalibratedClassifier(m, 'platt').calibrate(portfolio.X, portfolio.y);
  const score = measure(() => calibrated.predictProba(portfolio.X));
  results.push({
    model: name,
    trainRows: train.X.rows,
    features: D,
    trainSeconds: +fit.seconds.toFixed(2),
    trainCpuSeconds: +fit.cpuSeconds.toFixed(2),
    trainHeapDeltaMb: fit.heapDeltaMb,
    peakRssMb: fit.rssMb,
    ...(m instanceof GradientBoostedTrees ? { trees: m.trees.length } : {}),
    ...(m instanceof LogisticRegression ? { newtonIterations: m.iterations } : {}),
    scoreRows: portfolio.X.rows,
    scoreMs: +(score.seconds * 1000).toFixed(1),
    scoreCpuMs: +(score.cpuSeconds * 1000).toFixed(1),
    holdoutAuc: +rocAuc(portfolio.y, score.value).toFixed(4),
    modelJsonKb: Math.round(JSON.stringify(m.toJSON()).length / 1024),
  });
}
let table: Record<string, unknown> | undefined;
if (tableAccounts > 0) {
  const store = await PortfolioStore.memory();
  const g0 = performance.now();
  store.bulk((tx) =>
    writeSyntheticPortfolio(tx, { accounts: tableAccounts, months: 26, start: '2023-01-01', seed: 3 }),
  );
  const genDbSeconds = (performance.now() - g0) / 1000;
  const built = measure(() =>
    buildTrainingTable(store, {
      snapshotDates: monthlySnapshots('2023-03-01', '2025-02-01'),
      horizonDays: 60,
      featureFn: riskSignalFeatures(),
    }),
  );
  const trained = measure(() => trainPortfolioModel(built.value, { kind: 'logistic' }));
  saveModel(store, {
    name: modelName(60),
    kind: 'logistic',
    model: trained.value.model,
    training: { featureNames: trained.value.featureNames, horizonDays: 60 },
    activate: true,
  });
  const ids = store.all<{ id: number }>("SELECT id FROM accounts WHERE status = 'active'").map((r) => r.id);
  const scored = measure(() => modelProvider(store)(ids, new Date('2025-03-01T00:00:00Z')));
  table = {
    accounts: tableAccounts,
    portfolioGenerateSeconds: +genDbSeconds.toFixed(1),
    tableRows: built.value.rows.length,
    features: built.value.featureNames.length,
    buildSeconds: +built.seconds.toFixed(2),
    buildCpuSeconds: +built.cpuSeconds.toFixed(2),
    peakRssMb: built.rssMb,
    trainLogisticSeconds: +trained.seconds.toFixed(2),
    testAuc: +trained.value.test.auc.toFixed(3),
    scoredAccounts: scored.value.size,
    scorePortfolioSeconds: +scored.seconds.toFixed(2),
  };
  store.close();
}
if (json)
  console.log(
    JSON.stringify({ accounts, snapshots, generateSeconds: +genSeconds.toFixed(2), results, table }, null, 2),
  );
else {
  console.log(
    `model bench: ${accounts} accounts × ${snapshots} snapshots = ${train.X.rows} rows × ${D} features (generated in ${genSeconds.toFixed(1)} s)`,
  );
  for (const r of results) console.log(JSON.stringify(r));
  if (table) console.log(`training table from the database: ${JSON.stringify(table)}`);
}
