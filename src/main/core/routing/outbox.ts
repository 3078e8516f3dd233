/**
 * The outbox: every outgoing message is a row, queued in the same durable transaction as the event that
 * caused it, and delivered later by `deliverOutbox`. It queues while offline, retries with exponential
 * backoff, and never sends the same notification twice:
 *
 *  - `dedupe_key` is UNIQUE: one row per (event, person or Slack channel, channel kind), so re-running the
 *    automations can never queue a message again;
 *  - delivery is AT MOST ONCE. Before a message is handed to the network its row is committed as 'sending'
 *    (journaled and fsynced). When the attempt ends, the row becomes 'sent', goes back to 'queued' with a
 *    later `next_attempt_at` (only when the message certainly did not arrive: connection refused, HTTP 5xx,
 *    SMTP 4xx ...), 'failed' (permanent refusal), or 'unknown' (it may have arrived). After a crash, a row
 *    still in 'sending' is outcome-unknown: it becomes 'unknown' and is NOT resent automatically — Slack
 *    webhooks and SMTP offer no way to ask whether a message arrived, and a duplicate escalation alert is the
 *    fatigue we promise to avoid. Unknown rows are listed for review, where a person resends or dismisses them.
 *    The window in which a crash loses a message is the moment between the 'sending' commit and the hand-over.
 */

import { CoreError } from '../../../shared/result';
import type { ChannelKind, DeliveryReport, OutboxItem, OutboxStatus } from '../../../shared/routing-types';
import type { PortfolioStore } from '../db/store';
import type { RoutingCtx } from './ctx';
import { type Outcome, postSlack, type SlackMessage, type SmtpConfig, sendSmtp } from './transports';

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 3_600_000;
/** Attempts before giving up when the receiver answered with a temporary error (HTTP 5xx, SMTP 4xx). */
export const MAX_ATTEMPTS = 10;
/**
 * While the receiver cannot be reached at all (offline laptop: connection refused, DNS failure) there is no
 * attempt cap — the backoff settles at one attempt an hour — until the message is this old.
 */
export const OFFLINE_EXPIRY_MS = 7 * 86_400_000;

export const backoffMs = (attempts: number): number =>
  Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));

interface OutboxDbRow {
  id: number;
  dedupe_key: string;
  channel_id: number | null;
  channel_kind: ChannelKind;
  recipient: string | null;
  member_id: number | null;
  escalation_id: number | null;
  subject: string;
  body: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  sent_at: string | null;
  last_error: string | null;
}

const toItem = (r: OutboxDbRow): OutboxItem => ({
  id: r.id,
  dedupeKey: r.dedupe_key,
  channelKind: r.channel_kind,
  channelId: r.channel_id,
  recipient: r.recipient,
  escalationId: r.escalation_id,
  subject: r.subject,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  lastError: r.last_error,
});

export interface Transports {
  slack(url: string, message: SlackMessage, id: string): Promise<Outcome>;
  email(
    cfg: SmtpConfig,
    msg: { to: string; subject: string; text: string; id: string; date: Date },
  ): Promise<Outcome>;
}

export const networkTransports: Transports = { slack: postSlack, email: sendSmtp };

export interface DeliverOptions {
  transports?: Transports;
  limit?: number;
  /** Test hook: runs after a message was handed over and before its row is marked (crash tests). */
  afterHandOver?: (item: OutboxItem, outcome: Outcome) => void | Promise<void>;
}

const recovered = new WeakSet<PortfolioStore>();
const running = new WeakMap<PortfolioStore, Promise<DeliveryReport>>();

/**
 * Once per opened store: rows left in 'sending' by a process that stopped mid-delivery become 'unknown'.
 * Returns how many.
 */
export const recoverOutbox = (ctx: RoutingCtx): number => {
  if (recovered.has(ctx.store)) return 0;
  recovered.add(ctx.store);
  const n = ctx.store.get<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE status = 'sending'")?.n ?? 0;
  if (n > 0) {
    ctx.store.write((tx) =>
      tx.run("UPDATE outbox SET status = 'unknown', last_error = ? WHERE status = 'sending'", [
        'delivery was interrupted (the app stopped while sending); it may or may not have arrived, so it is not resent automatically — review and resend or dismiss',
      ]),
    );
  }
  return n;
};

