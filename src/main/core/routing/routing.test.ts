import { beforeEach, describe, expect, it } from 'vitest';
import {
  clockFor,
  ensureRoutingSchema,
  insertEscalation,
  seedTeam,
  type Team,
} from '../../../../tests/fakes/routing-fixture';
import { PortfolioStore } from '../db/store';
import { runAutomations, startAutomations } from './automations';
import type { RoutingCtx } from './ctx';
import { routeConfirmed } from './escalate';
import { changeStatus } from './escalation';
import { escalationDetail } from './handlers';
import { pathState } from './paths';
import { assignOwner, rankCandidates } from './router';
import { saveSettings } from './settings';
import { pauseSla, resumeSla, slaState } from './sla';
import { availabilityAt, getMember, saveMember } from './team';

const MONDAY_9_CHICAGO = '2026-01-05T15:00:00.000Z';

let store: PortfolioStore;
let team: Team;
let clock: ReturnType<typeof clockFor>;
let ctx: RoutingCtx;

beforeEach(async () => {
  store = await PortfolioStore.memory();
  ensureRoutingSchema(store);
  team = seedTeam(store);
  clock = clockFor(store, MONDAY_9_CHICAGO);
  ctx = clock.ctx;
});

const critical = (over: Partial<Parameters<typeof insertEscalation>[1]> = {}): number =>
  insertEscalation(store, {
    accountId: team.account,
    priority: 'critical',
    decidedAt: MONDAY_9_CHICAGO,
    category: 'adoption',
    productArea: 'analytics',
    ...over,
  });

