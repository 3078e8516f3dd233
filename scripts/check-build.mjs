#!/usr/bin/env node
// After `npm run build`: the desktop bundle must carry its worker threads. Loads the shipped sentiment model
// through out/main/sentiment-worker.js exactly as the built app does, scores two messages, and checks that the
// model-training worker entry exists. Electron itself is not needed for this.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fail = (msg) => {
  console.error(`check-build: ${msg}`);
  process.exit(1);
};
for (const f of [
  'out/main/index.js',
  'out/main/sentiment-worker.js',
  'out/main/model-worker.js',
  'out/preload/index.cjs',
])
  if (!existsSync(join(root, f))) fail(`${f} is missing from the build`);

const worker = new Worker(join(root, 'out/main/sentiment-worker.js'));
let seq = 0;
const ask = (msg) =>
  new Promise((resolve, reject) => {
    const id = ++seq;
    const on = (m) => {
      if (m.id !== id) return;
      worker.off('message', on);
      if (m.ok) resolve(m);
      else reject(new Error(m.error));
    };
    worker.on('message', on);
    worker.postMessage({ ...msg, id });
  });
try {
  const modelDir = join(root, 'resources/models/bellwether-sentiment-small');
  const { labels } = await ask({ type: 'load', modelDir, threads: 1 });
  const { probs } = await ask({
    type: 'score',
    texts: ['Thanks, the fix worked perfectly!', 'On hold for 45 minutes and nobody answered.'],
  });
  const pos = labels.findIndex((l) => /pos/i.test(l));
  if (pos < 0 || !(probs[0][pos] > 0.5) || !(probs[1][pos] < 0.5))
    fail(`the bundled worker scored implausibly: labels ${labels}, probabilities ${JSON.stringify(probs)}`);
  console.log(
    `check-build: bundled workers present; sentiment worker scored ${probs.length} texts with ${labels}`,
  );
} catch (e) {
  fail(`the bundled sentiment worker failed: ${e.message}`);
} finally {
  await worker.terminate();
}

// The model worker: a training job on an empty database must load sql.js inside the bundle and answer with
// SQLite's own error (no tables), not a module-loading failure.
{
  const w = new Worker(join(root, 'out/main/model-worker.js'));
  const reply = await new Promise((resolve) => {
    w.on('message', (m) => m.type !== 'progress' && resolve(m));
    w.on('error', (e) => resolve({ type: 'crash', message: e.message }));
    w.postMessage({
      type: 'train',
      bytes: new Uint8Array(),
      job: { horizonDays: 60, kinds: ['logistic'], months: 24 },
    });
  });
  await w.terminate();
  if (reply.type !== 'error' || !/no such table/.test(reply.message))
    fail(`the bundled model worker did not run: ${JSON.stringify(reply)}`);
  console.log('check-build: model worker ran a job on sql.js inside the bundle');
}
