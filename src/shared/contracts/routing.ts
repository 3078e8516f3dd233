/** Contract entries for the Team page, escalation detail (owner, SLA, path, timeline), settings and inbox. */
import { z } from 'zod';
import { ESCALATION_STATUSES, PRIORITIES, TEAM_ROLES } from '../domain';
import type {
  AssignResult,
  AutomationAction,
  ChannelView,
  EscalateResult,
  EscalationDetailView,
  InboxItem,
  NotificationPrefs,
  OutboxItem,
  PathStep,
  RoutingResult,
  RoutingSettings,
  SlaPolicy,
  SlaState,
  TeamMemberView,
  TickReport,
} from '../routing-types';
import { id, isoDateTime, returns } from './helpers';

const hm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected a time as HH:MM');
const by = z.string().min(1).max(120).optional();

export const workingHoursSchema = z
  .object({ start: hm, end: hm, days: z.array(z.number().int().min(0).max(7)).min(1).max(7) })
  .strict();
const outOfOfficeSchema = z
  .object({ from: isoDateTime, to: isoDateTime, note: z.string().max(200).optional() })
  .strict();
const channelKind = z.enum(['desktop', 'slack', 'email']);
const pathTarget = z.enum(['owner', 'owner_manager', 'cs_leader', 'vp_cs', 'account_executive']);

export const slaPolicySchema = z
  .object({
    priority: z.enum(PRIORITIES),
    clock: z.enum(['business', 'calendar']),
    targets: z
      .array(
        z
          .object({
            kind: z.enum(['ack', 'progress', 'resolve']),
            minutes: z.number().int().min(1).max(525_600),
          })
          .strict(),
      )
      .max(3),
    warnPct: z.number().int().min(1).max(99),
    handling: z.enum(['immediate', 'task', 'weekly_review', 'monitor']),
    description: z.string().max(500),
  })
  .strict();

export const pathStepSchema = z
  .object({
    level: z.number().int().min(1).max(10),
    when: z.enum(['no_ack', 'no_progress']),
    afterMinutes: z.number().int().min(1).max(525_600),
    clock: z.enum(['business', 'calendar']),
    notify: z.array(pathTarget).min(1),
  })
  .strict();

const channelInput = z.discriminatedUnion('kind', [
  z
    .object({
      id: id.optional(),
      kind: z.literal('slack'),
      name: z.string().min(1).max(100),
      config: z.object({ url: z.string().url() }).strict(),
      enabled: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      id: id.optional(),
      kind: z.literal('email'),
      name: z.string().min(1).max(100),
      config: z
        .object({
          host: z.string().min(1).max(255),
          port: z.number().int().min(1).max(65535),
          from: z.string().min(3).max(255),
          helo: z.string().max(255).optional(),
        })
        .strict(),
      enabled: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      id: id.optional(),
      kind: z.literal('desktop'),
      name: z.string().min(1).max(100),
      config: z.object({}).strict(),
      enabled: z.boolean().optional(),
    })
    .strict(),
]);

