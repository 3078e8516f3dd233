/**
 * Trains the escalation model on a training table with time-based validation:
 *
 *   snapshot dates, oldest → newest
 *   [ fit ........................ | calibrate ...... ] gap [ test ............ ]
 *
 * Test = the latest `testFraction` of snapshot dates. Training snapshots whose label window reaches into
 * the test period are purged (the gap), so no test-period escalation labels a training row. The base model
 * is fitted on the older training snapshots and the calibrator on the newer ones (held out from the fit).
 * The reported metrics are those on the test period only. The returned `model` is then refitted the same way
 * on every labelled snapshot (fit on the older part, calibrate on the newest), ready to score today.
 */
import { CalibratedClassifier } from './calibration';
import { topFeatures as rankFeatures } from './evaluate';
import { type GbtOptions, GradientBoostedTrees } from './gbt';
import { type LogisticOptions, LogisticRegression } from './logistic';
import { take, takeRows } from './matrix';
import { atTopK, brier, type CalibrationBin, logLoss, quantileCalibrationBins, rocAuc } from './metrics';
import type { Classifier } from './model';
import type { TrainingTable } from './training-table';

export type PortfolioModelKind = 'logistic' | 'gbt';

export interface PortfolioTrainOptions {
  kind?: PortfolioModelKind;
  calibration?: 'platt' | 'isotonic';
  testFraction?: number;
  calibrationFraction?: number;
  /** Alert budget: accounts flagged per snapshot (default 5% of the accounts scored at that snapshot). */
  budgetPerSnapshot?: number;
  /** A baseline score per table row (e.g. the rule-based risk score) to compare on the same test rows. */
  baseline?: ArrayLike<number>;
  /**
   * How the product combines the baseline and the model's calibrated probability into one score (e.g. the
   * risk score: rule points + model points); measured on the same test rows when given with `baseline`.
   */
  combine?: (baseline: number, probability: number) => number;
  logistic?: LogisticOptions;
  gbt?: GbtOptions;
  seed?: number;
}

export interface PortfolioMetrics {
  auc: number;
  brier: number;
  logLoss: number;
  precisionAtBudget: number;
  recallAtBudget: number;
  liftAtBudget: number;
  /** Share of flagged rows (top-k per snapshot) that had no escalation in the window. */
  falsePositiveShare: number;
  /** Flagged rows without an escalation, over all rows without an escalation. */
  falsePositiveRate: number;
  /** Median days from the first flag to the escalation, over escalations flagged at least once. */
  medianLeadTimeDays: number | null;
  escalationsCaught: number;
  escalationsTotal: number;
  calibration: CalibrationBin[];
  baselineAuc?: number;
  baselinePrecisionAtBudget?: number;
  baselineMedianLeadTimeDays?: number | null;
  /** The combined score (see PortfolioTrainOptions.combine) on the same test rows. */
  combinedAuc?: number;
  combinedPrecisionAtBudget?: number;
  combinedMedianLeadTimeDays?: number | null;
}

export interface PortfolioTrainResult {
  model: CalibratedClassifier;
  kind: PortfolioModelKind;
  featureNames: string[];
  horizonDays: number;
  window: { from: string; to: string; testFrom: string; testTo: string };
  size: {
    rows: number;
    positives: number;
    trainRows: number;
    calibrationRows: number;
    testRows: number;
    testPositives: number;
  };
  test: PortfolioMetrics;
  /** Most predictive signals, with direction (+1: higher value, higher risk). */
  topFeatures: { feature: string; importance: number; direction: 1 | -1 }[];
  /** Hyper-parameters used (e.g. the logistic penalty C chosen on the calibration slice). */
  params: Record<string, unknown>;
  warnings: string[];
}

/** What is stored with a trained model: its test metrics, and how, on what and when it was trained. */
export const trainingRecord = (
  result: PortfolioTrainResult,
  table: { censored: number; alreadyEscalated: number },
  ctx: { horizonDays: number; observedUntil: string; tried: Record<string, number> },
) => ({
  metrics: { ...result.test, topFeatures: result.topFeatures, warnings: result.warnings, tried: ctx.tried },
  training: {
    window: result.window,
    size: result.size,
    horizonDays: ctx.horizonDays,
    featureNames: result.featureNames,
    observedUntil: ctx.observedUntil,
    censored: table.censored,
    alreadyEscalated: table.alreadyEscalated,
    params: result.params,
  },
});

/** Penalties tried for logistic regression (inverse strength on standardized features). */
export const LOGISTIC_C_GRID = [0.003, 0.01, 0.03, 0.1, 0.3, 1];

const makeBase = (o: PortfolioTrainOptions, names: string[]): Classifier =>
  (o.kind ?? 'logistic') === 'logistic'
    ? new LogisticRegression({ C: 1, ...o.logistic, featureNames: names })
    : new GradientBoostedTrees({
        nEstimators: 300,
        learningRate: 0.05,
        maxDepth: 3,
        minSamplesLeaf: 20,
        subsample: 0.8,
        validationFraction: 0.15,
        earlyStoppingRounds: 40,
        seed: o.seed ?? 42,
        ...o.gbt,
        featureNames: names,
      });

