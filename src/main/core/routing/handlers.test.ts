import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clockFor,
  ensureRoutingSchema,
  insertEscalation,
  seedTeam,
  type Team,
} from '../../../../tests/fakes/routing-fixture';
import { FakeSlack } from '../../../../tests/fakes/slack-webhook';
import { routingContract } from '../../../shared/contracts/routing';
import type { EscalationDetailView, TeamMemberView } from '../../../shared/routing-types';
import type { Core } from '../core';
import { PortfolioStore } from '../db/store';
import { EventBus } from '../events';
import { routingHandlers } from './handlers';

type Fn = (args: unknown) => unknown;
let call: (name: keyof typeof routingContract, args: unknown) => Promise<unknown>;
let store: PortfolioStore;
let team: Team;
let slack: FakeSlack;

beforeEach(async () => {
  store = await PortfolioStore.memory();
  ensureRoutingSchema(store);
  team = seedTeam(store);
  const { ctx } = clockFor(store, '2026-01-05T15:00:00.000Z', new EventBus());
  const map = routingHandlers(ctx as unknown as Core) as unknown as Record<string, Fn>;
  // The same path a transport takes: validate with the contract's schema, then run the handler.
  call = async (name, args) => {
    const parsed = routingContract[name].args.safeParse(args);
    if (!parsed.success)
      throw new Error(
        `${name}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`,
      );
    return map[name]!(parsed.data);
  };
  slack = await FakeSlack.start();
});

afterEach(() => slack.stop());

