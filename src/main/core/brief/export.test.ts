import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../cli/args';
import { briefCommand } from '../../../cli/commands/brief';
import { planCommand } from '../../../cli/commands/plan';
import type { ExportResult, PlanVersion, QbrPack } from '../../../shared/brief-types';
import { briefContract } from '../../../shared/contracts/brief';
import { Core } from '../core';
import { m005Routing } from '../db/migrations/005_routing';
import { buildBrief } from './brief';
import { briefHandlers } from './handlers';
import { briefToMarkdown } from './markdown';
import { buildFixture, FIXTURE_AS_OF, type FixtureIds } from './test-fixture';
import { unresolved } from './test-helpers';

let core: Core | null = null;
afterEach(() => {
  core?.close();
  core = null;
});

const open = async (
  dbPath: string | null = null,
): Promise<{
  core: Core;
  ids: FixtureIds;
  call: (name: keyof typeof briefContract, args: unknown) => Promise<unknown>;
}> => {
  const c = await Core.open({ dbPath, now: () => FIXTURE_AS_OF });
  core = c;
  const ids = buildFixture(c.store);
  const handlers = briefHandlers(c) as unknown as Record<string, (a: unknown) => unknown>;
  const call = async (name: keyof typeof briefContract, args: unknown) =>
    handlers[name]!(briefContract[name].args.parse(args));
  return { core: c, ids, call };
};

