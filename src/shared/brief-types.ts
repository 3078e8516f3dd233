/**
 * Types of the escalation brief, the action plan, the strategy library, the QBR pack and the optional local
 * language model settings. Shared by the core (src/main/core/brief) and the renderer.
 *
 * Every statement in a brief or plan is a `BriefItem`: a sentence plus the records it comes from, as
 * `table:id` references (e.g. `tickets:12`, `ticket_messages:40`). Nothing is stated without a source, except
 * items of kind `empty` (which say that there is no data) and `note` (method notes such as small samples).
 */
import type { OutcomeKind, Priority, Segment, TeamRole } from './domain';

/** `table:id`, e.g. `tickets:12`. */
export type Citation = string;

export interface BriefItem {
  text: string;
  citations: Citation[];
  /** fact (default): grounded in the cited records; empty: says there is no data; note: a method note. */
  kind?: 'fact' | 'empty' | 'note';
  /** Emphasised in renderings (e.g. a primary risk). */
  emphasis?: boolean;
}

export const BRIEF_SECTION_IDS = [
  'overview',
  'escalation',
  'interactions',
  'usage',
  'stakeholders',
  'competitive',
  'risk',
  'similar',
] as const;
export type BriefSectionId = (typeof BRIEF_SECTION_IDS)[number];

export interface BriefSection {
  id: BriefSectionId;
  title: string;
  items: BriefItem[];
}

/** One factor of the risk score, as the risk engine (or the brief's fallback reader) explains it. */
export interface RiskFactor {
  /** Stable id, e.g. `champion_departure`, `usage_decline`. */
  id: string;
  label: string;
  /** Contribution to the 0-100 score, in points. */
  points: number;
  detail: string;
  citations: Citation[];
}

export interface RiskSummary {
  score: number;
  priority: Priority | null;
  /** Sorted by points, largest first. */
  factors: RiskFactor[];
  /** Which engine produced this: `risk-engine` or `brief-fallback`. */
  source: string;
}

export interface SimilarCase {
  escalationId: number;
  accountId: number;
  accountName: string;
  openedAt: string;
  category: string | null;
  summary: string | null;
  /** 0..1, combined similarity. */
  similarity: number;
  signalSimilarity: number;
  textSimilarity: number;
  outcome: OutcomeKind | null;
  rootCause: string | null;
  strategies: string[];
  arrBefore: number | null;
  arrAfter: number | null;
  /** Signals the two cases share, e.g. `champion departure`. */
  shared: string[];
  citations: Citation[];
}

export interface UsageChartPoint {
  date: string;
  logins: number;
  activeUsers: number;
  ref: Citation;
}

export interface HealthChartPoint {
  date: string;
  score: number;
  ref: Citation;
}

export interface SourceRef {
  ref: Citation;
  label: string;
}

export interface Brief {
  accountId: number;
  accountName: string;
  escalationId: number | null;
  /** The date the brief describes (ISO date); the brief is a pure function of the data and this date. */
  asOf: string;
  title: string;
  /** One-paragraph headline built from the primary risks (grounded). */
  headline: BriefItem;
  sections: BriefSection[];
  risk: RiskSummary;
  /** The factor ids the brief names as primary risks (top factors). */
  primaryRisks: string[];
  similarCases: SimilarCase[];
  usage: UsageChartPoint[];
  health: HealthChartPoint[];
  /** Dated events to mark on the charts (champion departure, escalation opened). */
  markers: { date: string; label: string; ref: Citation }[];
  /** Every record cited anywhere in the brief, with a human label. */
  sources: SourceRef[];
  /** Prose drafted by the optional local model from the facts above; absent unless asked for. */
  narrative?: BriefNarrative;
}

export interface BriefNarrative {
  text: string;
  model: string;
  draftedAt: string;
}

// ---------------------------------------------------------------------------------------------------------
// Strategy library

export interface StrategyTaskTemplate {
  title: string;
  /** Days after the plan starts. */
  dayOffset: number;
  role: TeamRole;
}

