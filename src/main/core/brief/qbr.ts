/**
 * The QBR escalation review pack for a chosen set of accounts: a portfolio heatmap (segment x renewal
 * window, with counts, ARR and mean risk), the escalations with status and owners, outcomes, and ARR saved.
 */
import {
  type QbrEscalationRow,
  type QbrHeatCell,
  type QbrPack,
  RENEWAL_WINDOWS,
  type RenewalWindow,
} from '../../../shared/brief-types';
import { OUTCOMES, type OutcomeKind, SEGMENTS, type Segment } from '../../../shared/domain';
import type { PortfolioStore } from '../db/store';
import { daysBetween, isoDate } from '../time';

export const renewalWindow = (renewal: string | null, asOf: Date): RenewalWindow => {
  if (!renewal) return 'none';
  const d = daysBetween(asOf, renewal);
  if (d < 0) return 'overdue';
  if (d <= 30) return '0-30';
  if (d <= 90) return '31-90';
  if (d <= 180) return '91-180';
  if (d <= 365) return '181-365';
  return '>365';
};

export const RISK_AT = 60;

export const COUNTING_RULE =
  'Counting rule: ARR saved is, over escalations whose outcome is saved or expanded, the ARR kept (the lower of ARR before and after); ' +
  'ARR lost is, over churned or downgraded outcomes, ARR before minus ARR after. ARR at risk in the heatmap is the ARR of accounts scoring ' +
  `${RISK_AT} or more.`;

export const buildQbrPack = (
  store: PortfolioStore,
  accountIds: readonly number[] | undefined,
  asOf: Date,
  riskOf: (accountId: number) => number,
  /** Added to the default selection (e.g. accounts the risk engine scores at risk but not escalated yet). */
  alsoByDefault: readonly number[] = [],
): QbrPack => {
  const escalated = store
    .all<{ id: number }>('SELECT DISTINCT account_id AS id FROM escalations ORDER BY account_id')
    .map((r) => r.id);
  const ids = accountIds?.length ? [...new Set(accountIds)] : [...new Set([...escalated, ...alsoByDefault])];
  const place = ids.map(() => '?').join(',');
  const accounts = ids.length
    ? store
        .all<{ id: number; name: string; segment: Segment; arr: number; renewal_date: string | null }>(
          `SELECT id, name, segment, arr, renewal_date FROM accounts WHERE id IN (${place}) ORDER BY arr DESC, id`,
          ids,
        )
        .map((a) => ({
          id: a.id,
          name: a.name,
          segment: a.segment,
          arr: a.arr,
          renewalDate: a.renewal_date,
          risk: riskOf(a.id),
        }))
    : [];
  const heatmap: QbrHeatCell[] = [];
  for (const segment of SEGMENTS) {
    for (const window of RENEWAL_WINDOWS) {
      const inCell = accounts.filter(
        (a) => a.segment === segment && renewalWindow(a.renewalDate, asOf) === window,
      );
      heatmap.push({
        segment,
        window,
        accounts: inCell.length,
        arr: inCell.reduce((s, a) => s + a.arr, 0),
        meanRisk: inCell.length ? Math.round(inCell.reduce((s, a) => s + a.risk, 0) / inCell.length) : null,
        arrAtRisk: inCell.filter((a) => a.risk >= RISK_AT).reduce((s, a) => s + a.arr, 0),
      });
    }
  }
  const escalations = ids.length
    ? store.all<QbrEscalationRow>(
        `SELECT e.id AS escalationId, e.account_id AS accountId, a.name AS accountName, e.priority, e.status, t.name AS ownerName,
                e.opened_at AS openedAt, e.summary, o.outcome, o.arr_before AS arrBefore, o.arr_after AS arrAfter
         FROM escalations e JOIN accounts a ON a.id = e.account_id LEFT JOIN team_members t ON t.id = e.owner_id
         LEFT JOIN outcomes o ON o.escalation_id = e.id
         WHERE e.account_id IN (${place}) AND e.opened_at <= ?
         ORDER BY CASE WHEN e.status IN ('resolved','closed') THEN 1 ELSE 0 END,
                  CASE e.priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, e.opened_at DESC, e.id`,
        [...ids, asOf.toISOString()],
      )
    : [];
  const outcomes = OUTCOMES.map((kind: OutcomeKind) => {
    const rows = escalations.filter((e) => e.outcome === kind);
    return {
      kind,
      count: rows.length,
      arrBefore: rows.reduce((s, e) => s + (e.arrBefore ?? 0), 0),
      arrAfter: rows.reduce((s, e) => s + (e.arrAfter ?? 0), 0),
    };
  });
  const saved = escalations.filter((e) => e.outcome === 'saved' || e.outcome === 'expanded');
  const lost = escalations.filter((e) => e.outcome === 'churned' || e.outcome === 'downgraded');
  return {
    asOf: isoDate(asOf),
    accountIds: accounts.map((a) => a.id),
    accounts,
    heatmap,
    escalations,
    outcomes,
    arrSaved: saved.reduce((s, e) => s + Math.min(e.arrBefore ?? 0, e.arrAfter ?? 0), 0),
    arrLost: lost.reduce((s, e) => s + Math.max(0, (e.arrBefore ?? 0) - (e.arrAfter ?? 0)), 0),
    countingRule: COUNTING_RULE,
  };
};
