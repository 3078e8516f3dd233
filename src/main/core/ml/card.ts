/**
 * The model card: what the UI and `bellwether model card` show about a stored model. Everything comes from
 * the time-based test period recorded at training time, plus the previous version for comparison.
 */
import type { ModelCardView } from '../../../shared/contracts/ml';
import { listModels, type StoredModel } from './model-store';
import type { PortfolioMetrics } from './portfolio-model';
import type { Reader } from './training-table';

/** Below these, the card says the data is too small to trust. */
export const MIN_TEST_ESCALATIONS = 30;
export const MIN_TRAINING_ESCALATIONS = 50;

/** The card's shape is the contract's (src/shared/contracts/ml.ts): what the page and the CLI show. */
export type ModelCard = ModelCardView;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export const cardFor = (m: StoredModel, previous?: StoredModel): ModelCard => {
  const x = m.metrics as Partial<PortfolioMetrics> & {
    topFeatures?: ModelCard['topSignals'];
    warnings?: string[];
  };
  const t = m.training as { horizonDays?: number; window?: ModelCard['window']; size?: ModelCard['size'] };
  const warnings = [...(x.warnings ?? [])];
  const testEsc = num(x.escalationsTotal) ?? t.size?.testPositives ?? 0;
  const trainPos = t.size ? t.size.positives - t.size.testPositives : 0;
  let trustworthy = true;
  if (testEsc < MIN_TEST_ESCALATIONS) {
    trustworthy = false;
    warnings.push(
      `only ${testEsc} escalations in the test period (fewer than ${MIN_TEST_ESCALATIONS}): the figures are too uncertain to trust`,
    );
  }
  if (trainPos < MIN_TRAINING_ESCALATIONS) {
    trustworthy = false;
    warnings.push(`only ${trainPos} escalations to learn from (fewer than ${MIN_TRAINING_ESCALATIONS})`);
  }
  const auc = num(x.auc);
  if (auc !== null && auc < 0.6)
    warnings.push(`AUC ${auc.toFixed(2)}: the model ranks accounts only a little better than chance`);
  const hasBaseline = x.baselineAuc !== undefined;
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    kind: m.kind,
    createdAt: m.createdAt,
    active: m.active,
    horizonDays: t.horizonDays ?? null,
    window: t.window ?? null,
    size: t.size ?? null,
    metrics: {
      auc,
      brier: num(x.brier),
      logLoss: num(x.logLoss),
      precisionAtBudget: num(x.precisionAtBudget),
      recallAtBudget: num(x.recallAtBudget),
      liftAtBudget: num(x.liftAtBudget),
      falsePositiveRate: num(x.falsePositiveRate),
      medianLeadTimeDays: num(x.medianLeadTimeDays),
      escalationsCaught: num(x.escalationsCaught),
      escalationsTotal: num(x.escalationsTotal),
    },
    baseline: hasBaseline
      ? {
          auc: num(x.baselineAuc),
          precisionAtBudget: num(x.baselinePrecisionAtBudget),
          medianLeadTimeDays: num(x.baselineMedianLeadTimeDays),
        }
      : null,
    combined:
      x.combinedAuc !== undefined
        ? {
            auc: num(x.combinedAuc),
            precisionAtBudget: num(x.combinedPrecisionAtBudget),
            medianLeadTimeDays: num(x.combinedMedianLeadTimeDays),
          }
        : null,
    calibration: x.calibration ?? [],
    topSignals: x.topFeatures ?? [],
    trustworthy,
    warnings,
    previous: previous
      ? {
          id: previous.id,
          version: previous.version,
          auc: num(previous.metrics.auc),
          createdAt: previous.createdAt,
        }
      : null,
  };
};

/** The card of the active model for `name` (or of the latest version when none is active). */
export const modelCard = (db: Reader, name: string): ModelCard | undefined => {
  const all = listModels(db, name); // newest first
  const current = all.find((m) => m.active) ?? all[0];
  if (!current) return undefined;
  const previous = all.find((m) => m.version < current.version);
  return cardFor(current, previous);
};
