/**
 * The model worker thread: opens a copy of the portfolio from the bytes it is sent and runs one job on it
 * (training or the threshold sweep), posting progress and then the result. The main thread never waits on it:
 * the app keeps answering while a model trains. Started by `worker-client.ts`; in the built app this file is
 * bundled to out/main/model-worker.js, from the sources it runs through `train-worker-dev.mjs` (tsx).
 */
import { parentPort } from 'node:worker_threads';
import { SqlJsEngine } from '../db/sqljs-engine';
import { runThresholdJob, runTrainJob, type ThresholdJob, type TrainJob } from './train-job';

export type WorkerRequest =
  | { type: 'train'; bytes: Uint8Array; job: TrainJob }
  | { type: 'thresholds'; bytes: Uint8Array; job: ThresholdJob };

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; label: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('train-worker.ts must run in a worker thread');

port.once('message', async (req: WorkerRequest) => {
  const send = (m: WorkerMessage) => port.postMessage(m);
  let last = 0;
  let lastLabel = '';
  const progress = (done: number, total: number, label: string) => {
    // At most ~20 messages a second (the main thread relays each one to every page), but never drop the
    // first message of a new step.
    const now = performance.now();
    if (done < total && now - last < 50 && label === lastLabel) return;
    last = now;
    lastLabel = label;
    send({ type: 'progress', done, total, label });
  };
  let db: SqlJsEngine | undefined;
  try {
    db = await SqlJsEngine.create(req.bytes);
    const result =
      req.type === 'train' ? runTrainJob(db, req.job, progress) : runThresholdJob(db, req.job, progress);
    send({ type: 'done', result });
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  } finally {
    db?.close();
  }
});