const addDaysIso = (d: string, n: number): string =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Splits the table's snapshot dates into fit / calibration / test index sets (purging label overlap). */
export const timeSplit = (
  table: TrainingTable,
  testFraction = 0.25,
  calibrationFraction = 0.2,
): { fit: number[]; cal: number[]; test: number[]; dates: string[]; testFrom: string } => {
  const dates = [...new Set(table.rows.map((r) => r.asOf))].sort();
  if (dates.length < 3)
    throw new Error(`need at least 3 snapshot dates for a time-based split, have ${dates.length}`);
  const nTest = Math.max(1, Math.round(dates.length * testFraction));
  const testFrom = dates[dates.length - nTest]!;
  const trainDates = dates.filter((d) => d < testFrom && addDaysIso(d, table.horizonDays) <= testFrom);
  if (trainDates.length < 2)
    throw new Error('too few snapshot dates before the test period once label windows are purged');
  const nCal = Math.max(1, Math.round(trainDates.length * calibrationFraction));
  const calFrom = trainDates[trainDates.length - nCal]!;
  const fit: number[] = [];
  const cal: number[] = [];
  const test: number[] = [];
  const trainSet = new Set(trainDates);
  table.rows.forEach((r, i) => {
    if (r.asOf >= testFrom) test.push(i);
    else if (trainSet.has(r.asOf)) (r.asOf >= calFrom ? cal : fit).push(i);
  });
  return { fit, cal, test, dates, testFrom };
};

/** Precision/recall at a per-snapshot budget, and lead times, for scores on a set of rows. */
export const budgetMetrics = (
  table: TrainingTable,
  idx: number[],
  score: ArrayLike<number>,
  budget: number | undefined,
): Pick<
  PortfolioMetrics,
  | 'precisionAtBudget'
  | 'recallAtBudget'
  | 'liftAtBudget'
  | 'falsePositiveShare'
  | 'falsePositiveRate'
  | 'medianLeadTimeDays'
  | 'escalationsCaught'
  | 'escalationsTotal'
> => {
  const byDate = new Map<string, number[]>();
  idx.forEach((i, q) => {
    const d = table.rows[i]!.asOf;
    const list = byDate.get(d) ?? [];
    list.push(q);
    byDate.set(d, list);
  });
  let flagged = 0;
  let hits = 0;
  let positives = 0;
  const flaggedRow = new Set<number>();
  for (const qs of byDate.values()) {
    const k = budget ?? Math.max(1, Math.round(qs.length * 0.05));
    const y = qs.map((q) => table.y[idx[q]!]!);
    const s = qs.map((q) => score[q]!);
    const r = atTopK(y, s, k);
    flagged += r.k;
    hits += r.precision * r.k;
    positives += y.reduce((a, b) => a + b, 0);
    const order = qs.map((q, j) => [q, s[j]!] as const).sort((a, b) => b[1] - a[1]);
    for (const [q] of order.slice(0, r.k)) flaggedRow.add(q);
  }
  // Lead time: for each escalation, the earliest snapshot at which its account was flagged inside the window.
  const firstFlag = new Map<number, string>();
  const escalations = new Map<number, string>();
  idx.forEach((i, q) => {
    const r = table.rows[i]!;
    if (r.escalationId === null || r.escalationAt === null) return;
    escalations.set(r.escalationId, r.escalationAt);
    if (flaggedRow.has(q)) {
      const prev = firstFlag.get(r.escalationId);
      if (!prev || r.asOf < prev) firstFlag.set(r.escalationId, r.asOf);
    }
  });
  const leads = [...firstFlag.entries()]
    .map(([id, d]) =>
      Math.round((Date.parse(escalations.get(id)!.slice(0, 10)) - Date.parse(d)) / 86_400_000),
    )
    .sort((a, b) => a - b);
  const median =
    leads.length === 0
      ? null
      : leads.length % 2
        ? leads[(leads.length - 1) / 2]!
        : (leads[leads.length / 2 - 1]! + leads[leads.length / 2]!) / 2;
  const base = idx.length ? positives / idx.length : 0;
  const precision = flagged ? hits / flagged : Number.NaN;
  return {
    precisionAtBudget: precision,
    recallAtBudget: positives ? hits / positives : Number.NaN,
    liftAtBudget: base > 0 ? precision / base : Number.NaN,
    falsePositiveShare: flagged ? 1 - precision : Number.NaN,
    falsePositiveRate: idx.length - positives > 0 ? (flagged - hits) / (idx.length - positives) : Number.NaN,
    medianLeadTimeDays: median,
    escalationsCaught: firstFlag.size,
    escalationsTotal: escalations.size,
  };
};

