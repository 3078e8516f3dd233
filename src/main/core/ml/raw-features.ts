/**
 * A feature function over the raw portfolio tables, used until (and to cross-check) the risk engine's
 * signal functions: support load vs baseline, negative sentiment, usage decline, health and its change, NPS,
 * executive engagement gap, champion departure, prior escalations, ARR and renewal window.
 *
 * Every windowed value reads only records dated strictly before `asOf` (usage periods must have ended by
 * `asOf`). ARR, segment and renewal date are the account's current attributes (the schema keeps no history
 * of them); treat them as static descriptors.
 */
import { addDays, DAY_MS, isoDate } from '../time';
import type { FeatureFn, FeatureRow, Reader } from './training-table';

const shift = (asOf: string, days: number): string => isoDate(addDays(new Date(`${asOf}T00:00:00Z`), days));

const countBy = (db: Reader, sql: string, params: (string | number)[]): Map<number, number> =>
  new Map(db.all<{ a: number; n: number }>(sql, params).map((r) => [r.a, Number(r.n)]));

export const RAW_FEATURES = [
  'tickets_30d',
  'ticket_ratio_vs_baseline',
  'urgent_tickets_30d',
  'negative_messages_30d',
  'competitor_mentions_90d',
  'logins_30d',
  'login_change_30d',
  'health',
  'health_change_60d',
  'nps_latest',
  'days_since_exec_engagement',
  'engagements_30d',
  'champion_departed_90d',
  'escalations_prior_365d',
  'log_arr',
  'enterprise',
  'days_to_renewal',
] as const;

