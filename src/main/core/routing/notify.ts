/**
 * Notifications: who hears about what, when, and through which channel — against alert fatigue.
 *
 * One logical notification per (event, person) (`notifications.dedupe_key`), always recorded in the in-app
 * inbox. Delivery by priority ("urgency"):
 *   critical      immediately on every channel the person chose; quiet hours and the alert budget do not hold
 *                 it back (it still counts against the budget).
 *   high          immediately, unless the person is in quiet hours (held until they end) or has used their
 *                 daily alert budget (then it goes into the next daily digest — never dropped).
 *   medium / low  into the person's daily digest (one message a day at their digest time).
 * Slack is a shared channel: one message per event per Slack channel, mentioning everyone it concerns.
 * Digests go to desktop and email (not to the shared Slack channel).
 * Every message carries the escalation summary and a link back into the app.
 */
import type { Priority } from '../../../shared/domain';
import type { ChannelKind, NotificationPrefs } from '../../../shared/routing-types';
import type { Tx } from '../db/store';
import { localParts, zonedToInstant } from './business-time';
import type { RoutingCtx } from './ctx';
import type { EscalationRow } from './escalation';
import { escalationLink, getPolicy } from './settings';
import { getMember, getPrefs, type Member, vpOfCs } from './team';

type Reader = Pick<Tx, 'get' | 'all'>;

const PRIORITY_LABEL: Record<Priority, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

const money = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;

const tableExists = (db: Reader, name: string): boolean =>
  !!db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?", [name]);

/** The risk score behind the escalation, when the risk engine has one. */
export const escalationScore = (db: Reader, e: EscalationRow): number | null => {
  if (tableExists(db, 'risk_flags')) {
    const f = db.get<{ score: number | null }>(
      'SELECT score FROM risk_flags WHERE escalation_id = ? ORDER BY id DESC LIMIT 1',
      [e.id],
    );
    if (f?.score != null) return Math.round(f.score);
  }
  if (tableExists(db, 'risk_current')) {
    const c = db.get<{ score: number }>('SELECT score FROM risk_current WHERE account_id = ?', [
      e.account_id,
    ]);
    if (c) return Math.round(c.score);
  }
  return null;
};

/** Up to three short reasons: the escalation summary's sentences or the risk engine's top factors. */
export const topReasons = (db: Reader, e: EscalationRow): string[] => {
  if (tableExists(db, 'risk_current')) {
    const c = db.get<{ factors: string }>('SELECT factors FROM risk_current WHERE account_id = ?', [
      e.account_id,
    ]);
    try {
      const parsed = c ? (JSON.parse(c.factors) as unknown) : null;
      const list = Array.isArray(parsed)
        ? parsed
        : parsed && typeof parsed === 'object'
          ? Object.values(parsed)
          : [];
      const texts = list
        .map((f) => (f && typeof f === 'object' ? (f as Record<string, unknown>) : {}))
        .map((f) => ({ f, w: Number(f.p ?? f.points ?? f.contribution ?? 0) }))
        .filter((x) => x.w > 0)
        .sort((a, b) => b.w - a.w)
        .map(({ f }) => String(f.d ?? f.detail ?? f.l ?? f.label ?? f.k ?? ''))
        .filter(Boolean);
      if (texts.length) return texts.slice(0, 3);
    } catch {
      // fall back to the summary
    }
  }
  if (!e.summary) return [];
  return e.summary
    .split(/(?<=[.;])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 3);
};

