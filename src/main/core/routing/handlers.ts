/** Contract handlers for routing: Team page, escalation detail, SLA, paths, settings, channels, inbox, tick. */
import type { z } from 'zod';
import type { routingContract } from '../../../shared/contracts/routing';
import { PRIORITIES } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type {
  ChannelKind,
  ChannelView,
  EscalationDetailView,
  InboxItem,
  PathStep,
  TimelineEntry,
} from '../../../shared/routing-types';
import type { HandlerMap } from '../api/registry';
import type { Core } from '../core';
import { tick } from './automations';
import type { RoutingCtx } from './ctx';
import { routeConfirmed } from './escalate';
import { changeStatus, getEscalation } from './escalation';
import { escalationScore } from './notify';
import { listOutbox, reviewOutbox, sendTest } from './outbox';
import { pathState } from './paths';
import { assignOwner, rankCandidates } from './router';
import {
  escalationLink,
  getPath,
  getSettings,
  listPolicies,
  savePath,
  savePolicy,
  saveSettings,
} from './settings';
import { pauseSla, resumeSla, slaState } from './sla';
import { getMember, listMemberViews, saveMember, savePrefs } from './team';

type RC = typeof routingContract;
type RoutingHandlerMap = {
  [K in keyof RC]: (args: z.output<RC[K]['args']>) => RC[K]['result'] | Promise<RC[K]['result']>;
};

const USER = 'user';

const timelineText = (kind: string, d: Record<string, unknown>): string => {
  switch (kind) {
    case 'assigned':
      return `Assigned to ${d.toName}${d.auto ? ' automatically' : ''}: ${d.reason ?? ''}${d.warning ? ` (${d.warning})` : ''}`;
    case 'reassigned':
      return `Reassigned from ${d.fromName ?? 'nobody'} to ${d.toName}: ${d.reason ?? ''}${d.warning ? ` (${d.warning})` : ''}`;
    case 'confirmed':
      return `Flag confirmed into an escalation${typeof d.score === 'number' ? ` (risk ${Math.round(d.score)}/100)` : ''}${d.note ? `: ${d.note}` : ''}`;
    case 'flag_attached':
      return 'Another risk flag attached to this escalation';
    case 'status_changed':
      return `Status ${d.from} → ${d.to}${d.note ? `: ${d.note}` : ''}`;
    case 'progress':
      return `Progress${d.note ? `: ${d.note}` : ''}`;
    case 'sla_warning':
      return `SLA warning: ${d.clock} target nearly used`;
    case 'sla_breach':
      return `SLA breached: ${d.clock} target missed`;
    case 'sla_paused':
      return `SLA paused: ${d.reason}`;
    case 'sla_resumed':
      return `SLA resumed (paused for: ${d.reason})`;
    case 'path_step': {
      const who = Array.isArray(d.notified)
        ? (d.notified as { name: string; as: string }[]).map((n) => `${n.name} (${n.as})`).join(', ')
        : '';
      return `Escalated to level ${d.level}: ${d.reason}${who ? ` — notified ${who}` : ''}`;
    }
    default:
      return typeof d.note === 'string' ? `${kind}: ${d.note}` : kind.replace(/_/g, ' ');
  }
};

export const escalationDetail = (ctx: RoutingCtx, escalationId: number): EscalationDetailView => {
  const e = getEscalation(ctx.store, escalationId);
  const owner = e.owner_id ? getMember(ctx.store, e.owner_id) : null;
  const timeline = ctx.store
    .all<{ id: number; occurred_at: string; kind: string; actor: string | null; detail: string }>(
      'SELECT id, occurred_at, kind, actor, detail FROM escalation_events WHERE escalation_id = ? ORDER BY occurred_at, id',
      [e.id],
    )
    .map((r): TimelineEntry => {
      let detail: Record<string, unknown> = {};
      try {
        detail = JSON.parse(r.detail) as Record<string, unknown>;
      } catch {
        detail = { raw: r.detail };
      }
      return {
        id: r.id,
        at: r.occurred_at,
        kind: r.kind,
        actor: r.actor,
        text: timelineText(r.kind, detail),
        detail,
      };
    });
  const lastAssign = [...timeline].reverse().find((t) => t.kind === 'assigned' || t.kind === 'reassigned');
  return {
    id: e.id,
    accountId: e.account_id,
    accountName: e.account_name,
    arr: e.account_arr,
    status: e.status,
    priority: e.priority,
    category: e.category,
    productArea: e.product_area,
    summary: e.summary,
    score: escalationScore(ctx.store, e),
    openedAt: e.opened_at,
    decidedBy: e.decided_by,
    decidedAt: e.decided_at,
    ownerId: owner?.id ?? null,
    ownerName: owner?.name ?? null,
    routingReason: (lastAssign?.detail.reason as string | undefined) ?? null,
    link: escalationLink(ctx.store, e.id),
    sla: slaState(ctx, e.id),
    path: pathState(ctx, e.id),
    timeline,
  };
};

