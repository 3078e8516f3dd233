/**
 * Automations on a movable clock. `tick(ctx, now)` runs everything that fell due up to `now`, in time order,
 * as if it had run at each due instant: SLA pre-breach warnings and breaches, escalation-path steps, and daily
 * digests. Each action is dated at its due instant and marked done in the same durable transaction
 * (`sla_clocks.warned_at/breached_at`, `path_firings`, `notifications.released_at`), so a tick after the laptop
 * slept catches up correctly and running tick again at the same time does nothing twice. The result depends
 * only on the database and `now` (deterministic).
 */
import type { AutomationAction, TickReport } from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import type { RoutingCtx } from './ctx';
import { routeConfirmed } from './escalate';
import { getEscalation, progressTimes } from './escalation';
import { notify, releaseDigest } from './notify';
import { type DeliverOptions, deliverOutbox } from './outbox';
import { processStep, stepDue, urgencyForEscalation } from './paths';
import { getPath } from './settings';
import { type ClockRow, clockRows, clockTimes, pauseIntervals, pausesOf } from './sla';
import { csLeaderFor, getMember } from './team';

interface Pending {
  at: number;
  order: number;
  escalationId: number;
  sub: number;
  run: (tx: Tx, processedAt: string) => AutomationAction | null;
}

const KIND_LABEL = { ack: 'acknowledgement', progress: 'progress', resolve: 'resolution' } as const;

const clockAction =
  (ctx: RoutingCtx, row: ClockRow, kind: 'warn' | 'breach', at: number) =>
  (tx: Tx, processedAt: string): AutomationAction | null => {
    const fresh = tx.get<ClockRow>('SELECT * FROM sla_clocks WHERE id = ?', [row.id]);
    if (!fresh || (kind === 'warn' ? fresh.warned_at || fresh.breached_at : fresh.breached_at)) return null;
    const e = getEscalation(tx, row.escalation_id);
    const atIso = new Date(at).toISOString();
    const column = kind === 'warn' ? 'warned_at' : 'breached_at';
    tx.run(`UPDATE sla_clocks SET ${column} = ? WHERE id = ?`, [atIso, row.id]);
    const owner = e.owner_id ? getMember(tx, e.owner_id) : null;
    // Unowned: the CS leader hears about it (an escalation with no owner is exactly what must not be missed).
    const leader = owner ? null : csLeaderFor(tx, null);
    const recipients = owner
      ? [owner.id, ...(kind === 'breach' && owner.managerId ? [owner.managerId] : [])]
      : leader
        ? [leader.id]
        : [];
    const label = KIND_LABEL[row.kind];
    const text =
      kind === 'warn'
        ? `SLA warning: ${label} for escalation ${e.id} (${e.account_name}) has used ${fresh.warn_pct}% of its target`
        : `SLA breached: ${label} for escalation ${e.id} (${e.account_name}) is overdue`;
    tx.run(
      'INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
      [
        e.id,
        atIso,
        kind === 'warn' ? 'sla_warning' : 'sla_breach',
        'automation',
        JSON.stringify({ clock: row.kind, targetMinutes: row.target_minutes, processedAt }),
      ],
    );
    notify(tx, ctx, {
      eventKey: `sla-${kind}:${row.id}`,
      event: kind === 'warn' ? 'sla_warning' : 'sla_breach',
      escalation: e,
      memberIds: recipients,
      at: atIso,
      urgency: kind === 'warn' ? e.priority : urgencyForEscalation(e.priority),
      headline: text,
    });
    const names = recipients.map((id) => getMember(tx, id)?.name ?? `#${id}`);
    return {
      at: atIso,
      kind: kind === 'warn' ? 'sla_warning' : 'sla_breach',
      escalationId: e.id,
      text,
      notified: names,
    };
  };

/** Everything on the SLA clocks and paths that is due by `now` and not yet done. */
const collect = (ctx: RoutingCtx, now: number): Pending[] => {
  const db = ctx.store;
  const out: Pending[] = [];
  const ids = db
    .all<{ id: number }>('SELECT DISTINCT escalation_id AS id FROM sla_clocks ORDER BY escalation_id')
    .map((r) => r.id);
  for (const id of ids) {
    const e = getEscalation(db, id);
    const times = progressTimes(db, e);
    const pauses = pauseIntervals(pausesOf(db, id));
    for (const row of clockRows(db, id)) {
      if (row.breached_at) continue;
      const c = clockTimes(row, pauses, times);
      const cutoff = c.metAt ?? times.resolvedAt;
      const live = (t: number): boolean => cutoff === null || cutoff > t;
      if (!row.warned_at && c.warnAt !== null && c.warnAt <= now && live(c.warnAt)) {
        out.push({
          at: c.warnAt,
          order: 0,
          escalationId: id,
          sub: row.id,
          run: clockAction(ctx, row, 'warn', c.warnAt),
        });
      }
      if (c.dueAt !== null && c.dueAt <= now && live(c.dueAt)) {
        out.push({
          at: c.dueAt,
          order: 1,
          escalationId: id,
          sub: row.id,
          run: clockAction(ctx, row, 'breach', c.dueAt),
        });
      }
    }
    const done = new Set(
      db
        .all<{ step_index: number }>('SELECT step_index FROM path_firings WHERE escalation_id = ?', [id])
        .map((r) => r.step_index),
    );
    getPath(db, e.priority).forEach((step, index) => {
      if (done.has(index)) return;
      const due = stepDue(db, e, step);
      if (due === null || due > now) return;
      out.push({
        at: due,
        order: 2,
        escalationId: id,
        sub: index,
        run: (tx, processedAt) => {
          const r = processStep(tx, ctx, id, index, due, processedAt);
          if (!r) return null;
          return {
            at: new Date(due).toISOString(),
            kind: r.fired ? 'path_step' : 'path_not_needed',
            escalationId: id,
            text: r.text,
            notified: r.notified,
          };
        },
      });
    });
  }
  return out.sort(
    (a, b) => a.at - b.at || a.order - b.order || a.escalationId - b.escalationId || a.sub - b.sub,
  );
};

