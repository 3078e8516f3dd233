/**
 * Outcome capture: an escalation closes only with its outcome (saved, expanded, churned, downgraded), the ARR
 * before and after, the root cause, and the strategies used with their effect. Recording it closes the
 * escalation, updates the account's ARR (and status when churned), stops its SLA clocks, and feeds the
 * learning loop: strategy rankings read outcomes directly, and every 10 new outcomes retrain the model.
 */
import type { ArgsOf } from '../../../shared/contract';
import type { OutcomeRecorded } from '../../../shared/contracts/insights';
import { CoreError } from '../../../shared/result';
import type { Core } from '../core';
import { maybeRetrain } from '../ml/handlers';
import { changeStatus } from '../routing/escalation';

export const recordOutcome = async (core: Core, a: ArgsOf<'outcomes.record'>): Promise<OutcomeRecorded> => {
  const esc = core.store.get<{
    id: number;
    account_id: number;
    status: string;
    opened_at: string;
    arr: number;
  }>(
    'SELECT e.id, e.account_id, e.status, e.opened_at, a.arr FROM escalations e JOIN accounts a ON a.id = e.account_id WHERE e.id = ?',
    [a.escalationId],
  );
  if (!esc) throw new CoreError('not_found', `escalation ${a.escalationId} does not exist`, 'escalationId');
  if (core.store.get('SELECT 1 AS x FROM outcomes WHERE escalation_id = ?', [a.escalationId])) {
    throw new CoreError('conflict', `escalation ${a.escalationId} already has an outcome`, 'escalationId');
  }
  if (a.outcome === 'churned' && a.arrAfter !== 0) {
    throw new CoreError(
      'invalid_arguments',
      'a churned account keeps no ARR: arrAfter must be 0',
      'arrAfter',
    );
  }
  if (a.outcome === 'downgraded' && a.arrAfter >= esc.arr) {
    throw new CoreError(
      'invalid_arguments',
      `a downgrade ends below the ARR before (${esc.arr})`,
      'arrAfter',
    );
  }
  if (a.outcome === 'expanded' && a.arrAfter <= esc.arr) {
    throw new CoreError(
      'invalid_arguments',
      `an expansion ends above the ARR before (${esc.arr})`,
      'arrAfter',
    );
  }
  const now = core.now().toISOString();
  const resolvedAt = a.resolvedAt ? `${a.resolvedAt}T12:00:00.000Z` : now;
  if (resolvedAt < esc.opened_at) {
    throw new CoreError(
      'invalid_arguments',
      'the resolution date is before the escalation opened',
      'resolvedAt',
    );
  }
  // Resolve first (through routing, so SLA clocks are met and the timeline says so), then close with the outcome.
  if (esc.status !== 'resolved' && esc.status !== 'closed')
    changeStatus(core, a.escalationId, 'resolved', a.recordedBy);
  const outcomeId = core.store.write((tx) => {
    const id = tx.run(
      `INSERT INTO outcomes(source, escalation_id, outcome, arr_before, arr_after, resolved_at, root_cause, strategies, notes, recorded_by)
       VALUES ('local', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        a.escalationId,
        a.outcome,
        esc.arr,
        a.arrAfter,
        resolvedAt,
        a.rootCause,
        JSON.stringify(a.strategies.map((s) => s.id)),
        a.notes ?? null,
        a.recordedBy,
      ],
    ).lastInsertRowid;
    tx.run(
      "UPDATE escalations SET status = 'closed', closed_at = ?, resolved_at = coalesce(resolved_at, ?) WHERE id = ?",
      [now, resolvedAt, a.escalationId],
    );
    tx.run(
      'INSERT INTO escalation_events(escalation_id, occurred_at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)',
      [
        a.escalationId,
        now,
        'outcome_recorded',
        a.recordedBy,
        JSON.stringify({
          outcomeId: id,
          outcome: a.outcome,
          arrBefore: esc.arr,
          arrAfter: a.arrAfter,
          strategies: a.strategies,
        }),
      ],
    );
    tx.run(
      `UPDATE accounts SET arr = ?, status = CASE WHEN ? = 'churned' THEN 'churned' ELSE status END, updated_at = ? WHERE id = ?`,
      [a.arrAfter, a.outcome, now, esc.account_id],
    );
    return id;
  });
  core.bus.emit('data.changed', {
    entities: ['escalations', 'outcomes', 'accounts'],
    accountIds: [esc.account_id],
  });
  // The loop closes: once a model has been trained, every 10 new outcomes retrain it (and strategy rankings,
  // which read outcomes directly, move at once).
  const hasModel = !!core.store.get('SELECT 1 AS x FROM models WHERE active = 1');
  const retrained = hasModel ? (await maybeRetrain(core, { afterOutcomes: 10 })).trained : false;
  return {
    outcomeId,
    escalationId: a.escalationId,
    status: 'closed',
    arrBefore: esc.arr,
    arrAfter: a.arrAfter,
    retrained,
  };
};