/** The summary block every message carries (plain text lines). */
export const summaryLines = (db: Reader, e: EscalationRow): string[] => {
  const score = escalationScore(db, e);
  const owner = e.owner_id ? getMember(db, e.owner_id) : null;
  const clocks = db.all<{ kind: string; started_at: string; target_minutes: number }>(
    'SELECT kind, started_at, target_minutes FROM sla_clocks WHERE escalation_id = ? ORDER BY id',
    [e.id],
  );
  const policy = getPolicy(db, e.priority);
  const reasons = topReasons(db, e);
  return [
    `Account: ${e.account_name} (${money(e.account_arr)} ARR)`,
    `Priority: ${PRIORITY_LABEL[e.priority]}${score !== null ? ` · risk score ${score}/100` : ''}`,
    ...(reasons.length ? [`Why: ${reasons.join(' · ')}`] : []),
    `Owner: ${owner?.name ?? 'unassigned'}`,
    clocks.length
      ? `SLA: ${policy.description}`
      : `SLA: ${policy.description} (clocks start when an owner is assigned)`,
    `Open in Bellwether: ${escalationLink(db, e.id)}`,
  ];
};

export interface NotifyInput {
  /** Unique per event (the same event never notifies the same person twice). */
  eventKey: string;
  event: string;
  escalation: EscalationRow;
  memberIds: number[];
  /** When the event happened (ISO). */
  at: string;
  urgency: Priority;
  headline: string;
  lines?: string[];
}