export const trainPortfolioModel = (
  table: TrainingTable,
  opts: PortfolioTrainOptions = {},
): PortfolioTrainResult => {
  const warnings: string[] = [];
  const kind = opts.kind ?? 'logistic';
  const split = timeSplit(table, opts.testFraction ?? 0.25, opts.calibrationFraction ?? 0.2);
  const ySub = (idx: number[]) => take(table.y, idx);
  const count = (idx: number[]) => idx.reduce((s, i) => s + table.y[i]!, 0);
  const fitPos = count(split.fit);
  const testPos = count(split.test);
  if (fitPos < 10)
    warnings.push(`only ${fitPos} escalations in the training window: too few to trust the model`);
  if (testPos < 10)
    warnings.push(`only ${testPos} escalations in the test window: the test figures are noisy`);
  if (fitPos === 0 || fitPos === split.fit.length)
    throw new Error('the training window has only one class; cannot train');

  const names = table.featureNames;
  // Logistic regression: pick the penalty on the calibration slice (later months than the fit slice).
  if (kind === 'logistic' && opts.logistic?.C === undefined && count(split.cal) > 0) {
    const Xfit = takeRows(table.X, split.fit);
    const Xcal = takeRows(table.X, split.cal);
    const yfit = ySub(split.fit);
    const ycal = ySub(split.cal);
    let bestC = 1;
    let bestAuc = Number.NEGATIVE_INFINITY;
    for (const C of LOGISTIC_C_GRID) {
      const auc = new LogisticRegression({ ...opts.logistic, C }).fit(Xfit, yfit).score(Xcal, ycal);
      if (auc > bestAuc + 1e-9) {
        bestAuc = auc;
        bestC = C;
      }
    }
    opts = { ...opts, logistic: { ...opts.logistic, C: bestC } };
  }
  const model = new CalibratedClassifier(makeBase(opts, names), opts.calibration ?? 'platt');
  model.fit(takeRows(table.X, split.fit), ySub(split.fit));
  if (count(split.cal) > 0) model.calibrate(takeRows(table.X, split.cal), ySub(split.cal));
  else warnings.push('no escalations in the calibration window: probabilities are uncalibrated');

  const Xte = takeRows(table.X, split.test);
  const yte = ySub(split.test);
  const p = model.predictProba(Xte);
  const test: PortfolioMetrics = {
    auc: rocAuc(yte, p),
    brier: brier(yte, p),
    logLoss: logLoss(yte, p),
    ...budgetMetrics(table, split.test, p, opts.budgetPerSnapshot),
    // Equal-size bins: escalations are rare and most predictions are small (see quantileCalibrationBins).
    calibration: quantileCalibrationBins(yte, p, 10),
  };
  if (opts.baseline) {
    const b = take(opts.baseline, split.test);
    const bm = budgetMetrics(table, split.test, b, opts.budgetPerSnapshot);
    test.baselineAuc = rocAuc(yte, b);
    test.baselinePrecisionAtBudget = bm.precisionAtBudget;
    test.baselineMedianLeadTimeDays = bm.medianLeadTimeDays;
    if (opts.combine) {
      const combine = opts.combine;
      const c = Float64Array.from(b, (x, i) => combine(x, p[i]!));
      const cm = budgetMetrics(table, split.test, c, opts.budgetPerSnapshot);
      test.combinedAuc = rocAuc(yte, c);
      test.combinedPrecisionAtBudget = cm.precisionAtBudget;
      test.combinedMedianLeadTimeDays = cm.medianLeadTimeDays;
    }
  }

  // Refit for production on every labelled snapshot: fit on the older part, calibrate on the newest.
  const all = [...split.fit, ...split.cal, ...split.test];
  const lastDates = split.dates.slice(
    -Math.max(1, Math.round(split.dates.length * (opts.calibrationFraction ?? 0.2))),
  );
  const calFrom = lastDates[0]!;
  const purgeTo = addDaysIso(calFrom, -table.horizonDays);
  const fitAll = all.filter((i) => table.rows[i]!.asOf <= purgeTo);
  const calAll = all.filter((i) => table.rows[i]!.asOf >= calFrom);
  const finalModel = new CalibratedClassifier(makeBase(opts, names), opts.calibration ?? 'platt');
  const useFit = count(fitAll) > 0 && count(fitAll) < fitAll.length ? fitAll : split.fit;
  finalModel.fit(takeRows(table.X, useFit), ySub(useFit));
  if (count(calAll) > 0) finalModel.calibrate(takeRows(table.X, calAll), ySub(calAll));
  else if (model.calibrator) finalModel.calibrator = model.calibrator;

  const Xall = takeRows(table.X, all);
  const topFeatures = rankFeatures(finalModel.base, Xall, names, 10).map(
    ({ feature, importance, direction }) => ({
      feature,
      importance,
      direction,
    }),
  );
  const rowsDates = split.dates;
  return {
    model: finalModel,
    kind,
    featureNames: names,
    horizonDays: table.horizonDays,
    window: {
      from: rowsDates[0]!,
      to: rowsDates[rowsDates.length - 1]!,
      testFrom: split.testFrom,
      testTo: rowsDates[rowsDates.length - 1]!,
    },
    size: {
      rows: table.rows.length,
      positives: count(all),
      trainRows: split.fit.length,
      calibrationRows: split.cal.length,
      testRows: split.test.length,
      testPositives: testPos,
    },
    test,
    topFeatures,
    params: kind === 'logistic' ? { C: opts.logistic?.C ?? 1 } : { ...opts.gbt },
    warnings,
  };
};
