/**
 * The 10,000-account portfolio (issue 2): 24 months of weekly usage and ~500,000 ticket messages.
 * Run: npx tsx bench/portfolio.ts [--accounts 10000] [--keep DIR]
 * Reports generation time, file size, time to open (median of 3, each in a fresh process), RSS after open,
 * and the median durable small commit on it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Core } from '../src/main/core/core';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const accounts = Number(arg('accounts', '10000'));
const keep = arg('keep', '');
const dir = keep || mkdtempSync(join(tmpdir(), 'bw-bench-portfolio-'));
const path = join(dir, `portfolio-${accounts}.bellwether`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (process.argv.includes('--open-only')) {
  const t0 = performance.now();
  const core = await Core.open({ dbPath: path });
  const ms = performance.now() - t0;
  const counts = core.store.get<{ a: number; u: number; m: number }>(
    'SELECT (SELECT count(*) FROM accounts) AS a, (SELECT count(*) FROM usage_periods) AS u, (SELECT count(*) FROM ticket_messages) AS m',
  )!;
  const times: number[] = [];
  for (let i = 0; i < 50; i++) {
    const a = performance.now();
    core.store.write((tx) => tx.run('UPDATE accounts SET tier = ? WHERE id = 1', [`t${i}`]));
    times.push(performance.now() - a);
  }
  console.log(
    JSON.stringify({ openMs: ms, rss: process.memoryUsage().rss, counts, commitMedianMs: median(times) }),
  );
  core.store.engine.close(); // leave the journal as is: no compaction in the measurement
  process.exit(0);
}

// An existing file in --keep DIR is reused (generation of 10,000 accounts takes minutes).
let genMs: number | null = null;
if (!existsSync(path)) {
  const t0 = performance.now();
  const core = await Core.open({ dbPath: path });
  await core.createDemo({ accounts, seed: 7 });
  genMs = performance.now() - t0;
  core.close();
}
const size = statSync(path).size;

const runs = [0, 1, 2].map(() => {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--accounts', String(accounts), '--keep', dir, '--open-only'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as {
    openMs: number;
    rss: number;
    counts: { a: number; u: number; m: number };
    commitMedianMs: number;
  };
});
const c = runs[0]!.counts;
console.log(`accounts ${c.a}, usage rows ${c.u}, ticket messages ${c.m}`);
console.log(
  `${genMs === null ? 'reused the existing file' : `generate + snapshot: ${(genMs / 1000).toFixed(1)} s`}; file size ${(size / 1024 / 1024).toFixed(1)} MB`,
);
console.log(`open (median of 3 fresh processes): ${median(runs.map((r) => r.openMs)).toFixed(0)} ms`);
console.log(`RSS after open: ${(median(runs.map((r) => r.rss)) / 1024 / 1024).toFixed(0)} MB`);
console.log(`durable small commit on it, median: ${median(runs.map((r) => r.commitMedianMs)).toFixed(2)} ms`);
if (!keep) rmSync(dir, { recursive: true, force: true });
