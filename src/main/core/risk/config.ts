/**
 * The risk engine's configuration: signal windows, factor weights and the priority matrix. Defaults are
 * documented in docs/risk-scoring.md; a portfolio stores its own copy in `risk_config` (key 'config').
 */
import { PRIORITIES } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import { FACTOR_KEYS, type FactorKey, type RiskConfig, type SignalInfo } from '../../../shared/risk-types';
import type { PortfolioStore } from '../db/store';

export const DEFAULT_CONFIG: RiskConfig = {
  windows: [30, 45, 90],
  ticketRecentDays: 14,
  ticketBaselineDays: 180,
  negativeWindowDays: 30,
  sentimentWindowDays: 30,
  competitorWindowDays: 90,
  commWindowDays: 60,
  healthWindowDays: 90,
  npsMaxAgeDays: 365,
  stakeholderMaxAgeDays: 365,
  competitors: [],
  negativePhrases: [
    'unacceptable',
    'frustrat',
    'nobody',
    'no one',
    'still not',
    'still no ',
    'still have not',
    'still does not',
    'still seeing',
    'still see ',
    'still slow',
    'still empty',
    'still locked',
    'still crashing',
    'still waiting',
    'still timing',
    'any update',
    'again',
    'cancel',
    'not renew',
    'escalate',
    'immediately',
    'twice',
    'third time',
    'second time',
    'wasted',
    'losing confidence',
    'not good enough',
    'broken',
    'crash',
    'outage',
    'locked out',
    'blocking',
    'wrong',
    'no reply',
    'no response',
    'heard nothing',
    'on hold',
    'dispute',
    'look elsewhere',
    'painfully',
    'complaining',
    'timing out',
    'timed out',
    'need a date',
    'not promises',
    'nothing has changed',
    'stopped using',
    'cannot work',
    'sitting idle',
    'did not go out',
    'do not match',
  ],
  competitorPhrases: [
    'competitor',
    'alternatives',
    'trial of ',
    'pilot with ',
    'offered a much better price',
    'other vendors',
    'another vendor',
    'vendor review',
    'comparing a few platforms',
    'looking at other',
    'switch to ',
    'switching to ',
  ],
  // The budget: rule factors 88 points, the predictive model 12 (100 in all). Without a model probability
  // the model's 12 points are spread over the rule factors (scoring.ts, ruleScaleWithoutModel).
  weights: {
    usage_decline: { max: 20, from: 10, to: 60 },
    feature_adoption: { max: 3, from: 10, to: 50 },
    ticket_surge: { max: 8, from: 1.5, to: 5 },
    negative_tickets: { max: 8, from: 0, to: 3 },
    sentiment_trend: { max: 3, from: 0.1, to: 0.6 },
    competitor: { max: 5, from: 0, to: 1 },
    champion_departure: { max: 15, from: 180, to: 60 },
    exec_gap: { max: 3, from: 45, to: 150 },
    health_drop: { max: 4, from: 5, to: 35 },
    health_level: { max: 4, from: 75, to: 35 },
    nps: { max: 6, from: 8, to: 3 },
    communication: { max: 2, from: 20, to: 70 },
    renewal: { max: 7, from: 180, to: 30 },
    model: { max: 12, from: 0, to: 0.25 },
  },
  renewalGatePoints: 30,
  backtestHorizonDays: 90,
  priority: {
    tiers: [
      {
        priority: 'critical',
        minArr: 500_000,
        maxDaysToRenewal: 90,
        minScore: 70,
        label: '> $500K ARR, renewal within 90 days, high risk',
      },
      { priority: 'high', minArr: 200_000, minScore: 50, label: '> $200K ARR, moderate risk' },
      {
        priority: 'high',
        importance: { strategic: true },
        minScore: 65,
        label: 'strategic account, elevated risk',
      },
      {
        priority: 'medium',
        importance: { strategic: true, expansion: ['medium', 'high'] },
        minScore: 30,
        label: 'strategic or expansion account, early warning signs',
      },
      { priority: 'medium', minScore: 50, label: 'moderate risk' },
      { priority: 'low', label: 'smaller account or minor issues' },
    ],
    severe: { minScore: 80, raiseBy: 1, criticalMinArr: 100_000 },
    response: {
      critical: { label: 'Immediate response with an executive summary', responseHours: 1 },
      high: { label: 'Task with a 24-hour SLA', responseHours: 24 },
      medium: { label: 'Weekly review', responseHours: 168 },
      low: { label: 'Monitor', responseHours: null },
    },
  },
};

export const FACTOR_LABELS: Record<FactorKey, string> = {
  usage_decline: 'Usage decline',
  feature_adoption: 'Key-feature adoption drop',
  ticket_surge: 'Support ticket surge',
  negative_tickets: 'Negative support interactions',
  sentiment_trend: 'Sentiment worsening',
  competitor: 'Competitor mentions',
  champion_departure: 'Champion / sponsor departure',
  exec_gap: 'Executive engagement gap',
  health_drop: 'Health score drop',
  health_level: 'Low health score',
  nps: 'NPS detractor',
  communication: 'Communication drop',
  renewal: 'Renewal approaching',
  model: 'Predictive model',
};

