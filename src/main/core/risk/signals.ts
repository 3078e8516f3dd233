/**
 * Leading indicators per account as of a date. Pure reads over the portfolio: only records dated strictly
 * before `asOf` are used (usage periods must have ended by then), so the same functions build a leakage-free
 * training table for the predictive model and replay history for backtests.
 *
 * One set of grouped queries (a few per record kind) serves the whole portfolio, a list of accounts or one
 * account; only the account filter changes (see computeSignalsBatch). signals-reference.ts keeps the first
 * implementation as the test oracle.
 */
import type { AccountSignals, RecordRef, RiskConfig, SignalAccount } from '../../../shared/risk-types';
import type { SqlValue } from '../db/engine';
import type { PortfolioStore } from '../db/store';
import { DAY_MS, daysBetween } from '../time';
import { DEFAULT_CONFIG } from './config';

export interface SignalOptions {
  /** Collect the records behind each signal (slower; the single-account path always does). */
  evidence?: boolean;
  /** Restrict to these accounts (default: all). */
  accountIds?: readonly number[] | null;
  /** Include churned accounts (backtests replay history, when they were still customers). */
  includeChurned?: boolean;
}

/** The comparison bound for "dated before asOf": a plain date at midnight, so date-only records compare right. */
export const bound = (d: Date): string => {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
};

export const parseAsOf = (asOf: string | Date): Date => {
  const d = typeof asOf === 'string' ? new Date(asOf.length === 10 ? `${asOf}T00:00:00.000Z` : asOf) : asOf;
  if (Number.isNaN(d.getTime())) throw new Error(`invalid asOf date: ${String(asOf)}`);
  return d;
};

const minus = (d: Date, days: number): string => bound(new Date(d.getTime() - days * DAY_MS));

const round1 = (x: number): number => Math.round(x * 10) / 10;
const pctDrop = (recent: number | null, prior: number | null): number | null =>
  recent === null || prior === null || prior <= 0 ? null : round1((1 - recent / prior) * 100);

const refs = (table: string, ids: string | null | undefined): RecordRef[] =>
  ids ? [...new Set(ids.split(','))].filter((s) => s !== '').map((id) => `${table}:${id}`) : [];

/** Days from `from` to `to` (may be fractional bounds; rounded down to whole days). */
const daysFrom = (from: string, to: Date): number =>
  Math.floor((to.getTime() - Date.parse(from.length === 10 ? `${from}T00:00:00.000Z` : from)) / DAY_MS);

const addYears = (iso: string, years: number): string => {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00.000Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
};

/** The renewal in force at `at`: annual contracts are projected back from the stored (latest) renewal date. */
export const renewalAt = (renewal: string | null, contractStart: string | null, at: Date): string | null => {
  if (!renewal) return null;
  let r = renewal.slice(0, 10);
  const atDay = bound(at).slice(0, 10);
  for (let i = 0; i < 30; i++) {
    const prev = addYears(r, -1);
    if (prev < atDay || (contractStart && prev <= contractStart.slice(0, 10))) break;
    r = prev;
  }
  return r;
};

interface Filter {
  sql: string;
  params: SqlValue[];
}