describe('routing contract handlers', () => {
  it('has a handler for every contract entry', () => {
    const map = routingHandlers({ store, now: () => new Date() } as unknown as Core) as unknown as Record<
      string,
      Fn
    >;
    expect(Object.keys(map).sort()).toEqual(Object.keys(routingContract).sort());
  });

  it('Team page: lists load vs capacity and availability; edits capacity, out of office and preferences', async () => {
    insertEscalation(store, {
      accountId: team.account,
      priority: 'high',
      decidedAt: '2026-01-05T15:00:00.000Z',
      ownerId: team.alex,
    });
    const members = (await call('team.members', {})) as TeamMemberView[];
    const alex = members.find((m) => m.id === team.alex)!;
    expect(alex).toMatchObject({ load: 1, capacity: 5, availableNow: true, timezone: 'America/Chicago' });
    const saved = (await call('team.save', {
      id: team.alex,
      name: 'Alex Sample',
      role: 'csm',
      capacity: 7,
      outOfOffice: [{ from: '2026-01-05', to: '2026-01-06' }],
    })) as TeamMemberView;
    expect(saved).toMatchObject({
      capacity: 7,
      availableNow: false,
      availability: 'out of office until 2026-01-06',
    });
    await expect(
      call('team.save', { name: 'X', role: 'csm', workingHours: { start: '9', end: '17:00', days: [1] } }),
    ).rejects.toThrow(/workingHours.start/);
    await expect(call('team.save', { name: 'X', role: 'csm', timezone: 'Mars/Base' })).rejects.toThrow(
      /unknown time zone/,
    );
    const prefs = await call('team.savePrefs', {
      memberId: team.alex,
      channels: ['desktop'],
      quietHours: { start: '19:00', end: '07:00' },
      digestTime: '08:30',
      dailyBudget: 5,
    });
    expect(prefs).toMatchObject({ dailyBudget: 5 });
  });

  it('escalation detail: owner and reason, SLA countdown, path steps and timeline', async () => {
    const id = insertEscalation(store, {
      accountId: team.account,
      priority: 'critical',
      decidedAt: '2026-01-05T15:00:00.000Z',
      category: 'adoption',
      productArea: 'analytics',
    });
    await call('routing.route', { escalationId: id });
    await call('sla.pause', { escalationId: id, reason: 'customer on holiday' });
    await call('sla.resume', { escalationId: id });
    const d = (await call('routing.setStatus', {
      escalationId: id,
      status: 'acknowledged',
      by: 'Alex Sample',
    })) as EscalationDetailView;
    expect(d.ownerName).toBe('Alex Sample');
    expect(d.routingReason).toMatch(/^Alex Sample \(score/);
    expect(d.sla!.clocks[0]).toMatchObject({ kind: 'ack', status: 'met' });
    expect(d.sla!.clocks[1]).toMatchObject({ kind: 'progress', status: 'running', remainingMinutes: 240 });
    expect(d.path.map((p) => p.status)).toEqual(['stopped', 'pending']);
    expect(d.timeline.map((t) => t.kind)).toEqual([
      'assigned',
      'sla_paused',
      'sla_resumed',
      'status_changed',
    ]);
    expect(d.link).toBe(`bellwether://escalations/${id}`);
    const cands = (await call('routing.candidates', { escalationId: id })) as { candidates: unknown[] };
    expect(cands.candidates).toHaveLength(3);
    await call('routing.assign', { escalationId: id, memberId: team.casey, by: 'Morgan Sample' });
    const inbox = (await call('inbox.list', { unreadOnly: true })) as {
      unread: number;
      items: { id: number }[];
    };
    expect(inbox.unread).toBe(3);
    expect(await call('inbox.markRead', { ids: [inbox.items[0]!.id] })).toEqual({ updated: 1 });
    expect(await call('inbox.markRead', { all: true })).toEqual({ updated: 2 });
  });

  it('settings: SLA policies, paths and channels, with a send-test per channel', async () => {
    const s = (await call('routing.settings', {})) as {
      policies: { priority: string }[];
      paths: Record<string, unknown[]>;
    };
    expect(s.policies.map((p) => p.priority)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(s.paths.high).toHaveLength(2);
    await call('sla.savePolicy', {
      priority: 'low',
      clock: 'business',
      targets: [{ kind: 'ack', minutes: 960 }],
      warnPct: 80,
      handling: 'monitor',
      description: 'two business days',
    });
    await call('routing.savePath', {
      priority: 'low',
      steps: [{ level: 1, when: 'no_ack', afterMinutes: 960, clock: 'business', notify: ['owner_manager'] }],
    });
    await call('routing.saveSettings', { holidays: ['12-25'], appUrl: 'http://127.0.0.1:5177' });
    const after = (await call('routing.settings', {})) as {
      policies: { priority: string; warnPct: number }[];
      paths: Record<string, unknown[]>;
      settings: { holidays: string[] };
    };
    expect(after.policies[3]!.warnPct).toBe(80);
    expect(after.paths.low).toHaveLength(1);
    expect(after.settings.holidays).toEqual(['12-25']);
    const ch = (await call('notifications.saveChannel', {
      kind: 'slack',
      name: '#alerts',
      config: { url: slack.url },
    })) as { id: number };
    expect(await call('notifications.test', { channelId: ch.id })).toEqual({
      ok: true,
      outcome: 'sent',
      message: 'test message delivered',
    });
    await expect(
      call('notifications.saveChannel', { kind: 'slack', name: 'x', config: { url: 'not a url' } }),
    ).rejects.toThrow(/config.url/);
    expect(await call('notifications.removeChannel', { id: ch.id })).toEqual({ removed: true });
  });

  it('tick through the contract runs the automations and lists the runs', async () => {
    const id = insertEscalation(store, {
      accountId: team.account,
      priority: 'critical',
      decidedAt: '2026-01-05T15:00:00.000Z',
    });
    await call('routing.route', { escalationId: id });
    const report = (await call('automations.tick', { now: '2026-01-07T00:00:00.000Z' })) as {
      actions: unknown[];
    };
    expect(report.actions.length).toBe(6);
    const runs = (await call('automations.runs', {})) as { actions: unknown[] }[];
    expect(runs).toHaveLength(1);
    expect(runs[0]!.actions).toHaveLength(6);
    expect(await call('outbox.list', { status: 'sent' })).toHaveLength(11); // desktop: owner, VP, 2 warnings, 2 breaches x (owner + manager), path steps 1 + 2
  });
});