const pad = (n: number): string => String(n).padStart(2, '0');
const hm = (s: string): number => {
  const [h, m] = s.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The member-local day [start, end) containing `t`. */
const localDay = (t: number, tz: string): [number, number, string] => {
  const p = localParts(t, tz);
  return [
    zonedToInstant(p.year, p.month, p.day, 0, tz),
    zonedToInstant(p.year, p.month, p.day, 1440, tz),
    `${p.year}-${pad(p.month)}-${pad(p.day)}`,
  ];
};

/** When quiet hours covering `t` end, or null when `t` is not in quiet hours. */
export const quietUntil = (prefs: NotificationPrefs, tz: string, t: number): number | null => {
  if (!prefs.quietHours) return null;
  const p = localParts(t, tz);
  const minute = p.hour * 60 + p.minute;
  const s = hm(prefs.quietHours.start);
  const e = hm(prefs.quietHours.end);
  if (s === e) return null;
  const inQuiet = s < e ? minute >= s && minute < e : minute >= s || minute < e;
  if (!inQuiet) return null;
  // The end is today if it is still ahead of us, else tomorrow.
  const endToday = zonedToInstant(p.year, p.month, p.day, e, tz);
  return endToday > t ? endToday : zonedToInstant(p.year, p.month, p.day, e + 1440, tz);
};

/** The next digest time strictly after `t` in the member's zone. */
export const nextDigestAt = (prefs: NotificationPrefs, tz: string, t: number): number => {
  const p = localParts(t, tz);
  const today = zonedToInstant(p.year, p.month, p.day, hm(prefs.digestTime), tz);
  return today > t ? today : zonedToInstant(p.year, p.month, p.day, hm(prefs.digestTime) + 1440, tz);
};

interface Channel {
  id: number;
  kind: ChannelKind;
  name: string;
}

const enabledChannels = (db: Reader, kind: ChannelKind): Channel[] =>
  db.all<Channel>(
    'SELECT id, kind, name FROM notification_channels WHERE enabled = 1 AND kind = ? ORDER BY id',
    [kind],
  );

export const enqueue = (
  tx: Tx,
  row: {
    dedupeKey: string;
    channelId: number | null;
    kind: ChannelKind;
    recipient: string | null;
    memberId: number | null;
    escalationId: number | null;
    subject: string;
    body: string;
    payload?: Record<string, unknown>;
    notBefore: string;
    createdAt: string;
  },
): boolean =>
  tx.run(
    `INSERT INTO outbox(dedupe_key, channel_id, channel_kind, recipient, member_id, escalation_id, subject, body, payload,
       status, attempts, next_attempt_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
    [
      row.dedupeKey,
      row.channelId,
      row.kind,
      row.recipient,
      row.memberId,
      row.escalationId,
      row.subject,
      row.body,
      JSON.stringify(row.payload ?? {}),
      row.notBefore,
      row.createdAt,
    ],
  ).changes > 0;

/** Queues per-person delivery (desktop, email) for one notification at `deliverAt`. */
const enqueuePersonal = (
  tx: Tx,
  m: Member,
  prefs: NotificationPrefs,
  key: string,
  escalationId: number | null,
  subject: string,
  body: string,
  deliverAt: string,
  createdAt: string,
): void => {
  if (prefs.channels.includes('desktop')) {
    enqueue(tx, {
      dedupeKey: `${key}:desktop`,
      channelId: null,
      kind: 'desktop',
      recipient: String(m.id),
      memberId: m.id,
      escalationId,
      subject,
      body,
      notBefore: deliverAt,
      createdAt,
    });
  }
  const email = enabledChannels(tx, 'email')[0];
  if (prefs.channels.includes('email') && email && m.email) {
    enqueue(tx, {
      dedupeKey: `${key}:email`,
      channelId: email.id,
      kind: 'email',
      recipient: m.email,
      memberId: m.id,
      escalationId,
      subject,
      body,
      notBefore: deliverAt,
      createdAt,
    });
  }
};

/**
 * Records the event's notifications for each person and queues their delivery. Returns how many new
 * notifications were created (0 when this event was already notified).
 */
export const notify = (tx: Tx, _ctx: RoutingCtx, input: NotifyInput): number => {
  const e = input.escalation;
  const at = Date.parse(input.at);
  const subject = `[${PRIORITY_LABEL[e.priority]}] ${e.account_name}: ${input.headline}`;
  const body = [
    input.headline,
    '',
    ...(input.lines ?? []),
    ...(input.lines?.length ? [''] : []),
    ...summaryLines(tx, e),
  ].join('\n');
  const link = escalationLink(tx, e.id);
  let created = 0;
  const slackMentions: { name: string; deliverAt: number }[] = [];
  for (const memberId of [...new Set(input.memberIds)]) {
    const m = getMember(tx, memberId);
    if (!m?.active) continue;
    const prefs = getPrefs(tx, m.id);
    const key = `${input.eventKey}:m${m.id}`;
    let disposition: 'immediate' | 'held' | 'digest' = 'immediate';
    let reason: string | null = null;
    let deliverAt = at;
    if (input.urgency === 'medium' || input.urgency === 'low') {
      disposition = 'digest';
      reason = `${input.urgency} priority goes into the daily digest`;
      deliverAt = nextDigestAt(prefs, m.timezone, at);
    } else {
      const [dayStart, dayEnd] = localDay(at, m.timezone);
      const used =
        tx.get<{ n: number }>(
          `SELECT count(*) AS n FROM notifications WHERE member_id = ? AND disposition IN ('immediate','held')
             AND created_at >= ? AND created_at < ?`,
          [m.id, new Date(dayStart).toISOString(), new Date(dayEnd).toISOString()],
        )?.n ?? 0;
      const quiet = quietUntil(prefs, m.timezone, at);
      if (input.urgency === 'critical') {
        if (quiet !== null) reason = 'critical: sent during quiet hours';
        else if (used >= prefs.dailyBudget) reason = 'critical: sent although the daily alert budget is used';
      } else if (used >= prefs.dailyBudget) {
        disposition = 'digest';
        reason = `daily alert budget of ${prefs.dailyBudget} used: moved to the digest`;
        deliverAt = nextDigestAt(prefs, m.timezone, at);
      } else if (quiet !== null) {
        disposition = 'held';
        reason = 'quiet hours: held until they end';
        deliverAt = quiet;
      }
    }
    const deliverIso = new Date(deliverAt).toISOString();
    const inserted = tx.run(
      `INSERT INTO notifications(dedupe_key, member_id, escalation_id, event, priority, title, body, link, created_at,
         disposition, reason, deliver_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(dedupe_key) DO NOTHING`,
      [
        key,
        m.id,
        e.id,
        input.event,
        input.urgency,
        subject,
        body,
        link,
        input.at,
        disposition,
        reason,
        deliverIso,
      ],
    ).changes;
    if (!inserted) continue;
    created++;
    tx.run(
      `INSERT INTO inbox(dedupe_key, member_id, escalation_id, title, body, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(dedupe_key) DO NOTHING`,
      [key, m.id, e.id, subject, body, link, input.at],
    );
    if (disposition === 'digest') continue;
    enqueuePersonal(tx, m, prefs, key, e.id, subject, body, deliverIso, input.at);
    if (prefs.channels.includes('slack')) slackMentions.push({ name: m.name, deliverAt });
  }
  if (slackMentions.length > 0) {
    const when = Math.min(...slackMentions.map((s) => s.deliverAt));
    const names = slackMentions.map((s) => s.name).join(', ');
    const text = `*${subject}*\nFor: ${names}\n${body}`;
    for (const ch of enabledChannels(tx, 'slack')) {
      enqueue(tx, {
        dedupeKey: `${input.eventKey}:slack:${ch.id}`,
        channelId: ch.id,
        kind: 'slack',
        recipient: ch.name,
        memberId: null,
        escalationId: e.id,
        subject,
        body: text,
        payload: {
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: `*${subject}*\nFor: ${names}` } },
            { type: 'section', text: { type: 'mrkdwn', text: body } },
          ],
        },
        notBefore: new Date(when).toISOString(),
        createdAt: input.at,
      });
    }
  }
  return created;
};

/** Sends the daily digest of `memberId` due at `deliverAt`: one message with every item collected for it. */
export const releaseDigest = (tx: Tx, memberId: number, deliverAt: string): number => {
  const items = tx.all<{
    id: number;
    title: string;
    link: string | null;
    reason: string | null;
    created_at: string;
  }>(
    `SELECT id, title, link, reason, created_at FROM notifications
     WHERE member_id = ? AND disposition = 'digest' AND released_at IS NULL AND deliver_at = ? ORDER BY created_at, id`,
    [memberId, deliverAt],
  );
  if (items.length === 0) return 0;
  const m = getMember(tx, memberId);
  tx.run(
    `UPDATE notifications SET released_at = ? WHERE member_id = ? AND disposition = 'digest' AND released_at IS NULL AND deliver_at = ?`,
    [deliverAt, memberId, deliverAt],
  );
  if (!m?.active) return items.length;
  const prefs = getPrefs(tx, m.id);
  const [, , day] = localDay(Date.parse(deliverAt), m.timezone);
  const subject = `Bellwether daily digest for ${m.name} - ${day} (${items.length} item${items.length === 1 ? '' : 's'})`;
  const body = [
    `${items.length} escalation update${items.length === 1 ? '' : 's'} since your last digest:`,
    '',
    ...items.map((i) => `• ${i.title}${i.reason ? ` — ${i.reason}` : ''}${i.link ? `\n  ${i.link}` : ''}`),
  ].join('\n');
  enqueuePersonal(tx, m, prefs, `digest:m${m.id}:${deliverAt}`, null, subject, body, deliverAt, deliverAt);
  return items.length;
};

/** Notifies a new owner; a Critical escalation also sends the VP of CS an executive summary. */
export const notifyAssignment = (
  tx: Tx,
  ctx: RoutingCtx,
  e: EscalationRow,
  owner: Member,
  eventId: number,
  at: string,
  reason: string,
): void => {
  notify(tx, ctx, {
    eventKey: `assigned:${e.id}:${eventId}`,
    event: 'assigned',
    escalation: e,
    memberIds: [owner.id],
    at,
    urgency: e.priority,
    headline: `Escalation assigned to ${owner.name}`,
    lines: [`Why ${owner.name}: ${reason}`],
  });
  if (e.priority === 'critical') {
    const vp = vpOfCs(tx);
    if (vp && vp.id !== owner.id) {
      notify(tx, ctx, {
        eventKey: `exec-summary:${e.id}`,
        event: 'executive_summary',
        escalation: e,
        memberIds: [vp.id],
        at,
        urgency: 'critical',
        headline: `Executive summary: critical escalation on ${e.account_name}`,
        lines: [`Owner: ${owner.name} — ${reason}`],
      });
    }
  }
};
