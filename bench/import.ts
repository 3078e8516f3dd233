/**
 * Import benchmark (issue 8). Run: npx tsx bench/import.ts [--rows 1000000] [--size-mb 50] [--skip-throughput] [--check-only]
 *
 * 1. Throughput: import N usage rows from a generated CSV (both passes: check, then write in one
 *    transaction) against raw sql.js inserting the same rows (already parsed, one prepared statement, one
 *    transaction) on the same machine. Reported as rows/s and the ratio import / raw (goal >= 0.5).
 * 2. Memory: peak RSS while importing a CSV of --size-mb megabytes (500 is the target size; the default is
 *    small so the bench runs anywhere), separately for the streaming check pass and for the whole import.
 *    The whole import also holds the database itself in memory (sql.js), which is reported next to it.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlJs } from '../src/main/core/db/sqljs-engine';
import { PortfolioStore } from '../src/main/core/db/store';
import { importFile } from '../src/main/core/import/importer';
import {
  type ColumnSource,
  type CompiledMapping,
  compileMapping,
  dbRefResolver,
  type Mapping,
  type RawRow,
} from '../src/main/core/import/mapping';
import { createRowParser, feedAsync } from '../src/main/core/import/reader';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const ROWS = Number(arg('rows', '1000000'));
const SIZE_MB = Number(arg('size-mb', '50'));
const skipThroughput = process.argv.includes('--skip-throughput');
/** Measure only the streaming check pass on the big file (the database for 500 MB would not fit sql.js). */
const checkOnly = process.argv.includes('--check-only');
/** Accounts in the generated data: enough that (account, week) pairs stay unique and dates plausible. */
let ACCOUNTS = 1000;
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const dir = mkdtempSync(join(tmpdir(), 'bw-bench-import-'));

const weekStart = (k: number) =>
  new Date(Date.UTC(2000, 0, 3) + k * 7 * 86_400_000).toISOString().slice(0, 10);
/** Row i: account i % ACCOUNTS, week floor(i / ACCOUNTS) — unique (account, week) pairs. */
const rowOf = (i: number) => {
  const acct = i % ACCOUNTS;
  const week = Math.floor(i / ACCOUNTS);
  return {
    acct: `ACC-${acct}`,
    acctId: acct + 1,
    week: weekStart(week),
    users: (i * 7) % 500,
    logins: (i * 13) % 3000,
    key: (i * 3) % 900,
    feats: i % 17,
  };
};

const writeCsv = async (path: string, rows: number | null, targetBytes: number | null): Promise<number> => {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write('Account,Week Of,Weekly Active Users,Login Count,Core Actions,Distinct Features Used\n');
  let bytes = 0;
  let i = 0;
  for (;;) {
    if (rows !== null && i >= rows) break;
    if (targetBytes !== null && bytes >= targetBytes) break;
    let chunk = '';
    for (let k = 0; k < 10_000 && (rows === null || i < rows); k++, i++) {
      const r = rowOf(i);
      chunk += `${r.acct},${r.week},${r.users},${r.logins},${r.key},${r.feats}\n`;
    }
    bytes += chunk.length;
    if (!out.write(chunk)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return i;
};

const mapping: Mapping = {
  entity: 'usage',
  source: 'bench',
  fields: {
    account_id: 'Account',
    period_start: 'Week Of',
    period_days: { value: 7 },
    active_users: 'Weekly Active Users',
    logins: 'Login Count',
    key_feature_use: 'Core Actions',
    features_adopted: 'Distinct Features Used',
  },
};

const seedAccounts = (s: PortfolioStore) =>
  s.bulk((tx) => {
    for (let a = 0; a < ACCOUNTS; a++) {
      tx.run(
        "INSERT INTO accounts(source, external_id, name, segment, created_at, updated_at) VALUES ('bench', ?, ?, 'smb', '2026-01-01', '2026-01-01')",
        [`ACC-${a}`, `Account ${a}`],
      );
    }
  });

class RssSampler {
  peak = 0;
  private t: NodeJS.Timeout;
  constructor() {
    this.peak = process.memoryUsage().rss;
    this.t = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage().rss);
    }, 20);
  }
  stop(): number {
    clearInterval(this.t);
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }
}

