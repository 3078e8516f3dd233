/**
 * Sentiment and intents in the portfolio: incremental and full (re)scoring of ticket messages, text settings,
 * and the per-account sentiment trend the risk engine reads.
 */
import type { PortfolioStore, Tx } from '../db/store';
import type { Intent, IntentKind } from './intents';
import type { ScoredMessage, SentimentService } from './sentiment';

export const HUMAN_MODEL_ID = 'human';

// ---------------------------------------------------------------- settings
export interface TextSettings {
  /** A user-selected model folder; null = the shipped default. */
  modelDir: string | null;
  competitors: string[];
}

export const readTextSettings = (store: PortfolioStore): TextSettings => {
  const rows = store.all<{ key: string; value: string }>('SELECT key, value FROM text_settings');
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const parse = <T>(k: string, d: T): T => {
    const v = m.get(k);
    if (v === undefined) return d;
    try {
      return JSON.parse(v) as T;
    } catch {
      return d;
    }
  };
  return {
    modelDir: parse<string | null>('modelDir', null),
    competitors: parse<string[]>('competitors', []),
  };
};

export const writeTextSetting = (
  store: PortfolioStore,
  key: keyof TextSettings | string,
  value: unknown,
): void => {
  store.write((tx) =>
    tx.run(
      'INSERT INTO text_settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      [key, JSON.stringify(value)],
    ),
  );
};

// ---------------------------------------------------------------- scoring
export interface ScoreRunOptions {
  /** 'incremental': unscored, changed (body edited) or scored by another model; 'full': everything. */
  mode: 'incremental' | 'full';
  /** Checked between chunks; when it returns true the run stops (what was scored is kept). */
  isCancelled?: () => boolean;
  onProgress?: (done: number, total: number) => void;
  /** Texts per worker request (default 2000). */
  chunk?: number;
  /** Results per database write (default 20000). */
  flushEvery?: number;
}

export interface ScoreRunReport {
  modelId: string;
  total: number;
  scored: number;
  cancelled: boolean;
  ms: number;
}

const writeResults = (
  tx: Tx,
  modelId: string,
  ids: readonly number[],
  res: readonly ScoredMessage[],
): void => {
  for (let i = 0; i < ids.length; i++) {
    const r = res[i]!;
    tx.run(
      'UPDATE ticket_messages SET sentiment_label = ?, sentiment_score = ?, sentiment_confidence = ?, sentiment_model = ? WHERE id = ?',
      [r.label, Math.round(r.score * 1e4) / 1e4, Math.round(r.confidence * 1e4) / 1e4, modelId, ids[i]!],
    );
    tx.run("DELETE FROM message_intents WHERE message_id = ? AND source = 'auto'", [ids[i]!]);
    for (const it of r.intents) {
      tx.run(
        "INSERT INTO message_intents(message_id, kind, span_start, span_end, text, confidence, source) VALUES (?, ?, ?, ?, ?, ?, 'auto')",
        [ids[i]!, it.kind, it.span[0], it.span[1], it.text, it.confidence],
      );
    }
  }
};

/** The id stored with each score: the model plus, when active, the adaptive layer's version. */
export const scorerId = (service: SentimentService, adapterVersion: number | null): string =>
  adapterVersion ? `${service.status.modelId}+adapter${adapterVersion}` : service.status.modelId;

