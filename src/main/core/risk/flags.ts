/**
 * Flags and the human decision on them: confirm (it becomes an escalation, recorded with who and when),
 * dismiss with a reason (kept for backtests and learning), snooze with a reason and an expiry. Also manual
 * score overrides, which stay visible until cleared or until the expiry the person chose.
 */
import type { Priority } from '../../../shared/domain';
import { CoreError } from '../../../shared/result';
import type { ConfirmFlagResult, FlagRow, FlagStatus, RiskOverride } from '../../../shared/risk-types';
import type { Core } from '../core';
import { rescoreAccount } from './engine';

interface FlagDb {
  id: number;
  account_id: number;
  rule_id: number;
  rule_key: string;
  rule_name: string;
  rule_version: number;
  raised_at: string;
  status: FlagStatus;
  score: number | null;
  priority: Priority | null;
  evidence: string;
  snoozed_until: string | null;
  snooze_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  dismiss_reason: string | null;
  escalation_id: number | null;
}

const FLAG_SELECT = `SELECT f.id, f.account_id, f.rule_id, r.key AS rule_key, coalesce(json_extract(v.definition, '$.name'), r.name) AS rule_name,
  f.rule_version, f.raised_at, f.status, f.score, f.priority, f.evidence, f.snoozed_until, f.snooze_reason, f.decided_by,
  f.decided_at, f.dismiss_reason, f.escalation_id
  FROM risk_flags f JOIN risk_rules r ON r.id = f.rule_id
  LEFT JOIN risk_rule_versions v ON v.rule_id = f.rule_id AND v.version = f.rule_version`;

export const toFlagRow = (r: FlagDb, nowIso: string): FlagRow => ({
  id: r.id,
  accountId: r.account_id,
  ruleId: r.rule_id,
  ruleKey: r.rule_key,
  ruleName: r.rule_name,
  ruleVersion: r.rule_version,
  raisedAt: r.raised_at,
  // A snooze past its expiry is open again, even before the next rescore writes it back.
  status: r.status === 'snoozed' && r.snoozed_until !== null && r.snoozed_until <= nowIso ? 'open' : r.status,
  score: r.score,
  priority: r.priority,
  evidence: JSON.parse(r.evidence) as string[],
  snoozedUntil: r.snoozed_until,
  snoozeReason: r.snooze_reason,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  dismissReason: r.dismiss_reason,
  escalationId: r.escalation_id,
});