const digestsDue = (ctx: RoutingCtx, upTo: number): { member_id: number; deliver_at: string }[] =>
  ctx.store.all<{ member_id: number; deliver_at: string }>(
    `SELECT member_id, deliver_at FROM notifications WHERE disposition = 'digest' AND released_at IS NULL AND deliver_at <= ?
     GROUP BY member_id, deliver_at ORDER BY deliver_at, member_id`,
    [new Date(upTo).toISOString()],
  );

/**
 * Safety net: an escalation confirmed elsewhere (the risk page's confirm, an import) without being routed gets
 * routed on the next tick, so none is left without an owner and an SLA clock. Only escalations decided after
 * routing was first run here are picked up; older ones (history, imports) are left alone.
 */
const routeUnrouted = (ctx: RoutingCtx, now: Date, actions: AutomationAction[]): void => {
  const key = 'routing_installed_at';
  let since = ctx.store.get<{ value: string }>('SELECT value FROM routing_settings WHERE key = ?', [
    key,
  ])?.value;
  if (!since) {
    since = now.toISOString();
    ctx.store.write((tx) => tx.run('INSERT INTO routing_settings(key, value) VALUES (?, ?)', [key, since!]));
  }
  const ids = ctx.store.all<{ id: number }>(
    `SELECT id FROM escalations WHERE decided_at IS NOT NULL AND decided_at >= ? AND decided_at <= ?
       AND status NOT IN ('resolved','closed') AND id NOT IN (SELECT escalation_id FROM sla_clocks) ORDER BY decided_at, id`,
    [since, now.toISOString()],
  );
  const at: RoutingCtx = { store: ctx.store, now: () => now, ...(ctx.bus ? { bus: ctx.bus } : {}) };
  for (const { id } of ids) {
    const r = routeConfirmed(at, id, 'routing policy (automation)');
    actions.push({
      at: now.toISOString(),
      kind: 'routed',
      escalationId: id,
      text: `escalation ${id} (${r.accountName}) routed to ${r.ownerName ?? 'nobody yet'}${r.reason ? `: ${r.reason}` : ''}`,
      notified: r.ownerName ? [r.ownerName] : [],
    });
  }
};

/** Runs the automations due up to `now` (no network). */
export const runAutomations = (
  ctx: RoutingCtx,
  now: Date,
): { actions: AutomationAction[]; caughtUpFrom: string | null } => {
  const t = now.getTime();
  const processedAt = now.toISOString();
  const last =
    ctx.store.get<{ value: string }>("SELECT value FROM routing_settings WHERE key = 'last_tick_at'")
      ?.value ?? null;
  const actions: AutomationAction[] = [];
  routeUnrouted(ctx, now, actions);
  const runDigests = (upTo: number): void => {
    for (const d of digestsDue(ctx, upTo)) {
      const n = ctx.store.write((tx) => releaseDigest(tx, d.member_id, d.deliver_at));
      if (n > 0) {
        const name = getMember(ctx.store, d.member_id)?.name ?? `#${d.member_id}`;
        actions.push({
          at: d.deliver_at,
          kind: 'digest',
          escalationId: null,
          text: `daily digest for ${name}: ${n} item(s)`,
          notified: [name],
        });
      }
    }
  };
  for (const p of collect(ctx, t)) {
    runDigests(p.at - 1); // digests that fell due before this action go first
    const a = ctx.store.write((tx) => p.run(tx, processedAt));
    if (a) actions.push(a);
  }
  runDigests(t);
  ctx.store.write((tx) => {
    tx.run(
      "INSERT INTO routing_settings(key, value) VALUES ('last_tick_at', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      [processedAt],
    );
    if (actions.length > 0) {
      tx.run('INSERT INTO automation_runs(ran_at, caught_up_from, actions, summary) VALUES (?, ?, ?, ?)', [
        processedAt,
        last,
        actions.length,
        JSON.stringify(actions),
      ]);
    }
  });
  if (actions.length > 0) ctx.bus?.emit('data.changed', { entities: ['escalations', 'notifications'] });
  return { actions, caughtUpFrom: last };
};

/** Runs the automations due up to `now`, then (unless `deliver` is false) delivers the outbox. */
export const tick = async (
  ctx: RoutingCtx,
  now: Date = ctx.now(),
  opts: { deliver?: boolean } & DeliverOptions = {},
): Promise<TickReport> => {
  const { actions, caughtUpFrom } = runAutomations(ctx, now);
  const delivery =
    opts.deliver === false
      ? null
      : await deliverOutbox({ ...ctx, store: ctx.store, now: () => now, bus: ctx.bus }, opts);
  return { now: now.toISOString(), caughtUpFrom, actions, delivery };
};

/**
 * Runs `tick` every `intervalMs` while the app is open (and at once, which catches up after sleep or a
 * restart). Returns a stop function. Ticks never overlap.
 */
export const startAutomations = (
  ctx: RoutingCtx,
  intervalMs = 60_000,
  onError?: (e: unknown) => void,
): (() => void) => {
  let busy = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    if (busy || stopped) return;
    busy = true;
    try {
      await tick(ctx, ctx.now());
    } catch (e) {
      onError?.(e);
    } finally {
      busy = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref?.();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
};