/** The signal catalogue for the given windows (rules may reference exactly these keys). */
export const signalCatalog = (config: RiskConfig): SignalInfo[] => {
  const out: SignalInfo[] = [];
  for (const w of config.windows) {
    out.push(
      {
        key: `usage_drop_${w}d`,
        label: `Usage drop, ${w} days`,
        unit: 'percent',
        description: `Decline of active users over the last ${w} days vs the ${w} days before (positive = down).`,
      },
      {
        key: `login_drop_${w}d`,
        label: `Login drop, ${w} days`,
        unit: 'percent',
        description: `Decline of logins over the last ${w} days vs the ${w} days before (positive = down).`,
      },
      {
        key: `key_feature_drop_${w}d`,
        label: `Key-feature use drop, ${w} days`,
        unit: 'percent',
        description: `Decline of key-feature use over the last ${w} days vs the ${w} days before.`,
      },
      {
        key: `adoption_drop_${w}d`,
        label: `Features adopted drop, ${w} days`,
        unit: 'percent',
        description: `Decline of the number of features adopted over the last ${w} days vs the ${w} days before.`,
      },
    );
  }
  const c = config;
  out.push(
    {
      key: 'usage_drop_max',
      label: 'Largest usage/login drop',
      unit: 'percent',
      description: 'The largest usage or login drop over any configured window.',
    },
    {
      key: 'tickets_recent',
      label: `Tickets, last ${c.ticketRecentDays} days`,
      unit: 'count',
      description: `Tickets opened in the last ${c.ticketRecentDays} days.`,
    },
    {
      key: 'ticket_baseline',
      label: 'Ticket baseline',
      unit: 'count',
      description: `The account's own average tickets per ${c.ticketRecentDays} days over the ${c.ticketBaselineDays} days before.`,
    },
    {
      key: 'ticket_volume_ratio',
      label: 'Ticket volume vs baseline',
      unit: 'ratio',
      description: 'Recent tickets divided by the baseline (floored at 0.25 per period).',
    },
    {
      key: `negative_tickets_${c.negativeWindowDays}d`,
      label: `Negative tickets, ${c.negativeWindowDays} days`,
      unit: 'count',
      description: 'Tickets with at least one negative customer message in the window.',
    },
    {
      key: 'negative_tickets',
      label: 'Negative tickets',
      unit: 'count',
      description: `Same as negative_tickets_${c.negativeWindowDays}d.`,
    },
    {
      key: 'sentiment_recent',
      label: 'Recent sentiment',
      unit: 'score',
      description: `Mean customer-message sentiment (-1..1) over the last ${c.sentimentWindowDays} days.`,
    },
    {
      key: 'sentiment_trend',
      label: 'Sentiment trend',
      unit: 'score',
      description: `Recent sentiment minus the ${c.sentimentWindowDays * 3} days before (negative = worsening).`,
    },
    {
      key: 'competitor_mentions',
      label: 'Competitor mentions',
      unit: 'count',
      description: `Customer messages mentioning a competitor or an evaluation of alternatives in the last ${c.competitorWindowDays} days.`,
    },
    {
      key: 'days_to_renewal',
      label: 'Days to renewal',
      unit: 'days',
      description: 'Days from now to the renewal date.',
    },
    { key: 'arr', label: 'ARR', unit: 'usd', description: 'Annual recurring revenue.' },
    {
      key: 'health_latest',
      label: 'Health score',
      unit: 'score',
      description: 'The latest health score (0-100).',
    },
    {
      key: 'health_drop',
      label: 'Health drop',
      unit: 'score',
      description: `Health score ${c.healthWindowDays} days ago minus the latest (positive = worse).`,
    },
    {
      key: 'nps_latest',
      label: 'Latest NPS',
      unit: 'score',
      description: `The latest NPS answer (0-10) in the last ${c.npsMaxAgeDays} days.`,
    },
    {
      key: 'nps_detractor',
      label: 'NPS detractor',
      unit: 'flag',
      description: '1 when the latest NPS answer is 0-6.',
    },
    {
      key: 'champion_departed_days',
      label: 'Days since champion/sponsor left',
      unit: 'days',
      description: `Days since the most recent champion or executive-sponsor departure (within ${c.stakeholderMaxAgeDays} days).`,
    },
    {
      key: 'champion_departed',
      label: 'Champion/sponsor departed (90 days)',
      unit: 'flag',
      description: '1 when a champion or executive sponsor left in the last 90 days.',
    },
    {
      key: 'days_since_exec_engagement',
      label: 'Days since executive engagement',
      unit: 'days',
      description: 'Days since the last executive engagement (capped at 365).',
    },
    {
      key: `comm_drop_${c.commWindowDays}d`,
      label: 'Communication drop',
      unit: 'percent',
      description: `Decline of engagements over the last ${c.commWindowDays} days vs the ${c.commWindowDays} days before.`,
    },
    {
      key: 'comm_drop',
      label: 'Communication drop',
      unit: 'percent',
      description: `Same as comm_drop_${c.commWindowDays}d.`,
    },
    {
      key: 'open_escalation',
      label: 'Open escalation',
      unit: 'flag',
      description: '1 when the account already has an open escalation.',
    },
    {
      key: 'risk_score',
      label: 'Risk score',
      unit: 'score',
      description: 'The computed escalation risk score (0-100).',
    },
  );
  return out;
};

