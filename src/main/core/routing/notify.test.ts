import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clockFor,
  ensureRoutingSchema,
  insertEscalation,
  seedTeam,
  type Team,
} from '../../../../tests/fakes/routing-fixture';
import { FakeSlack } from '../../../../tests/fakes/slack-webhook';
import { FakeSmtp } from '../../../../tests/fakes/smtp-server';
import { PortfolioStore } from '../db/store';
import { EventBus } from '../events';
import { runAutomations, tick } from './automations';
import { routeConfirmed } from './escalate';
import { saveChannel } from './handlers';
import { backoffMs, deliverOutbox, listOutbox, reviewOutbox, sendTest } from './outbox';
import { saveSettings } from './settings';
import { getPrefs, savePrefs } from './team';
import { formatEmail, sendSmtp } from './transports';

const MONDAY_9_CHICAGO = '2026-01-05T15:00:00.000Z';

let store: PortfolioStore;
let team: Team;
let clock: ReturnType<typeof clockFor>;
let slack: FakeSlack;
let smtp: FakeSmtp;
let bus: EventBus;
const desktop: { title: string; body: string; link?: string }[] = [];

beforeEach(async () => {
  store = await PortfolioStore.memory();
  ensureRoutingSchema(store);
  team = seedTeam(store);
  bus = new EventBus();
  desktop.length = 0;
  bus.subscribe((e, p) => {
    if (e === 'notification') desktop.push(p as (typeof desktop)[number]);
  });
  clock = clockFor(store, MONDAY_9_CHICAGO, bus);
  slack = await FakeSlack.start();
  smtp = await FakeSmtp.start();
  saveChannel(clock.ctx, { kind: 'slack', name: '#cs-escalations', config: { url: slack.url } });
  saveChannel(clock.ctx, {
    kind: 'email',
    name: 'office SMTP',
    config: { ...smtp.address, from: 'bellwether@example.com' },
  });
});

afterEach(async () => {
  await slack.stop();
  await smtp.stop();
});

const escalate = (priority: 'critical' | 'high' | 'medium' | 'low', at = MONDAY_9_CHICAGO): number => {
  const id = insertEscalation(store, {
    accountId: team.account,
    priority,
    decidedAt: at,
    category: 'adoption',
    productArea: 'analytics',
  });
  clock.set(at);
  routeConfirmed(clock.ctx, id);
  return id;
};

