/**
 * Types of the risk engine (signals, rules, score, priority, queue, heatmap) shared by core and renderer.
 * Evidence is always a list of record references `table:id` (e.g. `tickets:42`) the UI can link to.
 */
import type { ExpansionPotential, Priority, Segment } from './domain';

export type RecordRef = string;

/** The portfolio-wide catalogue entry of one signal (what rules may reference). */
export interface SignalInfo {
  key: string;
  label: string;
  unit: 'percent' | 'count' | 'days' | 'score' | 'ratio' | 'flag' | 'usd';
  description: string;
}

/** All signals of one account as of a date; a value is null when the data to compute it is missing. */
export interface AccountSignals {
  accountId: number;
  asOf: string;
  values: Record<string, number | null>;
  /** Per signal, the records behind it (only when computed with evidence). */
  evidence: Record<string, RecordRef[]>;
  account: SignalAccount;
}

export interface SignalAccount {
  id: number;
  name: string;
  segment: Segment;
  tier: string | null;
  arr: number;
  isStrategic: boolean;
  expansionPotential: ExpansionPotential;
  /** The renewal date in force at asOf (annual contracts are projected back from the stored date). */
  renewalDate: string | null;
}

// ---------------------------------------------------------------- configuration

export const FACTOR_KEYS = [
  'usage_decline',
  'feature_adoption',
  'ticket_surge',
  'negative_tickets',
  'sentiment_trend',
  'competitor',
  'champion_departure',
  'exec_gap',
  'health_drop',
  'health_level',
  'nps',
  'communication',
  'renewal',
  'model',
] as const;
export type FactorKey = (typeof FACTOR_KEYS)[number];

/**
 * A factor's points ramp linearly from 0 at `from` to `max` at `to` (from > to for "lower is worse" signals,
 * e.g. health level). Outside the ramp it stays at 0 or `max`.
 */
export interface FactorWeight {
  max: number;
  from: number;
  to: number;
}

export interface PriorityTier {
  priority: Priority;
  minArr?: number;
  maxDaysToRenewal?: number;
  minScore?: number;
  /** The account must be strategic or have one of these expansion potentials. */
  importance?: { strategic?: boolean; expansion?: ExpansionPotential[] };
  label?: string;
}

export interface PriorityMatrix {
  /** Evaluated in order; the first tier whose conditions all hold gives the base priority. */
  tiers: PriorityTier[];
  /** Severe risk raises the base priority by `raiseBy` levels (Critical only when ARR ≥ criticalMinArr). */
  severe: { minScore: number; raiseBy: number; criticalMinArr: number };
  /** Response expectation per priority (the routing issue uses responseHours as the SLA). */
  response: Record<Priority, { label: string; responseHours: number | null }>;
}

export interface RiskConfig {
  /** Usage, login and key-feature windows in days (each compared with the window before it). */
  windows: number[];
  ticketRecentDays: number;
  ticketBaselineDays: number;
  negativeWindowDays: number;
  sentimentWindowDays: number;
  competitorWindowDays: number;
  commWindowDays: number;
  healthWindowDays: number;
  npsMaxAgeDays: number;
  stakeholderMaxAgeDays: number;
  /** Competitor names matched in customer messages (case-insensitive). */
  competitors: string[];
  /** Phrases that count as a negative customer message when no sentiment is stored for it. */
  negativePhrases: string[];
  /** Phrases that count as a competitor/alternative evaluation mention. */
  competitorPhrases: string[];
  weights: Record<FactorKey, FactorWeight>;
  /** Renewal proximity counts only in proportion to the other points, reaching full weight at this many. */
  renewalGatePoints: number;
  /** Precision horizon (days) used by default in backtests. */
  backtestHorizonDays: number;
  priority: PriorityMatrix;
}

// ---------------------------------------------------------------- score

export interface FactorContribution {
  key: FactorKey;
  label: string;
  points: number;
  max: number;
  /** The signal value(s) behind the points, in words, e.g. "logins -62% over 45 days". */
  detail: string;
  signals: Record<string, number | null>;
  evidence: RecordRef[];
}

export interface RiskOverride {
  id: number;
  score: number;
  priority: Priority | null;
  reason: string;
  setBy: string;
  setAt: string;
  expiresAt: string | null;
}

export interface ScoreChange {
  key: FactorKey;
  label: string;
  before: number;
  after: number;
  delta: number;
}

export interface ScoreHistoryPoint {
  day: string;
  score: number;
  computedScore: number;
  priority: Priority;
  /** 'stored' rows were recorded by a rescore; 'replayed' rows were computed from history for the chart. */
  kind: 'stored' | 'replayed';
}

export interface ResponseExpectation {
  label: string;
  responseHours: number | null;
}

