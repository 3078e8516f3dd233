/**
 * The explainable escalation risk score (0-100): a sum of factor points, each a linear ramp over one signal
 * (see docs/risk-scoring.md for the defaults), each carrying the records behind it. The `model` factor ramps
 * over the calibrated probability of the predictive model (issue 5). When an account has no model probability
 * (no model trained yet, or a replay of the past, which a model trained on that past must not score), the
 * model's points are spread over the rule factors in proportion to their weights, so scores stay on the same
 * 0-100 scale and the priority thresholds keep their meaning.
 */
import type {
  AccountSignals,
  FactorContribution,
  FactorKey,
  FactorWeight,
  RiskConfig,
} from '../../../shared/risk-types';
import { FACTOR_LABELS } from './config';

export interface ScoreInput {
  signals: AccountSignals;
  config: RiskConfig;
  /** A calibrated escalation probability (0..1) from the predictive model, when there is one. */
  modelProbability?: number | null;
}

export interface ScoreResult {
  score: number;
  /** The sum before the 0-100 cap. */
  raw: number;
  factors: FactorContribution[];
  /**
   * The factor by which rule points (and their maxima) were multiplied: 1 with a model probability, else the
   * full budget over the budget without the model (e.g. 100 / 88).
   */
  ruleScale: number;
}

/** The budget of the rule factors and the factor that spreads the model's points over them when it is absent. */
export const ruleScaleWithoutModel = (config: RiskConfig): number => {
  let total = 0;
  for (const w of Object.values(config.weights)) total += w.max;
  const rules = total - config.weights.model.max;
  return config.weights.model.max > 0 && rules > 0 ? total / rules : 1;
};

/** Points for `v` on the ramp from `w.from` (0 points) to `w.to` (w.max points), clamped. */
export const ramp = (v: number | null | undefined, w: FactorWeight): number => {
  if (v === null || v === undefined || !Number.isFinite(v) || w.max === 0) return 0;
  const t = (v - w.from) / (w.to - w.from);
  return w.max * Math.min(1, Math.max(0, t));
};

const r1 = (x: number) => Math.round(x * 10) / 10;
const pct = (v: number) => `${v > 0 ? '-' : '+'}${Math.abs(Math.round(v))}%`;

