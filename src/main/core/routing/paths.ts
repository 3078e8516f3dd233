/**
 * Escalation paths: timed, multi-level steps per priority. A step is due `afterMinutes` (business or calendar
 * time, skipping SLA pauses) after the escalation was confirmed; at that instant, if the escalation has not
 * been acknowledged (`no_ack`) or has not progressed (`no_progress`) — and is not resolved — the step fires:
 * a `path_step` timeline event (dated at the due instant, even when processed late after the laptop slept)
 * and notifications to the step's people. Once the escalation progresses, the remaining steps stop.
 */
import type { Priority } from '../../../shared/domain';
import type { PathStep, PathStepState, PathTarget } from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import { type BusinessCalendar, DEFAULT_HOURS, describeMinutes } from './business-time';
import type { RoutingCtx } from './ctx';
import {
  addEvent,
  type EscalationRow,
  getEscalation,
  type ProgressTimes,
  progressTimes,
  startOf,
} from './escalation';
import { notify } from './notify';
import { getPath } from './settings';
import { dueWithPauses, pauseIntervals, pausesOf } from './sla';
import { csLeaderFor, getMember, type Member, memberCalendar, vpOfCs } from './team';

type Reader = Pick<Tx, 'get' | 'all'>;

const bump: Record<Priority, Priority> = {
  critical: 'critical',
  high: 'high',
  medium: 'high',
  low: 'medium',
};
export const urgencyForEscalation = (p: Priority): Priority => bump[p];

export const stepCalendar = (db: Reader, e: EscalationRow, step: PathStep): BusinessCalendar => {
  const owner = e.owner_id ? getMember(db, e.owner_id) : null;
  const cal = memberCalendar(db, owner);
  return step.clock === 'calendar' ? { ...cal, mode: 'calendar', hours: DEFAULT_HOURS } : cal;
};

export const stepDue = (db: Reader, e: EscalationRow, step: PathStep): number | null =>
  dueWithPauses(stepCalendar(db, e, step), startOf(e), step.afterMinutes, pauseIntervals(pausesOf(db, e.id)));

/** Whether the step should fire at `due`: the awaited progress had not happened by then, nor the resolution. */
export const stepNeeded = (step: PathStep, times: ProgressTimes, due: number): boolean => {
  if (times.resolvedAt !== null && times.resolvedAt <= due) return false;
  const done = step.when === 'no_ack' ? times.ackAt : times.progressAt;
  return done === null || done > due;
};

export const describeStep = (step: PathStep): string =>
  `${step.when === 'no_ack' ? 'no acknowledgement' : 'no progress'} within ${describeMinutes(step.afterMinutes, step.clock)} of confirmation`;

const TARGET_LABEL: Record<PathTarget, string> = {
  owner: 'the owner',
  owner_manager: "the owner's manager",
  cs_leader: 'the CS leader',
  vp_cs: 'the VP of CS',
  account_executive: 'the account executive',
};

/** The people a step notifies, each with the role they were picked for. */
export const resolveTargets = (
  db: Reader,
  e: EscalationRow,
  step: PathStep,
): { member: Member; as: string }[] => {
  const owner = e.owner_id ? getMember(db, e.owner_id) : null;
  const out: { member: Member; as: string }[] = [];
  const add = (m: Member | null, as: PathTarget): void => {
    if (m?.active && !out.some((o) => o.member.id === m.id)) out.push({ member: m, as: TARGET_LABEL[as] });
  };
  for (const t of step.notify) {
    if (t === 'owner') add(owner, t);
    else if (t === 'owner_manager') add(owner?.managerId ? getMember(db, owner.managerId) : null, t);
    else if (t === 'cs_leader') add(csLeaderFor(db, owner), t);
    else if (t === 'vp_cs') add(vpOfCs(db), t);
    else if (t === 'account_executive')
      add(e.account_executive_id ? getMember(db, e.account_executive_id) : null, t);
  }
  return out;
};