const accountFilter = (col: string, ids: readonly number[] | null | undefined): Filter => {
  if (!ids) return { sql: '', params: [] };
  if (ids.length === 1) return { sql: ` AND ${col} = ?`, params: [ids[0]!] };
  return { sql: ` AND ${col} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
};

const regexCache = new Map<string, RegExp | null>();
/** One case-insensitive regex matching any of the phrases (null when there are none). */
export const phraseRegex = (phrases: readonly string[]): RegExp | null => {
  const key = phrases.join('\u0000');
  let re = regexCache.get(key);
  if (re === undefined) {
    const ps = phrases.filter((p) => p.trim() !== '').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = ps.length === 0 ? null : new RegExp(ps.join('|'), 'i');
    if (regexCache.size > 20) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
};

interface AccountDb {
  id: number;
  name: string;
  segment: SignalAccount['segment'];
  tier: string | null;
  arr: number;
  is_strategic: number;
  expansion_potential: SignalAccount['expansionPotential'];
  renewal_date: string | null;
  contract_start: string | null;
}

/**
 * Signals for many accounts at once (default: every active account).
 *
 * Every record kind except messages is read account by account through its `(account_id, date)` index, inside
 * the date range that matters (`FROM accounts x CROSS JOIN <records> ON account_id = x.id AND <range>`): only
 * the rows in the windows are touched, they arrive grouped by account (no sort), and "latest record" lookups
 * are single index seeks. The same statements serve one account, a list, or the whole portfolio; only the
 * account filter changes. Customer messages are read with one sequential scan portfolio-wide (a message's date
 * is not in any index, and a scan beats a random lookup per message).
 */
export const computeSignalsBatch = (
  store: PortfolioStore,
  asOfIn: string | Date,
  config: RiskConfig = DEFAULT_CONFIG,
  opts: SignalOptions = {},
): Map<number, AccountSignals> => {
  const at = parseAsOf(asOfIn);
  const T = bound(at);
  const ev = opts.evidence ?? false;
  const ids = opts.accountIds;
  const out = new Map<number, AccountSignals>();

  // ---- accounts: the scope every other query is joined to (as `x`)
  const fa = accountFilter('x.id', ids);
  const scope: Filter = {
    sql: `(x.contract_start IS NULL OR x.contract_start < ?)${opts.includeChurned ? '' : " AND x.status = 'active'"}${fa.sql}`,
    params: [T, ...fa.params],
  };
  const accounts = store.all<AccountDb>(
    `SELECT id, name, segment, tier, arr, is_strategic, expansion_potential, renewal_date, contract_start FROM accounts x
     WHERE ${scope.sql}`,
    scope.params,
  );
  if (accounts.length === 0) return out;
  for (const a of accounts) {
    const renewal = renewalAt(a.renewal_date, a.contract_start, at);
    out.set(a.id, {
      accountId: a.id,
      asOf: T,
      values: {
        arr: a.arr,
        days_to_renewal: renewal ? daysBetween(at, renewal) : null,
      },
      evidence: {},
      account: {
        id: a.id,
        name: a.name,
        segment: a.segment,
        tier: a.tier,
        arr: a.arr,
        isStrategic: a.is_strategic === 1,
        expansionPotential: a.expansion_potential,
        renewalDate: renewal,
      },
    });
  }
  const put = (id: number, key: string, value: number | null, evidence?: RecordRef[]) => {
    const s = out.get(id);
    if (!s) return;
    s.values[key] = value;
    if (ev && evidence && evidence.length > 0) s.evidence[key] = evidence;
  };
  /** The id of the record with the latest (or earliest) date in a range, for account `x` (ties: the lowest id). */
  const pick = (table: string, col: string, fn: 'max' | 'min', range: string, extra = ''): string =>
    `(SELECT id FROM ${table} WHERE account_id = x.id${extra} AND ${range} ORDER BY ${col}${fn === 'max' ? ' DESC' : ''}, id LIMIT 1)`;

  // ---- usage: per window, the rate over the last w days vs the w days before (complete periods only).
  // Rows are summed per account for each segment between consecutive window edges (one query per segment);
  // the windows are put together from the segments here, most recent segment first.
  {
    const ws = config.windows;
    const edges = [...new Set(ws.flatMap((w) => [w, 2 * w]))].sort((a, b) => a - b);
    const nE = edges.length;
    /** Per account: [ua, lg, kf, fa, d] for each segment (zero where the segment has no rows). */
    const sums = new Map<number, Float64Array>();
    const segIds = new Map<number, (string | null)[]>();
    const week = minus(at, 7);
    edges.forEach((edge, i) => {
      const rows = store.all<{
        a: number;
        ua: number;
        lg: number;
        kf: number;
        fa: number;
        d: number;
        ids?: string | null;
      }>(
        `SELECT x.id AS a, sum(u.active_users * u.period_days) AS ua, sum(u.logins) AS lg, sum(u.key_feature_use) AS kf,
                sum(u.features_adopted * u.period_days) AS fa, sum(u.period_days) AS d${ev ? ', group_concat(u.id) AS ids' : ''}
         FROM accounts x CROSS JOIN usage_periods u ON u.account_id = x.id AND u.period_start >= ? AND u.period_start < ?
         WHERE ((u.period_days = 7 AND u.period_start <= ?) OR (u.period_days <> 7 AND julianday(u.period_start) + u.period_days <= julianday(?)))
           AND ${scope.sql}
         GROUP BY x.id`,
        [minus(at, edge), i === 0 ? T : minus(at, edges[i - 1]!), week, T, ...scope.params],
      );
      for (const r of rows) {
        let v = sums.get(r.a);
        if (!v) {
          v = new Float64Array(nE * 5);
          sums.set(r.a, v);
          if (ev) segIds.set(r.a, new Array<string | null>(nE).fill(null));
        }
        const o = i * 5;
        v[o] = r.ua;
        v[o + 1] = r.lg;
        v[o + 2] = r.kf;
        v[o + 3] = r.fa;
        v[o + 4] = r.d;
        if (ev) segIds.get(r.a)![i] = r.ids ?? null;
      }
    });
    const wins = ws.map((w) => ({
      recent: edges.flatMap((e, i) => (e <= w ? [i] : [])),
      prior: edges.flatMap((e, i) => (e > w && e <= 2 * w ? [i] : [])),
      keys: ['usage', 'login', 'key_feature', 'adoption'].map((k) => `${k}_drop_${w}d`),
    }));
    const r = new Float64Array(5);
    const p = new Float64Array(5);
    const add = (acc: Float64Array, v: Float64Array, segs: number[]) => {
      acc.fill(0);
      for (const i of segs) for (let k = 0; k < 5; k++) acc[k]! += v[i * 5 + k]!;
    };
    for (const [id, v] of sums) {
      let maxDrop: number | null = null;
      let evAll: RecordRef[] = [];
      const ids = segIds.get(id);
      for (const win of wins) {
        add(r, v, win.recent);
        add(p, v, win.prior);
        const ok = r[4]! >= 7 && p[4]! >= 7;
        const drop = (k: number) => (ok ? pctDrop(r[k]! / r[4]!, p[k]! / p[4]!) : null);
        const e = ids
          ? refs(
              'usage_periods',
              [...win.recent, ...win.prior]
                .map((i) => ids[i])
                .filter((x) => x)
                .join(','),
            )
          : undefined;
        const u = drop(0);
        const l = drop(1);
        put(id, win.keys[0]!, u, e);
        put(id, win.keys[1]!, l, e);
        put(id, win.keys[2]!, drop(2), e);
        put(id, win.keys[3]!, drop(3), e);
        if (u !== null && (maxDrop === null || u > maxDrop)) {
          maxDrop = u;
          evAll = e ?? [];
        }
        if (l !== null && (maxDrop === null || l > maxDrop)) {
          maxDrop = l;
          evAll = e ?? [];
        }
      }
      put(id, 'usage_drop_max', maxDrop, evAll);
    }
    for (const [id, s] of out) {
      if (sums.has(id)) continue;
      for (const win of wins) for (const k of win.keys) s.values[k] = null;
      s.values.usage_drop_max = null;
    }
  }

  // ---- tickets: recent volume vs the account's own baseline
  {
    const recentStart = minus(at, config.ticketRecentDays);
    const rows = store.all<{ a: number; recent: number; base: number; ids: string | null }>(
      `SELECT x.id AS a, sum(t.created_at >= ?) AS recent, sum(t.created_at < ?) AS base
              ${ev ? ', group_concat(CASE WHEN t.created_at >= ? THEN t.id END) AS ids' : ''}
       FROM accounts x CROSS JOIN tickets t ON t.account_id = x.id AND t.created_at >= ? AND t.created_at < ?
       WHERE ${scope.sql} GROUP BY x.id`,
      [
        recentStart,
        recentStart,
        ...(ev ? [recentStart] : []),
        minus(at, config.ticketRecentDays + config.ticketBaselineDays),
        T,
        ...scope.params,
      ],
    );
    const seen = new Set<number>();
    for (const r of rows) {
      seen.add(r.a);
      const baseline = (r.base * config.ticketRecentDays) / config.ticketBaselineDays;
      const e = refs('tickets', r.ids);
      put(r.a, 'tickets_recent', r.recent, e);
      put(r.a, 'ticket_baseline', round1(baseline * 100) / 100);
      put(r.a, 'ticket_volume_ratio', round1(r.recent / Math.max(baseline, 0.25)), e);
    }
    for (const id of out.keys()) {
      if (seen.has(id)) continue;
      put(id, 'tickets_recent', 0);
      put(id, 'ticket_baseline', 0);
      put(id, 'ticket_volume_ratio', 0);
    }
  }

  // ---- customer messages: negative tickets, sentiment trend, competitor mentions
  {
    const negWin = config.negativeWindowDays;
    const sentWin = config.sentimentWindowDays;
    const span = Math.max(negWin, sentWin * 4, config.competitorWindowDays);
    const negRe = phraseRegex(config.negativePhrases);
    const compRe = phraseRegex([...config.competitors, ...config.competitorPhrases]);
    const fm = accountFilter('t.account_id', ids);
    const negStart = minus(at, negWin);
    const sentStart = minus(at, sentWin);
    const sentPrior = minus(at, sentWin * 4);
    const compStart = minus(at, config.competitorWindowDays);
    // The text is read only where it is needed: no stored sentiment, or inside the competitor window.
    const msgs = store.all<{
      a: number;
      mid: number;
      tid: number;
      c: string;
      lab: string | null;
      body: string | null;
    }>(
      `SELECT t.account_id AS a, m.id AS mid, m.ticket_id AS tid, m.created_at AS c, m.sentiment_label AS lab,
              CASE WHEN m.sentiment_label IS NULL OR m.created_at >= ? THEN m.body END AS body
       FROM ticket_messages m${ids ? '' : ' NOT INDEXED'} JOIN tickets t ON t.id = m.ticket_id
       WHERE m.created_at >= ? AND m.created_at < ? AND m.side = 'customer'${fm.sql}`,
      [compStart, minus(at, span), T, ...fm.params],
    );
    interface Agg {
      negT: Set<number>;
      sr: number;
      nr: number;
      sp: number;
      np: number;
      comp: number[];
    }
    const aggs = new Map<number, Agg>();
    for (const m of msgs) {
      let g = aggs.get(m.a);
      if (!g) {
        if (!out.has(m.a)) continue;
        g = { negT: new Set(), sr: 0, nr: 0, sp: 0, np: 0, comp: [] };
        aggs.set(m.a, g);
      }
      const isNeg =
        m.lab !== null ? m.lab === 'negative' : negRe !== null && m.body !== null && negRe.test(m.body);
      const sv = m.lab === 'positive' ? 1 : isNeg ? -1 : 0;
      if (isNeg && m.c >= negStart) g.negT.add(m.tid);
      if (m.c >= sentStart) {
        g.sr += sv;
        g.nr++;
      } else if (m.c >= sentPrior) {
        g.sp += sv;
        g.np++;
      }
      if (m.c >= compStart && compRe !== null && m.body !== null && compRe.test(m.body)) g.comp.push(m.mid);
    }
    for (const [a, g] of aggs) {
      const negt = g.negT.size;
      const sR = g.nr > 0 ? g.sr / g.nr : null;
      const sP = g.np > 0 ? g.sp / g.np : null;
      const negRefs = ev ? refs('tickets', [...g.negT].join(',')) : undefined;
      put(a, `negative_tickets_${negWin}d`, negt, negRefs);
      put(a, 'negative_tickets', negt, negRefs);
      put(a, 'sentiment_recent', sR === null ? null : Math.round(sR * 100) / 100);
      put(a, 'sentiment_trend', sR === null || sP === null ? null : Math.round((sR - sP) * 100) / 100);
      put(
        a,
        'competitor_mentions',
        g.comp.length,
        ev ? refs('ticket_messages', g.comp.join(',')) : undefined,
      );
    }
    for (const id of out.keys()) {
      if (aggs.has(id)) continue;
      put(id, `negative_tickets_${negWin}d`, 0);
      put(id, 'negative_tickets', 0);
      put(id, 'sentiment_recent', null);
      put(id, 'sentiment_trend', null);
      put(id, 'competitor_mentions', 0);
    }
  }

  // ---- health: latest, and the level at the start of the window
  {
    const hw = config.healthWindowDays;
    const start = minus(at, hw);
    // The score in force at the window start (latest on or before it), else the earliest inside the window.
    const rows = store.all<{
      a: number;
      lid: number | null;
      ls: number;
      bid: number | null;
      bs: number;
      iid: number | null;
      is: number;
    }>(
      `WITH k AS MATERIALIZED (
         SELECT x.id AS a,
                ${pick('health_scores', 'scored_at', 'max', 'scored_at >= ? AND scored_at < ?')} AS lid,
                ${pick('health_scores', 'scored_at', 'max', 'scored_at >= ? AND scored_at <= ?')} AS bid,
                ${pick('health_scores', 'scored_at', 'min', 'scored_at > ? AND scored_at < ?')} AS iid
         FROM accounts x WHERE ${scope.sql})
       SELECT k.a, k.lid, l.score AS ls, k.bid, b.score AS bs, k.iid, i.score AS "is" FROM k
       JOIN health_scores l ON l.id = k.lid
       LEFT JOIN health_scores b ON b.id = k.bid
       LEFT JOIN health_scores i ON i.id = k.iid`,
      [minus(at, 365), T, minus(at, hw + 180), start, start, T, ...scope.params],
    );
    for (const id of out.keys()) {
      put(id, 'health_latest', null);
      put(id, 'health_drop', null);
    }
    for (const r of rows) {
      put(r.a, 'health_latest', r.ls, [`health_scores:${r.lid}`]);
      const [bid, bs] = r.bid !== null ? [r.bid, r.bs] : [r.iid, r.is];
      if (bid !== null && bid !== r.lid)
        put(r.a, 'health_drop', round1(bs - r.ls), [`health_scores:${bid}`, `health_scores:${r.lid}`]);
    }
  }

  // ---- NPS: the latest answer
  {
    const rows = store.all<{ a: number; id: number; score: number }>(
      `WITH k AS MATERIALIZED (
         SELECT x.id AS a, ${pick('nps_responses', 'responded_at', 'max', 'responded_at >= ? AND responded_at < ?')} AS nid
         FROM accounts x WHERE ${scope.sql})
       SELECT k.a, n.id, n.score FROM k JOIN nps_responses n ON n.id = k.nid`,
      [minus(at, config.npsMaxAgeDays), T, ...scope.params],
    );
    for (const id of out.keys()) {
      put(id, 'nps_latest', null);
      put(id, 'nps_detractor', null);
    }
    for (const r of rows) {
      const e = [`nps_responses:${r.id}`];
      put(r.a, 'nps_latest', r.score, e);
      put(r.a, 'nps_detractor', r.score <= 6 ? 1 : 0, e);
    }
  }

  // ---- stakeholders: the most recent champion / executive-sponsor departure
  {
    const rows = store.all<{ a: number; id: number; departed: string }>(
      `SELECT x.id AS a, c.id, max(c.departed_at) AS departed FROM accounts x CROSS JOIN contacts c ON c.account_id = x.id
       WHERE (c.is_champion = 1 OR c.is_exec_sponsor = 1) AND c.departed_at IS NOT NULL AND c.departed_at >= ? AND c.departed_at < ?
         AND ${scope.sql}
       GROUP BY x.id`,
      [minus(at, config.stakeholderMaxAgeDays), T, ...scope.params],
    );
    for (const id of out.keys()) {
      put(id, 'champion_departed_days', null);
      put(id, 'champion_departed', 0);
    }
    for (const r of rows) {
      const days = Math.max(0, daysFrom(r.departed, at));
      const e = [`contacts:${r.id}`];
      put(r.a, 'champion_departed_days', days, e);
      put(r.a, 'champion_departed', days <= 90 ? 1 : 0, e);
    }
  }

  // ---- engagements: executive gap and communication frequency
  {
    const exec = store.all<{ a: number; id: number; at: string }>(
      `WITH k AS MATERIALIZED (
         SELECT x.id AS a, ${pick('engagements', 'occurred_at', 'max', 'occurred_at >= ? AND occurred_at < ?', ' AND is_executive = 1')} AS eid
         FROM accounts x WHERE ${scope.sql})
       SELECT k.a, e.id, e.occurred_at AS at FROM k JOIN engagements e ON e.id = k.eid`,
      [minus(at, 365), T, ...scope.params],
    );
    for (const a of accounts) {
      // No executive engagement in a year (or ever): the gap is the account's age, capped at 365 days.
      const age = a.contract_start ? Math.max(0, daysFrom(a.contract_start, at)) : 365;
      put(a.id, 'days_since_exec_engagement', Math.min(365, age));
    }
    for (const r of exec)
      put(r.a, 'days_since_exec_engagement', Math.max(0, daysFrom(r.at, at)), [`engagements:${r.id}`]);

    const cw = config.commWindowDays;
    const cStart = minus(at, cw);
    const comm = store.all<{ a: number; r: number; p: number; ids: string | null }>(
      `SELECT x.id AS a, sum(e.occurred_at >= ?) AS r, sum(e.occurred_at < ?) AS p
              ${ev ? ', group_concat(e.id) AS ids' : ''}
       FROM accounts x CROSS JOIN engagements e ON e.account_id = x.id AND e.occurred_at >= ? AND e.occurred_at < ?
       WHERE ${scope.sql} GROUP BY x.id`,
      [cStart, cStart, minus(at, 2 * cw), T, ...scope.params],
    );
    for (const id of out.keys()) {
      put(id, `comm_drop_${cw}d`, null);
      put(id, 'comm_drop', null);
    }
    for (const r of comm) {
      const drop = r.p > 0 ? round1((1 - r.r / r.p) * 100) : null;
      const e = refs('engagements', r.ids);
      put(r.a, `comm_drop_${cw}d`, drop, e);
      put(r.a, 'comm_drop', drop, e);
    }
  }

  // ---- escalations open at asOf (already escalated: rules do not flag them again)
  {
    const rows = store.all<{ a: number; id: number }>(
      `SELECT x.id AS a, max(e.id) AS id FROM accounts x CROSS JOIN escalations e ON e.account_id = x.id
       WHERE e.opened_at < ?
         AND NOT (coalesce(e.resolved_at, e.closed_at) IS NOT NULL AND coalesce(e.resolved_at, e.closed_at) < ?)
         AND NOT (e.status IN ('resolved', 'closed') AND e.resolved_at IS NULL AND e.closed_at IS NULL)
         AND ${scope.sql}
       GROUP BY x.id`,
      [T, T, ...scope.params],
    );
    for (const id of out.keys()) put(id, 'open_escalation', 0);
    for (const r of rows) put(r.a, 'open_escalation', 1, [`escalations:${r.id}`]);
  }

  return out;
};

/** All signals of one account as of `asOf`, with evidence. Null when the account does not exist (or had not started). */
export const computeSignals = (
  store: PortfolioStore,
  accountId: number,
  asOf: string | Date,
  config: RiskConfig = DEFAULT_CONFIG,
  opts: Omit<SignalOptions, 'accountIds'> = {},
): AccountSignals | null =>
  computeSignalsBatch(store, asOf, config, {
    evidence: true,
    includeChurned: true,
    ...opts,
    accountIds: [accountId],
  }).get(accountId) ?? null;
