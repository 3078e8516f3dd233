/**
 * From a confirmed escalation to an owned one: route it (assign by policy), start its SLA clocks, notify.
 * `escalateAccount` is what `bellwether escalate` does: confirm the account's open flag as a leader would
 * (through the risk engine's confirmFlag when it is available), then route.
 */

import { CoreError } from '../../../shared/result';
import type { EscalateResult } from '../../../shared/routing-types';
import type { RoutingCtx } from './ctx';
import { getEscalation } from './escalation';
import { pathState } from './paths';
import { autoAssign, rankCandidates } from './router';
import { getSettings } from './settings';
import { slaState, startClocks } from './sla';
import { getMember, vpOfCs } from './team';

export const describeEscalation = (
  ctx: RoutingCtx,
  escalationId: number,
  extra: { reason?: string | null; warning?: string | null; notifications?: number } = {},
): EscalateResult => {
  const e = getEscalation(ctx.store, escalationId);
  const owner = e.owner_id ? getMember(ctx.store, e.owner_id) : null;
  const lastAssign = ctx.store.get<{ detail: string }>(
    "SELECT detail FROM escalation_events WHERE escalation_id = ? AND kind IN ('assigned','reassigned') ORDER BY occurred_at DESC, id DESC LIMIT 1",
    [e.id],
  );
  const assignDetail = lastAssign
    ? (JSON.parse(lastAssign.detail) as { reason?: string; warning?: string | null })
    : null;
  const sla = slaState(ctx, e.id);
  return {
    escalationId: e.id,
    accountId: e.account_id,
    accountName: e.account_name,
    priority: e.priority,
    ownerId: owner?.id ?? null,
    ownerName: owner?.name ?? null,
    reason: extra.reason ?? assignDetail?.reason ?? null,
    warning: extra.warning ?? assignDetail?.warning ?? null,
    sla: (sla?.clocks ?? []).map((c) => ({
      kind: c.kind,
      dueAt: c.dueAt,
      dueLocal: c.dueLocal,
      targetMinutes: c.targetMinutes,
      clock: c.clock,
    })),
    path: pathState(ctx, e.id).map((s) => ({
      level: s.level,
      when: s.when,
      dueAt: s.dueAt,
      notify: s.notify,
    })),
    notifications: extra.notifications ?? 0,
  };
};

/**
 * Routes a confirmed escalation: with auto-assign on (the default policy) the best candidate becomes the
 * owner; otherwise the clocks start unowned and the candidates wait for a one-click assignment.
 */
export const routeConfirmed = (
  ctx: RoutingCtx,
  escalationId: number,
  by = 'routing policy',
): EscalateResult => {
  const e = getEscalation(ctx.store, escalationId);
  if (['resolved', 'closed'].includes(e.status)) {
    throw new CoreError('conflict', `escalation ${escalationId} is ${e.status}; nothing to route`);
  }
  const before = ctx.store.get<{ n: number }>('SELECT count(*) AS n FROM notifications')?.n ?? 0;
  let reason: string | null = null;
  let warning: string | null = null;
  if (!e.owner_id && getSettings(ctx.store).autoAssign) {
    const r = autoAssign(ctx, escalationId, by);
    reason = r?.reason ?? null;
    warning = r?.warning ?? null;
    if (!r) warning = rankCandidates(ctx, escalationId).warning;
  }
  const after = getEscalation(ctx.store, escalationId);
  // Unowned (manual assignment) or already owned before routing existed: clocks still start now.
  // In the owner's calendar, or the VP of CS's while nobody owns it.
  ctx.store.write((tx) =>
    startClocks(tx, after, after.owner_id ? getMember(tx, after.owner_id) : vpOfCs(tx)),
  );
  const n = (ctx.store.get<{ n: number }>('SELECT count(*) AS n FROM notifications')?.n ?? 0) - before;
  return describeEscalation(ctx, escalationId, { reason, warning, notifications: n });
};

/** Finds an account by id or by name (exact, case-insensitive; else a unique partial match). */
export const findAccount = (ctx: RoutingCtx, ref: string): { id: number; name: string } => {
  const db = ctx.store;
  if (/^\d+$/.test(ref)) {
    const a = db.get<{ id: number; name: string }>('SELECT id, name FROM accounts WHERE id = ?', [
      Number(ref),
    ]);
    if (a) return a;
  }
  const exact = db.all<{ id: number; name: string }>(
    'SELECT id, name FROM accounts WHERE name = ? COLLATE NOCASE',
    [ref],
  );
  if (exact.length === 1) return exact[0]!;
  const like = db.all<{ id: number; name: string }>(
    "SELECT id, name FROM accounts WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT 6",
    [`%${ref.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  );
  if (like.length === 1) return like[0]!;
  if (like.length === 0) throw new CoreError('not_found', `no account matches "${ref}"`);
  throw new CoreError(
    'invalid_arguments',
    `"${ref}" matches several accounts: ${like.map((a) => `${a.name} (#${a.id})`).join(', ')}`,
  );
};

/** What confirms a flag into an escalation (the risk engine's confirmFlag), injected to keep modules apart. */
export type ConfirmFlag = (
  flagId: number,
  opts: { decidedBy: string },
) => { escalationId: number } | number | Promise<{ escalationId: number } | number>;

/**
 * Confirms the account's open flag (highest score first) into an escalation as `by`, then routes it.
 * If the account already has an escalation in progress, that one is routed (and reported) instead.
 */
export const escalateAccount = async (
  ctx: RoutingCtx,
  accountRef: string,
  by: string,
  confirmFlag: ConfirmFlag | null,
): Promise<EscalateResult> => {
  const account = findAccount(ctx, accountRef);
  const existing = ctx.store.get<{ id: number }>(
    "SELECT id FROM escalations WHERE account_id = ? AND status NOT IN ('resolved','closed') ORDER BY opened_at DESC, id DESC LIMIT 1",
    [account.id],
  );
  const hasFlags = !!ctx.store.get(
    "SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'risk_flags'",
  );
  const flag = hasFlags
    ? ctx.store.get<{ id: number }>(
        "SELECT id FROM risk_flags WHERE account_id = ? AND status IN ('open','snoozed') ORDER BY coalesce(score, 0) DESC, id LIMIT 1",
        [account.id],
      )
    : undefined;
  let escalationId: number;
  if (flag && confirmFlag) {
    const r = await confirmFlag(flag.id, { decidedBy: by });
    escalationId = typeof r === 'number' ? r : r.escalationId;
  } else if (existing) {
    escalationId = existing.id;
  } else if (flag) {
    throw new CoreError(
      'internal',
      `${account.name} has open flag #${flag.id}, but this build cannot confirm flags (risk engine missing)`,
    );
  } else {
    throw new CoreError(
      'not_found',
      `${account.name} has no open risk flag to confirm (and no escalation in progress)`,
    );
  }
  return routeConfirmed(ctx, escalationId, by);
};
