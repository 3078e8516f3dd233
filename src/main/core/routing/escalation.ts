/** Reading an escalation, its progress times, and recording timeline events and status changes. */
import type { EscalationStatus, Priority } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type { Tx } from '../db/store';
import type { RoutingCtx } from './ctx';

type Reader = Pick<Tx, 'get' | 'all'>;

export interface EscalationRow {
  id: number;
  account_id: number;
  account_name: string;
  account_industry: string | null;
  account_segment: string;
  account_arr: number;
  account_owner_id: number | null;
  account_executive_id: number | null;
  status: EscalationStatus;
  priority: Priority;
  category: string | null;
  severity: string | null;
  summary: string | null;
  product_area: string | null;
  opened_at: string;
  decided_by: string | null;
  decided_at: string | null;
  owner_id: number | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
}

export const ESCALATION_SELECT = `
SELECT e.id, e.account_id, a.name AS account_name, a.industry AS account_industry, a.segment AS account_segment, a.arr AS account_arr,
       a.owner_id AS account_owner_id, a.account_executive_id, e.status, e.priority, e.category, e.severity,
       e.summary, e.product_area, e.opened_at, e.decided_by, e.decided_at, e.owner_id, e.acknowledged_at,
       e.resolved_at, e.closed_at
FROM escalations e JOIN accounts a ON a.id = e.account_id`;

export const findEscalation = (db: Reader, id: number): EscalationRow | null =>
  db.get<EscalationRow>(`${ESCALATION_SELECT} WHERE e.id = ?`, [id]) ?? null;

export const getEscalation = (db: Reader, id: number): EscalationRow => {
  const e = findEscalation(db, id);
  if (!e) throw new CoreError('not_found', `no escalation ${id}`);
  return e;
};

/** When the SLA clocks and path start: the leader's decision, or the opening time. */
export const startOf = (e: EscalationRow): number => Date.parse(e.decided_at ?? e.opened_at);

export interface ProgressTimes {
  ackAt: number | null;
  progressAt: number | null;
  resolvedAt: number | null;
}

const ACK_STATUSES = new Set(['acknowledged', 'in_progress', 'resolved', 'closed']);
const PROGRESS_STATUSES = new Set(['in_progress', 'resolved', 'closed']);

const minOf = (...xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null && !Number.isNaN(x));
  return v.length ? Math.min(...v) : null;
};
const parse = (s: string | null): number | null => (s ? Date.parse(s) : null);

/**
 * When the escalation was first acknowledged, first progressed and resolved — from the row's timestamps and
 * from the timeline (`status_changed` events with detail.to, `acknowledged`, `progress`, `resolved`).
 */
export const progressTimes = (db: Reader, e: EscalationRow): ProgressTimes => {
  const events = db.all<{ occurred_at: string; kind: string; detail: string }>(
    "SELECT occurred_at, kind, detail FROM escalation_events WHERE escalation_id = ? AND kind IN ('status_changed','acknowledged','progress','resolved','closed') ORDER BY occurred_at, id",
    [e.id],
  );
  let ack: number | null = null;
  let prog: number | null = null;
  for (const ev of events) {
    let to: string = ev.kind;
    if (ev.kind === 'status_changed') {
      try {
        to = String((JSON.parse(ev.detail) as { to?: string }).to ?? '');
      } catch {
        to = '';
      }
    }
    if (to === 'progress') to = 'in_progress';
    const t = Date.parse(ev.occurred_at);
    if (ACK_STATUSES.has(to)) ack = minOf(ack, t);
    if (PROGRESS_STATUSES.has(to)) prog = minOf(prog, t);
  }
  const resolvedAt = minOf(parse(e.resolved_at), parse(e.closed_at));
  return {
    ackAt: minOf(ack, prog, parse(e.acknowledged_at), resolvedAt),
    progressAt: minOf(prog, resolvedAt),
    resolvedAt,
  };
};

export const addEvent = (
  tx: Tx,
  escalationId: number,
  at: string,
  kind: string,
  actor: string | null,
  detail: Record<string, unknown>,
): number =>
  tx.run(
    'INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
    [escalationId, at, kind, actor, JSON.stringify(detail)],
  ).lastInsertRowid;

/**
 * Moves an escalation to `to` (acknowledge, start work, resolve, close), recording a `status_changed` event and
 * stopping the SLA clocks it satisfies. A note without a status change is recorded as `progress`.
 */
export const changeStatus = (
  ctx: RoutingCtx,
  id: number,
  to: EscalationStatus | 'progress',
  by: string,
  note?: string,
): EscalationRow => {
  const at = ctx.now().toISOString();
  ctx.store.write((tx) => {
    const e = getEscalation(tx, id);
    if (to === 'progress') {
      addEvent(tx, id, at, 'progress', by, note ? { note } : {});
      if (e.status === 'open' || e.status === 'acknowledged') {
        tx.run(
          "UPDATE escalations SET status = 'in_progress', acknowledged_at = coalesce(acknowledged_at, ?) WHERE id = ?",
          [at, id],
        );
      }
    } else {
      tx.run(
        `UPDATE escalations SET status = ?,
           acknowledged_at = CASE WHEN ? IN ('acknowledged','in_progress','resolved','closed') THEN coalesce(acknowledged_at, ?) ELSE acknowledged_at END,
           resolved_at = CASE WHEN ? = 'resolved' THEN coalesce(resolved_at, ?) ELSE resolved_at END,
           closed_at = CASE WHEN ? = 'closed' THEN coalesce(closed_at, ?) ELSE closed_at END
         WHERE id = ?`,
        [to, to, at, to, at, to, at, id],
      );
      addEvent(tx, id, at, 'status_changed', by, { from: e.status, to, ...(note ? { note } : {}) });
    }
    const after = getEscalation(tx, id);
    const times = progressTimes(tx, after);
    const metAt = { ack: times.ackAt, progress: times.progressAt, resolve: times.resolvedAt };
    for (const c of tx.all<{ id: number; kind: 'ack' | 'progress' | 'resolve'; met_at: string | null }>(
      'SELECT id, kind, met_at FROM sla_clocks WHERE escalation_id = ?',
      [id],
    )) {
      const m = metAt[c.kind];
      if (!c.met_at && m !== null)
        tx.run('UPDATE sla_clocks SET met_at = ? WHERE id = ?', [new Date(m).toISOString(), c.id]);
    }
  });
  ctx.bus?.emit('data.changed', { entities: ['escalations'] });
  return getEscalation(ctx.store, id);
};
