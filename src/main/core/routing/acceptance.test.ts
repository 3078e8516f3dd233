/**
 * The issue's acceptance on the demo portfolio, through the CLI commands: TechFlow Industries' confirmed
 * escalation gets an owner with a stated reason and a Critical SLA; moving the clock days ahead with no
 * progress escalates it along its path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRoutingSchema } from '../../../../tests/fakes/routing-fixture';
import { parseArgs } from '../../../cli/args';
import { escalateCommand } from '../../../cli/commands/escalate';
import { routeCommand } from '../../../cli/commands/route';
import { tickCommand } from '../../../cli/commands/tick';
import type { EscalateResult, RoutingResult, TickReport } from '../../../shared/routing-types';
import { Core } from '../core';

const NOW = '2026-03-02T15:00:00.000Z'; // a Monday
let dir: string;
let db: string;

const run = async (
  cmd: typeof escalateCommand,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> => {
  let out = '';
  let err = '';
  const code = await cmd.run(parseArgs(argv), {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
  });
  return { code, out, err };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-accept-'));
  db = join(dir, 'demo.db');
  const core = await Core.open({ dbPath: db, demoIfNew: true, now: () => new Date(NOW) });
  ensureRoutingSchema(core.store);
  core.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('acceptance on the demo portfolio (CLI)', () => {
  let escalation: EscalateResult;

  it('bellwether escalate: TechFlow Industries gets an owner with a reason and a Critical SLA', async () => {
    const r = await run(escalateCommand, [
      '--db',
      db,
      '--account',
      'TechFlow Industries',
      '--now',
      NOW,
      '--json',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    escalation = JSON.parse(r.out) as EscalateResult;
    expect(escalation.accountName).toBe('TechFlow Industries');
    expect(escalation.priority).toBe('critical');
    expect(escalation.ownerName).toBeTruthy();
    expect(escalation.reason).toMatch(/expertise in .*open escalations/);
    expect(escalation.sla.map((s) => [s.kind, s.clock, s.dueAt])).toEqual([
      ['ack', 'calendar', '2026-03-02T16:00:00.000Z'],
      ['progress', 'calendar', '2026-03-02T19:00:00.000Z'],
    ]);
    expect(escalation.path.map((p) => p.level)).toEqual([1, 2]);
    expect(escalation.notifications).toBeGreaterThanOrEqual(2); // the owner, and the VP's executive summary
  });

  it('bellwether route: ranks candidates with a reason per factor (dry run)', async () => {
    const r = await run(routeCommand, [
      '--db',
      db,
      '--escalation',
      String(escalation.escalationId),
      '--dry-run',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const { routing } = JSON.parse(r.out) as { routing: RoutingResult };
    expect(routing.candidates.length).toBeGreaterThan(2);
    for (const c of routing.candidates)
      expect(c.factors.map((f) => f.name)).toEqual([
        'expertise',
        'workload',
        'availability',
        'success',
        'relationship',
      ]);
  });

  it('bellwether tick: days later with no progress it has escalated along its path, once', async () => {
    const later = '2026-03-05T15:00:00.000Z';
    const r = await run(tickCommand, ['--db', db, '--now', later, '--no-deliver', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as TickReport;
    const mine = report.actions.filter((a) => a.escalationId === escalation.escalationId);
    const steps = mine.filter((a) => a.kind === 'path_step');
    expect(steps.map((s) => s.at)).toEqual(['2026-03-02T16:00:00.000Z', '2026-03-03T15:00:00.000Z']);
    expect(steps[0]!.notified.join()).toMatch(/the CS leader/);
    expect(steps[1]!.notified.join()).toMatch(/the VP of CS.*the account executive/);
    expect(mine.filter((a) => a.kind === 'sla_breach')).toHaveLength(2);
    const again = JSON.parse(
      (await run(tickCommand, ['--db', db, '--now', later, '--no-deliver', '--json'])).out,
    ) as TickReport;
    expect(again.actions).toEqual([]);
  });
});
