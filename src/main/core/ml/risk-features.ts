/**
 * Bridges to the risk engine (issue 3): its leading-indicator signals as model features, its rule-based
 * score as the baseline the model must beat, and a ModelProvider that feeds the active model's calibrated
 * probability into the score's "model" factor.
 */
import type { AccountSignals, RiskConfig } from '../../../shared/risk-types';
import type { PortfolioStore } from '../db/store';
import { DEFAULT_CONFIG } from '../risk/config';
import type { ModelProvider } from '../risk/engine';
import { ramp, ruleScaleWithoutModel, scoreSignals } from '../risk/scoring';
import { computeSignalsBatch } from '../risk/signals';
import { modelName, scoreAccounts } from './service';
import type { FeatureFn, FeatureRow, Reader } from './training-table';

/** Signals that describe the current state rather than predict (or would leak the label) are not features. */
const EXCLUDED = new Set(['open_escalation']);

// The risk engine reads through store.all/store.get only, so any Reader (e.g. the truncated copy that
// checkLeakage makes) can stand in for the store.
const asStore = (db: Reader): PortfolioStore => db as unknown as PortfolioStore;

/**
 * The same signals over short windows (14 days; 7 for the ticket count, 30 for health and engagements): an
 * escalation's leading signals build up over its last few weeks, and the default 30-90 day windows dilute
 * their onset. Each is added as a feature next to the default-window signals.
 */
export const shortWindowConfig = (config: RiskConfig): RiskConfig => ({
  ...config,
  windows: [14],
  ticketRecentDays: 7,
  negativeWindowDays: 14,
  sentimentWindowDays: 14,
  competitorWindowDays: 30,
  healthWindowDays: 30,
  commWindowDays: 30,
});

/** Short-window signal → feature name. */
const SHORT_FEATURES: readonly [signal: string, feature: string][] = [
  ['usage_drop_14d', 'usage_drop_14d'],
  ['login_drop_14d', 'login_drop_14d'],
  ['key_feature_drop_14d', 'key_feature_drop_14d'],
  ['tickets_recent', 'tickets_7d'],
  ['ticket_volume_ratio', 'ticket_volume_ratio_7d'],
  ['negative_tickets', 'negative_tickets_14d'],
  ['sentiment_recent', 'sentiment_14d'],
  ['sentiment_trend', 'sentiment_trend_14d'],
  ['competitor_mentions', 'competitor_mentions_30d'],
  ['health_drop', 'health_drop_30d'],
  ['comm_drop', 'comm_drop_30d'],
];

/**
 * ARR as it was at `asOf`. The accounts table keeps only today's ARR, which already reflects the outcome of
 * later escalations (a downgrade, an expansion): using it for a past snapshot would leak that outcome. The
 * ARR before the first outcome resolved on or after `asOf` is the ARR the account had then.
 */
export const arrAsOf = (db: Reader, asOf: string): Map<number, number> => {
  const out = new Map<number, number>();
  const rows = db.all<{ a: number; arr: number }>(
    `SELECT e.account_id AS a, o.arr_before AS arr FROM outcomes o JOIN escalations e ON e.id = o.escalation_id
     WHERE o.resolved_at >= ? ORDER BY o.resolved_at DESC, o.id DESC`,
    [asOf],
  );
  // Latest first, so the earliest outcome after asOf is written last and wins.
  for (const r of rows) out.set(r.a, r.arr);
  return out;
};

/**
 * The model's features as of `asOf` (records strictly before it): the risk engine's signals, the same signals
 * over short windows, ARR as it was then and segment descriptors.
 */
export const riskSignalFeatures =
  (
    config: RiskConfig = DEFAULT_CONFIG,
    /** Signals the caller already computed as of the same moment with the same config (the risk rescore's). */
    known?: ReadonlyMap<number, AccountSignals>,
  ): FeatureFn =>
  (db, asOf, accountIds) => {
    const missing = known ? accountIds.filter((id) => !known.has(id)) : accountIds;
    const sig: ReadonlyMap<number, AccountSignals> =
      known && missing.length === 0
        ? known
        : new Map([
            ...(known ?? []),
            ...computeSignalsBatch(asStore(db), asOf, config, { accountIds: missing, includeChurned: true }),
          ]);
    const short = computeSignalsBatch(asStore(db), asOf, shortWindowConfig(config), {
      accountIds,
      includeChurned: true,
    });
    const pastArr = arrAsOf(db, asOf);
    const out = new Map<number, FeatureRow>();
    for (const id of accountIds) {
      const s = sig.get(id);
      const row: FeatureRow = {};
      if (s) {
        for (const [k, v] of Object.entries(s.values)) if (!EXCLUDED.has(k)) row[k] = v;
        const sv = short.get(id)?.values ?? {};
        for (const [k, f] of SHORT_FEATURES) row[f] = sv[k] ?? null;
        const arr = pastArr.get(id) ?? s.account.arr;
        row.arr = arr;
        row.log_arr = Math.log1p(arr);
        row.enterprise = s.account.segment === 'enterprise' ? 1 : 0;
        row.strategic = s.account.isStrategic ? 1 : 0;
      }
      out.set(id, row);
    }
    return out;
  };

/**
 * The rule-based risk score (0-100 without a model probability, i.e. with the model's points spread over the
 * rule factors) per account as of `asOf`: the baseline the model must beat.
 */
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
  (db: Reader, config: RiskConfig = DEFAULT_CONFIG, onDate?: (done: number, total: number) => void) =>
  (table: { rows: readonly { accountId: number; asOf: string }[] }): Float64Array => {
    const byDate = new Map<string, number[]>();
    for (const r of table.rows) {
      const list = byDate.get(r.asOf) ?? [];
      list.push(r.accountId);
      byDate.set(r.asOf, list);
    }
    const scores = new Map<string, Map<number, number>>();
    let done = 0;
    for (const [d, ids] of byDate) {
      onDate?.(done++, byDate.size);
      scores.set(d, ruleScores(db, d, ids, config));
    }
    return Float64Array.from(table.rows, (r) => scores.get(r.asOf)!.get(r.accountId) ?? 0);
  };

/**
 * The risk score as it ships, from the rule-based score without a model (`ruleScores`: the model's points
 * spread over the rule factors) and the model's calibrated probability: the rule points at their own weights
 * plus the model factor's points (to within the per-factor rounding of scoreSignals).
 */
export const combinedRiskScore =
  (config: RiskConfig = DEFAULT_CONFIG) =>
  (ruleScore: number, probability: number): number =>
    Math.min(100, ruleScore / ruleScaleWithoutModel(config) + ramp(probability, config.weights.model));

/**
 * A ModelProvider for the risk engine (`setModelProvider(core, modelProvider(core.store))`): the active
 * model's calibrated probability per account; an empty map when no model has been trained yet.
 */
export const modelProvider =
  (store: Reader, opts: { horizonDays?: number; config?: RiskConfig } = {}): ModelProvider =>
  (accountIds, asOf, signals) => {
    // With the rescore's own signals (as of its moment), the features are read as of that same moment and
    // only the short-window signals are computed here; without them, as of the start of the day.
    const scored = scoreAccounts(store, {
      name: modelName(opts.horizonDays ?? 60),
      asOf: signals ? asOf.toISOString() : asOf.toISOString().slice(0, 10),
      featureFn: riskSignalFeatures(opts.config ?? DEFAULT_CONFIG, signals),
      accountIds,
    });
    const out = new Map<number, number>();
    if (scored) for (const [id, s] of scored.scores) out.set(id, s.probability);
    return out;
  };