const lines: string[] = [];
try {
  if (!skipThroughput) {
    const csv = join(dir, 'usage.csv');
    await writeCsv(csv, ROWS, null);
    const size = statSync(csv).size;

    // Raw sql.js: the same rows, already parsed, one prepared statement, one transaction.
    const SQL = await loadSqlJs();
    const rawStore = await PortfolioStore.memory();
    seedAccounts(rawStore);
    const rawDb = new SQL.Database(rawStore.engine.export());
    rawStore.close();
    const params: (string | number)[][] = new Array(ROWS);
    for (let i = 0; i < ROWS; i++) {
      const r = rowOf(i);
      params[i] = ['bench', `${r.acct}|${r.week}|7`, r.acctId, r.week, 7, r.users, r.logins, r.key, r.feats];
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    rawDb.exec('BEGIN');
    const st = rawDb.prepare(
      'INSERT INTO usage_periods (source, external_id, account_id, period_start, period_days, active_users, logins, key_feature_use, features_adopted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of params) st.run(p);
    st.free();
    rawDb.exec('COMMIT');
    const rawMs = performance.now() - t0;
    const rawCpu = process.cpuUsage(c0).user / 1000;
    rawDb.close();
    params.length = 0;

    const store = await PortfolioStore.memory();
    seedAccounts(store);
    const t1 = performance.now();
    const c1 = process.cpuUsage();
    const rep = await importFile(store, { file: csv, mapping });
    const impMs = performance.now() - t1;
    const impCpu = process.cpuUsage(c1).user / 1000;
    if (rep.status !== 'imported' || rep.inserted !== ROWS)
      throw new Error(`import failed: ${rep.reason} ${JSON.stringify(rep.errors.slice(0, 3))}`);
    const n = store.get<{ n: number }>('SELECT count(*) AS n FROM usage_periods')!.n;
    store.close();
    const rawRate = ROWS / (rawMs / 1000);
    const impRate = ROWS / (impMs / 1000);
    lines.push(`## Import throughput (${ROWS.toLocaleString('en')} usage rows, ${mb(size)} MB CSV)`);
    lines.push('| path | wall time | CPU time | rows/s (wall) |', '|---|---|---|---|');
    lines.push(
      `| raw sql.js insert (pre-parsed rows, 1 statement, 1 tx) | ${(rawMs / 1000).toFixed(2)} s | ${(rawCpu / 1000).toFixed(2)} s | ${Math.round(rawRate).toLocaleString('en')} |`,
    );
    lines.push(
      `| bellwether import (stream, parse, map, check, de-dup, upsert) | ${(impMs / 1000).toFixed(2)} s | ${(impCpu / 1000).toFixed(2)} s | ${Math.round(impRate).toLocaleString('en')} |`,
    );
    lines.push(
      `\nratio import/raw = **${(impRate / rawRate).toFixed(2)}** by wall time, **${(rawCpu / impCpu).toFixed(2)}** by CPU time (goal >= 0.5); rows in table: ${n.toLocaleString('en')}; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}\n`,
    );
    rmSync(csv, { force: true });
  }

  // Memory during a large import.
  const big = join(dir, 'big.csv');
  ACCOUNTS = 25_000; // 25,000 accounts x 30 years of weeks = 39M unique rows, enough for a 1 GB file
  const rows = await writeCsv(big, ACCOUNTS * 52 * 30, SIZE_MB * 1024 * 1024);
  const size = statSync(big).size;
  if (global.gc) global.gc();
  const base = process.memoryUsage().rss;
  let sampler = new RssSampler();
  let parsed = 0;
  const t2 = performance.now();
  const checkStore = await PortfolioStore.memory();
  seedAccounts(checkStore);
  let compiled: CompiledMapping | null = null;
  const sink = {
    header(cols: ColumnSource) {
      compiled = compileMapping(mapping, cols, dbRefResolver(checkStore));
    },
    row(r: RawRow) {
      parsed++;
      if (compiled!.map(r).issues.length > 0) throw new Error(`bad row ${r.line}`);
    },
  };
  await feedAsync(big, createRowParser('csv', {}, sink), {});
  checkStore.close();
  const checkMs = performance.now() - t2;
  const peakParse = sampler.stop();
  if (checkOnly) {
    lines.push(
      `## Peak memory, ${mb(size)} MB CSV (${rows.toLocaleString('en')} rows), streaming check pass only`,
    );
    lines.push(
      `parse + map + check of every row: ${(checkMs / 1000).toFixed(1)} s, peak RSS ${mb(peakParse)} MB (RSS before: ${mb(base)} MB)`,
    );
    console.log(lines.join('\n'));
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }

  const store = await PortfolioStore.memory();
  seedAccounts(store);
  sampler = new RssSampler();
  const t3 = performance.now();
  const rep = await importFile(store, { file: big, mapping });
  const fullMs = performance.now() - t3;
  const peakFull = sampler.stop();
  const dbBytes = store.get<{ n: number }>(
    'SELECT page_count * page_size AS n FROM pragma_page_count(), pragma_page_size()',
  )!.n;
  store.close();
  lines.push(`## Peak memory, ${mb(size)} MB CSV (${rows.toLocaleString('en')} rows)`);
  lines.push('| phase | time | peak RSS | RSS before |', '|---|---|---|---|');
  lines.push(
    `| streaming check pass (parse + map + check every row) | ${(checkMs / 1000).toFixed(1)} s | ${mb(peakParse)} MB | ${mb(base)} MB |`,
  );
  lines.push(
    `| full import (${rep.status}, ${rep.inserted.toLocaleString('en')} rows) | ${(fullMs / 1000).toFixed(1)} s | ${mb(peakFull)} MB | — |`,
  );
  lines.push(
    `\nThe database built by the import is ${mb(dbBytes)} MB and lives in sql.js memory (plus its snapshot export); the file itself is never held in memory (parsed ${parsed.toLocaleString('en')} rows).`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(lines.join('\n'));
