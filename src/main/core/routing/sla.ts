/**
 * SLA clocks per escalation: started when the escalation is confirmed, from its priority's policy, in the
 * owner's business calendar (snapshotted on the clock so later edits to working hours do not move a running
 * deadline) or in 24x7 calendar time. Pauses (with a reason) stop every clock of the escalation.
 */

import { CoreError } from '../../../shared/result';
import type { SlaClockState, SlaKind, SlaPause, SlaState } from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_HOURS,
  formatLocal,
  type Interval,
} from './business-time';
import type { RoutingCtx } from './ctx';
import {
  addEvent,
  type EscalationRow,
  getEscalation,
  type ProgressTimes,
  progressTimes,
  startOf,
} from './escalation';
import { getPolicy } from './settings';
import { type Member, memberCalendar } from './team';

type Reader = Pick<Tx, 'get' | 'all'>;

export interface ClockRow {
  id: number;
  escalation_id: number;
  kind: SlaKind;
  started_at: string;
  target_minutes: number;
  warn_pct: number;
  calendar: string;
  met_at: string | null;
  warned_at: string | null;
  breached_at: string | null;
}

/** Creates the escalation's clocks from its priority's policy (no-op for clocks that already exist). */
export const startClocks = (tx: Tx, e: EscalationRow, owner: Member | null): void => {
  const policy = getPolicy(tx, e.priority);
  const base = memberCalendar(tx, owner);
  const cal: BusinessCalendar =
    policy.clock === 'calendar' ? { ...base, mode: 'calendar', hours: DEFAULT_HOURS } : base;
  const start = new Date(startOf(e)).toISOString();
  for (const t of policy.targets) {
    tx.run(
      `INSERT INTO sla_clocks(escalation_id, kind, started_at, target_minutes, warn_pct, calendar) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(escalation_id, kind) DO NOTHING`,
      [e.id, t.kind, start, t.minutes, policy.warnPct, JSON.stringify(cal)],
    );
  }
};

export const clockRows = (db: Reader, escalationId: number): ClockRow[] =>
  db.all<ClockRow>('SELECT * FROM sla_clocks WHERE escalation_id = ? ORDER BY id', [escalationId]);

interface PauseDbRow {
  id: number;
  paused_at: string;
  resumed_at: string | null;
  reason: string;
  paused_by: string | null;
}

const toPause = (r: PauseDbRow): SlaPause => ({
  id: r.id,
  pausedAt: r.paused_at,
  resumedAt: r.resumed_at,
  reason: r.reason,
  pausedBy: r.paused_by,
});

export const pausesOf = (db: Reader, escalationId: number): SlaPause[] =>
  db
    .all<PauseDbRow>(
      'SELECT id, paused_at, resumed_at, reason, paused_by FROM sla_pauses WHERE escalation_id = ? ORDER BY paused_at, id',
      [escalationId],
    )
    .map(toPause);

export const pauseIntervals = (pauses: readonly SlaPause[]): Interval[] =>
  pauses.map((p) => ({ from: Date.parse(p.pausedAt), to: p.resumedAt ? Date.parse(p.resumedAt) : null }));

/**
 * The instant `minutes` of (business) time after `start`, skipping pauses; null when an open pause began
 * before that instant (the clock is stopped).
 */
export const dueWithPauses = (
  cal: BusinessCalendar,
  start: number,
  minutes: number,
  pauses: readonly Interval[],
): number | null => {
  const closed = pauses.filter((p) => p.to !== null);
  const open = pauses.filter((p) => p.to === null).sort((a, b) => a.from - b.from)[0];
  const due = Math.round(addBusinessMinutes(cal, start, minutes, closed));
  if (!open || due <= open.from) return due;
  return null;
};

export interface ClockTimes {
  cal: BusinessCalendar;
  start: number;
  dueAt: number | null;
  warnAt: number | null;
  metAt: number | null;
}

export const clockTimes = (
  row: ClockRow,
  pauses: readonly Interval[],
  times: ProgressTimes | null,
): ClockTimes => {
  const cal = JSON.parse(row.calendar) as BusinessCalendar;
  const start = Date.parse(row.started_at);
  const fromTimes = times
    ? { ack: times.ackAt, progress: times.progressAt, resolve: times.resolvedAt }[row.kind]
    : null;
  const metAt = row.met_at ? Date.parse(row.met_at) : fromTimes;
  return {
    cal,
    start,
    dueAt: dueWithPauses(cal, start, row.target_minutes, pauses),
    warnAt: dueWithPauses(cal, start, (row.target_minutes * row.warn_pct) / 100, pauses),
    metAt: metAt !== null && metAt >= start ? metAt : metAt !== null ? start : null,
  };
};

