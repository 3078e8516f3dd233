/** Types for routing, SLA clocks, escalation paths, notifications and automations (shared by core and UI). */
import type { EscalationStatus, Priority, TeamRole } from './domain';

export interface WorkingHours {
  /** Local "HH:MM". */
  start: string;
  /** Local "HH:MM" ("24:00" allowed; end <= start = overnight). */
  end: string;
  /** 0 = Sunday ... 6 = Saturday. */
  days: number[];
}

/** An out-of-office range: ISO dates (whole days, inclusive) or ISO date-times. */
export interface OutOfOffice {
  from: string;
  to: string;
  note?: string;
}

export type ClockMode = 'business' | 'calendar';
export type SlaKind = 'ack' | 'progress' | 'resolve';

export interface SlaTarget {
  kind: SlaKind;
  minutes: number;
}

export interface SlaPolicy {
  priority: Priority;
  /** 'calendar' = 24x7 wall-clock time; 'business' = the owner's working hours, time zone and holidays. */
  clock: ClockMode;
  targets: SlaTarget[];
  /** Pre-breach warning when this share of the target has elapsed. */
  warnPct: number;
  /** How the escalation is handled: notified at once, a task, the weekly review, or monitoring only. */
  handling: 'immediate' | 'task' | 'weekly_review' | 'monitor';
  description: string;
}

export type PathTarget = 'owner' | 'owner_manager' | 'cs_leader' | 'vp_cs' | 'account_executive';

export interface PathStep {
  level: number;
  /** Fires when, `afterMinutes` after the escalation was confirmed, it has not been acknowledged / progressed. */
  when: 'no_ack' | 'no_progress';
  afterMinutes: number;
  clock: ClockMode;
  notify: PathTarget[];
}

export interface RoutingFactor {
  name: 'expertise' | 'workload' | 'availability' | 'success' | 'relationship';
  /** 0..1 */
  score: number;
  weight: number;
  reason: string;
}

export interface RoutingCandidate {
  memberId: number;
  name: string;
  role: TeamRole;
  /** 0..100 */
  score: number;
  rank: number;
  /** Available and with room under capacity. */
  fits: boolean;
  overCapacity: boolean;
  available: boolean;
  load: number;
  capacity: number;
  factors: RoutingFactor[];
  reason: string;
}

export interface RoutingResult {
  escalationId: number;
  candidates: RoutingCandidate[];
  recommended: RoutingCandidate | null;
  /** Set when the recommendation had to break a rule (e.g. nobody has room: someone goes over capacity). */
  warning: string | null;
}

export interface AssignResult {
  escalationId: number;
  ownerId: number;
  ownerName: string;
  previousOwnerId: number | null;
  reason: string;
  warning: string | null;
}

export type SlaClockStatus = 'running' | 'warning' | 'breached' | 'met' | 'met_late' | 'paused';

export interface SlaClockState {
  kind: SlaKind;
  targetMinutes: number;
  clock: ClockMode;
  timezone: string;
  startedAt: string;
  /** Null while paused (the due time moves out by the paused working time). */
  dueAt: string | null;
  warnAt: string | null;
  /** The due time as the owner's wall clock, e.g. "2026-03-09 10:00 (America/New_York)". */
  dueLocal: string | null;
  elapsedMinutes: number;
  /** Negative when breached. */
  remainingMinutes: number;
  pct: number;
  status: SlaClockStatus;
  metAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

export interface SlaPause {
  id: number;
  pausedAt: string;
  resumedAt: string | null;
  reason: string;
  pausedBy: string | null;
}

export interface SlaState {
  escalationId: number;
  priority: Priority;
  policy: SlaPolicy;
  now: string;
  paused: SlaPause | null;
  pauses: SlaPause[];
  clocks: SlaClockState[];
}

export interface PathStepState extends PathStep {
  index: number;
  dueAt: string | null;
  status: 'pending' | 'fired' | 'not_needed' | 'stopped';
  processedAt: string | null;
  notified: string[];
}

export interface TimelineEntry {
  id: number;
  at: string;
  kind: string;
  actor: string | null;
  text: string;
  detail: Record<string, unknown>;
}

export interface EscalationDetailView {
  id: number;
  accountId: number;
  accountName: string;
  arr: number;
  status: EscalationStatus;
  priority: Priority;
  category: string | null;
  productArea: string | null;
  summary: string | null;
  score: number | null;
  openedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  ownerId: number | null;
  ownerName: string | null;
  routingReason: string | null;
  link: string;
  sla: SlaState | null;
  path: PathStepState[];
  timeline: TimelineEntry[];
}

export type ChannelKind = 'desktop' | 'slack' | 'email';

export interface NotificationPrefs {
  memberId: number;
  channels: ChannelKind[];
  /** Local "HH:MM" range in the member's time zone; non-critical notifications wait until it ends. */
  quietHours: { start: string; end: string } | null;
  /** Local time the daily digest is sent. */
  digestTime: string;
  /** Immediate (non-critical) notifications per local day; over it they go into the digest. */
  dailyBudget: number;
}

export interface TeamMemberView {
  id: number;
  name: string;
  email: string | null;
  role: TeamRole;
  skills: string[];
  capacity: number;
  load: number;
  timezone: string;
  workingHours: WorkingHours;
  outOfOffice: OutOfOffice[];
  managerId: number | null;
  active: boolean;
  availableNow: boolean;
  availability: string;
  prefs: NotificationPrefs;
}

export interface ChannelView {
  id: number;
  kind: ChannelKind;
  name: string;
  /** slack: { url }; email: { host, port, from }; desktop: {} */
  config: Record<string, unknown>;
  enabled: boolean;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown' | 'cancelled';

export interface OutboxItem {
  id: number;
  dedupeKey: string;
  channelKind: ChannelKind;
  channelId: number | null;
  recipient: string | null;
  escalationId: number | null;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
  lastError: string | null;
}

export interface InboxItem {
  id: number;
  memberId: number | null;
  memberName: string | null;
  escalationId: number | null;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface AutomationAction {
  at: string;
  kind: 'routed' | 'sla_warning' | 'sla_breach' | 'path_step' | 'path_not_needed' | 'digest';
  escalationId: number | null;
  text: string;
  notified: string[];
}

export interface DeliveryReport {
  attempted: number;
  sent: number;
  retrying: number;
  failed: number;
  unknown: number;
  items: {
    id: number;
    channel: ChannelKind;
    recipient: string | null;
    status: OutboxStatus;
    error: string | null;
  }[];
}

export interface TickReport {
  now: string;
  caughtUpFrom: string | null;
  actions: AutomationAction[];
  delivery: DeliveryReport | null;
}

export interface RoutingSettings {
  autoAssign: boolean;
  holidays: string[];
  /** Base URL of web mode, used for links in messages instead of bellwether:// when set. */
  appUrl: string | null;
}

export interface EscalateResult {
  escalationId: number;
  accountId: number;
  accountName: string;
  priority: Priority;
  ownerId: number | null;
  ownerName: string | null;
  reason: string | null;
  warning: string | null;
  sla: {
    kind: SlaKind;
    dueAt: string | null;
    dueLocal: string | null;
    targetMinutes: number;
    clock: ClockMode;
  }[];
  path: { level: number; when: string; dueAt: string | null; notify: PathTarget[] }[];
  notifications: number;
}
