/**
 * The two calls the rest of the app needs from the model layer:
 *
 *   trainAndStore(store, { featureFn, horizonDays, kind })  build the training table from the portfolio's own
 *       history, train with time-based validation + calibration, store the model with its test metrics
 *       (the model card) and activate it when it is at least as good as the active one.
 *   scoreAccounts(db, { name, asOf, featureFn })  the active model's calibrated probability per account,
 *       with per-feature contributions (logistic regression) for the risk score's "model" factor.
 */
import type { PortfolioStore } from '../db/store';
import { CalibratedClassifier } from './calibration';
import { GradientBoostedTrees } from './gbt';
import { LogisticRegression } from './logistic';
import type { Matrix } from './matrix';
import { activeModel, loadActiveModel, type StoredModel, saveModel } from './model-store';
import {
  type PortfolioModelKind,
  type PortfolioTrainResult,
  trainingRecord,
  trainPortfolioModel,
} from './portfolio-model';
import {
  buildTrainingTable,
  type FeatureFn,
  latestRecordDate,
  monthlySnapshots,
  type Reader,
  type TrainingTable,
} from './training-table';

export const modelName = (horizonDays: number): string => `escalation-${horizonDays}d`;

export interface TrainAndStoreOptions {
  featureFn: FeatureFn;
  horizonDays?: number;
  /** 'best' trains both and keeps the one with the higher test AUC. */
  kind?: PortfolioModelKind | 'best';
  /** Months of history to use (default 24). */
  months?: number;
  /** The last date whose outcomes are known (default: the latest dated record). */
  observedUntil?: string;
  /** A baseline score per training row (e.g. the rule-based risk score) compared on the same test rows. */
  baseline?: (table: TrainingTable) => ArrayLike<number>;
  calibration?: 'platt' | 'isotonic';
  /** 'if-better' (default): activate only when the test AUC is not worse than the active model's by > 0.005. */
  activate?: 'always' | 'if-better' | 'never';
  now?: Date;
}

export interface TrainAndStoreResult {
  stored: StoredModel;
  activated: boolean;
  previous: StoredModel | undefined;
  result: PortfolioTrainResult;
  /** Test AUC of each kind tried. */
  tried: Partial<Record<PortfolioModelKind, number>>;
}

const addMonths = (d: string, n: number): string => {
  const dt = new Date(`${d.slice(0, 7)}-01T00:00:00Z`);
  dt.setUTCMonth(dt.getUTCMonth() + n);
  return dt.toISOString().slice(0, 10);
};

export const trainAndStore = (store: PortfolioStore, opts: TrainAndStoreOptions): TrainAndStoreResult => {
  const horizonDays = opts.horizonDays ?? 60;
  const observedUntil = opts.observedUntil ?? latestRecordDate(store);
  const months = opts.months ?? 24;
  const snapshotDates = monthlySnapshots(addMonths(observedUntil, -months), observedUntil);
  const table = buildTrainingTable(store, {
    snapshotDates,
    horizonDays,
    featureFn: opts.featureFn,
    observedUntil,
  });
  if (table.rows.length === 0)
    throw new Error('no labelled snapshots: the portfolio history is too short for this horizon');
  const baseline = opts.baseline?.(table);
  const kinds: PortfolioModelKind[] =
    opts.kind === 'best' || opts.kind === undefined ? ['logistic', 'gbt'] : [opts.kind];
  const tried: Partial<Record<PortfolioModelKind, number>> = {};
  let best: PortfolioTrainResult | undefined;
  for (const kind of kinds) {
    const r = trainPortfolioModel(table, {
      kind,
      ...(opts.calibration ? { calibration: opts.calibration } : {}),
      ...(baseline ? { baseline } : {}),
    });
    tried[kind] = r.test.auc;
    if (!best || r.test.auc > best.test.auc) best = r;
  }
  const result = best!;
  const name = modelName(horizonDays);
  const previous = activeModel(store, name);
  const prevAuc = Number((previous?.metrics as { auc?: number } | undefined)?.auc ?? Number.NaN);
  const mode = opts.activate ?? 'if-better';
  const activate =
    mode === 'always' || (mode === 'if-better' && (!previous || !(result.test.auc < prevAuc - 0.005)));
  const stored = saveModel(store, {
    name,
    kind: result.kind,
    model: result.model,
    ...trainingRecord(result, table, { horizonDays, observedUntil, tried }),
    activate,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { stored, activated: activate, previous, result, tried };
};

export interface AccountModelScore {
  /** Calibrated probability of an escalation within the model's horizon. */
  probability: number;
  /** The strongest per-feature contributions to the (uncalibrated) log-odds of the base model. */
  contributions: { feature: string; value: number; contribution: number }[];
}

/** Scores accounts as of `asOf` with the active model for `name`; undefined when no model is active. */
export const scoreAccounts = (
  db: Reader,
  opts: {
    name: string;
    asOf: string;
    featureFn: FeatureFn;
    accountIds?: readonly number[];
    topContributions?: number;
  },
): { model: StoredModel; scores: Map<number, AccountModelScore> } | undefined => {
  const loaded = loadActiveModel(db, opts.name);
  if (!loaded) return undefined;
  const names = (loaded.stored.training as { featureNames?: string[] }).featureNames ?? [];
  const ids =
    opts.accountIds ??
    db.all<{ id: number }>("SELECT id FROM accounts WHERE status = 'active' ORDER BY id").map((r) => r.id);
  const feats = opts.featureFn(db, opts.asOf, ids);
  const d = names.length;
  const data = new Float64Array(ids.length * d);
  ids.forEach((id, i) => {
    const f = feats.get(id) ?? {};
    names.forEach((k, j) => {
      const v = f[k];
      data[i * d + j] = v === null || v === undefined || !Number.isFinite(v) ? Number.NaN : v;
    });
  });
  const X: Matrix = { rows: ids.length, cols: d, data };
  const p = loaded.model.predictProba(X);
  const base = loaded.model instanceof CalibratedClassifier ? loaded.model.base : loaded.model;
  const scores = new Map<number, AccountModelScore>();
  ids.forEach((id, i) => {
    let contributions: AccountModelScore['contributions'] = [];
    if (base instanceof LogisticRegression || base instanceof GradientBoostedTrees) {
      contributions = base
        .explain(data.subarray(i * d, (i + 1) * d))
        .contributions.slice(0, opts.topContributions ?? 5);
    }
    scores.set(id, { probability: p[i]!, contributions });
  });
  return { model: loaded.stored, scores };
};