export const routingContract = {
  // Team page
  'team.members': {
    args: z.object({ includeInactive: z.boolean().optional() }).strict(),
    result: returns<TeamMemberView[]>(),
  },
  'team.save': {
    args: z
      .object({
        id: id.optional(),
        name: z.string().min(1).max(200),
        email: z.string().email().nullable().optional(),
        role: z.enum(TEAM_ROLES),
        skills: z.array(z.string().min(1).max(100)).max(100).optional(),
        capacity: z.number().int().min(0).max(1000).optional(),
        timezone: z.string().min(1).max(100).optional(),
        workingHours: workingHoursSchema.optional(),
        outOfOffice: z.array(outOfOfficeSchema).max(100).optional(),
        managerId: id.nullable().optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    result: returns<TeamMemberView>(),
  },
  'team.savePrefs': {
    args: z
      .object({
        memberId: id,
        channels: z.array(channelKind).max(3),
        quietHours: z.object({ start: hm, end: hm }).strict().nullable(),
        digestTime: hm,
        dailyBudget: z.number().int().min(0).max(1000),
      })
      .strict(),
    result: returns<NotificationPrefs>(),
  },

  // Routing and the escalation detail
  'routing.candidates': { args: z.object({ escalationId: id }).strict(), result: returns<RoutingResult>() },
  'routing.assign': {
    args: z.object({ escalationId: id, memberId: id, by, note: z.string().max(1000).optional() }).strict(),
    result: returns<AssignResult>(),
  },
  'routing.route': { args: z.object({ escalationId: id, by }).strict(), result: returns<EscalateResult>() },
  'routing.detail': {
    args: z.object({ escalationId: id }).strict(),
    result: returns<EscalationDetailView>(),
  },
  'routing.setStatus': {
    args: z
      .object({
        escalationId: id,
        status: z.union([z.enum(ESCALATION_STATUSES), z.literal('progress')]),
        by,
        note: z.string().max(2000).optional(),
      })
      .strict(),
    result: returns<EscalationDetailView>(),
  },
  'sla.state': { args: z.object({ escalationId: id }).strict(), result: returns<SlaState | null>() },
  'sla.pause': {
    args: z.object({ escalationId: id, reason: z.string().min(1).max(500), by }).strict(),
    result: returns<SlaState | null>(),
  },
  'sla.resume': { args: z.object({ escalationId: id, by }).strict(), result: returns<SlaState | null>() },

  // Settings: SLAs, paths, channels
  'routing.settings': {
    args: z.object({}).strict(),
    result: returns<{
      settings: RoutingSettings;
      policies: SlaPolicy[];
      paths: Record<string, PathStep[]>;
      channels: ChannelView[];
    }>(),
  },
  'routing.saveSettings': {
    args: z
      .object({
        autoAssign: z.boolean().optional(),
        holidays: z
          .array(z.string().regex(/^(\d{4}-)?\d{2}-\d{2}$/, 'expected YYYY-MM-DD or MM-DD'))
          .max(400)
          .optional(),
        appUrl: z.string().url().nullable().optional(),
      })
      .strict(),
    result: returns<RoutingSettings>(),
  },
  'sla.savePolicy': { args: slaPolicySchema, result: returns<SlaPolicy>() },
  'routing.savePath': {
    args: z.object({ priority: z.enum(PRIORITIES), steps: z.array(pathStepSchema).max(10) }).strict(),
    result: returns<PathStep[]>(),
  },
  'notifications.channels': { args: z.object({}).strict(), result: returns<ChannelView[]>() },
  'notifications.saveChannel': { args: channelInput, result: returns<ChannelView>() },
  'notifications.removeChannel': { args: z.object({ id }).strict(), result: returns<{ removed: boolean }>() },
  'notifications.test': {
    args: z.object({ channelId: id, to: z.string().email().optional() }).strict(),
    result: returns<{ ok: boolean; outcome: string; message: string }>(),
  },

  // Inbox (desktop notifications in web mode) and outbox review
  'inbox.list': {
    args: z
      .object({
        memberId: id.optional(),
        unreadOnly: z.boolean().optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: returns<{ unread: number; items: InboxItem[] }>(),
  },
  'inbox.markRead': {
    args: z.object({ ids: z.array(id).max(1000).optional(), all: z.boolean().optional() }).strict(),
    result: returns<{ updated: number }>(),
  },
  'outbox.list': {
    args: z
      .object({
        status: z.enum(['queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled']).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: returns<OutboxItem[]>(),
  },
  'outbox.review': {
    args: z.object({ id, action: z.enum(['resend', 'dismiss']), by }).strict(),
    result: returns<OutboxItem>(),
  },

  // Automations
  'automations.tick': {
    args: z.object({ now: isoDateTime.optional(), deliver: z.boolean().optional() }).strict(),
    result: returns<TickReport>(),
  },
  'automations.runs': {
    args: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    result: returns<{ ranAt: string; caughtUpFrom: string | null; actions: AutomationAction[] }[]>(),
  },
} as const;