const channelViews = (ctx: RoutingCtx): ChannelView[] =>
  ctx.store
    .all<{ id: number; kind: ChannelKind; name: string; config: string; enabled: number }>(
      'SELECT id, kind, name, config, enabled FROM notification_channels ORDER BY id',
    )
    .map((c) => ({
      id: c.id,
      kind: c.kind,
      name: c.name,
      config: JSON.parse(c.config) as Record<string, unknown>,
      enabled: c.enabled === 1,
    }));

export const saveChannel = (
  ctx: RoutingCtx,
  c: {
    id?: number | undefined;
    kind: ChannelKind;
    name: string;
    config: Record<string, unknown>;
    enabled?: boolean | undefined;
  },
): ChannelView => {
  const id = ctx.store.write((tx) => {
    if (c.id) {
      const r = tx.run(
        'UPDATE notification_channels SET kind = ?, name = ?, config = ?, enabled = ? WHERE id = ?',
        [c.kind, c.name, JSON.stringify(c.config), c.enabled === false ? 0 : 1, c.id],
      );
      if (!r.changes) throw new CoreError('not_found', `no notification channel ${c.id}`);
      return c.id;
    }
    return tx.run(
      'INSERT INTO notification_channels(kind, name, config, enabled, created_at) VALUES (?, ?, ?, ?, ?)',
      [c.kind, c.name, JSON.stringify(c.config), c.enabled === false ? 0 : 1, ctx.now().toISOString()],
    ).lastInsertRowid;
  });
  return channelViews(ctx).find((v) => v.id === id)!;
};

export const listInbox = (
  ctx: RoutingCtx,
  q: { memberId?: number | undefined; unreadOnly?: boolean | undefined; limit?: number | undefined },
): { unread: number; items: InboxItem[] } => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.memberId) {
    where.push('i.member_id = ?');
    params.push(q.memberId);
  }
  const unread =
    ctx.store.get<{ n: number }>(
      `SELECT count(*) AS n FROM inbox i WHERE read_at IS NULL${where.length ? ` AND ${where.join(' AND ')}` : ''}`,
      params,
    )?.n ?? 0;
  if (q.unreadOnly) where.push('i.read_at IS NULL');
  const items = ctx.store
    .all<{
      id: number;
      member_id: number | null;
      member_name: string | null;
      escalation_id: number | null;
      title: string;
      body: string;
      link: string | null;
      created_at: string;
      read_at: string | null;
    }>(
      `SELECT i.id, i.member_id, t.name AS member_name, i.escalation_id, i.title, i.body, i.link, i.created_at, i.read_at
       FROM inbox i LEFT JOIN team_members t ON t.id = i.member_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.created_at DESC, i.id DESC LIMIT ?`,
      [...params, q.limit ?? 100],
    )
    .map((r) => ({
      id: r.id,
      memberId: r.member_id,
      memberName: r.member_name,
      escalationId: r.escalation_id,
      title: r.title,
      body: r.body,
      link: r.link,
      createdAt: r.created_at,
      readAt: r.read_at,
    }));
  return { unread, items };
};

