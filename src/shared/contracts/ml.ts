/**
 * The predictive model's handlers: the model card, versions (compare, rollback), training with progress
 * (task 'model.train'), and threshold refinement for the rules (trade-off curves and one-step apply).
 */
import { z } from 'zod';
import { id, returns } from './helpers';

export const MODEL_HORIZONS = [30, 60, 90] as const;
export type ModelHorizon = (typeof MODEL_HORIZONS)[number];
export const MODEL_KINDS = ['best', 'logistic', 'gbt'] as const;
export type ModelKindChoice = (typeof MODEL_KINDS)[number];

/** One reliability-diagram bin: predicted probability range, mean prediction and observed escalation rate. */
export interface ModelCalibrationBin {
  lo: number;
  hi: number;
  count: number;
  meanPredicted: number;
  observedRate: number;
}

export interface ModelWindow {
  /** First and last snapshot used for training. */
  from: string;
  to: string;
  /** The later period held out for the time-based test. */
  testFrom: string;
  testTo: string;
}

export interface ModelSize {
  rows: number;
  positives: number;
  trainRows: number;
  calibrationRows: number;
  testRows: number;
  testPositives: number;
}

export interface ModelCardMetrics {
  auc: number | null;
  brier: number | null;
  logLoss: number | null;
  precisionAtBudget: number | null;
  recallAtBudget: number | null;
  liftAtBudget: number | null;
  falsePositiveRate: number | null;
  medianLeadTimeDays: number | null;
  escalationsCaught: number | null;
  escalationsTotal: number | null;
}

/** What the Model card page shows (all figures from the time-based test period). */
export interface ModelCardView {
  id: number;
  name: string;
  version: number;
  /** 'logistic' or 'gbt'. */
  kind: string;
  createdAt: string;
  active: boolean;
  horizonDays: number | null;
  window: ModelWindow | null;
  size: ModelSize | null;
  metrics: ModelCardMetrics;
  /** The rule-based risk score measured on the same test rows (null when not measured). */
  baseline: {
    auc: number | null;
    precisionAtBudget: number | null;
    medianLeadTimeDays: number | null;
  } | null;
  /** The risk score as it ships (rule factors + the model factor) on the same test rows (null when not measured). */
  combined: {
    auc: number | null;
    precisionAtBudget: number | null;
    medianLeadTimeDays: number | null;
  } | null;
  calibration: ModelCalibrationBin[];
  /** Most predictive signals; direction +1: a higher value means a higher risk. */
  topSignals: { feature: string; importance: number; direction: 1 | -1 }[];
  /** False when the data is too small to trust the figures (see warnings). */
  trustworthy: boolean;
  warnings: string[];
  previous: { id: number; version: number; auc: number | null; createdAt: string } | null;
}

/** One stored model version with its headline test metrics. */
export interface ModelVersionRow {
  id: number;
  name: string;
  version: number;
  kind: string;
  createdAt: string;
  active: boolean;
  activatedAt: string | null;
  horizonDays: number | null;
  window: ModelWindow | null;
  size: ModelSize | null;
  auc: number | null;
  brier: number | null;
  precisionAtBudget: number | null;
  recallAtBudget: number | null;
  liftAtBudget: number | null;
  medianLeadTimeDays: number | null;
  baselineAuc: number | null;
  notes: string | null;
}

export interface ModelMetricDelta {
  metric: string;
  a: number | null;
  b: number | null;
  /** b - a (null when either is missing). */
  delta: number | null;
  /** Which version is better on this metric (null when unknown or equal). */
  better: 'a' | 'b' | null;
}

export interface ModelComparison {
  a: ModelVersionRow;
  b: ModelVersionRow;
  deltas: ModelMetricDelta[];
  /** A one-line verdict for the UI, e.g. "v3 is better than v2 on AUC (+0.021)". */
  summary: string;
}

