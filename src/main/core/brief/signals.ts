/**
 * The brief's own minimal readers over the raw tables: a signal vector for an account at a moment in time,
 * each signal with the records behind it. Used (1) to compare an account with past escalations (similar
 * cases, computed at each past escalation's opening date) and (2) as the fallback risk summary when the risk
 * engine (src/main/core/risk) does not provide one. Deterministic: a pure function of the data and `at`.
 */
import type { Citation, RiskFactor, RiskSummary } from '../../../shared/brief-types';
import type { PortfolioStore } from '../db/store';
import { addDays, DAY_MS, isoDate } from '../time';
import { type CompetitorDetector, detectCompetitorMentions } from './competitors';

export const SIGNAL_IDS = [
  'champion_departure',
  'usage_decline',
  'ticket_surge',
  'negative_sentiment',
  'competitor_mention',
  'exec_gap',
  'health_drop',
  'renewal_near',
  'nps_detractor',
] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

export const SIGNAL_LABELS: Record<SignalId, string> = {
  champion_departure: 'Champion or sponsor departure',
  usage_decline: 'Usage decline',
  ticket_surge: 'Support ticket surge',
  negative_sentiment: 'Negative ticket sentiment',
  competitor_mention: 'Competitor mention',
  exec_gap: 'Executive engagement gap',
  health_drop: 'Health score drop',
  renewal_near: 'Renewal approaching',
  nps_detractor: 'NPS detractor',
};

/** Points at full strength, for the fallback score (sums to 88 at most; the risk engine owns real weights). */
const MAX_POINTS: Record<SignalId, number> = {
  champion_departure: 18,
  usage_decline: 18,
  ticket_surge: 10,
  negative_sentiment: 6,
  competitor_mention: 10,
  exec_gap: 7,
  health_drop: 10,
  renewal_near: 6,
  nps_detractor: 3,
};

export interface Signal {
  id: SignalId;
  /** 0..1 strength. */
  strength: number;
  detail: string;
  citations: Citation[];
  /** Raw numbers behind the detail, for renderers and tests. */
  values: Record<string, number | string | null>;
}

export interface SignalOptions {
  competitors?: readonly string[];
  detectCompetitors?: CompetitorDetector;
  /** Reads an unscored customer message as negative (e.g. the risk engine's negative phrases). */
  negativeText?: (text: string) => boolean;
}

/** A customer message is negative by its stored sentiment, or, when it has none, by `negativeText`. */
export const isNegativeMessage = (
  m: { sentiment_label: string | null; sentiment_score: number | null; body: string },
  opts: SignalOptions,
): boolean =>
  m.sentiment_label !== null
    ? m.sentiment_label === 'negative' || (m.sentiment_score ?? 0) < -0.3
    : (opts.negativeText?.(m.body) ?? false);

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const iso = (d: Date) => d.toISOString();
const pct = (x: number) => `${Math.round(x * 100)}%`;

export interface CompetitorHit {
  messageId: number;
  ticketId: number;
  ticketSubject: string;
  createdAt: string;
  competitor: string | null;
  span: string;
  excerpt: string;
}

/** Customer messages in [from, to) that mention a competitor or an evaluation of alternatives. */
export const findCompetitorHits = (
  store: PortfolioStore,
  accountId: number,
  from: Date,
  to: Date,
  opts: SignalOptions = {},
): CompetitorHit[] => {
  const detect = opts.detectCompetitors ?? detectCompetitorMentions;
  const rows = store.all<{
    id: number;
    ticket_id: number;
    subject: string;
    body: string;
    created_at: string;
  }>(
    `SELECT m.id, m.ticket_id, t.subject, m.body, m.created_at FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
     WHERE t.account_id = ? AND m.side = 'customer' AND m.created_at >= ? AND m.created_at < ? ORDER BY m.created_at, m.id`,
    [accountId, iso(from), iso(to)],
  );
  const hits: CompetitorHit[] = [];
  for (const r of rows) {
    const found = detect(r.body, opts.competitors ?? []);
    if (found.length === 0) continue;
    const named = found.find((f) => f.competitor) ?? found[0]!;
    const s = Math.max(0, named.start - 60);
    const e = Math.min(r.body.length, named.end + 60);
    const excerpt = `${s > 0 ? '…' : ''}${r.body.slice(s, e).trim()}${e < r.body.length ? '…' : ''}`;
    hits.push({
      messageId: r.id,
      ticketId: r.ticket_id,
      ticketSubject: r.subject,
      createdAt: r.created_at,
      competitor: named.competitor,
      span: named.span,
      excerpt,
    });
  }
  return hits;
};

