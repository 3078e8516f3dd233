/**
 * Risk engine on the 10,000-account portfolio (issue 3).
 * Run: npx tsx bench/risk.ts [--accounts 10000] [--db FILE] [--runs 5] [--model logistic|gbt]
 * With --model, a model of that kind is trained on the work copy first (in its worker thread) and made active, so
 * the rescore includes the model factor: the first full rescore of a day computes every account's probability,
 * later ones reuse the day's probabilities (accounts whose records change are recomputed by their incremental
 * rescore); both are reported.
 * Reports the full rescore median (signals + score + rules + one durable write) and the incremental rescore
 * of one account after a new ticket (median of 50). The portfolio is generated once into .bench-data/ and reused.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Core } from '../src/main/core/core';
import { trainModel } from '../src/main/core/ml/handlers';
import { loadConfig } from '../src/main/core/risk/config';
import { rescoreAccount, rescoreAll } from '../src/main/core/risk/engine';
import { computeSignalsBatch } from '../src/main/core/risk/signals';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const accounts = Number(arg('accounts', '10000'));
const runs = Number(arg('runs', '5'));
const modelKind = arg('model', '');
const AS_OF = '2026-12-03';
const dataDir = join(import.meta.dirname, '../.bench-data');
const source = arg('db', join(dataDir, `risk-${accounts}.bellwether`));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

if (!existsSync(source)) {
  mkdirSync(dataDir, { recursive: true });
  const t0 = performance.now();
  const gen = await Core.open({ dbPath: source });
  await gen.createDemo({ accounts, seed: 7, asOf: AS_OF });
  gen.close();
  console.log(
    `generated ${accounts} accounts in ${((performance.now() - t0) / 1000).toFixed(0)} s -> ${source}`,
  );
}
// Work on a copy so the source stays as generated.
const work = join(dataDir, `risk-${accounts}.work.bellwether`);
for (const ext of ['', '.journal', '.bak', '.bak.journal', '.lock']) rmSync(`${work}${ext}`, { force: true });
copyFileSync(source, work);

let now = new Date(`${AS_OF}T09:00:00.000Z`);
const core = await Core.open({ dbPath: work, now: () => now });
const n = core.store.get<{ n: number }>("SELECT count(*) AS n FROM accounts WHERE status = 'active'")!.n;
console.log(`portfolio: ${n} active accounts`);

let firstWithModel: number | null = null;
if (modelKind === 'logistic' || modelKind === 'gbt') {
  const t = performance.now();
  const r = await trainModel(core, { kind: modelKind, activate: 'always', rescore: false });
  console.log(
    `trained a ${modelKind} model in ${((performance.now() - t) / 1000).toFixed(1)} s (id ${r.model.id})`,
  );
  now = new Date(now.getTime() + 60_000);
  const t1 = performance.now();
  rescoreAll(core);
  firstWithModel = performance.now() - t1;
} else if (modelKind) throw new Error('--model takes logistic or gbt');
const cfg = loadConfig(core.store);
const sig: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  computeSignalsBatch(core.store, now, cfg);
  sig.push(performance.now() - t);
}
const full: number[] = [];
let flags = 0;
for (let i = 0; i < runs; i++) {
  now = new Date(now.getTime() + 60_000);
  const t = performance.now();
  const s = rescoreAll(core);
  full.push(performance.now() - t);
  flags += s.flagsRaised;
}

const ids = core.store
  .all<{ id: number }>("SELECT id FROM accounts WHERE status = 'active' ORDER BY id")
  .map((r) => r.id);
const inc: number[] = [];
for (let i = 0; i < 50; i++) {
  const id = ids[(i * 7919) % ids.length]!;
  now = new Date(now.getTime() + 60_000);
  const at = now.toISOString();
  core.store.write((tx) => {
    const t = tx.run(
      "INSERT INTO tickets(account_id, subject, status, created_at, updated_at) VALUES (?, 'Bench ticket', 'open', ?, ?)",
      [id, at, at],
    );
    tx.run(
      "INSERT INTO ticket_messages(ticket_id, side, body, created_at) VALUES (?, 'customer', 'Still broken, this is unacceptable.', ?)",
      [t.lastInsertRowid, at],
    );
  });
  now = new Date(now.getTime() + 1000);
  const t = performance.now();
  rescoreAccount(core, id);
  inc.push(performance.now() - t);
}
core.close();
for (const ext of ['', '.journal', '.bak', '.bak.journal', '.lock']) rmSync(`${work}${ext}`, { force: true });

console.log(`signals only, portfolio-wide (median of ${runs}): ${median(sig).toFixed(0)} ms`);
console.log(
  `full rescore of ${n} accounts (median of ${runs}): ${median(full).toFixed(0)} ms  [target ≤ 2000 ms]; flags raised ${flags}`,
);
if (firstWithModel !== null)
  console.log(
    `first full rescore of the day with the ${modelKind} model (every account's probability computed): ${firstWithModel.toFixed(0)} ms`,
  );
console.log(
  `incremental rescore after one new ticket (median of 50): ${median(inc).toFixed(1)} ms  [target ≤ 20 ms]`,
);