const channelConfig = (
  store: PortfolioStore,
  id: number | null,
): { enabled: boolean; config: Record<string, unknown> } | null => {
  if (id === null) return null;
  const r = store.get<{ enabled: number; config: string }>(
    'SELECT enabled, config FROM notification_channels WHERE id = ?',
    [id],
  );
  return r ? { enabled: r.enabled === 1, config: JSON.parse(r.config) as Record<string, unknown> } : null;
};

const attempt = async (ctx: RoutingCtx, row: OutboxDbRow, t: Transports): Promise<Outcome> => {
  if (row.channel_kind === 'desktop') {
    ctx.bus?.emit('notification', {
      title: row.subject,
      body: row.body,
      ...(row.escalation_id ? { link: `bellwether://escalations/${row.escalation_id}` } : {}),
    });
    return { kind: 'sent' };
  }
  const ch = channelConfig(ctx.store, row.channel_id);
  if (!ch) return { kind: 'failed', error: 'the channel was removed' };
  if (!ch.enabled) return { kind: 'failed', error: 'the channel is disabled' };
  if (row.channel_kind === 'slack') {
    const url = String(ch.config.url ?? '');
    const payload = JSON.parse(row.payload) as Partial<SlackMessage>;
    return t.slack(
      url,
      { text: payload.text ?? row.body, ...(payload.blocks ? { blocks: payload.blocks } : {}) },
      row.dedupe_key,
    );
  }
  const cfg: SmtpConfig = {
    host: String(ch.config.host ?? '127.0.0.1'),
    port: Number(ch.config.port ?? 25),
    from: String(ch.config.from ?? 'bellwether@localhost'),
    ...(typeof ch.config.helo === 'string' ? { helo: ch.config.helo } : {}),
  };
  if (!row.recipient) return { kind: 'failed', error: 'no email address' };
  return t.email(cfg, {
    to: row.recipient,
    subject: row.subject,
    text: row.body,
    id: row.dedupe_key,
    date: ctx.now(),
  });
};

const deliverNow = async (ctx: RoutingCtx, opts: DeliverOptions): Promise<DeliveryReport> => {
  recoverOutbox(ctx);
  const t = opts.transports ?? networkTransports;
  const report: DeliveryReport = { attempted: 0, sent: 0, retrying: 0, failed: 0, unknown: 0, items: [] };
  const nowIso = ctx.now().toISOString();
  const due = ctx.store.all<OutboxDbRow>(
    "SELECT * FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
    [nowIso, opts.limit ?? 500],
  );
  for (const row of due) {
    const startedAt = ctx.now().toISOString();
    // Commit 'sending' before the message leaves: after a crash we know it may have gone.
    const claimed = ctx.store.write(
      (tx) =>
        tx.run(
          "UPDATE outbox SET status = 'sending', attempts = attempts + 1, sending_at = ? WHERE id = ? AND status = 'queued'",
          [startedAt, row.id],
        ).changes,
    );
    if (!claimed) continue;
    report.attempted++;
    let outcome: Outcome;
    try {
      outcome = await attempt(ctx, row, t);
    } catch (e) {
      outcome = { kind: 'unknown', error: `delivery threw: ${(e as Error).message}` };
    }
    await opts.afterHandOver?.(toItem({ ...row, status: 'sending', attempts: row.attempts + 1 }), outcome);
    const attempts = row.attempts + 1;
    const at = ctx.now();
    let status: OutboxStatus;
    let error: string | null = null;
    if (outcome.kind === 'sent') status = 'sent';
    else if (
      outcome.kind === 'retry' &&
      (outcome.offline
        ? at.getTime() - Date.parse(row.created_at) < OFFLINE_EXPIRY_MS
        : attempts < MAX_ATTEMPTS)
    ) {
      status = 'queued';
      error = outcome.error;
    } else if (outcome.kind === 'unknown') {
      status = 'unknown';
      error = outcome.error;
    } else {
      status = 'failed';
      error =
        outcome.kind !== 'retry'
          ? outcome.error
          : outcome.offline
            ? `gave up: unreachable for ${Math.round(OFFLINE_EXPIRY_MS / 86_400_000)} days (${outcome.error})`
            : `gave up after ${attempts} attempts: ${outcome.error}`;
    }
    const next =
      status === 'queued' ? new Date(at.getTime() + backoffMs(attempts)).toISOString() : row.next_attempt_at;
    ctx.store.write((tx) =>
      tx.run('UPDATE outbox SET status = ?, sent_at = ?, last_error = ?, next_attempt_at = ? WHERE id = ?', [
        status,
        status === 'sent' ? at.toISOString() : null,
        error,
        next,
        row.id,
      ]),
    );
    if (status === 'sent') report.sent++;
    else if (status === 'queued') report.retrying++;
    else if (status === 'unknown') report.unknown++;
    else report.failed++;
    report.items.push({ id: row.id, channel: row.channel_kind, recipient: row.recipient, status, error });
  }
  if (report.attempted > 0) ctx.bus?.emit('data.changed', { entities: ['outbox'] });
  return report;
};