/** Every signal of one account as it stood at `at` (records strictly before `at`). */
export const computeSignals = (
  store: PortfolioStore,
  accountId: number,
  at: Date,
  opts: SignalOptions = {},
): Signal[] => {
  const out: Signal[] = [];
  const before = (days: number) => addDays(at, -days);

  // Champion / executive sponsor departure in the last 120 days.
  const departed = store.all<{ id: number; title: string | null; departed_at: string; is_champion: number }>(
    `SELECT id, title, departed_at, is_champion FROM contacts WHERE account_id = ? AND (is_champion = 1 OR is_exec_sponsor = 1)
     AND departed_at IS NOT NULL AND departed_at < ? AND departed_at >= ? ORDER BY departed_at DESC`,
    [accountId, iso(at), iso(before(120))],
  );
  if (departed.length > 0) {
    const d = departed[0]!;
    const ago = Math.round((at.getTime() - Date.parse(d.departed_at)) / DAY_MS);
    out.push({
      id: 'champion_departure',
      strength: clamp01(1 - Math.max(0, ago - 45) / 150),
      detail: `${d.is_champion ? 'Champion' : 'Executive sponsor'}${d.title ? ` (${d.title})` : ''} departed ${ago} days ago`,
      citations: departed.map((c) => `contacts:${c.id}`),
      values: { daysAgo: ago, title: d.title },
    });
  }

  // Usage: logins in the last 45 days vs the 45 days before.
  const usage = store.all<{ id: number; period_start: string; logins: number }>(
    'SELECT id, period_start, logins FROM usage_periods WHERE account_id = ? AND period_start < ? AND period_start >= ? ORDER BY period_start',
    [accountId, isoDate(at), isoDate(before(90))],
  );
  const cut = isoDate(before(45));
  const recent = usage.filter((u) => u.period_start >= cut);
  const prior = usage.filter((u) => u.period_start < cut);
  if (recent.length > 0 && prior.length > 0) {
    const avg = (xs: typeof usage) => xs.reduce((s, u) => s + u.logins, 0) / xs.length;
    const a = avg(recent);
    const b = avg(prior);
    const change = b > 0 ? (a - b) / b : 0;
    if (change <= -0.15) {
      out.push({
        id: 'usage_decline',
        strength: clamp01(-change / 0.6),
        detail: `Logins down ${pct(-change)} over the last 45 days vs the 45 days before (${Math.round(b)} to ${Math.round(a)} per period)`,
        citations: [...prior.slice(-2), ...recent].map((u) => `usage_periods:${u.id}`),
        values: { change, recentAvg: a, priorAvg: b },
      });
    }
  }

  // Ticket volume: last 14 days vs the account's own 14-day baseline over the 180 days before.
  const recentTickets = store.all<{ id: number }>(
    'SELECT id FROM tickets WHERE account_id = ? AND created_at < ? AND created_at >= ? ORDER BY created_at',
    [accountId, iso(at), iso(before(14))],
  );
  const baseN =
    store.get<{ n: number }>(
      'SELECT count(*) AS n FROM tickets WHERE account_id = ? AND created_at < ? AND created_at >= ?',
      [accountId, iso(before(14)), iso(before(194))],
    )?.n ?? 0;
  const baseline = (baseN / 180) * 14;
  if (recentTickets.length >= 2 && recentTickets.length >= 2 * baseline) {
    out.push({
      id: 'ticket_surge',
      strength: clamp01((recentTickets.length - baseline) / 4),
      detail: `${recentTickets.length} tickets in the last 14 days vs a baseline of ${baseline.toFixed(1)} per 14 days`,
      citations: recentTickets.map((t) => `tickets:${t.id}`),
      values: { recent: recentTickets.length, baseline },
    });
  }

  // Negative customer messages in the last 30 days.
  const negative = store
    .all<{ id: number; sentiment_label: string | null; sentiment_score: number | null; body: string }>(
      `SELECT m.id, m.sentiment_label, m.sentiment_score, m.body FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
       WHERE t.account_id = ? AND m.side = 'customer' AND m.created_at < ? AND m.created_at >= ? ORDER BY m.created_at`,
      [accountId, iso(at), iso(before(30))],
    )
    .filter((m) => isNegativeMessage(m, opts));
  if (negative.length > 0) {
    out.push({
      id: 'negative_sentiment',
      strength: clamp01(negative.length / 3),
      detail: `${negative.length} negative customer message${negative.length === 1 ? '' : 's'} in the last 30 days`,
      citations: negative.map((m) => `ticket_messages:${m.id}`),
      values: { count: negative.length },
    });
  }

  // Competitor mentions in the last 90 days.
  const hits = findCompetitorHits(store, accountId, before(90), at, opts);
  if (hits.length > 0) {
    const names = [...new Set(hits.map((h) => h.competitor).filter((c): c is string => !!c))];
    out.push({
      id: 'competitor_mention',
      strength: 1,
      detail: `${hits.length} customer message${hits.length === 1 ? '' : 's'} mention${hits.length === 1 ? 's' : ''} ${names.length ? names.join(', ') : 'evaluating alternatives'}`,
      citations: hits.flatMap((h) => [`ticket_messages:${h.messageId}`, `tickets:${h.ticketId}`]),
      values: { count: hits.length, competitors: names.join(', ') || null },
    });
  }

  // Days since the last executive engagement.
  const exec = store.get<{ id: number; occurred_at: string }>(
    `SELECT id, occurred_at FROM engagements WHERE account_id = ? AND occurred_at < ? AND (is_executive = 1 OR kind = 'exec_touchpoint')
     ORDER BY occurred_at DESC LIMIT 1`,
    [accountId, iso(at)],
  );
  const anyHistory = store.get<{ n: number }>(
    'SELECT count(*) AS n FROM engagements WHERE account_id = ? AND occurred_at < ?',
    [accountId, iso(at)],
  )?.n;
  if (anyHistory) {
    const gap = exec ? Math.round((at.getTime() - Date.parse(exec.occurred_at)) / DAY_MS) : null;
    if (gap === null || gap >= 60) {
      out.push({
        id: 'exec_gap',
        strength: gap === null ? 1 : clamp01((gap - 30) / 60),
        detail: gap === null ? 'No executive engagement on record' : `No executive engagement in ${gap} days`,
        citations: exec ? [`engagements:${exec.id}`] : [],
        values: { days: gap },
      });
    }
  }

  // Health: latest score vs the highest in the 90 days before it.
  const health = store.all<{ id: number; scored_at: string; score: number }>(
    'SELECT id, scored_at, score FROM health_scores WHERE account_id = ? AND scored_at < ? AND scored_at >= ? ORDER BY scored_at',
    [accountId, iso(at), iso(before(120))],
  );
  if (health.length >= 2) {
    const last = health[health.length - 1]!;
    const peak = health.slice(0, -1).reduce((p, h) => (h.score > p.score ? h : p));
    const drop = peak.score - last.score;
    if (drop >= 10) {
      out.push({
        id: 'health_drop',
        strength: clamp01(drop / 35),
        detail: `Health score fell from ${Math.round(peak.score)} to ${Math.round(last.score)}`,
        citations: [`health_scores:${peak.id}`, `health_scores:${last.id}`],
        values: { from: peak.score, to: last.score },
      });
    }
  }

  // Renewal within 120 days.
  const acct = store.get<{ renewal_date: string | null }>('SELECT renewal_date FROM accounts WHERE id = ?', [
    accountId,
  ]);
  if (acct?.renewal_date) {
    const days = Math.round((Date.parse(acct.renewal_date.slice(0, 10)) - Date.parse(isoDate(at))) / DAY_MS);
    if (days >= 0 && days <= 120) {
      out.push({
        id: 'renewal_near',
        strength: clamp01(1 - Math.max(0, days - 30) / 90),
        detail: `Renewal in ${days} days (${acct.renewal_date.slice(0, 10)})`,
        citations: [`accounts:${accountId}`],
        values: { days },
      });
    }
  }

  // Latest NPS response in 180 days is a detractor.
  const nps = store.get<{ id: number; score: number }>(
    'SELECT id, score FROM nps_responses WHERE account_id = ? AND responded_at < ? AND responded_at >= ? ORDER BY responded_at DESC LIMIT 1',
    [accountId, iso(at), iso(before(180))],
  );
  if (nps && nps.score <= 6) {
    out.push({
      id: 'nps_detractor',
      strength: clamp01((7 - nps.score) / 5),
      detail: `Latest NPS response is a detractor (${nps.score})`,
      citations: [`nps_responses:${nps.id}`],
      values: { score: nps.score },
    });
  }
  return out;
};

/** A fixed-order feature vector (strength per signal id) for similarity. */
export const signalVector = (signals: readonly Signal[]): number[] =>
  SIGNAL_IDS.map((id) => signals.find((s) => s.id === id)?.strength ?? 0);

/** The fallback risk summary: points = strength × the signal's weight. The risk engine replaces it. */
export const fallbackRiskSummary = (signals: readonly Signal[]): RiskSummary => {
  const factors: RiskFactor[] = signals
    .map((s) => ({
      id: s.id,
      label: SIGNAL_LABELS[s.id],
      points: Math.round(s.strength * MAX_POINTS[s.id] * 10) / 10,
      detail: s.detail,
      citations: s.citations,
    }))
    .filter((f) => f.points > 0)
    .sort(
      (a, b) =>
        b.points - a.points || SIGNAL_IDS.indexOf(a.id as SignalId) - SIGNAL_IDS.indexOf(b.id as SignalId),
    );
  const score = Math.min(100, Math.round(factors.reduce((s, f) => s + f.points, 0)));
  return { score, priority: null, factors, source: 'brief-fallback' };
};
