import { beforeEach, describe, expect, it } from 'vitest';
import type { PlanBody } from '../../../shared/brief-types';
import { PortfolioStore } from '../db/store';
import { addDays } from '../time';
import {
  diffLines,
  diffPlans,
  generatePlan,
  getPlanVersion,
  latestPlan,
  listPlanVersions,
  planCitations,
  planKey,
  rankStrategies,
  savePlanVersion,
  tickTask,
} from './plan';
import { STRATEGY_LIBRARY } from './strategies';
import { buildFixture, FIXTURE_AS_OF, type FixtureIds } from './test-fixture';
import { unresolved } from './test-helpers';

let store: PortfolioStore;
let ids: FixtureIds;

beforeEach(async () => {
  store = await PortfolioStore.memory();
  ids = buildFixture(store);
});

describe('the action plan', () => {
  it('proposes executive outreach and a technical review for TechFlow, ranked with rate and count', () => {
    const { plan } = generatePlan(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    const chosen = plan.strategies.map((s) => s.strategyId);
    expect(chosen).toHaveLength(3);
    expect(chosen).toContain('executive_outreach');
    expect(chosen).toContain('technical_review');
    expect(plan.strategies.map((s) => s.rank)).toEqual([1, 2, 3]);
    for (const s of plan.strategies) {
      expect(s.uses).toBeGreaterThan(0);
      expect(s.successRate).toBeCloseTo(s.successes / s.uses, 10);
      expect(s.smallSample).toBe(s.uses < 5);
      expect(s.rationale.citations.some((c) => c.startsWith('outcomes:'))).toBe(true);
    }
    expect(plan.rootCause.hypothesis.text).toMatch(/champion/);
    expect(plan.rootCause.evidence.length).toBeGreaterThanOrEqual(2);
  });

  it('staffs the plan from the team and dates every task from the start', () => {
    const { plan } = generatePlan(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    const csm = plan.people.find((p) => p.role === 'csm')!;
    expect(csm.teamMemberId).toBe(ids.team.csm);
    expect(plan.people.find((p) => p.role === 'technical')!.teamMemberId).toBe(ids.team.tech);
    expect(plan.people.find((p) => p.role === 'executive')!.teamMemberId).toBe(ids.team.exec);
    expect(plan.tasks.length).toBeGreaterThanOrEqual(8);
    expect(plan.tasks.every((t) => t.due >= '2026-12-01' && t.ownerId !== null)).toBe(true);
    expect([...plan.tasks].map((t) => t.due)).toEqual([...plan.tasks].map((t) => t.due).sort());
    expect(new Set(plan.tasks.map((t) => t.id)).size).toBe(plan.tasks.length);
    expect(unresolved(store, planCitations(plan))).toEqual([]);
    expect(plan.talkingPoints.some((t) => /DataPilot/.test(t.text))).toBe(true);
  });

  it('proposes nothing to do for an account with no risk signals', () => {
    const { plan } = generatePlan(store, { accountId: ids.quiet }, FIXTURE_AS_OF);
    expect(plan.strategies).toEqual([]);
    expect(plan.tasks).toEqual([]);
    expect(plan.rootCause.hypothesis.kind).toBe('empty');
  });

  it('keeps every edit as a new version with author and time, and diffs versions', () => {
    const key = planKey(store, { accountId: ids.techflow });
    expect(key.escalationId).toBe(ids.techflowEscalation);
    const { plan } = generatePlan(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    const v1 = savePlanVersion(store, key, plan, 'Dana Sample', FIXTURE_AS_OF, null);
    const edited: PlanBody = {
      ...v1.body,
      notes: 'Customer asked to move the call to Thursday.',
      tasks: [
        ...v1.body.tasks.map((t, i) =>
          i === 0 ? { ...t, title: 'Prepare the exec briefing (draft by Friday)' } : t,
        ),
        {
          id: 'custom-1',
          title: 'Loop in the product manager for exports',
          strategyId: null,
          due: '2026-12-03',
          ownerId: ids.team.tech,
          ownerName: 'Raj Example',
          ownerRole: 'technical',
          done: false,
          doneAt: null,
          doneBy: null,
        },
      ],
    };
    const later = addDays(FIXTURE_AS_OF, 1);
    const v2 = savePlanVersion(store, key, edited, 'Morgan Placeholder', later, 1);
    expect(v2.version).toBe(2);
    expect(listPlanVersions(store, key).map((v) => [v.version, v.author, v.createdAt])).toEqual([
      [1, 'Dana Sample', FIXTURE_AS_OF.toISOString()],
      [2, 'Morgan Placeholder', later.toISOString()],
    ]);
    expect(getPlanVersion(store, key, 1).body).toEqual(plan);
    expect(latestPlan(store, key)!.body.notes).toBe('Customer asked to move the call to Thursday.');
    const d = diffPlans(getPlanVersion(store, key, 1), getPlanVersion(store, key, 2));
    expect(d.tasksAdded.map((t) => t.id)).toEqual(['custom-1']);
    expect(d.tasksChanged).toEqual([
      {
        id: v1.body.tasks[0]!.id,
        changes: [
          {
            field: 'title',
            from: v1.body.tasks[0]!.title,
            to: 'Prepare the exec briefing (draft by Friday)',
          },
        ],
      },
    ]);
    expect(d.prose.filter((l) => l.op === 'add').map((l) => l.text)).toEqual([
      'Notes: Customer asked to move the call to Thursday.',
    ]);
    // A save based on an old version is refused rather than overwriting.
    expect(() => savePlanVersion(store, key, edited, 'Omar Example', later, 1)).toThrow(/changed meanwhile/);
    expect(listPlanVersions(store, key)).toHaveLength(2);
  });

  it('ticking a task records progress on the escalation and a new version', () => {
    const key = planKey(store, { accountId: ids.techflow });
    const { plan } = generatePlan(store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    savePlanVersion(store, key, plan, 'Dana Sample', FIXTURE_AS_OF, null);
    const task = plan.tasks[0]!;
    const at = addDays(FIXTURE_AS_OF, 0.5);
    const r = tickTask(store, key, task.id, true, 'Dana Sample', at);
    expect(r.version.version).toBe(2);
    expect(r.version.body.tasks[0]).toMatchObject({
      id: task.id,
      done: true,
      doneBy: 'Dana Sample',
      doneAt: at.toISOString(),
    });
    const ev = store.get<{
      escalation_id: number;
      kind: string;
      actor: string;
      detail: string;
      occurred_at: string;
    }>('SELECT escalation_id, kind, actor, detail, occurred_at FROM escalation_events WHERE id = ?', [
      r.eventId!,
    ])!;
    expect(ev).toMatchObject({
      escalation_id: ids.techflowEscalation,
      kind: 'progress',
      actor: 'Dana Sample',
      occurred_at: at.toISOString(),
    });
    expect(JSON.parse(ev.detail)).toMatchObject({
      source: 'action_plan',
      taskId: task.id,
      done: true,
      planVersion: 2,
    });
    expect(() => tickTask(store, key, 'no-such-task', true, 'x', at)).toThrow(/not in plan/);
    expect(getPlanVersion(store, key, 1).body.tasks[0]!.done).toBe(false);
  });
});

describe('strategy ranking', () => {
  it('prefers strategies that address the drivers and worked on similar cases; small samples are flagged', () => {
    const factors = [{ id: 'ticket_surge', label: 'Tickets', points: 20, detail: '', citations: [] }];
    const ranked = rankStrategies(factors, [], 3);
    expect(ranked[0]!.strategy.addresses).toContain('ticket_surge');
    expect(ranked.every((r) => r.uses === 0 && r.expected === 0.5)).toBe(true);
    expect(STRATEGY_LIBRARY.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'executive_outreach',
        'technical_review',
        'success_plan_reset',
        'training_workshop',
        'commercial_concession',
        'roadmap_briefing',
        'dedicated_support',
      ]),
    );
  });

  it('diffs lines by longest common subsequence', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'c', 'd'])).toEqual([
      { op: 'same', text: 'a' },
      { op: 'remove', text: 'b' },
      { op: 'same', text: 'c' },
      { op: 'add', text: 'd' },
    ]);
  });
});
