import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  clockFor,
  ensureRoutingSchema,
  insertEscalation,
  seedTeam,
} from '../../../../tests/fakes/routing-fixture';
import { FakeSlack } from '../../../../tests/fakes/slack-webhook';
import { FakeSmtp } from '../../../../tests/fakes/smtp-server';
import { PortfolioStore } from '../db/store';
import { routeConfirmed } from './escalate';
import { saveChannel } from './handlers';
import { deliverOutbox } from './outbox';

const CHILD = join(__dirname, '../../../../tests/fakes/outbox-child.ts');
const NOW = '2026-01-05T15:00:00.000Z';

let dir: string;
let slack: FakeSlack;
let smtp: FakeSmtp;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-outbox-'));
  slack = await FakeSlack.start();
  smtp = await FakeSmtp.start();
});

afterEach(async () => {
  await slack.stop();
  await smtp.stop();
  rmSync(dir, { recursive: true, force: true });
});

const runChild = (
  path: string,
): { child: ChildProcess; exited: Promise<{ code: number | null; signal: string | null; out: string }> } => {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, NOW], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, exited };
};

describe('outbox across a crash and restart', () => {
  it('the Slack and SMTP fakes receive exactly one message per event although the sender was killed mid-delivery twice', async () => {
    const path = join(dir, 'portfolio.db');
    const store = await PortfolioStore.open(path);
    ensureRoutingSchema(store);
    const team = seedTeam(store);
    const { ctx } = clockFor(store, NOW);
    saveChannel(ctx, { kind: 'slack', name: '#cs-escalations', config: { url: slack.url } });
    saveChannel(ctx, {
      kind: 'email',
      name: 'SMTP',
      config: { ...smtp.address, from: 'bellwether@example.com' },
    });
    for (let i = 0; i < 3; i++) {
      const id = insertEscalation(store, {
        accountId: team.account,
        priority: 'critical',
        decidedAt: NOW,
        category: 'adoption',
        productArea: 'analytics',
      });
      routeConfirmed(ctx, id);
    }
    const expected = store.all<{ dedupe_key: string; channel_kind: string }>(
      "SELECT dedupe_key, channel_kind FROM outbox WHERE channel_kind IN ('slack','email') ORDER BY id",
    );
    expect(expected.filter((r) => r.channel_kind === 'slack')).toHaveLength(6);
    expect(expected.filter((r) => r.channel_kind === 'email')).toHaveLength(6);
    store.close();

    // Run 1: killed (SIGKILL) while the Slack fake holds back its answer to the 3rd Slack message.
    const run1 = runChild(path);
    slack.onRequest = () => {
      if (slack.requests.length === 3) run1.child.kill('SIGKILL');
    };
    const r1 = await run1.exited;
    expect(r1.signal).toBe('SIGKILL');
    slack.onRequest = null;
    expect(slack.requests).toHaveLength(3);

    // Run 2: restarted, killed after the SMTP fake has taken a whole message but before it answered 250.
    const before = smtp.received.length;
    const run2 = runChild(path);
    smtp.onMessage = () => {
      if (smtp.received.length === before + 2) run2.child.kill('SIGKILL');
    };
    const r2 = await run2.exited;
    expect(r2.signal).toBe('SIGKILL');
    smtp.onMessage = null;

    // Run 3: restarted in this process, runs to the end.
    const reopened = await PortfolioStore.open(path);
    const report = await deliverOutbox({ store: reopened, now: () => new Date(NOW) });
    expect(report.retrying + report.failed).toBe(0);

    const slackIds = slack.requests.map((r) => String(r.headers['x-bellwether-id']));
    const mailIds = smtp.received.map((m) => m.headers['x-bellwether-id']!);
    const expectSlack = expected.filter((r) => r.channel_kind === 'slack').map((r) => r.dedupe_key);
    const expectMail = expected
      .filter((r) => r.channel_kind === 'email')
      .map((r) => r.dedupe_key.replace(/[^A-Za-z0-9._:-]/g, '_'));
    // Exactly one raw message per event: counts equal and every id once.
    expect(slackIds.sort()).toEqual([...expectSlack].sort());
    expect(mailIds.sort()).toEqual([...expectMail].sort());

    // The two interrupted deliveries are left for review as 'unknown' (they did arrive), never resent.
    const statuses = reopened.all<{ status: string; n: number }>(
      "SELECT status, count(*) AS n FROM outbox WHERE channel_kind IN ('slack','email') GROUP BY status ORDER BY status",
    );
    expect(statuses).toEqual([
      { status: 'sent', n: 10 },
      { status: 'unknown', n: 2 },
    ]);
    // Delivering again (another restart) still sends nothing.
    const again = await deliverOutbox({ store: reopened, now: () => new Date(Date.parse(NOW) + 86_400_000) });
    expect(again.attempted).toBe(0);
    expect(slack.requests).toHaveLength(6);
    expect(smtp.received).toHaveLength(6);
    reopened.close();
  });
});
