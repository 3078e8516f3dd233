/** Domain types shared by core and renderer. Row shapes mirror the schema in src/main/core/db/migrations. */

export const SEGMENTS = ['enterprise', 'mid_market', 'smb'] as const;
export type Segment = (typeof SEGMENTS)[number];

export const EXPANSION = ['none', 'low', 'medium', 'high'] as const;
export type ExpansionPotential = (typeof EXPANSION)[number];

export const TEAM_ROLES = ['csm', 'technical', 'cs_leader', 'executive', 'account_executive'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export const ESCALATION_STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const OUTCOMES = ['saved', 'expanded', 'churned', 'downgraded'] as const;
export type OutcomeKind = (typeof OUTCOMES)[number];

export interface PortfolioInfo {
  /** 'demo' when the portfolio was generated; 'user' otherwise. */
  kind: 'demo' | 'user';
  path: string | null;
  schemaVersion: number;
  accounts: number;
  /** The date the demo story is anchored to (ISO date), or null for user data. */
  asOf: string | null;
  createdAt: string;
}

export interface AccountRow {
  id: number;
  name: string;
  segment: Segment;
  tier: string | null;
  industry: string | null;
  arr: number;
  isStrategic: boolean;
  expansionPotential: ExpansionPotential;
  contractStart: string | null;
  renewalDate: string | null;
  daysToRenewal: number | null;
  ownerId: number | null;
  ownerName: string | null;
  status: 'active' | 'churned';
  latestHealth: number | null;
  source: string;
  externalId: string | null;
}

export interface AccountListPage {
  total: number;
  rows: AccountRow[];
}

export interface ContactRow {
  id: number;
  name: string;
  title: string | null;
  email: string | null;
  isChampion: boolean;
  isExecSponsor: boolean;
  status: 'active' | 'departed';
  departedAt: string | null;
}

export interface UsagePoint {
  id: number;
  periodStart: string;
  activeUsers: number;
  logins: number;
  keyFeatureUse: number;
}

export interface TicketMessage {
  id: number;
  side: 'customer' | 'agent';
  authorName: string | null;
  body: string;
  createdAt: string;
  sentimentLabel: string | null;
  sentimentScore: number | null;
}

export interface TicketWithMessages {
  id: number;
  subject: string;
  productArea: string | null;
  priority: string;
  status: string;
  createdAt: string;
  solvedAt: string | null;
  messages: TicketMessage[];
}

export interface HealthPoint {
  id: number;
  scoredAt: string;
  score: number;
}

export interface NpsResponse {
  id: number;
  respondedAt: string;
  score: number;
  comment: string | null;
  contactName: string | null;
}

export interface EngagementEvent {
  id: number;
  occurredAt: string;
  kind: string;
  isExecutive: boolean;
  summary: string | null;
}

export interface TimelineItem {
  at: string;
  kind: 'ticket' | 'stakeholder' | 'health' | 'nps' | 'engagement' | 'escalation';
  title: string;
  /** Which record this item comes from: `table:id`. */
  ref: string;
}

export interface AccountDetail {
  account: AccountRow;
  contacts: ContactRow[];
  usage: UsagePoint[];
  tickets: TicketWithMessages[];
  health: HealthPoint[];
  nps: NpsResponse[];
  engagements: EngagementEvent[];
  timeline: TimelineItem[];
}

export interface TeamMemberRow {
  id: number;
  name: string;
  email: string | null;
  role: TeamRole;
  skills: string[];
  capacity: number;
  timezone: string;
  openEscalations: number;
}