/** Delivers every queued message that is due. Concurrent calls on the same store share one run. */
export const deliverOutbox = (ctx: RoutingCtx, opts: DeliverOptions = {}): Promise<DeliveryReport> => {
  const inFlight = running.get(ctx.store);
  if (inFlight) return inFlight;
  const p = deliverNow(ctx, opts).finally(() => running.delete(ctx.store));
  running.set(ctx.store, p);
  return p;
};

export const listOutbox = (
  ctx: RoutingCtx,
  q: { status?: OutboxStatus; limit?: number } = {},
): OutboxItem[] =>
  ctx.store
    .all<OutboxDbRow>(
      `SELECT * FROM outbox${q.status ? ' WHERE status = ?' : ''} ORDER BY id DESC LIMIT ?`,
      q.status ? [q.status, q.limit ?? 200] : [q.limit ?? 200],
    )
    .map(toItem);

/** A person's decision on an 'unknown' or 'failed' message: send it again, or dismiss it. */
export const reviewOutbox = (
  ctx: RoutingCtx,
  id: number,
  action: 'resend' | 'dismiss',
  by: string,
): OutboxItem => {
  const row = ctx.store.get<OutboxDbRow>('SELECT * FROM outbox WHERE id = ?', [id]);
  if (!row) throw new CoreError('not_found', `no outbox message ${id}`);
  if (!['unknown', 'failed'].includes(row.status)) {
    throw new CoreError(
      'conflict',
      `outbox message ${id} is ${row.status}; only unknown or failed messages can be reviewed`,
    );
  }
  const now = ctx.now().toISOString();
  ctx.store.write((tx) =>
    tx.run('UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?', [
      action === 'resend' ? 'queued' : 'cancelled',
      now,
      `${action === 'resend' ? 'resend' : 'dismissed'} by ${by} at ${now}${row.last_error ? ` (was: ${row.last_error})` : ''}`,
      id,
    ]),
  );
  const after = ctx.store.get<OutboxDbRow>('SELECT * FROM outbox WHERE id = ?', [id]);
  return toItem(after!);
};

/** Sends a test message straight through one channel (not through the outbox). */
export const sendTest = async (
  ctx: RoutingCtx,
  channelId: number,
  to: string | null,
  transports: Transports = networkTransports,
): Promise<Outcome> => {
  const ch = ctx.store.get<{ id: number; kind: ChannelKind; name: string; config: string }>(
    'SELECT id, kind, name, config FROM notification_channels WHERE id = ?',
    [channelId],
  );
  if (!ch) throw new CoreError('not_found', `no notification channel ${channelId}`);
  const text = `Bellwether test message for channel "${ch.name}" (${ctx.now().toISOString()}). If you can read this, the channel works.`;
  const row: OutboxDbRow = {
    id: 0,
    dedupe_key: `test:${ch.id}:${ctx.now().getTime()}`,
    channel_id: ch.id,
    channel_kind: ch.kind,
    recipient: to,
    member_id: null,
    escalation_id: null,
    subject: 'Bellwether test message',
    body: text,
    payload: JSON.stringify({ text }),
    status: 'queued',
    attempts: 0,
    next_attempt_at: '',
    created_at: '',
    sent_at: null,
    last_error: null,
  };
  if (ch.kind === 'email' && !to)
    throw new CoreError('invalid_arguments', 'a test email needs an address to send to', 'to');
  return attempt(ctx, row, transports);
};