export const rawSignalFeatures: FeatureFn = (db, asOf, accountIds) => {
  const d30 = shift(asOf, -30);
  const d60 = shift(asOf, -60);
  const d90 = shift(asOf, -90);
  const d120 = shift(asOf, -120);
  const d365 = shift(asOf, -365);
  const t30 = countBy(
    db,
    'SELECT account_id AS a, count(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? GROUP BY account_id',
    [d30, asOf],
  );
  const tBase = countBy(
    db,
    'SELECT account_id AS a, count(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? GROUP BY account_id',
    [d120, d30],
  );
  const urgent = countBy(
    db,
    "SELECT account_id AS a, count(*) AS n FROM tickets WHERE created_at >= ? AND created_at < ? AND priority IN ('high','urgent') GROUP BY account_id",
    [d30, asOf],
  );
  const neg = countBy(
    db,
    `SELECT t.account_id AS a, count(*) AS n FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
     WHERE m.created_at >= ? AND m.created_at < ? AND m.side = 'customer' AND m.sentiment_label = 'negative' GROUP BY t.account_id`,
    [d30, asOf],
  );
  const comp = countBy(
    db,
    `SELECT t.account_id AS a, count(*) AS n FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
     WHERE m.created_at >= ? AND m.created_at < ? AND m.side = 'customer'
       AND (lower(m.body) LIKE '%competitor%' OR lower(m.body) LIKE '%alternative%' OR lower(m.body) LIKE '%switch to%'
            OR lower(m.body) LIKE '%evaluating%' OR lower(m.body) LIKE '%other vendor%') GROUP BY t.account_id`,
    [d90, asOf],
  );
  const usage = (from: string, to: string): Map<number, number> =>
    countBy(
      db,
      `SELECT account_id AS a, sum(logins) AS n FROM usage_periods
       WHERE period_start >= ? AND date(period_start, '+' || period_days || ' days') <= ? GROUP BY account_id`,
      [from, to],
    );
  const l30 = usage(d30, asOf);
  const lPrev = usage(d60, d30);
  const healthAt = (before: string): Map<number, number> =>
    new Map(
      db
        .all<{ a: number; s: number }>(
          `SELECT h.account_id AS a, h.score AS s FROM health_scores h
           JOIN (SELECT account_id, max(scored_at) AS m FROM health_scores WHERE scored_at < ? GROUP BY account_id) x
             ON x.account_id = h.account_id AND x.m = h.scored_at`,
          [before],
        )
        .map((r) => [r.a, r.s]),
    );
  const hNow = healthAt(asOf);
  const hThen = healthAt(d60);
  const nps = new Map(
    db
      .all<{ a: number; s: number }>(
        `SELECT n.account_id AS a, n.score AS s FROM nps_responses n
         JOIN (SELECT account_id, max(responded_at) AS m FROM nps_responses WHERE responded_at < ? GROUP BY account_id) x
           ON x.account_id = n.account_id AND x.m = n.responded_at`,
        [asOf],
      )
      .map((r) => [r.a, r.s]),
  );
  const lastExec = new Map(
    db
      .all<{ a: number; m: string }>(
        "SELECT account_id AS a, max(occurred_at) AS m FROM engagements WHERE occurred_at < ? AND (is_executive = 1 OR kind IN ('exec_touchpoint','qbr')) GROUP BY account_id",
        [asOf],
      )
      .map((r) => [r.a, r.m]),
  );
  const eng30 = countBy(
    db,
    'SELECT account_id AS a, count(*) AS n FROM engagements WHERE occurred_at >= ? AND occurred_at < ? GROUP BY account_id',
    [d30, asOf],
  );
  const champ = countBy(
    db,
    'SELECT account_id AS a, count(*) AS n FROM contacts WHERE is_champion = 1 AND departed_at >= ? AND departed_at < ? GROUP BY account_id',
    [d90, asOf],
  );
  const prior = countBy(
    db,
    'SELECT account_id AS a, count(*) AS n FROM escalations WHERE opened_at >= ? AND opened_at < ? GROUP BY account_id',
    [d365, asOf],
  );
  const acct = new Map(
    db
      .all<{ id: number; arr: number; segment: string; renewal_date: string | null }>(
        'SELECT id, arr, segment, renewal_date FROM accounts',
      )
      .map((r) => [r.id, r]),
  );
  const asOfMs = Date.parse(`${asOf}T00:00:00Z`);
  const out = new Map<number, FeatureRow>();
  for (const id of accountIds) {
    const a = acct.get(id);
    const tickets = t30.get(id) ?? 0;
    const base = (tBase.get(id) ?? 0) / 3;
    const logins = l30.get(id);
    const prevLogins = lPrev.get(id);
    const h = hNow.get(id);
    const h0 = hThen.get(id);
    const ex = lastExec.get(id);
    const renewalDays = a?.renewal_date
      ? Math.round((Date.parse(a.renewal_date.slice(0, 10)) - asOfMs) / DAY_MS)
      : null;
    out.set(id, {
      tickets_30d: tickets,
      ticket_ratio_vs_baseline: (tickets + 1) / (base + 1),
      urgent_tickets_30d: urgent.get(id) ?? 0,
      negative_messages_30d: neg.get(id) ?? 0,
      competitor_mentions_90d: comp.get(id) ?? 0,
      logins_30d: logins ?? null,
      login_change_30d:
        logins !== undefined && prevLogins !== undefined
          ? (logins - prevLogins) / Math.max(prevLogins, 1)
          : null,
      health: h ?? null,
      health_change_60d: h !== undefined && h0 !== undefined ? h - h0 : null,
      nps_latest: nps.get(id) ?? null,
      days_since_exec_engagement: ex ? Math.min(365, Math.round((asOfMs - Date.parse(ex)) / DAY_MS)) : 365,
      engagements_30d: eng30.get(id) ?? 0,
      champion_departed_90d: (champ.get(id) ?? 0) > 0 ? 1 : 0,
      escalations_prior_365d: prior.get(id) ?? 0,
      log_arr: a ? Math.log1p(a.arr) : null,
      enterprise: a?.segment === 'enterprise' ? 1 : 0,
      days_to_renewal: renewalDays !== null && renewalDays >= 0 && renewalDays <= 730 ? renewalDays : null,
    });
  }
  return out;
};