describe('notifications through Slack, SMTP and the desktop', () => {
  it('sends a critical escalation at once with its summary and a link back into the app', async () => {
    const id = escalate('critical');
    const report = await deliverOutbox(clock.ctx);
    expect(report).toMatchObject({ sent: 6, retrying: 0, failed: 0, unknown: 0 });
    // Slack: one message per event (assignment, executive summary) on the shared channel.
    expect(slack.requests).toHaveLength(2);
    const first = slack.requests[0]!.json!;
    expect(first.text).toContain('[Critical] TechFlow Industries: Escalation assigned to Alex Sample');
    expect(first.text).toContain('Account: TechFlow Industries ($380,000 ARR)');
    expect(first.text).toContain('Owner: Alex Sample');
    expect(first.text).toContain(`Open in Bellwether: bellwether://escalations/${id}`);
    expect(first.text).toContain('Why: Logins down 62% over 45 days.');
    expect(first.blocks).toHaveLength(2);
    // Email: one per person per event.
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['alex@example.com', 'morgan@example.com']);
    const mail = smtp.messages.find((m) => m.to[0] === 'alex@example.com')!;
    expect(mail.from).toBe('bellwether@example.com');
    expect(mail.headers.subject).toBe('[Critical] TechFlow Industries: Escalation assigned to Alex Sample');
    expect(mail.headers['message-id']).toMatch(/^<assigned:\d+:\d+:m\d+:email@bellwether\.local>$/);
    expect(mail.body).toContain('SLA: Immediate: 24x7, acknowledge within 1 hour');
    // Desktop: shown natively / in the in-app inbox.
    expect(desktop.map((d) => d.title)).toHaveLength(2);
    expect(desktop[0]!.link).toBe(`bellwether://escalations/${id}`);
    // Delivering again sends nothing more.
    expect((await deliverOutbox(clock.ctx)).attempted).toBe(0);
    expect(slack.requests).toHaveLength(2);
    expect(smtp.messages).toHaveLength(2);
  });

  it('uses the web-mode URL in links when configured', async () => {
    saveSettings(clock.ctx, { appUrl: 'http://127.0.0.1:5177/' });
    const id = escalate('critical');
    await deliverOutbox(clock.ctx);
    expect(slack.requests[0]!.json!.text).toContain(
      `Open in Bellwether: http://127.0.0.1:5177/#/escalations/${id}`,
    );
  });

  it('queues while offline and delivers the queue once back online, exactly once each', async () => {
    await slack.down();
    await smtp.down();
    escalate('critical');
    const offline = await deliverOutbox(clock.ctx);
    expect(offline).toMatchObject({ sent: 2, retrying: 4 }); // the desktop needs no network
    const queued = listOutbox(clock.ctx, { status: 'queued' });
    expect(queued.every((q) => q.attempts === 1 && /ECONNREFUSED/.test(q.lastError ?? ''))).toBe(true);
    expect(queued[0]!.nextAttemptAt).toBe(new Date(clock.now().getTime() + backoffMs(1)).toISOString());
    // Still offline on the next attempt: the backoff doubles.
    clock.advance(1);
    await deliverOutbox(clock.ctx);
    expect(listOutbox(clock.ctx, { status: 'queued' })[0]!.nextAttemptAt).toBe(
      new Date(clock.now().getTime() + backoffMs(2)).toISOString(),
    );
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    await slack.up();
    await smtp.up();
    expect((await deliverOutbox(clock.ctx)).attempted).toBe(0); // not due yet
    clock.advance(2);
    const online = await deliverOutbox(clock.ctx);
    expect(online).toMatchObject({ sent: 4, retrying: 0 });
    expect(slack.requests).toHaveLength(2);
    expect(smtp.messages).toHaveLength(2);
  });

  it('keeps retrying for as long as the laptop is offline (hourly at most), up to a week', async () => {
    await slack.down();
    await smtp.down();
    escalate('critical');
    for (let i = 0; i < 30; i++) {
      clock.advance(60);
      await deliverOutbox(clock.ctx);
    }
    const queued = listOutbox(clock.ctx, { status: 'queued' });
    expect(queued).toHaveLength(4);
    expect(queued[0]!.attempts).toBeGreaterThan(10);
    expect(Date.parse(queued[0]!.nextAttemptAt) - clock.now().getTime()).toBeLessThanOrEqual(3_600_000);
    clock.advance(8 * 24 * 60);
    await deliverOutbox(clock.ctx);
    expect(listOutbox(clock.ctx, { status: 'failed' })[0]!.lastError).toMatch(/unreachable for 7 days/);
  });

  it('gives up on a receiver that keeps answering errors after 10 attempts', async () => {
    slack.mode = 'error500';
    saveChannel(clock.ctx, {
      id: 2,
      kind: 'email',
      name: 'off',
      config: { ...smtp.address, from: 'b@example.com' },
      enabled: false,
    });
    escalate('critical');
    for (let i = 0; i < 12; i++) {
      await deliverOutbox(clock.ctx);
      clock.advance(61);
    }
    const failed = listOutbox(clock.ctx, { status: 'failed' }).filter((r) => r.channelKind === 'slack');
    expect(failed).toHaveLength(2);
    expect(failed[0]!.lastError).toMatch(/gave up after 10 attempts: HTTP 500/);
    expect(slack.requests).toHaveLength(20);
  });

  it('retries Slack 500s and SMTP 4xx, but gives up on permanent refusals', async () => {
    slack.mode = 'error500';
    smtp.faults = { refuse: { stage: 'END', code: 451 } };
    escalate('critical');
    expect(await deliverOutbox(clock.ctx)).toMatchObject({ retrying: 4 });
    slack.mode = 'ok';
    smtp.faults = { refuse: { stage: 'RCPT', code: 550 } };
    clock.advance(1);
    const r = await deliverOutbox(clock.ctx);
    expect(r).toMatchObject({ sent: 2, failed: 2 });
    expect(listOutbox(clock.ctx, { status: 'failed' })[0]!.lastError).toMatch(/RCPT TO: 550/);
    expect(slack.delivered).toHaveLength(2);
  });

  it('never resends a message whose delivery outcome is unknown; a person decides', async () => {
    smtp.faults = { dropAfterData: true };
    escalate('critical');
    const r = await deliverOutbox(clock.ctx);
    expect(r.unknown).toBe(2);
    expect(smtp.received).toHaveLength(2);
    clock.advance(120);
    expect((await deliverOutbox(clock.ctx)).attempted).toBe(0);
    expect(smtp.received).toHaveLength(2);
    const unknown = listOutbox(clock.ctx, { status: 'unknown' });
    expect(unknown[0]!.lastError).toMatch(/after the message was sent/);
    smtp.faults = {};
    reviewOutbox(clock.ctx, unknown[0]!.id, 'resend', 'Morgan Sample');
    reviewOutbox(clock.ctx, unknown[1]!.id, 'dismiss', 'Morgan Sample');
    expect(await deliverOutbox(clock.ctx)).toMatchObject({ sent: 1 });
    expect(listOutbox(clock.ctx, { status: 'cancelled' })).toHaveLength(1);
  });

  it('sends a test message per channel', async () => {
    const channels = store.all<{ id: number; kind: string }>(
      'SELECT id, kind FROM notification_channels ORDER BY id',
    );
    expect(await sendTest(clock.ctx, channels[0]!.id, null)).toMatchObject({ kind: 'sent' });
    expect(await sendTest(clock.ctx, channels[1]!.id, 'ops@example.com')).toMatchObject({ kind: 'sent' });
    expect(slack.requests[0]!.json!.text).toMatch(/test message for channel "#cs-escalations"/);
    expect(smtp.messages[0]!.to).toEqual(['ops@example.com']);
    await slack.down();
    expect(await sendTest(clock.ctx, channels[0]!.id, null)).toMatchObject({ kind: 'retry' });
  });
});