export const scoreMessages = async (
  store: PortfolioStore,
  service: SentimentService,
  opts: ScoreRunOptions,
  adapterVersion: number | null = null,
): Promise<ScoreRunReport> => {
  const t0 = performance.now();
  await service.init();
  const modelId = scorerId(service, adapterVersion);
  const rows =
    opts.mode === 'full'
      ? store.all<{ id: number; body: string }>(
          'SELECT id, body FROM ticket_messages WHERE sentiment_model IS NOT ? OR sentiment_model IS NULL ORDER BY id',
          [HUMAN_MODEL_ID],
        )
      : store.all<{ id: number; body: string }>(
          'SELECT id, body FROM ticket_messages WHERE sentiment_model IS NULL OR (sentiment_model <> ? AND sentiment_model <> ?) ORDER BY id',
          [modelId, HUMAN_MODEL_ID],
        );
  const total = rows.length;
  const chunk = opts.chunk ?? 2000;
  const flushEvery = opts.flushEvery ?? 20000;
  const big = total > 5000;
  let bufIds: number[] = [];
  let bufRes: ScoredMessage[] = [];
  let scored = 0;
  let cancelled = false;
  const flush = () => {
    if (bufIds.length === 0) return;
    const ids = bufIds;
    const res = bufRes;
    // Large runs write without the journal, as one durable snapshot per flush; small ones journal each change.
    if (big) store.bulk((tx) => writeResults(tx, modelId, ids, res));
    else store.write((tx) => writeResults(tx, modelId, ids, res));
    bufIds = [];
    bufRes = [];
  };
  opts.onProgress?.(0, total);
  for (let s = 0; s < total; s += chunk) {
    if (opts.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const part = rows.slice(s, s + chunk);
    const res = await service.score(part.map((r) => r.body));
    bufIds.push(...part.map((r) => r.id));
    bufRes.push(...res);
    scored += part.length;
    if (bufIds.length >= flushEvery) flush();
    opts.onProgress?.(scored, total);
  }
  flush();
  return { modelId, total, scored, cancelled, ms: Math.round(performance.now() - t0) };
};

// ---------------------------------------------------------------- trend for the risk engine
export interface TrendWindow {
  from: string;
  to: string;
  messages: number;
  negative: number;
  positive: number;
  /** Mean sentiment score of the customer's messages in the window, or null when there are none. */
  meanScore: number | null;
}

export interface SentimentEvidence {
  messageId: number;
  ticketId: number;
  createdAt: string;
  score: number;
  label: string;
  excerpt: string;
}

export interface AccountSentimentTrend {
  accountId: number;
  asOf: string;
  windowDays: number;
  current: TrendWindow;
  prior: TrendWindow;
  /** current.meanScore - prior.meanScore (null when either is missing). */
  delta: number | null;
  /** The most negative customer messages of the current window (up to 5). */
  evidence: SentimentEvidence[];
  /** Intents found in the current window, by kind, with the messages behind them. */
  intents: Partial<Record<IntentKind, { count: number; messageIds: number[]; examples: string[] }>>;
}

const DAY = 86_400_000;
const endOf = (asOf: string): Date =>
  /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? new Date(`${asOf}T23:59:59.999Z`) : new Date(asOf);

/**
 * Customer-side sentiment for one account: the window (asOf - windowDays, asOf] against the window before
 * it. Only scored messages count. Every number links back to message ids.
 */
export const accountSentimentTrend = (
  store: Pick<PortfolioStore, 'all'>,
  accountId: number,
  asOf: string,
  windowDays = 30,
): AccountSentimentTrend => {
  const end = endOf(asOf);
  const mid = new Date(end.getTime() - windowDays * DAY);
  const start = new Date(end.getTime() - 2 * windowDays * DAY);
  const window = (from: Date, to: Date): TrendWindow => {
    const r = store.all<{ n: number; neg: number; pos: number; mean: number | null }>(
      `SELECT count(*) AS n, sum(m.sentiment_label = 'negative') AS neg, sum(m.sentiment_label = 'positive') AS pos,
              avg(m.sentiment_score) AS mean
         FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE t.account_id = ? AND m.side = 'customer' AND m.sentiment_score IS NOT NULL
          AND m.created_at > ? AND m.created_at <= ?`,
      [accountId, from.toISOString(), to.toISOString()],
    )[0]!;
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      messages: r.n,
      negative: r.neg ?? 0,
      positive: r.pos ?? 0,
      meanScore: r.n > 0 && r.mean !== null ? Math.round(r.mean * 1e4) / 1e4 : null,
    };
  };
  const current = window(mid, end);
  const prior = window(start, mid);
  const evidence = store
    .all<{
      id: number;
      ticket_id: number;
      created_at: string;
      sentiment_score: number;
      sentiment_label: string;
      body: string;
    }>(
      `SELECT m.id, m.ticket_id, m.created_at, m.sentiment_score, m.sentiment_label, m.body
         FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
        WHERE t.account_id = ? AND m.side = 'customer' AND m.sentiment_label = 'negative'
          AND m.created_at > ? AND m.created_at <= ?
        ORDER BY m.sentiment_score ASC, m.created_at DESC LIMIT 5`,
      [accountId, mid.toISOString(), end.toISOString()],
    )
    .map((r) => ({
      messageId: r.id,
      ticketId: r.ticket_id,
      createdAt: r.created_at,
      score: r.sentiment_score,
      label: r.sentiment_label,
      excerpt: r.body.length > 160 ? `${r.body.slice(0, 157)}...` : r.body,
    }));
  const intents: AccountSentimentTrend['intents'] = {};
  for (const r of store.all<{ kind: IntentKind; message_id: number; text: string }>(
    `SELECT i.kind, i.message_id, i.text FROM message_intents i
       JOIN ticket_messages m ON m.id = i.message_id JOIN tickets t ON t.id = m.ticket_id
      WHERE t.account_id = ? AND m.side = 'customer' AND m.created_at > ? AND m.created_at <= ?
      ORDER BY m.created_at DESC`,
    [accountId, mid.toISOString(), end.toISOString()],
  )) {
    let e = intents[r.kind];
    if (!e) {
      e = { count: 0, messageIds: [], examples: [] };
      intents[r.kind] = e;
    }
    e.count++;
    if (!e.messageIds.includes(r.message_id)) e.messageIds.push(r.message_id);
    if (e.examples.length < 3) e.examples.push(r.text);
  }
  const delta =
    current.meanScore !== null && prior.meanScore !== null
      ? Math.round((current.meanScore - prior.meanScore) * 1e4) / 1e4
      : null;
  return { accountId, asOf, windowDays, current, prior, delta, evidence, intents };
};

/** Stored intents of one message. */
export const messageIntents = (
  store: Pick<PortfolioStore, 'all'>,
  messageId: number,
): (Intent & { source: string })[] =>
  store
    .all<{
      kind: IntentKind;
      span_start: number;
      span_end: number;
      text: string;
      confidence: number;
      source: string;
    }>(
      'SELECT kind, span_start, span_end, text, confidence, source FROM message_intents WHERE message_id = ? ORDER BY span_start',
      [messageId],
    )
    .map((r) => ({
      kind: r.kind,
      span: [r.span_start, r.span_end],
      text: r.text,
      confidence: r.confidence,
      source: r.source,
    }));