const pdfPages = (buf: Buffer): number => (buf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('exports', () => {
  it('writes Markdown with every citation listed as a numbered source', async () => {
    const { core: c, ids } = await open();
    const brief = buildBrief(c.store, { accountId: ids.techflow }, FIXTURE_AS_OF);
    const md = briefToMarkdown(brief);
    expect(md).toMatch(/^# Escalation brief: TechFlow Industries/);
    expect(md).toContain('## Sources');
    const listed = [...md.matchAll(/^\d+\. `([a-z_]+:\d+)`/gm)].map((m) => m[1]!);
    expect(new Set(listed)).toEqual(new Set(brief.sources.map((s) => s.ref)));
    expect(unresolved(c.store, listed)).toEqual([]);
    const maxMarker = Math.max(...[...md.matchAll(/\[(\d+)(?:[-, \d]*)\]/g)].map((m) => Number(m[1])));
    expect(maxMarker).toBeLessThanOrEqual(listed.length);
  });

  it('renders the brief with its plan to a multi-page PDF through the handlers', async () => {
    const { ids, call } = await open();
    const v = (await call('plan.generate', {
      accountId: ids.techflow,
      author: 'Dana Sample',
    })) as PlanVersion;
    expect(v.version).toBe(1);
    const r = (await call('brief.export', {
      accountId: ids.techflow,
      format: 'pdf',
      withPlan: true,
    })) as ExportResult;
    const buf = Buffer.from(r.base64!, 'base64');
    expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(r.bytes).toBe(buf.length);
    expect(pdfPages(buf)).toBeGreaterThanOrEqual(4);
  });

  it('writes exports under the exports folder only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-brief-'));
    const { ids, call } = await open(join(dir, 'p.bellwether'));
    const r = (await call('brief.export', {
      accountId: ids.techflow,
      format: 'md',
      path: 'techflow',
    })) as ExportResult;
    expect(r.path).toBe(join(dir, 'exports', 'techflow.md'));
    expect(readFileSync(r.path!, 'utf8')).toContain('TechFlow Industries');
    await expect(
      call('brief.export', { accountId: ids.techflow, format: 'md', path: '../../escape.md' }),
    ).rejects.toThrow(/outside/);
    await expect(
      call('brief.export', { accountId: ids.techflow, format: 'md', path: '/tmp/abs.md' }),
    ).rejects.toThrow(/outside/);
    expect(existsSync(join(dir, '..', 'escape.md'))).toBe(false);
  });

  it('builds the QBR pack whose numbers match a recomputation from the raw records', async () => {
    const { core: c, call } = await open();
    const pack = (await call('qbr.pack', {})) as QbrPack;
    const raw = c.store.all<{ outcome: string; arr_before: number; arr_after: number }>(
      'SELECT outcome, arr_before, arr_after FROM outcomes',
    );
    const saved = raw
      .filter((o) => o.outcome === 'saved' || o.outcome === 'expanded')
      .reduce((s, o) => s + Math.min(o.arr_before, o.arr_after), 0);
    const lost = raw
      .filter((o) => o.outcome === 'churned' || o.outcome === 'downgraded')
      .reduce((s, o) => s + o.arr_before - o.arr_after, 0);
    expect(pack.arrSaved).toBeCloseTo(saved, 6);
    expect(pack.arrLost).toBeCloseTo(lost, 6);
    const nAccounts = c.store.get<{ n: number }>(
      'SELECT count(DISTINCT account_id) AS n FROM escalations',
    )!.n;
    expect(pack.heatmap.reduce((s, h) => s + h.accounts, 0)).toBe(nAccounts);
    expect(pack.escalations.length).toBe(
      c.store.get<{ n: number }>('SELECT count(*) AS n FROM escalations')!.n,
    );
    expect(pack.escalations[0]!.accountName).toBe('TechFlow Industries');
    const pdf = (await call('qbr.export', { format: 'pdf' })) as ExportResult;
    expect(Buffer.from(pdf.base64!, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const md = (await call('qbr.export', { format: 'md' })) as ExportResult;
    expect(Buffer.from(md.base64!, 'base64').toString()).toContain('ARR saved so far');
  });

  it('handlers: versions, diff and tick through the contract schemas', async () => {
    const { ids, call } = await open();
    expect(await call('plan.get', { accountId: ids.techflow })).toBeNull();
    const v1 = (await call('plan.generate', {
      accountId: ids.techflow,
      author: 'Dana Sample',
    })) as PlanVersion;
    const v2 = (await call('plan.save', {
      accountId: ids.techflow,
      author: 'Morgan Placeholder',
      baseVersion: 1,
      body: { ...v1.body, notes: 'Edited.' },
    })) as PlanVersion;
    expect(v2.version).toBe(2);
    await call('plan.tickTask', {
      accountId: ids.techflow,
      taskId: v1.body.tasks[0]!.id,
      done: true,
      author: 'Dana Sample',
    });
    const versions = (await call('plan.versions', { escalationId: ids.techflowEscalation })) as {
      version: number;
      tasksDone: number;
    }[];
    expect(versions.map((v) => [v.version, v.tasksDone])).toEqual([
      [1, 0],
      [2, 0],
      [3, 1],
    ]);
    expect(
      ((await call('plan.get', { accountId: ids.techflow, version: 1 })) as PlanVersion).body.notes,
    ).toBe('');
    expect(() => briefContract['plan.get'].args.parse({})).toThrow();
    expect(Object.keys(briefHandlers(core!)).sort()).toEqual(Object.keys(briefContract).sort());
    expect(() => briefContract['llm.settings.set'].args.parse({ baseUrl: 'not a url' })).toThrow();
  });
});

describe('ticking a task feeds the escalation', () => {
  it('goes through the routing progress path: a progress event, status in progress', async () => {
    const { core: c, ids, call } = await open();
    if (!c.store.get("SELECT 1 AS x FROM sqlite_master WHERE name = 'sla_clocks'"))
      m005Routing.up(c.store.engine);
    const v1 = (await call('plan.generate', {
      accountId: ids.techflow,
      author: 'Dana Sample',
    })) as PlanVersion;
    const task = v1.body.tasks[1]!;
    const r = (await call('plan.tickTask', {
      accountId: ids.techflow,
      taskId: task.id,
      done: true,
      author: 'Dana Sample',
    })) as {
      version: PlanVersion;
      eventId: number;
    };
    expect(r.version.version).toBe(2);
    const ev = c.store.get<{ kind: string; actor: string; detail: string }>(
      'SELECT kind, actor, detail FROM escalation_events WHERE id = ?',
      [r.eventId],
    )!;
    expect(ev.kind).toBe('progress');
    expect(JSON.parse(ev.detail).note).toContain(task.title);
    expect(
      c.store.get<{ status: string }>('SELECT status FROM escalations WHERE id = ?', [
        ids.techflowEscalation,
      ])!.status,
    ).toBe('in_progress');
  });
});

describe('CLI', () => {
  it('prints the brief and the plan of an account named on the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-brief-cli-'));
    const db = join(dir, 'p.bellwether');
    const c = await Core.open({ dbPath: db });
    buildFixture(c.store);
    c.close();
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`) };
    const now = FIXTURE_AS_OF.toISOString();
    expect(await briefCommand.run(parseArgs(['--db', db, '--account', 'techflow', '--now', now]), io)).toBe(
      0,
    );
    expect(out.join('\n')).toMatch(/# Escalation brief: TechFlow Industries[\s\S]*## Sources/);
    out.length = 0;
    expect(
      await briefCommand.run(
        parseArgs(['--db', db, '--account', 'TechFlow Industries', '--format', 'json', '--now', now]),
        io,
      ),
    ).toBe(0);
    expect([...JSON.parse(out.join('\n')).primaryRisks].sort()).toEqual([
      'champion_departure',
      'usage_decline',
    ]);
    out.length = 0;
    const pdf = join(dir, 'tf.pdf');
    expect(
      await briefCommand.run(
        parseArgs(['--db', db, '--account', 'TechFlow', '--format', 'pdf', '--out', pdf, '--now', now]),
        io,
      ),
    ).toBe(0);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    out.length = 0;
    expect(
      await planCommand.run(
        parseArgs(['--db', db, '--account', 'TechFlow Industries', '--format', 'json', '--now', now]),
        io,
      ),
    ).toBe(0);
    const plan = JSON.parse(out.join('\n')) as PlanVersion;
    expect(plan.version).toBe(0);
    expect(plan.body.strategies.map((s) => s.strategyId)).toEqual(
      expect.arrayContaining(['executive_outreach', 'technical_review']),
    );
    out.length = 0;
    expect(
      await planCommand.run(
        parseArgs([
          '--db',
          db,
          '--account',
          'TechFlow Industries',
          '--save',
          '--author',
          'ops',
          '--now',
          now,
        ]),
        io,
      ),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/Version 1, saved by ops/);
    await expect(
      briefCommand.run(parseArgs(['--db', db, '--account', 'Nope Inc', '--now', now]), io),
    ).rejects.toThrow(/no account matches/);
  });
});
