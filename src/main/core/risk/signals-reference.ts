/**
 * The test oracle for the risk signals: the first, straightforward implementation of `computeSignalsBatch`
 * (one grouped query per record kind over whole tables, kept verbatim). Tests check that the indexed
 * implementation in signals.ts returns exactly the same values and evidence. Not used by the app. When a
 * signal's definition changes on purpose, change it here the same way (it is the plain statement of what each
 * signal means; signals.ts is the fast one).
 */
import type { AccountSignals, RecordRef, RiskConfig, SignalAccount } from '../../../shared/risk-types';
import type { SqlValue } from '../db/engine';
import type { PortfolioStore } from '../db/store';
import { DAY_MS, daysBetween } from '../time';
import { DEFAULT_CONFIG } from './config';
import { bound, parseAsOf, phraseRegex, renewalAt, type SignalOptions } from './signals';

const minus = (d: Date, days: number): string => bound(new Date(d.getTime() - days * DAY_MS));

const round1 = (x: number): number => Math.round(x * 10) / 10;
const pctDrop = (recent: number | null, prior: number | null): number | null =>
  recent === null || prior === null || prior <= 0 ? null : round1((1 - recent / prior) * 100);

const refs = (table: string, ids: string | null | undefined): RecordRef[] =>
  ids ? [...new Set(ids.split(','))].filter((s) => s !== '').map((id) => `${table}:${id}`) : [];

/** Days from `from` to `to` (may be fractional bounds; rounded down to whole days). */
const daysFrom = (from: string, to: Date): number =>
  Math.floor((to.getTime() - Date.parse(from.length === 10 ? `${from}T00:00:00.000Z` : from)) / DAY_MS);

interface Filter {
  sql: string;
  params: SqlValue[];
}