export const listFlags = (
  core: Core,
  q: {
    accountId?: number | undefined;
    statuses?: readonly FlagStatus[] | undefined;
    limit?: number | undefined;
  },
): FlagRow[] => {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (q.accountId !== undefined) {
    where.push('f.account_id = ?');
    params.push(q.accountId);
  }
  if (q.statuses && q.statuses.length > 0) {
    where.push('f.status IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.statuses));
  }
  params.push(q.limit ?? 500);
  const nowIso = core.now().toISOString();
  return core.store
    .all<FlagDb>(
      `${FLAG_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY f.raised_at DESC, f.id DESC LIMIT ?`,
      params,
    )
    .map((r) => toFlagRow(r, nowIso));
};

const getFlag = (core: Core, id: number): FlagRow => {
  const r = core.store.get<FlagDb>(`${FLAG_SELECT} WHERE f.id = ?`, [id]);
  if (!r) throw new CoreError('not_found', `no flag ${id}`, 'flagId');
  return toFlagRow(r, core.now().toISOString());
};

const undecided = (f: FlagRow): void => {
  if (f.status === 'confirmed' || f.status === 'dismissed') {
    throw new CoreError(
      'conflict',
      `flag ${f.id} was already ${f.status} by ${f.decidedBy ?? 'someone'} at ${f.decidedAt ?? '?'}`,
      'flagId',
    );
  }
};

const person = (name: string, field: string): string => {
  const t = name.trim();
  if (!t) throw new CoreError('invalid_arguments', `${field}: say who decided`, field);
  return t;
};

export type ConfirmResult = ConfirmFlagResult;

/**
 * A person confirms a flag: it becomes an escalation (status 'open', decided_by/decided_at, an escalation
 * event 'confirmed'). The account's other open flags are attached to the same escalation. When the account
 * already has an open escalation, the flags are attached to it instead of opening a second one.
 */
export const confirmFlag = (
  core: Core,
  flagId: number,
  opts: { decidedBy: string; note?: string | undefined },
): ConfirmResult => {
  const decidedBy = person(opts.decidedBy, 'decidedBy');
  const flag = getFlag(core, flagId);
  undecided(flag);
  // The decision is taken on the account's score now, not on the score the flag had when it was raised.
  rescoreAccount(core, flag.accountId);
  const nowIso = core.now().toISOString();
  const current = core.store.get<{ score: number; priority: Priority; factors: string }>(
    'SELECT score, priority, factors FROM risk_current WHERE account_id = ?',
    [flag.accountId],
  );
  const priority: Priority = current?.priority ?? flag.priority ?? 'medium';
  const factors = current ? (JSON.parse(current.factors) as { l: string; p: number; d: string }[]) : [];
  const summary = `${flag.ruleName} (rule v${flag.ruleVersion}); risk ${Math.round(current?.score ?? flag.score ?? 0)}/100${
    factors.length
      ? `: ${factors
          .slice(0, 3)
          .map((f) => f.d)
          .join('; ')}`
      : ''
  }`;
  const { escalationId, created } = core.store.write((tx) => {
    const open = tx.get<{ id: number }>(
      "SELECT id FROM escalations WHERE account_id = ? AND status IN ('open','acknowledged','in_progress') ORDER BY opened_at DESC LIMIT 1",
      [flag.accountId],
    );
    let escalationId: number;
    let created = false;
    if (open) {
      escalationId = open.id;
    } else {
      escalationId = tx.run(
        `INSERT INTO escalations(source, account_id, status, priority, category, summary, opened_at, decided_by, decided_at)
         VALUES ('local', ?, 'open', ?, 'risk_flag', ?, ?, ?, ?)`,
        [flag.accountId, priority, summary, nowIso, decidedBy, nowIso],
      ).lastInsertRowid;
      created = true;
    }
    const others = tx.all<{ id: number }>(
      "SELECT id FROM risk_flags WHERE account_id = ? AND status IN ('open','snoozed')",
      [flag.accountId],
    );
    const ids = [...new Set([flagId, ...others.map((o) => o.id)])];
    for (const id of ids) {
      tx.run(
        "UPDATE risk_flags SET status = 'confirmed', decided_by = ?, decided_at = ?, escalation_id = ? WHERE id = ?",
        [decidedBy, nowIso, escalationId, id],
      );
    }
    tx.run(
      'INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
      [
        escalationId,
        nowIso,
        created ? 'confirmed' : 'flag_attached',
        decidedBy,
        JSON.stringify({
          flagIds: ids,
          ruleId: flag.ruleId,
          ruleVersion: flag.ruleVersion,
          score: current?.score ?? flag.score,
          priority,
          factors: factors.slice(0, 5),
          ...(opts.note ? { note: opts.note } : {}),
        }),
      ],
    );
    return { escalationId, created };
  });
  core.bus.emit('data.changed', { entities: ['risk_flags', 'escalations'], accountIds: [flag.accountId] });
  return { flag: getFlag(core, flagId), escalationId, created };
};

/** A person dismisses a flag with a reason (kept); with allForAccount, every open flag of the account. */
export const dismissFlag = (
  core: Core,
  flagId: number,
  opts: { decidedBy: string; reason: string; allForAccount?: boolean | undefined },
): FlagRow[] => {
  const decidedBy = person(opts.decidedBy, 'decidedBy');
  const reason = opts.reason.trim();
  if (!reason) throw new CoreError('invalid_arguments', 'reason: a dismissal needs a reason', 'reason');
  const flag = getFlag(core, flagId);
  undecided(flag);
  const nowIso = core.now().toISOString();
  const ids = core.store.write((tx) => {
    const ids = opts.allForAccount
      ? [
          ...new Set([
            flagId,
            ...tx
              .all<{ id: number }>(
                "SELECT id FROM risk_flags WHERE account_id = ? AND status IN ('open','snoozed')",
                [flag.accountId],
              )
              .map((r) => r.id),
          ]),
        ]
      : [flagId];
    for (const id of ids) {
      tx.run(
        "UPDATE risk_flags SET status = 'dismissed', decided_by = ?, decided_at = ?, dismiss_reason = ? WHERE id = ?",
        [decidedBy, nowIso, reason, id],
      );
    }
    return ids;
  });
  core.bus.emit('data.changed', { entities: ['risk_flags'], accountIds: [flag.accountId] });
  return ids.map((id) => getFlag(core, id));
};

/** Snoozes an open flag until `until` (it returns to the queue then) with a reason. */
export const snoozeFlag = (
  core: Core,
  flagId: number,
  opts: { until: string; reason: string; snoozedBy: string },
): FlagRow => {
  const by = person(opts.snoozedBy, 'snoozedBy');
  const reason = opts.reason.trim();
  if (!reason) throw new CoreError('invalid_arguments', 'reason: a snooze needs a reason', 'reason');
  const until = new Date(opts.until.length === 10 ? `${opts.until}T00:00:00.000Z` : opts.until);
  if (Number.isNaN(until.getTime()))
    throw new CoreError('invalid_arguments', 'until: expected a date', 'until');
  if (until.getTime() <= core.now().getTime())
    throw new CoreError('invalid_arguments', 'until: must be in the future', 'until');
  const flag = getFlag(core, flagId);
  undecided(flag);
  core.store.write((tx) =>
    tx.run(
      "UPDATE risk_flags SET status = 'snoozed', snoozed_until = ?, snooze_reason = ?, snoozed_by = ? WHERE id = ?",
      [until.toISOString(), reason, by, flagId],
    ),
  );
  core.bus.emit('data.changed', { entities: ['risk_flags'], accountIds: [flag.accountId] });
  return getFlag(core, flagId);
};

// ---------------------------------------------------------------- overrides

/** Sets a manual score (and optionally priority) for an account; replaces any override in force (kept in history). */
export const setOverride = (
  core: Core,
  args: {
    accountId: number;
    score: number;
    priority?: Priority | undefined;
    reason: string;
    setBy: string;
    expiresAt?: string | undefined;
  },
): RiskOverride => {
  const setBy = person(args.setBy, 'setBy');
  const reason = args.reason.trim();
  if (!reason) throw new CoreError('invalid_arguments', 'reason: an override needs a reason', 'reason');
  if (!core.store.get('SELECT 1 AS x FROM accounts WHERE id = ?', [args.accountId])) {
    throw new CoreError('not_found', `no account ${args.accountId}`, 'accountId');
  }
  const now = core.now();
  let expires: string | null = null;
  if (args.expiresAt) {
    const d = new Date(args.expiresAt.length === 10 ? `${args.expiresAt}T00:00:00.000Z` : args.expiresAt);
    if (Number.isNaN(d.getTime()) || d.getTime() <= now.getTime()) {
      throw new CoreError('invalid_arguments', 'expiresAt: must be a date in the future', 'expiresAt');
    }
    expires = d.toISOString();
  }
  const nowIso = now.toISOString();
  const id = core.store.write((tx) => {
    tx.run(
      'UPDATE risk_overrides SET cleared_at = ?, cleared_by = ? WHERE account_id = ? AND cleared_at IS NULL',
      [nowIso, `${setBy} (replaced)`, args.accountId],
    );
    const id = tx.run(
      'INSERT INTO risk_overrides(account_id, score, priority, reason, set_by, set_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [args.accountId, args.score, args.priority ?? null, reason, setBy, nowIso, expires],
    ).lastInsertRowid;
    return id;
  });
  core.bus.emit('data.changed', {
    entities: ['risk_overrides', 'risk_scores'],
    accountIds: [args.accountId],
  });
  return {
    id,
    score: args.score,
    priority: args.priority ?? null,
    reason,
    setBy,
    setAt: nowIso,
    expiresAt: expires,
  };
};

/** Removes the override in force (kept in the table with who cleared it and when). */
export const clearOverride = (
  core: Core,
  args: { accountId: number; clearedBy: string },
): { cleared: number } => {
  const by = person(args.clearedBy, 'clearedBy');
  const nowIso = core.now().toISOString();
  const { changes } = core.store.write((tx) =>
    tx.run(
      'UPDATE risk_overrides SET cleared_at = ?, cleared_by = ? WHERE account_id = ? AND cleared_at IS NULL',
      [nowIso, by, args.accountId],
    ),
  );
  if (changes === 0)
    throw new CoreError('not_found', `account ${args.accountId} has no override in force`, 'accountId');
  core.bus.emit('data.changed', { entities: ['risk_overrides'], accountIds: [args.accountId] });
  return { cleared: changes };
};