export const clockState = (
  row: ClockRow,
  pauses: readonly Interval[],
  times: ProgressTimes,
  now: number,
): SlaClockState => {
  const c = clockTimes(row, pauses, times);
  const until = c.metAt !== null ? Math.min(c.metAt, now) : now;
  const elapsed = businessMinutesBetween(c.cal, c.start, until, pauses);
  const paused = pauses.some((p) => p.to === null && p.from <= now);
  let status: SlaClockState['status'];
  if (c.metAt !== null && c.metAt <= now) status = c.dueAt !== null && c.metAt > c.dueAt ? 'met_late' : 'met';
  else if (c.dueAt !== null && c.dueAt <= now) status = 'breached';
  else if (paused) status = 'paused';
  else if (c.warnAt !== null && c.warnAt <= now) status = 'warning';
  else status = 'running';
  const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
  return {
    kind: row.kind,
    targetMinutes: row.target_minutes,
    clock: c.cal.mode,
    timezone: c.cal.timezone,
    startedAt: row.started_at,
    dueAt: iso(c.dueAt),
    warnAt: iso(c.warnAt),
    dueLocal: c.dueAt === null ? null : formatLocal(c.dueAt, c.cal.timezone),
    elapsedMinutes: Math.round(elapsed * 10) / 10,
    remainingMinutes: Math.round((row.target_minutes - elapsed) * 10) / 10,
    pct: Math.round((elapsed / row.target_minutes) * 1000) / 10,
    status,
    metAt: iso(c.metAt),
    warnedAt: row.warned_at,
    breachedAt: row.breached_at,
  };
};

export const slaState = (ctx: RoutingCtx, escalationId: number): SlaState | null => {
  const e = getEscalation(ctx.store, escalationId);
  const rows = clockRows(ctx.store, escalationId);
  if (rows.length === 0) return null;
  const now = ctx.now().getTime();
  const pauses = pausesOf(ctx.store, escalationId);
  const intervals = pauseIntervals(pauses);
  const times = progressTimes(ctx.store, e);
  return {
    escalationId,
    priority: e.priority,
    policy: getPolicy(ctx.store, e.priority),
    now: new Date(now).toISOString(),
    paused: pauses.find((p) => p.resumedAt === null) ?? null,
    pauses,
    clocks: rows.map((r) => clockState(r, intervals, times, now)),
  };
};

export const pauseSla = (
  ctx: RoutingCtx,
  escalationId: number,
  reason: string,
  by: string,
): SlaState | null => {
  const at = ctx.now().toISOString();
  ctx.store.write((tx) => {
    getEscalation(tx, escalationId);
    if (
      tx.get('SELECT 1 AS x FROM sla_pauses WHERE escalation_id = ? AND resumed_at IS NULL', [escalationId])
    ) {
      throw new CoreError('conflict', `the SLA of escalation ${escalationId} is already paused`);
    }
    tx.run('INSERT INTO sla_pauses(escalation_id, paused_at, reason, paused_by) VALUES (?, ?, ?, ?)', [
      escalationId,
      at,
      reason,
      by,
    ]);
    addEvent(tx, escalationId, at, 'sla_paused', by, { reason });
  });
  ctx.bus?.emit('data.changed', { entities: ['escalations'] });
  return slaState(ctx, escalationId);
};

export const resumeSla = (ctx: RoutingCtx, escalationId: number, by: string): SlaState | null => {
  const at = ctx.now().toISOString();
  ctx.store.write((tx) => {
    const open = tx.get<{ id: number; paused_at: string; reason: string }>(
      'SELECT id, paused_at, reason FROM sla_pauses WHERE escalation_id = ? AND resumed_at IS NULL',
      [escalationId],
    );
    if (!open) throw new CoreError('conflict', `the SLA of escalation ${escalationId} is not paused`);
    tx.run('UPDATE sla_pauses SET resumed_at = ?, resumed_by = ? WHERE id = ?', [at, by, open.id]);
    addEvent(tx, escalationId, at, 'sla_resumed', by, { pausedAt: open.paused_at, reason: open.reason });
  });
  ctx.bus?.emit('data.changed', { entities: ['escalations'] });
  return slaState(ctx, escalationId);
};
