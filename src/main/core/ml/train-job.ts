/**
 * The long model jobs as plain functions over a read-only portfolio (the store, or the copy a worker thread
 * opens from its bytes): training on the portfolio's own history, and the threshold sweep. Both report
 * progress as (done, total, label) and return only structured-cloneable data, so the same code runs in the
 * worker (`train-worker.ts`) and in-process.
 */
import type { ThresholdSuggestions } from '../../../shared/contracts/ml';
import type { RiskConfig } from '../../../shared/risk-types';
import type { ModelJson } from './model';
import {
  type PortfolioModelKind,
  type PortfolioTrainResult,
  trainingRecord,
  trainPortfolioModel,
} from './portfolio-model';
import { combinedRiskScore, riskSignalFeatures, ruleScoreBaseline } from './risk-features';
import { suggestThresholdsFrom, type ThresholdOptions } from './thresholds';
import { buildTrainingTable, latestRecordDate, monthlySnapshots, type Reader } from './training-table';

export type ProgressFn = (done: number, total: number, label: string) => void;

export interface TrainJob {
  horizonDays: number;
  kinds: PortfolioModelKind[];
  /** Months of history to use. */
  months: number;
  config: RiskConfig;
}

/** What a training job hands back: everything `saveModel` stores, as plain data. */
export interface TrainJobResult {
  kind: PortfolioModelKind;
  model: ModelJson;
  auc: number;
  metrics: Record<string, unknown>;
  training: Record<string, unknown>;
  tried: Record<string, number>;
}

export interface ThresholdJob {
  /** The sweep's "now" (ISO), the end of the replayed history. */
  now: string;
  options: Omit<ThresholdOptions, 'onProgress'>;
}

const addMonths = (d: string, n: number): string => {
  const dt = new Date(`${d.slice(0, 7)}-01T00:00:00Z`);
  dt.setUTCMonth(dt.getUTCMonth() + n);
  return dt.toISOString().slice(0, 10);
};

/** Progress weight of one learner, in snapshot-dates' worth of work (a fit costs about as much as 8 dates). */
const LEARNER_STEPS = 8;

/**
 * Builds the training table (features as of each monthly snapshot, from records strictly before it), scores
 * the rule-based baseline on the same rows, trains each learner with the time-based split and calibration,
 * and keeps the one with the best test AUC.
 */
export const runTrainJob = (db: Reader, job: TrainJob, progress: ProgressFn = () => {}): TrainJobResult => {
  const { horizonDays, kinds, config } = job;
  const observedUntil = latestRecordDate(db);
  const snapshotDates = monthlySnapshots(addMonths(observedUntil, -job.months), observedUntil);
  const n = snapshotDates.length;
  const total = 2 * n + LEARNER_STEPS * kinds.length;
  const table = buildTrainingTable(db, {
    snapshotDates,
    horizonDays,
    featureFn: riskSignalFeatures(config),
    observedUntil,
    onSnapshot: (d) => progress(d, total, 'Building the training table'),
  });
  if (table.rows.length === 0)
    throw new Error('no labelled snapshots: the portfolio history is too short for this horizon');
  const baseline = ruleScoreBaseline(db, config, (d, m) =>
    progress(n + Math.round((d / Math.max(1, m)) * n), total, 'Scoring the rule-based baseline'),
  )(table);
  const tried: Record<string, number> = {};
  let best: PortfolioTrainResult | undefined;
  for (const [i, kind] of kinds.entries()) {
    progress(
      2 * n + LEARNER_STEPS * i,
      total,
      kind === 'gbt' ? 'Training gradient-boosted trees' : 'Training logistic regression',
    );
    const r = trainPortfolioModel(table, { kind, baseline, combine: combinedRiskScore(config) });
    tried[kind] = r.test.auc;
    if (!best || r.test.auc > best.test.auc) best = r;
  }
  const result = best!;
  return {
    kind: result.kind,
    model: result.model.toJSON(),
    auc: result.test.auc,
    ...trainingRecord(result, table, { horizonDays, observedUntil, tried }),
    tried,
  };
};

/** The threshold sweep (see thresholds.ts) with progress. */
export const runThresholdJob = (
  db: Reader,
  job: ThresholdJob,
  progress: ProgressFn = () => {},
): ThresholdSuggestions =>
  suggestThresholdsFrom(db, new Date(job.now), { ...job.options, onProgress: progress });