const num = (v: unknown, path: string, min = 0, max = Number.POSITIVE_INFINITY): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new CoreError('invalid_arguments', `${path}: expected a number between ${min} and ${max}`, path);
  }
  return v;
};

/** Merges a partial configuration over the defaults and checks it. */
export const normalizeConfig = (input: unknown): RiskConfig => {
  const src = (input && typeof input === 'object' ? input : {}) as Partial<RiskConfig>;
  const d = DEFAULT_CONFIG;
  const weights = { ...d.weights } as Record<FactorKey, RiskConfig['weights'][FactorKey]>;
  const srcWeights = (src.weights ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(srcWeights)) {
    if (!(FACTOR_KEYS as readonly string[]).includes(k)) {
      throw new CoreError('invalid_arguments', `weights.${k}: unknown factor '${k}'`, `weights.${k}`);
    }
    const w = srcWeights[k] as Partial<RiskConfig['weights'][FactorKey]>;
    const base = d.weights[k as FactorKey];
    const merged = { ...base, ...w };
    num(merged.max, `weights.${k}.max`, 0, 100);
    num(merged.from, `weights.${k}.from`, Number.NEGATIVE_INFINITY);
    num(merged.to, `weights.${k}.to`, Number.NEGATIVE_INFINITY);
    if (merged.from === merged.to)
      throw new CoreError('invalid_arguments', `weights.${k}: from and to must differ`, `weights.${k}`);
    weights[k as FactorKey] = merged;
  }
  const cfg: RiskConfig = { ...d, ...src, weights, priority: { ...d.priority, ...(src.priority ?? {}) } };
  if (!Array.isArray(cfg.windows) || cfg.windows.length === 0 || cfg.windows.length > 6) {
    throw new CoreError('invalid_arguments', 'windows: expected 1 to 6 window lengths in days', 'windows');
  }
  cfg.windows.forEach((w, i) => {
    num(w, `windows[${i}]`, 7, 365);
  });
  for (const k of [
    'ticketRecentDays',
    'ticketBaselineDays',
    'negativeWindowDays',
    'sentimentWindowDays',
    'competitorWindowDays',
    'commWindowDays',
    'healthWindowDays',
    'npsMaxAgeDays',
    'stakeholderMaxAgeDays',
    'backtestHorizonDays',
  ] as const) {
    num(cfg[k], k, 1, 1000);
  }
  num(cfg.renewalGatePoints, 'renewalGatePoints', 1, 100);
  for (const k of ['competitors', 'negativePhrases', 'competitorPhrases'] as const) {
    if (
      !Array.isArray(cfg[k]) ||
      cfg[k].some((s) => typeof s !== 'string' || s.trim() === '' || s.length > 100)
    ) {
      throw new CoreError('invalid_arguments', `${k}: expected a list of non-empty phrases`, k);
    }
  }
  const p = cfg.priority;
  if (!Array.isArray(p.tiers) || p.tiers.length === 0) {
    throw new CoreError('invalid_arguments', 'priority.tiers: expected at least one tier', 'priority.tiers');
  }
  p.tiers.forEach((t, i) => {
    if (!PRIORITIES.includes(t.priority)) {
      throw new CoreError(
        'invalid_arguments',
        `priority.tiers[${i}].priority: unknown priority '${String(t.priority)}'`,
        `priority.tiers[${i}].priority`,
      );
    }
  });
  for (const pr of PRIORITIES) {
    if (!p.response?.[pr])
      throw new CoreError('invalid_arguments', `priority.response.${pr}: missing`, `priority.response.${pr}`);
  }
  return cfg;
};

const CONFIG_KEY = 'config';

export const loadConfig = (store: PortfolioStore): RiskConfig => {
  const row = store.get<{ value: string }>('SELECT value FROM risk_config WHERE key = ?', [CONFIG_KEY]);
  if (!row) return DEFAULT_CONFIG;
  try {
    return normalizeConfig(JSON.parse(row.value));
  } catch {
    return DEFAULT_CONFIG;
  }
};

export const saveConfig = (
  store: PortfolioStore,
  input: unknown,
  by: string | null,
  at: string,
): RiskConfig => {
  const cfg = normalizeConfig(input);
  store.write((tx) =>
    tx.run(
      'INSERT INTO risk_config(key, value, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      [CONFIG_KEY, JSON.stringify(cfg), at, by],
    ),
  );
  return cfg;
};
