/**
 * Sentiment benchmark: messages/s with the default model (worker thread, batched), time to rescore N stored
 * messages end to end (read, score, intents, write) extrapolated to 500,000, and memory.
 *   npx tsx bench/sentiment.ts [--n 20000] [--threads 1]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../src/main/core/core';
import { parseCsv } from '../src/main/core/ml/csv';
import { scoreMessages } from '../src/main/core/text/scoring';
import { SentimentService } from '../src/main/core/text/sentiment';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};
const N = arg('n', 20000);
const threads = arg('threads', 1);
const root = join(import.meta.dirname ?? '.', '..');
const base = parseCsv(readFileSync(join(root, 'tests/fixtures/support-sentiment.csv'), 'utf8')).rows.map(
  (r) => r[0]!,
);
const fillers = [
  '',
  ' Ticket #%d.',
  ' Regards, Sam.',
  ' This affects %d users.',
  ' Please advise.',
  ' Sent from my phone.',
];
const texts = Array.from(
  { length: N },
  (_, i) => `${base[i % base.length]}${fillers[i % fillers.length]!.replace('%d', String(i))}`,
);
const mb = (b: number) => Math.round(b / 1e5) / 10;

const rssBefore = process.memoryUsage().rss;
const service = new SentimentService({ threads });
let t = performance.now();
const status = await service.init();
const loadMs = performance.now() - t;
if (status.kind !== 'model') throw new Error(status.error ?? 'model not loaded');
await service.score(texts.slice(0, 256)); // warm-up

t = performance.now();
await service.basePolarity(texts);
const modelOnly = N / ((performance.now() - t) / 1000);
t = performance.now();
await service.score(texts);
const full = N / ((performance.now() - t) / 1000);
const stats = await service.stats();

// End to end through the portfolio: insert N messages, then a full rescore.
const core = await Core.open({ dbPath: null });
core.store.bulk((tx) => {
  tx.run(
    "INSERT INTO accounts (id, name, segment, created_at, updated_at) VALUES (1, 'A', 'smb', '2026-01-01', '2026-01-01')",
  );
  tx.run(
    "INSERT INTO tickets (id, account_id, subject, created_at, updated_at) VALUES (1, 1, 's', '2026-01-01', '2026-01-01')",
  );
  texts.forEach((b, i) => {
    tx.run("INSERT INTO ticket_messages (ticket_id, side, body, created_at) VALUES (1, 'customer', ?, ?)", [
      b,
      `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
    ]);
  });
});
t = performance.now();
const run = await scoreMessages(core.store, service, { mode: 'full' });
const e2eMs = performance.now() - t;
core.close();

const out = {
  model: status.modelId,
  messages: N,
  onnxThreads: threads,
  loadMs: Math.round(loadMs),
  modelOnlyPerSec: Math.round(modelOnly),
  withIntentsPerSec: Math.round(full),
  endToEnd: {
    scored: run.scored,
    seconds: Math.round(e2eMs / 100) / 10,
    perSec: Math.round(N / (e2eMs / 1000)),
  },
  extrapolated500kMinutes: Math.round((500_000 / (N / (e2eMs / 1000)) / 60) * 10) / 10,
  memoryMB: {
    processRssBefore: mb(rssBefore),
    processRssAfter: mb(process.memoryUsage().rss),
    reportedByWorker: mb(stats?.rss ?? 0),
  },
  fetchAttempts: stats?.fetchAttempts ?? null,
};
console.log(JSON.stringify(out, null, 2));
await service.close();
