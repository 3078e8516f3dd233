/**
 * Cross-validated evaluation of the models on any tabular CSV (`bellwether model eval`). Encoding is fitted
 * inside each fold on the training rows only; metrics are computed on the pooled out-of-fold predictions
 * (and the spread of per-fold AUCs is reported). Top features come from a final fit on every row.
 */
import type { CsvTable } from './csv';
import { type GbtOptions, GradientBoostedTrees } from './gbt';
import { type LogisticOptions, LogisticRegression } from './logistic';
import { type Matrix, take } from './matrix';
import { atTopK, binaryReport, type CalibrationBin, calibrationBins, rocAuc } from './metrics';
import type { Classifier } from './model';
import { foldIndices, stratifiedKFold } from './split';
import { type ColumnInfo, detectColumns, TabularEncoder } from './tabular';

export type ModelKind = 'logistic' | 'gbt';

export interface EvalOptions {
  label: string;
  /** The label value that counts as positive (compared after trimming, case-insensitively). */
  positive: string;
  id?: string;
  folds?: number;
  seed?: number;
  models?: ModelKind[];
  logistic?: LogisticOptions;
  gbt?: GbtOptions;
  maxLevels?: number;
  topN?: number;
  /** Called after each fold and model, for progress. */
  onProgress?: (done: number, total: number) => void;
}

export interface TopFeature {
  feature: string;
  column: string;
  importance: number;
  /** +1: higher values (or this level) raise the predicted probability; -1: lower it. */
  direction: 1 | -1;
}

export interface ModelEval {
  model: string;
  auc: number;
  aucFolds: number[];
  aucStd: number;
  accuracy: number;
  brier: number;
  logLoss: number;
  precisionAtTopDecile: number;
  liftAtTopDecile: number;
  calibration: CalibrationBin[];
  topFeatures: TopFeature[];
  seconds: number;
}

export interface EvalResult {
  rows: number;
  droppedRows: number;
  positives: number;
  positiveRate: number;
  folds: number;
  features: number;
  columns: { numeric: string[]; categorical: string[]; dropped: { name: string; reason: string }[] };
  best: ModelKind;
  auc: number;
  accuracy: number;
  brier: number;
  topFeatures: TopFeature[];
  models: Partial<Record<ModelKind, ModelEval>>;
  warnings: string[];
}

export const DEFAULT_LOGISTIC: LogisticOptions = { C: 1 };
/** Good defaults for churn-like tabular data: shallow trees, small steps, early stopping. */
export const DEFAULT_GBT: GbtOptions = {
  nEstimators: 300,
  learningRate: 0.05,
  maxDepth: 3,
  minSamplesLeaf: 20,
  lambda: 1,
  subsample: 0.8,
  colsample: 0.8,
  validationFraction: 0.15,
  earlyStoppingRounds: 40,
};

const makeModel = (kind: ModelKind, opts: EvalOptions, names: string[], seed: number): Classifier =>
  kind === 'logistic'
    ? new LogisticRegression({ ...DEFAULT_LOGISTIC, ...opts.logistic, featureNames: names })
    : new GradientBoostedTrees({ ...DEFAULT_GBT, seed, ...opts.gbt, featureNames: names });

/** Sign of the correlation of column j with z, over the rows where the column has a value (NaN = missing). */
const pearsonSign = (x: Matrix, j: number, z: Float64Array): 1 | -1 => {
  let n = 0;
  let mx = 0;
  let mz = 0;
  for (let i = 0; i < x.rows; i++) {
    const v = x.data[i * x.cols + j]!;
    if (Number.isNaN(v)) continue;
    n++;
    mx += v;
    mz += z[i]!;
  }
  if (n === 0) return 1;
  mx /= n;
  mz /= n;
  let c = 0;
  for (let i = 0; i < x.rows; i++) {
    const v = x.data[i * x.cols + j]!;
    if (!Number.isNaN(v)) c += (v - mx) * (z[i]! - mz);
  }
  return c >= 0 ? 1 : -1;
};

/** Top features of a fitted model, with direction (LR: coefficient sign; trees: sign of correlation with the score). */
export const topFeatures = (
  model: Classifier,
  X: Matrix,
  featureColumns: string[],
  n: number,
): TopFeature[] => {
  if (model instanceof LogisticRegression) {
    return model
      .featureImportance()
      .slice(0, n)
      .map((f) => ({
        feature: f.feature,
        column: featureColumns[model.featureNames.indexOf(f.feature)] ?? f.feature,
        importance: f.importance,
        direction: f.direction,
      }));
  }
  if (model instanceof GradientBoostedTrees) {
    const z = model.decisionFunction(X);
    return model
      .featureImportance()
      .filter((f) => f.importance > 0)
      .slice(0, n)
      .map((f) => {
        const j = model.featureNames.indexOf(f.feature);
        return {
          feature: f.feature,
          column: featureColumns[j] ?? f.feature,
          importance: f.importance,
          direction: pearsonSign(X, j, z),
        };
      });
  }
  return [];
};