export const routingHandlers = (core: Core): HandlerMap => {
  const ctx: RoutingCtx = core;
  const map: RoutingHandlerMap = {
    'team.members': ({ includeInactive }) => listMemberViews(ctx, includeInactive ?? false),
    'team.save': (args) => saveMember(ctx, args),
    'team.savePrefs': (args) => savePrefs(ctx, args),

    'routing.candidates': ({ escalationId }) => rankCandidates(ctx, escalationId),
    'routing.assign': ({ escalationId, memberId, by, note }) =>
      assignOwner(ctx, escalationId, memberId, { by: by ?? USER, ...(note ? { note } : {}) }),
    'routing.route': ({ escalationId, by }) => routeConfirmed(ctx, escalationId, by ?? 'routing policy'),
    'routing.detail': ({ escalationId }) => escalationDetail(ctx, escalationId),
    'routing.setStatus': ({ escalationId, status, by, note }) => {
      if (
        status === 'closed' &&
        !ctx.store.get('SELECT 1 AS x FROM outcomes WHERE escalation_id = ?', [escalationId])
      ) {
        throw new CoreError(
          'conflict',
          'an escalation closes with its outcome: record it (saved, expanded, churned or downgraded) to close',
          'status',
        );
      }
      changeStatus(ctx, escalationId, status, by ?? USER, note);
      return escalationDetail(ctx, escalationId);
    },
    'sla.state': ({ escalationId }) => slaState(ctx, escalationId),
    'sla.pause': ({ escalationId, reason, by }) => pauseSla(ctx, escalationId, reason, by ?? USER),
    'sla.resume': ({ escalationId, by }) => resumeSla(ctx, escalationId, by ?? USER),

    'routing.settings': () => ({
      settings: getSettings(ctx.store),
      policies: listPolicies(ctx.store),
      paths: Object.fromEntries(PRIORITIES.map((p) => [p, getPath(ctx.store, p)])) as Record<
        string,
        PathStep[]
      >,
      channels: channelViews(ctx),
    }),
    'routing.saveSettings': (patch) =>
      saveSettings(ctx, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined))),
    'sla.savePolicy': (policy) => savePolicy(ctx, policy),
    'routing.savePath': ({ priority, steps }) => savePath(ctx, priority, steps),
    'notifications.channels': () => channelViews(ctx),
    'notifications.saveChannel': (c) => saveChannel(ctx, c),
    'notifications.removeChannel': ({ id }) => ({
      removed:
        ctx.store.write((tx) => tx.run('DELETE FROM notification_channels WHERE id = ?', [id]).changes) > 0,
    }),
    'notifications.test': async ({ channelId, to }) => {
      const o = await sendTest(ctx, channelId, to ?? null);
      return {
        ok: o.kind === 'sent',
        outcome: o.kind,
        message: o.kind === 'sent' ? 'test message delivered' : o.error,
      };
    },

    'inbox.list': (q) => listInbox(ctx, q),
    'inbox.markRead': ({ ids, all }) => {
      const at = core.now().toISOString();
      const updated = ctx.store.write((tx) => {
        if (all) return tx.run('UPDATE inbox SET read_at = ? WHERE read_at IS NULL', [at]).changes;
        let n = 0;
        for (const i of ids ?? [])
          n += tx.run('UPDATE inbox SET read_at = ? WHERE id = ? AND read_at IS NULL', [at, i]).changes;
        return n;
      });
      return { updated };
    },
    'outbox.list': (q) => listOutbox(ctx, q),
    'outbox.review': ({ id, action, by }) => reviewOutbox(ctx, id, action, by ?? USER),

    'automations.tick': ({ now, deliver }) =>
      tick(ctx, now ? new Date(now) : core.now(), { deliver: deliver ?? true }),
    'automations.runs': ({ limit }) =>
      ctx.store
        .all<{ ran_at: string; caught_up_from: string | null; summary: string }>(
          'SELECT ran_at, caught_up_from, summary FROM automation_runs ORDER BY id DESC LIMIT ?',
          [limit ?? 50],
        )
        .map((r) => ({ ranAt: r.ran_at, caughtUpFrom: r.caught_up_from, actions: JSON.parse(r.summary) })),
  };
  return map as unknown as HandlerMap;
};
