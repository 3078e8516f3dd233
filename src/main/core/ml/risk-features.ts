/**
 * Bridges to the risk engine (issue 3): its leading-indicator signals as model features, its rule-based
 * score as the baseline the model must beat, and a ModelProvider that feeds the active model's calibrated
 * probability into the score's "model" factor.
 */
import type { RiskConfig } from '../../../shared/risk-types';
import type { PortfolioStore } from '../db/store';
import { DEFAULT_CONFIG } from '../risk/config';
import type { ModelProvider } from '../risk/engine';
import { scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { modelName, scoreAccounts } from './service';
import type { FeatureFn, FeatureRow, Reader } from './training-table';

/** Signals that describe the current state rather than predict (or would leak the label) are not features. */
const EXCLUDED = new Set(['open_escalation']);

// The risk engine reads through store.all/store.get only, so any Reader (e.g. the truncated copy that
// checkLeakage makes) can stand in for the store.
const asStore = (db: Reader): PortfolioStore => db as unknown as PortfolioStore;

/** The risk engine's signals as of `asOf` (records strictly before it), plus ARR and segment descriptors. */
export const riskSignalFeatures =
  (config: RiskConfig = DEFAULT_CONFIG): FeatureFn =>
  (db, asOf, accountIds) => {
    const sig = computeSignalsBatch(asStore(db), asOf, config, { accountIds, includeChurned: true });
    const out = new Map<number, FeatureRow>();
    for (const id of accountIds) {
      const s = sig.get(id);
      const row: FeatureRow = {};
      if (s) {
        for (const [k, v] of Object.entries(s.values)) if (!EXCLUDED.has(k)) row[k] = v;
        row.log_arr = Math.log1p(s.account.arr);
        row.enterprise = s.account.segment === 'enterprise' ? 1 : 0;
        row.strategic = s.account.isStrategic ? 1 : 0;
      }
      out.set(id, row);
    }
    return out;
  };

/** The rule-based risk score (0-100, without the model factor) per account as of `asOf`: the baseline. */
export const ruleScores = (
  db: Reader,
  asOf: string,
  accountIds: readonly number[],
  config: RiskConfig = DEFAULT_CONFIG,
): Map<number, number> => {
  const sig = computeSignalsBatch(asStore(db), asOf, config, { accountIds, includeChurned: true });
  const out = new Map<number, number>();
  for (const id of accountIds) {
    const s = sig.get(id);
    out.set(id, s ? scoreSignals({ signals: s, config, modelProbability: null }).score : 0);
  }
  return out;
};

/** Baseline column for trainAndStore / trainPortfolioModel: the rule score of each training row. */
export const ruleScoreBaseline =
  (db: Reader, config: RiskConfig = DEFAULT_CONFIG) =>
  (table: { rows: readonly { accountId: number; asOf: string }[] }): Float64Array => {
    const byDate = new Map<string, number[]>();
    for (const r of table.rows) {
      const list = byDate.get(r.asOf) ?? [];
      list.push(r.accountId);
      byDate.set(r.asOf, list);
    }
    const scores = new Map<string, Map<number, number>>();
    for (const [d, ids] of byDate) scores.set(d, ruleScores(db, d, ids, config));
    return Float64Array.from(table.rows, (r) => scores.get(r.asOf)!.get(r.accountId) ?? 0);
  };

/**
 * A ModelProvider for the risk engine (`setModelProvider(core, modelProvider(core.store))`): the active
 * model's calibrated probability per account; an empty map when no model has been trained yet.
 */
export const modelProvider =
  (store: Reader, opts: { horizonDays?: number; config?: RiskConfig } = {}): ModelProvider =>
  (accountIds, asOf) => {
    const scored = scoreAccounts(store, {
      name: modelName(opts.horizonDays ?? 60),
      asOf: asOf.toISOString().slice(0, 10),
      featureFn: riskSignalFeatures(opts.config ?? DEFAULT_CONFIG),
      accountIds,
    });
    const out = new Map<number, number>();
    if (scored) for (const [id, s] of scored.scores) out.set(id, s.probability);
    return out;
  };