export interface ModelTrainResult {
  model: ModelVersionRow;
  activated: boolean;
  /** The version that was active before this training (null on the first training). */
  previous: ModelVersionRow | null;
  /** previous (a) vs the new version (b), when there was a previous one. */
  comparison: ModelComparison | null;
  /** Test AUC of each learner tried. */
  tried: Record<string, number>;
  card: ModelCardView;
  ms: number;
}

/** What a rule (or one variant of it) did over the backtest period. */
export interface ThresholdOutcome {
  flags: number;
  precision: number | null;
  recall: number | null;
  medianLeadDays: number | null;
  /** Flags raised per CSM per week over the backtest period. */
  flagsPerCsmPerWeek: number;
}

/** One operating point of a rule condition's threshold sweep (backtested). */
export interface ThresholdPoint extends ThresholdOutcome {
  value: number;
  /** True for the rule's current value. */
  current: boolean;
}

export interface ThresholdConditionSuggestion {
  /** Path of the condition inside the rule definition, e.g. "conditions.0" or "conditions.1.conditions.0". */
  path: string;
  signal: string;
  op: string;
  currentValue: number;
  curve: ThresholdPoint[];
  /** The suggested value for the alert budget: the best F1 of precision and recall among the points within
   * the rule's share of the budget (null when no candidate raises any flag). */
  suggestedValue: number | null;
  reason: string;
}

export interface RuleThresholdSuggestion {
  ruleId: number;
  ruleName: string;
  ruleVersion: number;
  enabled: boolean;
  /** The rule as it stands, backtested. */
  current: ThresholdOutcome;
  conditions: ThresholdConditionSuggestion[];
}

export interface ThresholdSuggestions {
  budgetPerCsmPerWeek: number;
  /** Each enabled rule's share of the budget (suggestions are made against it). */
  budgetPerRule: number;
  csmCount: number;
  horizonDays: number;
  stepDays: number;
  from: string;
  to: string;
  rules: RuleThresholdSuggestion[];
  ms: number;
}

export interface ThresholdChoice {
  ruleId: number;
  path: string;
  value: number;
}

export interface ApplyThresholdsResult {
  updated: { ruleId: number; ruleName: string; fromVersion: number; toVersion: number; changes: number }[];
}

const horizon = z.union([z.literal(30), z.literal(60), z.literal(90)]);

export const mlContract = {
  'model.card': {
    args: z.object({ horizonDays: horizon.optional() }).strict(),
    result: returns<ModelCardView | null>(),
  },
  'model.versions': {
    args: z.object({ horizonDays: horizon.optional() }).strict(),
    result: returns<ModelVersionRow[]>(),
  },
  'model.activate': { args: z.object({ id }).strict(), result: returns<ModelVersionRow>() },
  'model.compare': { args: z.object({ a: id, b: id }).strict(), result: returns<ModelComparison>() },
  'model.train': {
    args: z.object({ horizonDays: horizon.optional(), kind: z.enum(MODEL_KINDS).optional() }).strict(),
    result: returns<ModelTrainResult>(),
  },
  /** Stops a running training or threshold sweep (its worker thread is terminated; nothing is saved). */
  'model.cancel': {
    args: z.object({ task: z.enum(['model.train', 'model.thresholds']).optional() }).strict(),
    result: returns<{ cancelled: string[] }>(),
  },
  'model.thresholds': {
    args: z
      .object({
        ruleId: id.optional(),
        budgetPerCsmPerWeek: z.number().positive().max(100).optional(),
        horizonDays: z.number().int().min(7).max(365).optional(),
      })
      .strict(),
    result: returns<ThresholdSuggestions>(),
  },
  'model.applyThresholds': {
    args: z
      .object({
        choices: z
          .array(
            z.object({ ruleId: id, path: z.string().min(1).max(200), value: z.number().finite() }).strict(),
          )
          .min(1)
          .max(200),
        updatedBy: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    result: returns<ApplyThresholdsResult>(),
  },
} as const;