/** Evaluates every factor for one account. */
export const scoreSignals = ({ signals, config, modelProbability }: ScoreInput): ScoreResult => {
  const v = signals.values;
  const e = signals.evidence;
  const W = config.weights;
  const prob =
    modelProbability === null || modelProbability === undefined || !Number.isFinite(modelProbability)
      ? null
      : Math.min(1, Math.max(0, modelProbability));
  const scale = prob === null ? ruleScaleWithoutModel(config) : 1;
  const factors: FactorContribution[] = [];
  // Unscaled rule points so far (the renewal gate compares them with renewalGatePoints).
  let unscaled = 0;
  const add = (
    key: FactorKey,
    points: number,
    detail: string,
    sig: Record<string, number | null>,
    evidence: string[] = [],
  ) => {
    const k = key === 'model' ? 1 : scale;
    if (key !== 'model') unscaled += points;
    factors.push({
      key,
      label: FACTOR_LABELS[key],
      points: r1(points * k),
      max: key === 'model' && prob === null ? 0 : r1(W[key].max * k),
      detail,
      signals: sig,
      evidence,
    });
  };
  const pick = (keys: string[]): [string | null, number | null] => {
    let best: [string | null, number | null] = [null, null];
    for (const k of keys) {
      const x = v[k];
      if (x !== null && x !== undefined && (best[1] === null || x > best[1])) best = [k, x];
    }
    return best;
  };
  const windowOf = (k: string | null) => (k ? (/_(\d+)d$/.exec(k)?.[1] ?? '') : '');

  // Usage decline: the largest usage or login drop over any window.
  {
    const keys = config.windows.flatMap((w) => [`usage_drop_${w}d`, `login_drop_${w}d`]);
    const [k, x] = pick(keys);
    const what = k?.startsWith('login') ? 'logins' : 'active users';
    add(
      'usage_decline',
      ramp(x, W.usage_decline),
      x === null
        ? 'no usage data'
        : `${what} ${pct(x)} over ${windowOf(k)} days vs the ${windowOf(k)} days before`,
      Object.fromEntries(keys.map((kk) => [kk, v[kk] ?? null])),
      k ? (e[k] ?? []) : [],
    );
  }
  // Key-feature adoption.
  {
    const keys = config.windows.flatMap((w) => [`key_feature_drop_${w}d`, `adoption_drop_${w}d`]);
    const [k, x] = pick(keys);
    const what = k?.startsWith('key') ? 'key-feature use' : 'features adopted';
    add(
      'feature_adoption',
      ramp(x, W.feature_adoption),
      x === null ? 'no usage data' : `${what} ${pct(x)} over ${windowOf(k)} days`,
      Object.fromEntries(keys.map((kk) => [kk, v[kk] ?? null])),
      k ? (e[k] ?? []) : [],
    );
  }
  // Ticket volume vs the account's own baseline (at least two recent tickets).
  {
    const recent = v.tickets_recent ?? 0;
    const ratio = v.ticket_volume_ratio ?? 0;
    add(
      'ticket_surge',
      recent >= 2 ? ramp(ratio, W.ticket_surge) : 0,
      `${recent} ticket${recent === 1 ? '' : 's'} in ${config.ticketRecentDays} days vs a baseline of ${Math.round((v.ticket_baseline ?? 0) * 10) / 10}`,
      { tickets_recent: recent, ticket_baseline: v.ticket_baseline ?? null, ticket_volume_ratio: ratio },
      e.tickets_recent ?? [],
    );
  }
  {
    const n = v.negative_tickets ?? 0;
    add(
      'negative_tickets',
      ramp(n, W.negative_tickets),
      `${n} ticket${n === 1 ? '' : 's'} with negative customer messages in ${config.negativeWindowDays} days`,
      { negative_tickets: n },
      e.negative_tickets ?? [],
    );
  }
  {
    const t = v.sentiment_trend ?? null;
    add(
      'sentiment_trend',
      ramp(t === null ? null : -t, W.sentiment_trend),
      t === null
        ? 'not enough messages'
        : `sentiment ${t >= 0 ? '+' : ''}${t} vs the previous period (recent ${v.sentiment_recent})`,
      { sentiment_trend: t, sentiment_recent: v.sentiment_recent ?? null },
    );
  }
  {
    const n = v.competitor_mentions ?? 0;
    add(
      'competitor',
      ramp(n, W.competitor),
      n === 0
        ? 'no competitor mentions'
        : `${n} mention${n === 1 ? '' : 's'} of a competitor or alternatives in ${config.competitorWindowDays} days`,
      { competitor_mentions: n },
      e.competitor_mentions ?? [],
    );
  }
  {
    const d = v.champion_departed_days ?? null;
    add(
      'champion_departure',
      ramp(d, W.champion_departure),
      d === null ? 'no champion or sponsor departure' : `champion/sponsor left ${d} days ago`,
      { champion_departed_days: d },
      e.champion_departed_days ?? [],
    );
  }
  {
    const d = v.days_since_exec_engagement ?? null;
    add(
      'exec_gap',
      ramp(d, W.exec_gap),
      d === null ? 'unknown' : `${d} days since the last executive engagement`,
      { days_since_exec_engagement: d },
      e.days_since_exec_engagement ?? [],
    );
  }
  {
    const d = v.health_drop ?? null;
    add(
      'health_drop',
      ramp(d, W.health_drop),
      d === null
        ? 'no health trend'
        : `health ${d > 0 ? 'down' : 'up'} ${Math.abs(d)} points in ${config.healthWindowDays} days`,
      { health_drop: d },
      e.health_drop ?? [],
    );
  }
  {
    const h = v.health_latest ?? null;
    add(
      'health_level',
      ramp(h, W.health_level),
      h === null ? 'no health score' : `health score ${h}`,
      { health_latest: h },
      e.health_latest ?? [],
    );
  }
  {
    const n = v.nps_latest ?? null;
    add(
      'nps',
      ramp(n, W.nps),
      n === null ? 'no recent NPS answer' : `latest NPS ${n}`,
      { nps_latest: n },
      e.nps_latest ?? [],
    );
  }
  {
    const d = v.comm_drop ?? null;
    add(
      'communication',
      ramp(d, W.communication),
      d === null ? 'no engagement trend' : `engagements ${pct(d)} over ${config.commWindowDays} days`,
      { comm_drop: d },
      e.comm_drop ?? [],
    );
  }
  // Renewal proximity amplifies the other signals; on its own a renewal is not a risk.
  {
    const d = v.days_to_renewal ?? null;
    const gate = Math.min(1, unscaled / config.renewalGatePoints);
    add(
      'renewal',
      ramp(d === null ? null : Math.max(0, d), W.renewal) * gate,
      d === null ? 'no renewal date' : d < 0 ? `renewal overdue by ${-d} days` : `renewal in ${d} days`,
      { days_to_renewal: d },
    );
  }
  // The predictive model: points ramp over its calibrated probability (default 0 → 25% gives 0 → 12 points).
  {
    const p = prob;
    add(
      'model',
      p === null ? 0 : ramp(p, W.model),
      p === null
        ? W.model.max > 0
          ? `no model probability: its ${W.model.max} points are spread over the other factors`
          : 'no model probability'
        : `calibrated probability of an escalation ${Math.round(p * 100)}%`,
      { model_probability: p },
    );
  }
  const raw = factors.reduce((s, f) => s + f.points, 0);
  return {
    score: Math.max(0, Math.min(100, Math.round(raw))),
    raw: r1(raw),
    factors,
    ruleScale: scale,
  };
};

/** Factors with points, largest first. */
export const topFactors = (factors: readonly FactorContribution[], n = 3): FactorContribution[] =>
  [...factors]
    .filter((f) => f.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, n);