describe('the SMTP client', () => {
  it('dot-stuffs lines that start with a dot and the server gets the original text back', async () => {
    const text = 'line one\n.hidden line\n..two dots\n.\nend';
    const r = await sendSmtp(
      { ...smtp.address, from: 'Bellwether <bellwether@example.com>', helo: 'test' },
      {
        to: 'x@example.com',
        subject: 'Résumé — naïve',
        text,
        id: 'k:1',
        date: new Date('2026-01-05T15:00:00Z'),
      },
    );
    expect(r.kind).toBe('sent');
    const m = smtp.messages[0]!;
    expect(m.helo).toBe('test');
    expect(m.body).toBe(`${text.replace(/\n/g, '\r\n')}\r\n`);
    expect(m.headers.subject).toBe(`=?UTF-8?B?${Buffer.from('Résumé — naïve').toString('base64')}?=`);
    expect(m.headers['x-bellwether-id']).toBe('k:1');
    expect(
      formatEmail(
        { host: '', port: 0, from: 'a@b.c' },
        { to: 'x@y.z', subject: 's', text: '.a', id: 'i', date: new Date(0) },
      ),
    ).toContain('\r\n\r\n..a\r\n');
  });

  it('reports connection refused as safe to retry', async () => {
    const { port } = smtp.address;
    await smtp.down();
    const r = await sendSmtp(
      { host: '127.0.0.1', port, from: 'a@example.com' },
      { to: 'b@example.com', subject: 's', text: 't', id: 'i', date: new Date() },
    );
    expect(r).toMatchObject({ kind: 'retry' });
  });
});

