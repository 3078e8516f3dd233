import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main';

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('bellwether CLI', () => {
  it('refuses bad arguments with a non-zero exit and a one-line reason', async () => {
    const unknown = await run('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err.split('\n')[0]).toBe(
      'bellwether: unknown command "frobnicate" (try: bellwether help)',
    );

    const noDb = await run('accounts', '--json');
    expect(noDb.code).toBe(2);
    expect(noDb.err.split('\n')[0]).toBe('bellwether: accounts: --db is required');

    const missing = await run('accounts', '--db', '/nonexistent/dir/p.bellwether', '--json');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no portfolio at \/nonexistent\/dir\/p\.bellwether/);

    const badFlag = await run('accounts', '--db', 'x', '--colour', 'red');
    expect(badFlag.code).toBe(2);
    expect(badFlag.err.split('\n')[0]).toBe('bellwether: accounts: unknown option --colour');

    const badSeed = await run('demo', '--db', 'x', '--seed', 'abc');
    expect(badSeed.err.split('\n')[0]).toBe('bellwether: demo: --seed must be a whole number, got "abc"');
  });

  it('runs through the package bin (as `npx bellwether`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-cli-'));
    const bin = join(__dirname, '../bin/bellwether.mjs');
    const r = await promisify(execFile)(process.execPath, [
      bin,
      'demo',
      '--db',
      join(dir, 'p.bellwether'),
      '--accounts',
      '30',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'demo', accounts: 30 });
    const list = await promisify(execFile)(process.execPath, [
      bin,
      'accounts',
      '--db',
      join(dir, 'p.bellwether'),
      '--json',
    ]);
    const rows = JSON.parse(list.stdout) as { name: string }[];
    expect(rows.length).toBe(30);
    expect(rows.map((r) => r.name)).toContain('TechFlow Industries');
    const fail = await promisify(execFile)(process.execPath, [
      bin,
      'accounts',
      '--db',
      join(dir, 'missing.bellwether'),
    ]).catch((e) => e);
    expect(fail.code).toBe(2);
    expect(fail.stderr.trim().split('\n')[0]).toMatch(/^bellwether: no portfolio at /);
  });
});