const events = (id: number): { kind: string; at: string; detail: Record<string, unknown> }[] =>
  store
    .all<{ kind: string; occurred_at: string; detail: string }>(
      'SELECT kind, occurred_at, detail FROM escalation_events WHERE escalation_id = ? ORDER BY occurred_at, id',
      [id],
    )
    .map((r) => ({
      kind: r.kind,
      at: r.occurred_at,
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));

describe('routing: ranking candidates', () => {
  it('ranks by expertise, workload, availability, success and relationship, with a reason per factor', () => {
    const id = critical();
    const r = rankCandidates(ctx, id);
    expect(r.candidates.map((c) => c.name)).toEqual(['Alex Sample', 'Casey Sample', 'Blair Sample']);
    const alex = r.recommended!;
    expect(alex.fits).toBe(true);
    expect(r.warning).toBeNull();
    const f = Object.fromEntries(alex.factors.map((x) => [x.name, x]));
    expect(f.expertise!.score).toBe(1);
    expect(f.expertise!.reason).toBe(
      'expertise in product:analytics, category:adoption, industry:manufacturing, segment:enterprise',
    );
    expect(f.workload!.reason).toBe('0 of 5 open escalations');
    expect(f.availability!.reason).toMatch(/^working now \(2026-01-05 09:00 \(America\/Chicago\)\)/);
    expect(f.success!.reason).toBe('no similar escalations with a recorded outcome yet');
    expect(alex.reason).toContain('Alex Sample (score');
    // Blair owns the account but knows none of its areas.
    const blair = r.candidates.find((c) => c.name === 'Blair Sample')!;
    expect(blair.factors.find((x) => x.name === 'relationship')!.reason).toBe(
      'already the CSM of TechFlow Industries',
    );
    // Leaders and account executives are not candidates.
    expect(r.candidates.some((c) => c.role === 'cs_leader' || c.role === 'account_executive')).toBe(false);
  });

  it('counts past success on similar escalations from outcomes', () => {
    for (let i = 0; i < 3; i++) {
      const past = critical({
        ownerId: team.casey,
        status: 'resolved',
        decidedAt: '2025-06-01T00:00:00.000Z',
      });
      store.write((tx) =>
        tx.run(
          "INSERT INTO outcomes(escalation_id, outcome, arr_before, arr_after, resolved_at) VALUES (?, 'saved', 1, 1, '2025-07-01')",
          [past],
        ),
      );
    }
    const lost = critical({ ownerId: team.alex, status: 'resolved', decidedAt: '2025-06-01T00:00:00.000Z' });
    store.write((tx) =>
      tx.run(
        "INSERT INTO outcomes(escalation_id, outcome, arr_before, arr_after, resolved_at) VALUES (?, 'churned', 1, 0, '2025-07-01')",
        [lost],
      ),
    );
    const r = rankCandidates(ctx, critical());
    const casey = r.candidates.find((c) => c.name === 'Casey Sample')!;
    expect(casey.factors.find((f) => f.name === 'success')!.reason).toBe(
      '3 of 3 similar escalations saved or expanded',
    );
    const alex = r.candidates.find((c) => c.name === 'Alex Sample')!;
    expect(alex.factors.find((f) => f.name === 'success')!.reason).toBe(
      '0 of 1 similar escalations saved or expanded',
    );
  });

  it('puts nobody over capacity while someone else fits, and says so when nobody does', () => {
    for (let i = 0; i < 5; i++) critical({ ownerId: team.alex });
    let r = rankCandidates(ctx, critical());
    expect(r.recommended!.name).toBe('Casey Sample');
    const alex = r.candidates.find((c) => c.name === 'Alex Sample')!;
    expect(alex.overCapacity).toBe(true);
    expect(alex.fits).toBe(false);
    expect(alex.factors.find((f) => f.name === 'workload')!.reason).toBe(
      '5 of 5 open escalations — at capacity',
    );
    for (let i = 0; i < 4; i++) critical({ ownerId: team.casey });
    for (let i = 0; i < 3; i++) critical({ ownerId: team.blair });
    r = rankCandidates(ctx, critical());
    expect(r.candidates.every((c) => !c.fits)).toBe(true);
    expect(r.recommended).not.toBeNull();
    expect(r.warning).toMatch(
      /nobody who fits has room: .* goes to \d+ of \d+ open escalations \(over capacity\)/,
    );
  });

  it('treats out-of-office members as unavailable and reads working hours in their zone', () => {
    saveMember(ctx, {
      id: team.alex,
      name: 'Alex Sample',
      role: 'csm',
      outOfOffice: [{ from: '2026-01-05', to: '2026-01-09', note: 'vacation' }],
    });
    const r = rankCandidates(ctx, critical());
    const alex = r.candidates.find((c) => c.name === 'Alex Sample')!;
    expect(alex.available).toBe(false);
    expect(alex.factors.find((f) => f.name === 'availability')!.reason).toBe(
      'out of office until 2026-01-09 (vacation)',
    );
    expect(r.recommended!.name).toBe('Casey Sample');
    // 15:00Z is 15:00 in London: Blair is working; 23:30Z is off hours, back at 09:00 London the next day.
    const blair = getMember(store, team.blair)!;
    expect(availabilityAt(store, blair, Date.parse('2026-01-05T15:00:00Z')).workingNow).toBe(true);
    expect(availabilityAt(store, blair, Date.parse('2026-01-05T23:30:00Z')).text).toBe(
      'off hours; back 2026-01-06 09:00 (Europe/London)',
    );
  });
});

describe('routing: assigning', () => {
  it('auto-assigns by policy, starts the SLA clocks and records assignment and reassignment', () => {
    const id = critical();
    const res = routeConfirmed(ctx, id);
    expect(res.ownerName).toBe('Alex Sample');
    expect(res.reason).toContain('expertise in product:analytics');
    expect(res.sla.map((s) => [s.kind, s.dueAt])).toEqual([
      ['ack', '2026-01-05T16:00:00.000Z'],
      ['progress', '2026-01-05T19:00:00.000Z'],
    ]);
    clock.advance(10);
    const re = assignOwner(ctx, id, team.casey, { by: 'Morgan Sample', note: 'needs a technical owner' });
    expect(re.previousOwnerId).toBe(team.alex);
    const ev = events(id).filter((e) => e.kind === 'assigned' || e.kind === 'reassigned');
    expect(ev.map((e) => [e.kind, e.detail.toName, e.detail.fromName ?? null])).toEqual([
      ['assigned', 'Alex Sample', null],
      ['reassigned', 'Casey Sample', 'Alex Sample'],
    ]);
    expect(ev[1]!.detail.note).toBe('needs a technical owner');
    // The clocks keep running from the confirmation: reassigning does not reset them.
    expect(slaState(ctx, id)!.clocks[0]!.dueAt).toBe('2026-01-05T16:00:00.000Z');
    // The new owner and the VP (executive summary for a critical escalation) were notified.
    const inbox = store.all<{ member_id: number; title: string }>(
      'SELECT member_id, title FROM inbox ORDER BY id',
    );
    expect(inbox.map((i) => i.member_id)).toEqual([team.alex, team.vp, team.casey]);
    expect(inbox[1]!.title).toContain('Executive summary');
  });

  it('with auto-assign off, leaves the choice to a person but still starts the clocks', () => {
    saveSettings(ctx, { autoAssign: false });
    const id = critical();
    const res = routeConfirmed(ctx, id);
    expect(res.ownerId).toBeNull();
    expect(res.sla).toHaveLength(2);
    expect(rankCandidates(ctx, id).recommended!.name).toBe('Alex Sample');
  });

  it('warns when a person assigns someone over capacity while another has room', () => {
    for (let i = 0; i < 3; i++) critical({ ownerId: team.blair });
    const res = assignOwner(ctx, critical(), team.blair, { by: 'Morgan Sample' });
    expect(res.warning).toBe('Blair Sample goes over capacity (4 of 3); Alex Sample has room');
  });
});

describe('SLA clocks in business hours', () => {
  it("computes a High escalation confirmed on Friday afternoon in the owner's zone", () => {
    // Friday 2026-01-09 16:00 in Chicago = 22:00Z; Alex works 09-17 Chicago time.
    const id = insertEscalation(store, {
      accountId: team.account,
      priority: 'high',
      decidedAt: '2026-01-09T22:00:00.000Z',
      category: 'adoption',
      productArea: 'analytics',
    });
    clock.set('2026-01-09T22:00:00.000Z');
    routeConfirmed(ctx, id);
    const s = slaState(ctx, id)!;
    expect(s.clocks.map((c) => [c.kind, c.dueAt, c.dueLocal])).toEqual([
      ['ack', '2026-01-12T16:00:00.000Z', '2026-01-12 10:00 (America/Chicago)'],
      ['progress', '2026-01-12T22:00:00.000Z', '2026-01-12 16:00 (America/Chicago)'],
    ]);
    // Over the weekend nothing elapses.
    clock.set('2026-01-11T12:00:00.000Z');
    const w = slaState(ctx, id)!.clocks[0]!;
    expect(w.elapsedMinutes).toBe(60);
    expect(w.remainingMinutes).toBe(60);
    expect(w.status).toBe('running');
    clock.set('2026-01-12T15:40:00.000Z'); // 09:40 Chicago: 100 of 120 min used
    expect(slaState(ctx, id)!.clocks[0]!.status).toBe('warning');
    clock.set('2026-01-12T16:30:00.000Z');
    expect(slaState(ctx, id)!.clocks[0]!).toMatchObject({ status: 'breached', remainingMinutes: -30 });
  });

  it('pauses with a reason and moves the due time out by the paused working time', () => {
    const id = critical();
    routeConfirmed(ctx, id);
    clock.set('2026-01-05T15:30:00.000Z');
    const paused = pauseSla(ctx, id, "waiting for the customer's logs", 'Alex Sample')!;
    expect(paused.paused!.reason).toBe("waiting for the customer's logs");
    expect(paused.clocks[0]).toMatchObject({ status: 'paused', dueAt: null });
    clock.set('2026-01-05T17:30:00.000Z');
    expect(runAutomations(ctx, clock.now()).actions.filter((a) => a.kind === 'sla_breach')).toEqual([]);
    const resumed = resumeSla(ctx, id, 'Alex Sample')!;
    expect(resumed.clocks[0]).toMatchObject({
      dueAt: '2026-01-05T18:00:00.000Z',
      elapsedMinutes: 30,
      status: 'running',
    });
    expect(events(id).map((e) => e.kind)).toEqual(expect.arrayContaining(['sla_paused', 'sla_resumed']));
  });

  it('is met when acknowledged in time, and met late after a breach', () => {
    const id = critical();
    routeConfirmed(ctx, id);
    clock.set('2026-01-05T15:20:00.000Z');
    changeStatus(ctx, id, 'acknowledged', 'Alex Sample');
    clock.set('2026-01-05T20:00:00.000Z');
    changeStatus(ctx, id, 'in_progress', 'Alex Sample', 'call booked with the customer');
    const s = slaState(ctx, id)!;
    expect(s.clocks.map((c) => [c.kind, c.status, c.metAt])).toEqual([
      ['ack', 'met', '2026-01-05T15:20:00.000Z'],
      ['progress', 'met_late', '2026-01-05T20:00:00.000Z'],
    ]);
  });
});

describe('escalation paths on a movable clock', () => {
  it('escalates along the path when days pass with no progress, dating each step when it fell due', () => {
    const id = critical();
    routeConfirmed(ctx, id);
    const { actions } = runAutomations(ctx, new Date('2026-01-08T15:00:00.000Z'));
    expect(actions.map((a) => [a.at, a.kind])).toEqual([
      ['2026-01-05T15:45:00.000Z', 'sla_warning'],
      ['2026-01-05T16:00:00.000Z', 'sla_breach'],
      ['2026-01-05T16:00:00.000Z', 'path_step'],
      ['2026-01-05T18:00:00.000Z', 'sla_warning'],
      ['2026-01-05T19:00:00.000Z', 'sla_breach'],
      ['2026-01-06T15:00:00.000Z', 'path_step'],
    ]);
    expect(actions[2]!.notified).toEqual(['Dana Sample (the CS leader)']);
    expect(actions[5]!.notified).toEqual([
      'Morgan Sample (the VP of CS)',
      'Drew Sample (the account executive)',
    ]);
    const steps = events(id).filter((e) => e.kind === 'path_step');
    expect(steps.map((s) => [s.at, s.detail.level, s.detail.reason])).toEqual([
      ['2026-01-05T16:00:00.000Z', 1, 'no acknowledgement within 1 h of confirmation'],
      ['2026-01-06T15:00:00.000Z', 2, 'no progress within 1 day of confirmation'],
    ]);
    expect(pathState(ctx, id).map((s) => s.status)).toEqual(['fired', 'fired']);
    // Running again at the same time (or later with nothing new due) does nothing twice.
    expect(runAutomations(ctx, new Date('2026-01-08T15:00:00.000Z')).actions).toEqual([]);
    expect(runAutomations(ctx, new Date('2026-01-09T15:00:00.000Z')).actions).toEqual([]);
    expect(events(id).filter((e) => e.kind === 'path_step')).toHaveLength(2);
    const detail = escalationDetail(ctx, id);
    expect(detail.timeline.map((t) => t.text)).toContain(
      'Escalated to level 2: no progress within 1 day of confirmation — notified Morgan Sample (the VP of CS), Drew Sample (the account executive)',
    );
  });

  it('stops when the escalation progresses: acknowledged in time skips level 1, progress skips level 2', () => {
    const id = critical();
    routeConfirmed(ctx, id);
    clock.set('2026-01-05T15:30:00.000Z');
    changeStatus(ctx, id, 'acknowledged', 'Alex Sample');
    expect(pathState(ctx, id).map((s) => s.status)).toEqual(['stopped', 'pending']);
    clock.set('2026-01-06T10:00:00.000Z');
    changeStatus(ctx, id, 'progress', 'Alex Sample', 'exec sponsor call scheduled');
    const { actions } = runAutomations(ctx, new Date('2026-01-10T00:00:00.000Z'));
    expect(actions.filter((a) => a.kind === 'path_step')).toEqual([]);
    expect(actions.filter((a) => a.kind === 'path_not_needed')).toHaveLength(2);
    expect(pathState(ctx, id).map((s) => s.status)).toEqual(['not_needed', 'not_needed']);
  });

  it('catches up after sleep exactly as if it had been running: one tick equals many', async () => {
    const build = async (): Promise<{ s: PortfolioStore; c: RoutingCtx; id: number }> => {
      const s = await PortfolioStore.memory();
      ensureRoutingSchema(s);
      const t = seedTeam(s);
      const c = clockFor(s, MONDAY_9_CHICAGO).ctx;
      const id = insertEscalation(s, {
        accountId: t.account,
        priority: 'high',
        decidedAt: MONDAY_9_CHICAGO,
        category: 'adoption',
        productArea: 'analytics',
      });
      routeConfirmed(c, id);
      insertEscalation(s, { accountId: t.account, priority: 'medium', decidedAt: MONDAY_9_CHICAGO });
      routeConfirmed(c, id + 1);
      return { s, c, id };
    };
    const a = await build();
    const b = await build();
    const end = Date.parse('2026-01-20T00:00:00.000Z');
    for (let t = Date.parse(MONDAY_9_CHICAGO); t <= end; t += 97 * 60_000) runAutomations(a.c, new Date(t));
    runAutomations(a.c, new Date(end));
    runAutomations(b.c, new Date(end));
    const dump = (s: PortfolioStore) => ({
      events: s.all(
        "SELECT escalation_id, occurred_at, kind, actor FROM escalation_events WHERE kind NOT IN ('assigned') ORDER BY id",
      ),
      notifications: s.all(
        'SELECT dedupe_key, member_id, disposition, deliver_at, released_at FROM notifications ORDER BY dedupe_key',
      ),
      outbox: s.all('SELECT dedupe_key, next_attempt_at FROM outbox ORDER BY dedupe_key'),
    });
    const da = dump(a.s);
    const db = dump(b.s);
    expect(da.events.length).toBeGreaterThan(4);
    expect(da).toEqual(db);
  });
});

describe('safety net', () => {
  it('routes an escalation confirmed elsewhere on the next tick, but leaves history alone', () => {
    runAutomations(ctx, new Date(MONDAY_9_CHICAGO)); // routing starts here
    const old = critical({ decidedAt: '2025-12-01T00:00:00.000Z' });
    const fresh = critical({ decidedAt: '2026-01-05T15:05:00.000Z' });
    const { actions } = runAutomations(ctx, new Date('2026-01-05T15:06:00.000Z'));
    expect(actions.filter((a) => a.kind === 'routed').map((a) => a.escalationId)).toEqual([fresh]);
    expect(slaState(ctx, fresh)!.clocks[0]!.dueAt).toBe('2026-01-05T16:05:00.000Z');
    expect(slaState(ctx, old)).toBeNull();
    expect(
      runAutomations(ctx, new Date('2026-01-05T15:07:00.000Z')).actions.filter((a) => a.kind === 'routed'),
    ).toEqual([]);
  });
});

describe('running while the app is open', () => {
  it('ticks at once (catching up) and then on an interval, until stopped', async () => {
    const id = critical();
    routeConfirmed(ctx, id);
    clock.set('2026-01-06T16:00:00.000Z');
    const errors: unknown[] = [];
    const stop = startAutomations(ctx, 20, (e) => errors.push(e));
    await new Promise((r) => setTimeout(r, 300));
    stop();
    expect(errors).toEqual([]);
    expect(events(id).filter((e) => e.kind === 'path_step')).toHaveLength(2);
    const runs = store.all<{ actions: number }>('SELECT actions FROM automation_runs ORDER BY id');
    expect(runs.map((r) => r.actions)).toEqual([6]); // later ticks found nothing new
  });
});
