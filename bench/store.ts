/**
 * Persistence benchmark (issue 2). Run: npx tsx bench/store.ts [--sizes 10,100,300] [--commits 200]
 *
 * 1. Median time of a durable small commit (one UPDATE, journaled + fdatasync'd) at several database
 *    sizes: it should stay flat, because a small commit appends to the journal and never exports the DB.
 * 2. Time to open (snapshot load + journal replay + migration check), file size and RSS for those sizes.
 * The 10,000-account demo portfolio is measured by bench/portfolio.ts.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PortfolioStore } from '../src/main/core/db/store';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const sizesMb = arg('sizes', '10,100,300').split(',').map(Number);
const commits = Number(arg('commits', '200'));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);

const rows: string[] = [];
for (const sizeMb of sizesMb) {
  const dir = mkdtempSync(join(tmpdir(), 'bw-bench-store-'));
  const path = join(dir, 'p.bellwether');
  const s = await PortfolioStore.open(path);
  // Fill with realistic-looking rows (ticket messages) up to the target size.
  const now = '2026-01-01T00:00:00.000Z';
  s.bulk((tx) => {
    tx.run("INSERT INTO accounts(name, segment, created_at, updated_at) VALUES ('Filler Co', 'smb', ?, ?)", [
      now,
      now,
    ]);
    tx.run("INSERT INTO tickets(account_id, subject, created_at, updated_at) VALUES (1, 'filler', ?, ?)", [
      now,
      now,
    ]);
    const body =
      'The export to our warehouse failed again overnight and the dashboard shows stale numbers. '.repeat(4);
    const n = Math.ceil((sizeMb * 1024 * 1024) / (body.length + 60));
    for (let i = 0; i < n; i++) {
      tx.run("INSERT INTO ticket_messages(ticket_id, side, body, created_at) VALUES (1, 'customer', ?, ?)", [
        `${i} ${body}`,
        now,
      ]);
    }
  });
  s.close();
  const fileBytes = statSync(path).size;

  const t0 = performance.now();
  const s2 = await PortfolioStore.open(path);
  const openMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < commits; i++) {
    const a = performance.now();
    s2.write((tx) => tx.run('UPDATE accounts SET arr = ?, updated_at = ? WHERE id = 1', [i, now]));
    times.push(performance.now() - a);
  }
  const rss = process.memoryUsage().rss;
  s2.close();
  rows.push(
    `| ${sizeMb} MB target | ${mb(fileBytes)} MB | ${openMs.toFixed(0)} ms | ${median(times).toFixed(2)} ms | ${Math.max(...times).toFixed(1)} ms | ${mb(rss)} MB |`,
  );
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `| database | file size | open | median durable commit (n=${commits}) | max commit | RSS after |`,
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
