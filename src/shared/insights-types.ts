/** Types of the monitor / measure / improve capability (issue 9). Every figure carries the record ids behind it. */
import type { Segment } from './domain';
import type { RuleDefinition } from './risk-types';

export interface MetricsQuery {
  from: string;
  to: string;
  segment?: Segment;
  /** A flag counts as a true positive when the account escalates within this many days (default 60). */
  horizonDays?: number;
}

export interface Breakdown {
  key: string;
  escalations: number;
  resolved: number;
  medianResolutionDays: number | null;
  p90ResolutionDays: number | null;
  /** Share of resolved escalations that ended saved or expanded. */
  resolutionRate: number | null;
  escalationIds: number[];
}

export interface Metrics {
  from: string;
  to: string;
  segment: Segment | null;
  horizonDays: number;
  /** How each figure is counted, in words, shown next to it. */
  definitions: Record<string, string>;
  flagsRaised: number;
  flagsJudged: number;
  flagsFollowedByEscalation: number;
  /** flagsFollowedByEscalation / flagsJudged. */
  precision: number | null;
  /** Accounts flagged that did not escalate / accounts that did not escalate. */
  falsePositiveRate: number | null;
  escalationsOpened: number;
  escalationsFlaggedBeforehand: number;
  /** escalationsFlaggedBeforehand / escalationsOpened. */
  recall: number | null;
  leadTimeDays: { median: number | null; p25: number | null; p75: number | null; n: number };
  resolution: {
    resolved: number;
    medianDays: number | null;
    p90Days: number | null;
    rate: number | null;
    byCategory: Breakdown[];
    byPriority: Breakdown[];
    byOwner: Breakdown[];
  };
  sla: { clocks: number; met: number; breached: number; attainment: number | null };
  preventedChurnArr: number;
  arrLostToChurn: number;
  arrLostToDowngrade: number;
  arrAtRiskNow: { arr: number; accounts: number };
  refs: {
    flags: number[];
    truePositiveFlags: number[];
    escalations: number[];
    caughtEscalations: number[];
    savedOutcomes: number[];
    atRiskAccounts: number[];
    /** The account of every escalation referenced above (for links). */
    escalationAccounts: Record<number, number>;
  };
}

export interface EffectSize {
  signal: string;
  label: string;
  /** Escalation rate when the signal was present vs absent, with a 95% CI on the ratio. */
  ratePresent: number | null;
  rateAbsent: number | null;
  riskRatio: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  nPresent: number;
  nAbsent: number;
  smallSample: boolean;
}

export interface StrategyStat {
  category: string;
  strategy: string;
  used: number;
  succeeded: number;
  rate: number;
  ciLow: number;
  ciHigh: number;
  smallSample: boolean;
  outcomeIds: number[];
}

export interface MissedEscalation {
  escalationId: number;
  accountId: number;
  accountName: string;
  openedAt: string;
  category: string | null;
  /** The signals that were present before it opened (the rules missed them). */
  signals: { key: string; label: string; value: number | null }[];
}

export interface FirstActionEffect {
  thresholdHours: number;
  fast: { n: number; saved: number; rate: number | null };
  slow: { n: number; saved: number; rate: number | null };
  none: { n: number; saved: number; rate: number | null };
  definition: string;
}

export interface SystemicCluster {
  key: string;
  rootCause: string | null;
  productArea: string | null;
  topTerms: string[];
  escalations: number;
  accounts: { id: number; name: string; arr: number }[];
  arrAffected: number;
  monthly: { month: string; count: number }[];
  recent: number;
  previous: number;
  growing: boolean;
  escalationIds: number[];
  ticketIds: number[];
}

export interface Patterns {
  from: string;
  to: string;
  effects: EffectSize[];
  strategies: StrategyStat[];
  missed: MissedEscalation[];
  firstAction: FirstActionEffect;
  systemic: SystemicCluster[];
}

/** A rule's backtest summary (the same replay as the rule editor's backtest). */
export interface RuleBacktestSummary {
  flags: number;
  truePositives: number;
  pending: number;
  precision: number | null;
  escalations: number;
  caught: number;
  recall: number | null;
  medianLeadDays: number | null;
}

export interface RuleRecommendation {
  /** Stable id, e.g. `2:tighten`. */
  id: string;
  ruleId: number;
  ruleKey: string;
  ruleName: string;
  ruleVersion: number;
  kind: 'tighten' | 'loosen' | 'review';
  /** One line, e.g. "Raise risk_score >= 25 to >= 30". */
  title: string;
  why: string;
  /** The proposed definition (null for 'review': nothing concrete to change). */
  proposed: RuleDefinition | null;
  /** Backtest of the rule as it is and as proposed, over the same period. */
  before: RuleBacktestSummary | null;
  after: RuleBacktestSummary | null;
  flags: number;
  confirmed: number;
  dismissed: number;
  /** dismissed / (dismissed + confirmed). */
  dismissalRate: number | null;
  dismissReasons: { reason: string; count: number }[];
  /** Escalations of accounts in the rule's scope that this rule did not flag in the horizon before. */
  missedEscalationIds: number[];
  missedSignals: { key: string; label: string; count: number }[];
  /** The flags behind the figures (dismissed ones first). */
  flagIds: number[];
  /** Where the rule editor opens this rule with its backtest. */
  link: string;
}

export interface ReviewEscalation {
  id: number;
  accountId: number;
  accountName: string;
  arr: number;
  category: string | null;
  priority: string;
  openedAt: string;
  resolvedAt: string | null;
  outcomeId: number | null;
  outcome: string | null;
  arrBefore: number | null;
  arrAfter: number | null;
}

export interface ReviewMonthPoint {
  month: string;
  escalations: number;
  flags: number;
  saved: number;
  churned: number;
  preventedChurnArr: number;
  arrLost: number;
}

export interface MonthlyReview {
  month: string;
  /** First and last day of the month (inclusive). */
  from: string;
  to: string;
  generatedAt: string;
  opened: ReviewEscalation[];
  resolved: ReviewEscalation[];
  outcomes: { saved: number; expanded: number; churned: number; downgraded: number };
  current: Metrics;
  previous: Metrics;
  /** The 12 months ending with `month`. */
  monthly: ReviewMonthPoint[];
  /** Patterns over the 12 months ending with `month`. */
  patterns: Patterns;
  recommendations: RuleRecommendation[];
  highlights: string[];
}