export const evaluateTable = (table: CsvTable, opts: EvalOptions): EvalResult => {
  const warnings: string[] = [];
  const labelIdx = table.header.indexOf(opts.label);
  if (labelIdx < 0) throw new Error(`no column "${opts.label}" (columns: ${table.header.join(', ')})`);
  if (opts.id !== undefined && !table.header.includes(opts.id)) throw new Error(`no id column "${opts.id}"`);
  const pos = opts.positive.trim().toLowerCase();
  const rows: string[][] = [];
  const yList: number[] = [];
  let droppedRows = 0;
  const seenLabels = new Set<string>();
  for (const r of table.rows) {
    const v = (r[labelIdx] ?? '').trim();
    if (v === '') {
      droppedRows++;
      continue;
    }
    seenLabels.add(v);
    rows.push(r);
    yList.push(v.toLowerCase() === pos ? 1 : 0);
  }
  if (droppedRows > 0) warnings.push(`${droppedRows} rows with a blank label were left out`);
  const y = Uint8Array.from(yList);
  const positives = yList.reduce((s, v) => s + v, 0);
  if (positives === 0) {
    throw new Error(
      `no row has ${opts.label} = "${opts.positive}" (values seen: ${[...seenLabels].slice(0, 10).join(', ')})`,
    );
  }
  if (positives === rows.length)
    throw new Error(`every row has ${opts.label} = "${opts.positive}"; nothing to tell apart`);
  const k = Math.min(opts.folds ?? 5, positives, rows.length - positives);
  if (k < 2) throw new Error('too few rows of the rarer class for cross-validation (need at least 2)');
  if (k < (opts.folds ?? 5))
    warnings.push(
      `only ${k} folds: the rarer class has ${Math.min(positives, rows.length - positives)} rows`,
    );
  if (Math.min(positives, rows.length - positives) < 50)
    warnings.push('fewer than 50 rows in the rarer class: the figures are noisy');

  const columns: ColumnInfo[] = detectColumns(
    { header: table.header, rows },
    { exclude: [opts.label, ...(opts.id ? [opts.id] : [])] },
  );
  const usable = columns.filter((c) => c.kind !== 'dropped');
  if (usable.length === 0) throw new Error('no usable feature columns');
  for (const c of columns) {
    if (c.kind === 'numeric' && c.oddValues)
      warnings.push(`${c.name}: ${c.oddValues} non-numeric cells treated as missing`);
  }
  const seed = opts.seed ?? 42;
  const kinds = opts.models ?? ['logistic', 'gbt'];
  const fold = stratifiedKFold(y, k, seed);
  const oof = new Map<ModelKind, Float64Array>(kinds.map((m) => [m, new Float64Array(rows.length)]));
  const aucFolds = new Map<ModelKind, number[]>(kinds.map((m) => [m, []]));
  const seconds = new Map<ModelKind, number>(kinds.map((m) => [m, 0]));
  const encOpts = opts.maxLevels ? { maxLevels: opts.maxLevels } : {};
  const total = k * kinds.length + kinds.length;
  let done = 0;
  for (let f = 0; f < k; f++) {
    const { train, test } = foldIndices(fold, f);
    const trRows = [...train].map((i) => rows[i]!);
    const teRows = [...test].map((i) => rows[i]!);
    const enc = new TabularEncoder(columns, encOpts).fit(trRows);
    const Xtr = enc.transform(trRows);
    const Xte = enc.transform(teRows);
    const ytr = take(y, train);
    const yte = take(y, test);
    for (const kind of kinds) {
      const t0 = performance.now();
      const m = makeModel(kind, opts, enc.featureNames, seed + f).fit(Xtr, ytr);
      const p = m.predictProba(Xte);
      seconds.set(kind, seconds.get(kind)! + (performance.now() - t0) / 1000);
      const out = oof.get(kind)!;
      test.forEach((i, q) => {
        out[i] = p[q]!;
      });
      aucFolds.get(kind)!.push(rocAuc(yte, p));
      opts.onProgress?.(++done, total);
    }
  }

  // Final fit on every row, for the top features.
  const encAll = new TabularEncoder(columns, encOpts).fit(rows);
  const Xall = encAll.transform(rows);
  const models: Partial<Record<ModelKind, ModelEval>> = {};
  for (const kind of kinds) {
    const m = makeModel(kind, opts, encAll.featureNames, seed).fit(Xall, y);
    opts.onProgress?.(++done, total);
    const p = oof.get(kind)!;
    const rep = binaryReport(y, p);
    const folds = aucFolds.get(kind)!;
    const mean = folds.reduce((s, v) => s + v, 0) / folds.length;
    const top = atTopK(y, p, Math.max(1, Math.round(rows.length / 10)));
    models[kind] = {
      model: m.name,
      auc: rep.auc,
      aucFolds: folds,
      aucStd: Math.sqrt(folds.reduce((s, v) => s + (v - mean) ** 2, 0) / folds.length),
      accuracy: rep.accuracy,
      brier: rep.brier,
      logLoss: rep.logLoss,
      precisionAtTopDecile: top.precision,
      liftAtTopDecile: top.lift,
      calibration: calibrationBins(y, p, 10),
      topFeatures: topFeatures(m, Xall, encAll.featureColumns, opts.topN ?? 10),
      seconds: seconds.get(kind)!,
    };
  }
  const best = kinds.reduce((a, b) => (models[b]!.auc > models[a]!.auc ? b : a));
  const bm = models[best]!;
  return {
    rows: rows.length,
    droppedRows,
    positives,
    positiveRate: positives / rows.length,
    folds: k,
    features: encAll.featureNames.length,
    columns: {
      numeric: columns.filter((c) => c.kind === 'numeric').map((c) => c.name),
      categorical: columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
      dropped: columns
        .filter((c) => c.kind === 'dropped')
        .map((c) => ({ name: c.name, reason: c.reason ?? '' })),
    },
    best,
    auc: bm.auc,
    accuracy: bm.accuracy,
    brier: bm.brier,
    topFeatures: bm.topFeatures,
    models,
    warnings,
  };
};