const accountFilter = (col: string, ids: readonly number[] | null | undefined): Filter => {
  if (!ids) return { sql: '', params: [] };
  if (ids.length === 1) return { sql: ` AND ${col} = ?`, params: [ids[0]!] };
  return { sql: ` AND ${col} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
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

/** The signals as the first implementation computed them (one grouped query per record kind). */
export const referenceSignalsBatch = (
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
  // Portfolio-wide reads scan the tables in order: in sql.js that beats many random index lookups by far.
  const scan = ids ? '' : ' NOT INDEXED';

  // ---- accounts
  const fa = accountFilter('id', ids);
  const accounts = store.all<AccountDb>(
    `SELECT id, name, segment, tier, arr, is_strategic, expansion_potential, renewal_date, contract_start FROM accounts
     WHERE (contract_start IS NULL OR contract_start < ?)${opts.includeChurned ? '' : " AND status = 'active'"}${fa.sql}`,
    [T, ...fa.params],
  );
  if (accounts.length === 0) return out;
  const blank = (a: AccountDb): AccountSignals => {
    const renewal = renewalAt(a.renewal_date, a.contract_start, at);
    return {
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
    };
  };
  for (const a of accounts) out.set(a.id, blank(a));
  // When the caller asked for everything, filter the other queries by date only (the map drops strays).
  const f = (col: string) => accountFilter(col, ids);
  const put = (id: number, key: string, value: number | null, evidence?: RecordRef[]) => {
    const s = out.get(id);
    if (!s) return;
    s.values[key] = value;
    if (ev && evidence && evidence.length > 0) s.evidence[key] = evidence;
  };

  // ---- usage: per window, the rate over the last w days vs the w days before (complete periods only).
  // Rows are summed per account and per segment between the window edges; the windows are put together here.
  {
    const ws = config.windows;
    const edges = [...new Set(ws.flatMap((w) => [w, 2 * w]))].sort((a, b) => a - b);
    const segSql = `CASE ${edges
      .slice(0, -1)
      .map((_, i) => `WHEN period_start >= ? THEN ${i}`)
      .join(' ')} ELSE ${edges.length - 1} END`;
    const fu = f('account_id');
    const rows = store.all<{
      a: number;
      seg: number;
      ua: number;
      lg: number;
      kf: number;
      fa: number;
      d: number;
      ids?: string | null;
    }>(
      `SELECT account_id AS a, ${segSql} AS seg, sum(active_users * period_days) AS ua, sum(logins) AS lg,
              sum(key_feature_use) AS kf, sum(features_adopted * period_days) AS fa, sum(period_days) AS d
              ${ev ? ', group_concat(id) AS ids' : ''}
       FROM usage_periods${scan}
       WHERE period_start >= ? AND period_start < ?
         AND ((period_days = 7 AND period_start <= ?) OR (period_days <> 7 AND julianday(period_start) + period_days <= julianday(?)))${fu.sql}
       GROUP BY account_id, seg`,
      [
        ...edges.slice(0, -1).map((e) => minus(at, e)),
        minus(at, edges[edges.length - 1]!),
        T,
        minus(at, 7),
        T,
        ...fu.params,
      ],
    );
    const byAccount = new Map<number, (typeof rows)[number][]>();
    for (const r of rows) {
      const list = byAccount.get(r.a);
      if (list) list.push(r);
      else byAccount.set(r.a, [r]);
    }
    for (const [id, segs] of byAccount) {
      let maxDrop: number | null = null;
      let evAll: RecordRef[] = [];
      ws.forEach((w) => {
        const sum = (lo: number, hi: number) => {
          const acc = { ua: 0, lg: 0, kf: 0, fa: 0, d: 0, ids: [] as string[] };
          for (const s of segs) {
            const edge = edges[s.seg]!;
            if (edge <= lo || edge > hi) continue;
            acc.ua += s.ua;
            acc.lg += s.lg;
            acc.kf += s.kf;
            acc.fa += s.fa;
            acc.d += s.d;
            if (s.ids) acc.ids.push(s.ids);
          }
          return acc;
        };
        const r = sum(0, w);
        const p = sum(w, 2 * w);
        const ok = r.d >= 7 && p.d >= 7;
        const drop = (a: number, b: number) => (ok ? pctDrop(a / r.d, b / p.d) : null);
        const e = ev ? refs('usage_periods', [...r.ids, ...p.ids].join(',')) : undefined;
        const u = drop(r.ua, p.ua);
        const l = drop(r.lg, p.lg);
        put(id, `usage_drop_${w}d`, u, e);
        put(id, `login_drop_${w}d`, l, e);
        put(id, `key_feature_drop_${w}d`, drop(r.kf, p.kf), e);
        put(id, `adoption_drop_${w}d`, drop(r.fa, p.fa), e);
        for (const v of [u, l]) {
          if (v !== null && (maxDrop === null || v > maxDrop)) {
            maxDrop = v;
            evAll = e ?? [];
          }
        }
      });
      put(id, 'usage_drop_max', maxDrop, evAll);
    }
    for (const [id, s] of out) {
      if (byAccount.has(id)) continue;
      for (const w of ws)
        for (const k of ['usage', 'login', 'key_feature', 'adoption']) s.values[`${k}_drop_${w}d`] = null;
      s.values.usage_drop_max = null;
    }
  }

  // ---- tickets: recent volume vs the account's own baseline
  {
    const ft = f('account_id');
    const recentStart = minus(at, config.ticketRecentDays);
    const rows = store.all<{ a: number; recent: number; base: number; ids: string | null }>(
      `SELECT account_id AS a, sum(created_at >= ?) AS recent, sum(created_at < ?) AS base
              ${ev ? ', group_concat(CASE WHEN created_at >= ? THEN id END) AS ids' : ''}
       FROM tickets${scan} WHERE created_at >= ? AND created_at < ?${ft.sql} GROUP BY account_id`,
      [
        recentStart,
        recentStart,
        ...(ev ? [recentStart] : []),
        minus(at, config.ticketRecentDays + config.ticketBaselineDays),
        T,
        ...ft.params,
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
    const fm = f('t.account_id');
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
       FROM ticket_messages m${scan} JOIN tickets t ON t.id = m.ticket_id
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
    const rows = [...aggs].map(([a, g]) => ({
      a,
      negt: g.negT.size,
      s_r: g.nr > 0 ? g.sr / g.nr : null,
      s_p: g.np > 0 ? g.sp / g.np : null,
      comp: g.comp.length,
      neg_ids: ev ? [...g.negT].join(',') : null,
      comp_ids: ev ? g.comp.join(',') : null,
    }));
    const seen = new Set<number>();
    for (const r of rows) {
      seen.add(r.a);
      const negRefs = refs('tickets', r.neg_ids);
      put(r.a, `negative_tickets_${negWin}d`, r.negt, negRefs);
      put(r.a, 'negative_tickets', r.negt, negRefs);
      put(r.a, 'sentiment_recent', r.s_r === null ? null : Math.round(r.s_r * 100) / 100);
      put(
        r.a,
        'sentiment_trend',
        r.s_r === null || r.s_p === null ? null : Math.round((r.s_r - r.s_p) * 100) / 100,
      );
      put(r.a, 'competitor_mentions', r.comp, refs('ticket_messages', r.comp_ids));
    }
    for (const id of out.keys()) {
      if (seen.has(id)) continue;
      put(id, `negative_tickets_${negWin}d`, 0);
      put(id, 'negative_tickets', 0);
      put(id, 'sentiment_recent', null);
      put(id, 'sentiment_trend', null);
      put(id, 'competitor_mentions', 0);
    }
  }

  // ---- health: latest, and the level at the start of the window
  {
    const fh = f('account_id');
    const latest = store.all<{ a: number; id: number; score: number }>(
      `SELECT account_id AS a, id, score, max(scored_at) AS at FROM health_scores${scan}
       WHERE scored_at >= ? AND scored_at < ?${fh.sql} GROUP BY account_id`,
      [minus(at, 365), T, ...fh.params],
    );
    const hw = config.healthWindowDays;
    const start = minus(at, hw);
    // The score in force at the window start (latest on or before it), else the earliest inside the window.
    const before = store.all<{ a: number; id: number; score: number }>(
      `SELECT account_id AS a, id, score, max(scored_at) AS at FROM health_scores${scan}
       WHERE scored_at >= ? AND scored_at <= ?${fh.sql} GROUP BY account_id`,
      [minus(at, hw + 180), start, ...fh.params],
    );
    const inside = store.all<{ a: number; id: number; score: number }>(
      `SELECT account_id AS a, id, score, min(scored_at) AS at FROM health_scores${scan}
       WHERE scored_at > ? AND scored_at < ?${fh.sql} GROUP BY account_id`,
      [start, T, ...fh.params],
    );
    const base = new Map(inside.map((r) => [r.a, r]));
    for (const r of before) base.set(r.a, r);
    for (const id of out.keys()) {
      put(id, 'health_latest', null);
      put(id, 'health_drop', null);
    }
    for (const r of latest) {
      put(r.a, 'health_latest', r.score, [`health_scores:${r.id}`]);
      const b = base.get(r.a);
      if (b && b.id !== r.id)
        put(r.a, 'health_drop', round1(b.score - r.score), [
          `health_scores:${b.id}`,
          `health_scores:${r.id}`,
        ]);
    }
  }

  // ---- NPS: the latest answer
  {
    const fn = f('account_id');
    const rows = store.all<{ a: number; id: number; score: number }>(
      `SELECT account_id AS a, id, score, max(responded_at) AS at FROM nps_responses${scan}
       WHERE responded_at >= ? AND responded_at < ?${fn.sql} GROUP BY account_id`,
      [minus(at, config.npsMaxAgeDays), T, ...fn.params],
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
    const fc = f('account_id');
    const rows = store.all<{ a: number; id: number; departed: string }>(
      `SELECT account_id AS a, id, max(departed_at) AS departed FROM contacts
       WHERE (is_champion = 1 OR is_exec_sponsor = 1) AND departed_at IS NOT NULL AND departed_at >= ? AND departed_at < ?${fc.sql}
       GROUP BY account_id`,
      [minus(at, config.stakeholderMaxAgeDays), T, ...fc.params],
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
    const fe = f('account_id');
    const exec = store.all<{ a: number; id: number; at: string }>(
      `SELECT account_id AS a, id, max(occurred_at) AS at FROM engagements${scan}
       WHERE is_executive = 1 AND occurred_at >= ? AND occurred_at < ?${fe.sql} GROUP BY account_id`,
      [minus(at, 365), T, ...fe.params],
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
      `SELECT account_id AS a, sum(occurred_at >= ?) AS r, sum(occurred_at < ?) AS p
              ${ev ? ', group_concat(id) AS ids' : ''}
       FROM engagements${scan} WHERE occurred_at >= ? AND occurred_at < ?${fe.sql} GROUP BY account_id`,
      [cStart, cStart, minus(at, 2 * cw), T, ...fe.params],
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
    const fx = f('account_id');
    const rows = store.all<{ a: number; id: number }>(
      `SELECT account_id AS a, max(id) AS id FROM escalations
       WHERE opened_at < ?
         AND NOT (coalesce(resolved_at, closed_at) IS NOT NULL AND coalesce(resolved_at, closed_at) < ?)
         AND NOT (status IN ('resolved', 'closed') AND resolved_at IS NULL AND closed_at IS NULL)${fx.sql}
       GROUP BY account_id`,
      [T, T, ...fx.params],
    );
    for (const id of out.keys()) put(id, 'open_escalation', 0);
    for (const r of rows) put(r.a, 'open_escalation', 1, [`escalations:${r.id}`]);
  }

  return out;
};

/** One account, as `computeSignals` returns it. */
export const referenceSignals = (
  store: PortfolioStore,
  accountId: number,
  asOf: string | Date,
  config: RiskConfig = DEFAULT_CONFIG,
): AccountSignals | null =>
  referenceSignalsBatch(store, asOf, config, {
    evidence: true,
    includeChurned: true,
    accountIds: [accountId],
  }).get(accountId) ?? null;