describe('alert fatigue: quiet hours, alert budget, daily digest', () => {
  it('holds a High notification during quiet hours until they end; Critical goes through', async () => {
    savePrefs(clock.ctx, { ...getPrefs(store, team.alex), quietHours: { start: '18:00', end: '08:00' } });
    // Monday 19:00 in Chicago = Tuesday 01:00Z
    escalate('high', '2026-01-06T01:00:00.000Z');
    const held = store.get<{ disposition: string; deliver_at: string; reason: string }>(
      "SELECT disposition, deliver_at, reason FROM notifications WHERE member_id = ? AND event = 'assigned'",
      [team.alex],
    )!;
    expect(held).toEqual({
      disposition: 'held',
      deliver_at: '2026-01-06T14:00:00.000Z',
      reason: 'quiet hours: held until they end',
    });
    expect((await deliverOutbox(clock.ctx)).sent).toBe(0);
    clock.set('2026-01-06T14:00:00.000Z');
    expect((await deliverOutbox(clock.ctx)).sent).toBe(3); // desktop, email, Slack
    escalate('critical', '2026-01-07T02:00:00.000Z');
    expect(
      store.get<{ disposition: string }>(
        "SELECT disposition FROM notifications WHERE member_id = ? AND event = 'assigned' ORDER BY id DESC",
        [team.alex],
      )!.disposition,
    ).toBe('immediate');
  });

  it('moves notifications over the daily budget into the digest — never drops them', async () => {
    savePrefs(clock.ctx, { ...getPrefs(store, team.alex), dailyBudget: 2, channels: ['desktop', 'email'] });
    for (let i = 0; i < 3; i++) escalate('high', `2026-01-05T1${5 + i}:00:00.000Z`);
    const rows = store.all<{ disposition: string; reason: string | null }>(
      "SELECT disposition, reason FROM notifications WHERE member_id = ? AND event = 'assigned' ORDER BY id",
      [team.alex],
    );
    expect(rows.map((r) => r.disposition)).toEqual(['immediate', 'immediate', 'digest']);
    expect(rows[2]!.reason).toBe('daily alert budget of 2 used: moved to the digest');
    expect(
      store.get<{ n: number }>('SELECT count(*) AS n FROM inbox WHERE member_id = ?', [team.alex])!.n,
    ).toBe(3);
  });

  it('batches Medium and Low into one digest per person per day, at their digest time', async () => {
    savePrefs(clock.ctx, { ...getPrefs(store, team.alex), channels: ['email'] });
    escalate('medium', '2026-01-05T15:00:00.000Z');
    escalate('low', '2026-01-05T16:00:00.000Z');
    escalate('medium', '2026-01-05T20:00:00.000Z');
    expect((await deliverOutbox(clock.ctx)).sent).toBe(0);
    // Alex's digest time is 08:00 Chicago = 14:00Z the next day.
    const report = await tick(clock.ctx, new Date('2026-01-06T14:00:00.000Z'));
    const digests = report.actions.filter((a) => a.kind === 'digest');
    expect(digests.map((d) => d.text)).toEqual(['daily digest for Alex Sample: 3 item(s)']);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.headers.subject).toMatch(/Bellwether daily digest for Alex Sample/);
    expect(smtp.messages[0]!.body.match(/TechFlow Industries/g)).toHaveLength(3);
    // Running again: no second digest.
    expect(
      (await tick(clock.ctx, new Date('2026-01-06T14:05:00.000Z'))).actions.filter(
        (a) => a.kind === 'digest',
      ),
    ).toEqual([]);
    expect(smtp.messages).toHaveLength(1);
  });

  it('notifies path steps to leadership with escalated urgency', () => {
    savePrefs(clock.ctx, { ...getPrefs(store, team.director), channels: ['desktop'] });
    escalate('medium');
    const { actions } = runAutomations(clock.ctx, new Date('2026-01-13T00:00:00.000Z'));
    const step = actions.find((a) => a.kind === 'path_step')!;
    expect(step.notified).toEqual(['Dana Sample (the CS leader)']);
    const n = store.get<{ priority: string; disposition: string }>(
      "SELECT priority, disposition FROM notifications WHERE event = 'path_step'",
    )!;
    expect(n).toEqual({ priority: 'high', disposition: 'immediate' });
  });
});