/** Fires (or records as not needed) step `index` at its due instant. Idempotent by (escalation, step). */
export const processStep = (
  tx: Tx,
  ctx: RoutingCtx,
  escalationId: number,
  index: number,
  due: number,
  processedAt: string,
): { fired: boolean; text: string; notified: string[] } | null => {
  const e = getEscalation(tx, escalationId);
  const step = getPath(tx, e.priority)[index];
  if (!step) return null;
  if (tx.get('SELECT 1 AS x FROM path_firings WHERE escalation_id = ? AND step_index = ?', [e.id, index]))
    return null;
  const dueIso = new Date(due).toISOString();
  const times = progressTimes(tx, e);
  if (!stepNeeded(step, times, due)) {
    const why =
      times.resolvedAt !== null && times.resolvedAt <= due
        ? 'resolved'
        : step.when === 'no_ack'
          ? 'acknowledged'
          : 'progressed';
    tx.run(
      "INSERT INTO path_firings(escalation_id, step_index, level, due_at, processed_at, outcome, detail) VALUES (?, ?, ?, ?, ?, 'not_needed', ?)",
      [e.id, index, step.level, dueIso, processedAt, JSON.stringify({ why })],
    );
    return {
      fired: false,
      text: `level ${step.level} not needed for escalation ${e.id} (${why} in time)`,
      notified: [],
    };
  }
  const targets = resolveTargets(tx, e, step);
  const reason = describeStep(step);
  const notified = targets.map((t) => `${t.member.name} (${t.as})`);
  const eventId = addEvent(tx, e.id, dueIso, 'path_step', 'automation', {
    level: step.level,
    when: step.when,
    afterMinutes: step.afterMinutes,
    clock: step.clock,
    reason,
    notified: targets.map((t) => ({ id: t.member.id, name: t.member.name, as: t.as })),
    processedAt,
    ...(targets.length === 0
      ? { warning: 'nobody to escalate to: add a CS leader or account executive' }
      : {}),
  });
  tx.run(
    "INSERT INTO path_firings(escalation_id, step_index, level, due_at, processed_at, outcome, detail) VALUES (?, ?, ?, ?, ?, 'fired', ?)",
    [e.id, index, step.level, dueIso, processedAt, JSON.stringify({ eventId, notified })],
  );
  notify(tx, ctx, {
    eventKey: `path:${e.id}:${index}`,
    event: 'path_step',
    escalation: e,
    memberIds: targets.map((t) => t.member.id),
    at: dueIso,
    urgency: urgencyForEscalation(e.priority),
    headline: `Escalated to level ${step.level}: ${reason}`,
    lines: [`Escalated to ${notified.join(', ') || 'nobody (no one in those roles)'}.`],
  });
  return {
    fired: true,
    text: `escalation ${e.id} (${e.account_name}) escalated to level ${step.level} — ${reason} — notified ${notified.join(', ') || 'nobody'}`,
    notified,
  };
};

export const pathState = (ctx: RoutingCtx, escalationId: number): PathStepState[] => {
  const e = getEscalation(ctx.store, escalationId);
  const started = !!ctx.store.get('SELECT 1 AS x FROM sla_clocks WHERE escalation_id = ?', [e.id]);
  const firings = new Map(
    ctx.store
      .all<{ step_index: number; outcome: 'fired' | 'not_needed'; processed_at: string; detail: string }>(
        'SELECT step_index, outcome, processed_at, detail FROM path_firings WHERE escalation_id = ?',
        [e.id],
      )
      .map((f) => [f.step_index, f]),
  );
  const times = progressTimes(ctx.store, e);
  return getPath(ctx.store, e.priority).map((step, index): PathStepState => {
    const due = started ? stepDue(ctx.store, e, step) : null;
    const f = firings.get(index);
    let status: PathStepState['status'] = 'pending';
    let notified: string[] = [];
    if (f) {
      status = f.outcome;
      notified = (JSON.parse(f.detail) as { notified?: string[] }).notified ?? [];
    } else if (due !== null && !stepNeeded(step, times, Math.max(due, ctx.now().getTime())))
      status = 'stopped';
    return {
      ...step,
      index,
      dueAt: due === null ? null : new Date(due).toISOString(),
      status,
      processedAt: f?.processed_at ?? null,
      notified,
    };
  });
};