export interface AccountRisk {
  accountId: number;
  accountName: string;
  asOf: string;
  /** The score in force: the override's when one is active, else the computed one. */
  score: number;
  computedScore: number;
  priority: Priority;
  computedPriority: Priority;
  priorityReason: string;
  response: ResponseExpectation;
  factors: FactorContribution[];
  override: RiskOverride | null;
  /** Factor changes vs. seven days earlier (computed with the same rules on the records then). */
  changes: { since: string; scoreBefore: number; factors: ScoreChange[] };
  history: ScoreHistoryPoint[];
  signals: AccountSignals;
  flags: FlagRow[];
  arr: number;
  arrAtRisk: number;
  daysToRenewal: number | null;
}

// ---------------------------------------------------------------- rules

export const RULE_OPS = ['>=', '>', '<=', '<', '==', '!='] as const;
export type RuleOp = (typeof RULE_OPS)[number];

export interface RuleCondition {
  signal: string;
  op: RuleOp;
  value: number;
}

export interface RuleGroup {
  match: 'all' | 'any';
  conditions: (RuleCondition | RuleGroup)[];
}

export interface RuleDefinition extends RuleGroup {
  name: string;
  description?: string;
  scope?: { segments?: Segment[]; tiers?: string[]; minArr?: number; maxArr?: number };
  /** No new flag for the same account and rule within this many days of the previous one. */
  cooldownDays: number;
}

export interface RuleRow {
  id: number;
  key: string;
  name: string;
  version: number;
  enabled: boolean;
  builtin: boolean;
  definition: RuleDefinition;
  updatedAt: string;
  updatedBy: string | null;
  openFlags: number;
}

export interface RuleProblem {
  path: string;
  message: string;
}

export interface BacktestPoint {
  date: string;
  flags: number;
  truePositives: number;
  escalations: number;
}

export interface BacktestResult {
  rule: { name: string; version: number | null };
  from: string;
  to: string;
  stepDays: number;
  horizonDays: number;
  evaluations: number;
  flags: number;
  truePositives: number;
  /** Flags too recent to judge (their horizon reaches past the data). */
  pending: number;
  /** truePositives / judged flags (null when none). */
  precision: number | null;
  escalations: number;
  caught: number;
  /** caught / escalations (null when there were none). */
  recall: number | null;
  medianLeadDays: number | null;
  accountsFlagged: number;
  /** Per month: flags raised, those followed by an escalation, escalations opened. */
  series: BacktestPoint[];
  /** A few examples for the UI: flagged accounts and whether an escalation followed. */
  samples: { accountId: number; accountName: string; date: string; escalatedAt: string | null }[];
  ms: number;
}

// ---------------------------------------------------------------- flags & queue

export const FLAG_STATUSES = ['open', 'snoozed', 'confirmed', 'dismissed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export interface FlagRow {
  id: number;
  accountId: number;
  ruleId: number;
  ruleKey: string;
  ruleName: string;
  ruleVersion: number;
  raisedAt: string;
  status: FlagStatus;
  score: number | null;
  priority: Priority | null;
  evidence: RecordRef[];
  snoozedUntil: string | null;
  snoozeReason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  dismissReason: string | null;
  escalationId: number | null;
}

export interface ConfirmFlagResult {
  flag: FlagRow;
  escalationId: number;
  /** False when the account already had an open escalation and the flag was attached to it. */
  created: boolean;
}

export interface TopFactor {
  key: FactorKey;
  label: string;
  points: number;
  detail: string;
}

export interface QueueItem {
  accountId: number;
  accountName: string;
  segment: Segment;
  arr: number;
  arrAtRisk: number;
  renewalDate: string | null;
  daysToRenewal: number | null;
  score: number;
  computedScore: number;
  overridden: boolean;
  priority: Priority;
  response: ResponseExpectation;
  topFactors: TopFactor[];
  flags: FlagRow[];
  firstRaisedAt: string;
}

export const QUEUE_SORTS = ['priority', 'score', 'arrAtRisk', 'daysToRenewal'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface RescoreSummary {
  accounts: number;
  flagsRaised: number;
  asOf: string;
  ms: number;
  byPriority: Record<Priority, number>;
}

// ---------------------------------------------------------------- heatmap

export const HEATMAP_ROWS = ['segment', 'arrBand'] as const;
export const HEATMAP_COLS = ['renewalWindow', 'riskBand'] as const;

export interface HeatmapCell {
  row: string;
  col: string;
  count: number;
  arr: number;
  arrAtRisk: number;
  avgScore: number;
  maxScore: number;
  accountIds: number[];
}

export interface Heatmap {
  rowKind: (typeof HEATMAP_ROWS)[number];
  colKind: (typeof HEATMAP_COLS)[number];
  rows: { key: string; label: string }[];
  cols: { key: string; label: string }[];
  cells: HeatmapCell[];
  totals: { accounts: number; arr: number; arrAtRisk: number };
}
