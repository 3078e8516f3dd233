import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../../cli/args';
import { importCommand } from '../../../cli/commands/import';
import { syncCommand } from '../../../cli/commands/sync';
import type { ProgressEvent } from '../../../shared/contract';
import { connectorsContract } from '../../../shared/contracts/connectors';
import { Core } from '../core';
import { m006Connectors } from '../db/migrations/006_connectors';
import { hashDatabase } from '../import/test-helpers';
import { fakeZendesk } from './fake-servers';
import { connectorHandlers } from './handlers';

const FIX = resolve(__dirname, '../../../../tests/fixtures/import');
const tmp = mkdtempSync(join(tmpdir(), 'bw-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A portfolio file with the connectors schema (applied by hand until migration 6 is listed). */
const newDb = async (name: string): Promise<string> => {
  const db = join(tmp, name);
  const core = await Core.open({ dbPath: db });
  if (!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE name = 'connectors'")) {
    core.store.engine.exec('BEGIN');
    m006Connectors.up(core.store.engine);
    core.store.engine.exec('COMMIT');
    core.store.compact();
  }
  core.close();
  return db;
};

const run = async (cmd: typeof importCommand, argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await cmd.run(parseArgs(argv), { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('bellwether import', () => {
  it('imports with a mapping file and prints a JSON report', async () => {
    const db = await newDb('a.bw');
    const team = await run(importCommand, [
      '--db',
      db,
      '--file',
      join(FIX, 'saas/csm_roster.csv'),
      '--mapping',
      join(FIX, 'saas/mappings/team.json'),
      '--json',
    ]);
    expect(team.code).toBe(0);
    const r = await run(importCommand, [
      '--db',
      db,
      '--entity',
      'accounts',
      '--file',
      join(FIX, 'saas/customers.csv'),
      '--mapping',
      join(FIX, 'saas/mappings/accounts.json'),
      '--json',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      status: 'imported',
      rowsRead: 6,
      inserted: 6,
      updated: 0,
      unchanged: 0,
      errors: [],
    });
    const again = await run(importCommand, [
      '--db',
      db,
      '--entity',
      'accounts',
      '--file',
      join(FIX, 'saas/customers.csv'),
      '--mapping',
      join(FIX, 'saas/mappings/accounts.json'),
      '--json',
    ]);
    expect(JSON.parse(again.out)).toMatchObject({ inserted: 0, unchanged: 6 });
  });

  it('refuses a bad file with a non-zero exit, a one-line reason, and an unchanged portfolio', async () => {
    const db = await newDb('b.bw');
    const core = await Core.open({ dbPath: db });
    const before = hashDatabase(core.store);
    core.close();
    const r = await run(importCommand, [
      '--db',
      db,
      '--entity',
      'accounts',
      '--file',
      join(FIX, 'malformed/bad_dates.csv'),
      '--mapping',
      join(FIX, 'saas/mappings/accounts.json'),
      '--json',
    ]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(
      /refused: 2 rows with errors; nothing was imported \(first: line 3, column "Signed On"/,
    );
    const rep = JSON.parse(r.out);
    expect(rep.errors.map((e: { line: number; column: string }) => [e.line, e.column])).toEqual([
      [3, 'Signed On'],
      [4, 'Signed On'],
    ]);
    const after = await Core.open({ dbPath: db });
    expect(hashDatabase(after.store)).toBe(before);
    after.close();
  });

  it('--propose prints a detected mapping to review; an import on a doubtful guess is refused', async () => {
    const r = await run(importCommand, [
      '--entity',
      'usage',
      '--file',
      join(FIX, 'saas/feature_usage_weekly.csv'),
      '--propose',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).mapping.fields).toMatchObject({
      account_id: 'Account',
      period_start: 'Week Of',
    });
    const db = await newDb('p.bw');
    const bad = join(tmp, 'doubtful.csv');
    writeFileSync(bad, 'Customer ID,Company Name,Plan\nC1,Acme,Platinum\n');
    await expect(
      run(importCommand, ['--db', db, '--entity', 'accounts', '--file', bad, '--json']),
    ).rejects.toThrow(/needs review: Plan: values "Platinum"/);
  });

  it('dry run and valid-only', async () => {
    const db = await newDb('c.bw');
    const m = join(tmp, 'no-owner.json');
    writeFileSync(
      m,
      JSON.stringify({
        entity: 'accounts',
        source: 'nimbus',
        dateFormat: 'DD/MM/YYYY',
        fields: {
          external_id: 'Customer ID',
          name: 'Company Name',
          segment: { column: 'Plan', map: { Growth: 'mid_market', Starter: 'smb' } },
          contract_start: 'Signed On',
        },
      }),
    );
    const dry = await run(importCommand, [
      '--db',
      db,
      '--entity',
      'accounts',
      '--file',
      join(FIX, 'malformed/bad_dates.csv'),
      '--mapping',
      m,
      '--dry-run',
      '--valid-only',
      '--json',
    ]);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ status: 'dry_run', inserted: 1, skipped: 2 });
    const real = await run(importCommand, [
      '--db',
      db,
      '--entity',
      'accounts',
      '--file',
      join(FIX, 'malformed/bad_dates.csv'),
      '--mapping',
      m,
      '--valid-only',
      '--json',
    ]);
    expect(JSON.parse(real.out)).toMatchObject({ status: 'imported', inserted: 1, skipped: 2 });
  });
});

describe('bellwether sync', () => {
  it('syncs a connector configured from the command line, with the key from the environment', async () => {
    const db = await newDb('s.bw');
    const zd = await fakeZendesk(
      {
        organizations: [
          { id: 1, name: 'Org', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' },
        ],
        tickets: [
          {
            id: 7,
            subject: 'Help',
            status: 'open',
            priority: 'high',
            type: null,
            organization_id: 1,
            requester_id: 5,
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
          },
        ],
        comments: { 7: [{ id: 70, author_id: 5, body: 'Hi', created_at: '2026-01-01T00:00:00Z' }] },
      },
      'a@b.c',
      'tok-zd-9999',
    );
    process.env.BELLWETHER_CREDENTIALS_KEY = 'a long enough key';
    process.env.BELLWETHER_CONNECTOR_CREDENTIALS = JSON.stringify({
      email: 'a@b.c',
      apiToken: 'tok-zd-9999',
    });
    try {
      const r = await run(syncCommand, [
        '--db',
        db,
        '--connector',
        'zd',
        '--kind',
        'zendesk',
        '--base-url',
        zd.url,
        '--json',
      ]);
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ status: 'ok', totals: { inserted: 3 } });
      delete process.env.BELLWETHER_CONNECTOR_CREDENTIALS;
      const r2 = await run(syncCommand, ['--db', db, '--connector', 'zd', '--json']);
      expect(JSON.parse(r2.out)).toMatchObject({ status: 'ok', totals: { inserted: 0 } });
      process.env.BELLWETHER_CREDENTIALS_KEY = 'the wrong key!!';
      await expect(run(syncCommand, ['--db', db, '--connector', 'zd', '--json'])).rejects.toThrow(
        /wrong credentials key/,
      );
    } finally {
      delete process.env.BELLWETHER_CREDENTIALS_KEY;
      delete process.env.BELLWETHER_CONNECTOR_CREDENTIALS;
      await zd.close();
    }
  });
});

describe('handlers', () => {
  it('validate arguments with the contract, emit byte progress and can be cancelled', async () => {
    const core = await Core.open({ dbPath: null });
    core.store.engine.exec('BEGIN');
    if (!core.store.get("SELECT 1 AS x FROM sqlite_master WHERE name = 'connectors'"))
      m006Connectors.up(core.store.engine);
    core.store.engine.exec('COMMIT');
    const h = connectorHandlers(core);
    const events: ProgressEvent[] = [];
    core.bus.subscribe((e, p) => {
      if (e === 'progress') events.push(p as ProgressEvent);
    });
    expect(connectorsContract['import.run'].args.safeParse({ file: 'x', entity: 'nope' }).success).toBe(
      false,
    );
    const args = connectorsContract['import.run'].args.parse({
      file: join(FIX, 'saas/csm_roster.csv'),
      mapping: JSON.parse(
        '{"entity":"team","fields":{"external_id":"Employee ID","name":"Full Name","role":{"column":"Job Role","map":{"CSM":"csm","Technical AM":"technical","VP Customer Success":"cs_leader"}}}}',
      ),
    });
    const r = await h['import.run'](args);
    expect(r).toMatchObject({ status: 'imported', inserted: 4 });
    expect(events.at(-1)).toMatchObject({ task: 'import', finished: true });
    expect(events.some((e) => e.label === 'checking')).toBe(true);
    expect((await h['import.entities']({})).map((e) => e.name)).toContain('usage');
    expect(h['import.cancel']({ taskId: 'none' })).toEqual({ cancelled: false });
    core.close();
  });
});