export interface StrategyDefinition {
  id: string;
  name: string;
  description: string;
  /** Risk factor ids this strategy addresses. */
  addresses: string[];
  /** Who is needed, by role, and why. */
  people: { role: TeamRole; why: string }[];
  /** Other resources (materials, budget approvals...). */
  resources: string[];
  tasks: StrategyTaskTemplate[];
  talkingPoints: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Action plan

export interface PlanStrategy {
  strategyId: string;
  name: string;
  rank: number;
  rationale: BriefItem;
  /** Success on similar past cases that used it: saved or expanded / used. */
  successRate: number | null;
  successes: number;
  uses: number;
  smallSample: boolean;
}

export interface PlanPerson {
  teamMemberId: number | null;
  name: string | null;
  role: TeamRole;
  why: string;
  strategyIds: string[];
  citations: Citation[];
}

export interface PlanTask {
  id: string;
  title: string;
  strategyId: string | null;
  due: string;
  ownerId: number | null;
  ownerName: string | null;
  ownerRole: TeamRole | null;
  done: boolean;
  doneAt: string | null;
  doneBy: string | null;
}

export interface PlanBody {
  accountId: number;
  accountName: string;
  escalationId: number | null;
  startsOn: string;
  rootCause: { hypothesis: BriefItem; evidence: BriefItem[] };
  strategies: PlanStrategy[];
  people: PlanPerson[];
  resources: string[];
  tasks: PlanTask[];
  talkingPoints: BriefItem[];
  /** Free prose the team edits (internal only). */
  notes: string;
}

export interface PlanVersion {
  id: number;
  accountId: number;
  escalationId: number | null;
  version: number;
  author: string;
  createdAt: string;
  body: PlanBody;
}

export interface PlanVersionInfo {
  id: number;
  version: number;
  author: string;
  createdAt: string;
  tasksDone: number;
  tasksTotal: number;
}

export interface LineDiff {
  op: 'same' | 'add' | 'remove';
  text: string;
}

export interface PlanDiff {
  from: number;
  to: number;
  /** Line diff of the plan's prose (root cause, notes, talking points). */
  prose: LineDiff[];
  tasksAdded: PlanTask[];
  tasksRemoved: PlanTask[];
  tasksChanged: { id: string; changes: { field: string; from: unknown; to: unknown }[] }[];
  strategiesFrom: string[];
  strategiesTo: string[];
}

// ---------------------------------------------------------------------------------------------------------
// QBR escalation review pack

export const RENEWAL_WINDOWS = ['overdue', '0-30', '31-90', '91-180', '181-365', '>365', 'none'] as const;
export type RenewalWindow = (typeof RENEWAL_WINDOWS)[number];

export interface QbrHeatCell {
  segment: Segment;
  window: RenewalWindow;
  accounts: number;
  arr: number;
  /** Mean risk score of the accounts in the cell (null when empty). */
  meanRisk: number | null;
  arrAtRisk: number;
}

export interface QbrEscalationRow {
  escalationId: number;
  accountId: number;
  accountName: string;
  priority: Priority;
  status: string;
  ownerName: string | null;
  openedAt: string;
  summary: string | null;
  outcome: OutcomeKind | null;
  arrBefore: number | null;
  arrAfter: number | null;
}

export interface QbrPack {
  asOf: string;
  accountIds: number[];
  accounts: {
    id: number;
    name: string;
    segment: Segment;
    arr: number;
    renewalDate: string | null;
    risk: number;
  }[];
  heatmap: QbrHeatCell[];
  escalations: QbrEscalationRow[];
  outcomes: { kind: OutcomeKind; count: number; arrBefore: number; arrAfter: number }[];
  /** ARR retained by escalations that ended saved or expanded (arr_after, capped at arr_before). */
  arrSaved: number;
  /** ARR lost by escalations that ended churned or downgraded (arr_before - arr_after). */
  arrLost: number;
  countingRule: string;
}

// ---------------------------------------------------------------------------------------------------------
// Optional local language model

export interface LlmSettings {
  enabled: boolean;
  /** OpenAI-compatible base URL, loopback only, e.g. http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  timeoutMs: number;
}

export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  enabled: false,
  baseUrl: 'http://127.0.0.1:11434/v1',
  model: 'llama3.1',
  timeoutMs: 60_000,
};

export interface ExportResult {
  format: 'md' | 'pdf';
  bytes: number;
  /** Set when the export was written to a file. */
  path?: string;
  /** Set when no path was given: the file's content, base64. */
  base64?: string;
}
