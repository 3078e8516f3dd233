/**
 * Starts a model job (training, threshold sweep) in a worker thread on a copy of the portfolio, relays its
 * progress, and can cancel it (the thread is terminated; nothing was written: the worker only reads its copy
 * and the caller saves the result).
 *
 * Which file the thread runs:
 * - the built app: `model-worker.js`, bundled by electron-vite next to the main bundle (out/main/);
 * - the sources (tsx, vitest, the CLI, web mode): `train-worker-dev.mjs`, which registers tsx and loads
 *   `train-worker.ts`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './train-worker';

/** The bundled worker's file name (electron.vite.config.ts emits it into out/main/). */
export const BUILT_WORKER = 'model-worker.js';
export const DEV_WORKER = 'train-worker-dev.mjs';

/**
 * The worker file for code loaded from `base` (default: this module). The bundle may put this code in
 * out/main/ or in out/main/chunks/, so the built worker is looked for beside it and one folder up.
 */
export const workerUrl = (base: string = import.meta.url): URL => {
  for (const dir of ['./', '../']) {
    const built = new URL(`${dir}${BUILT_WORKER}`, base);
    if (built.protocol === 'file:' && existsSync(fileURLToPath(built))) return built;
  }
  return new URL(`./${DEV_WORKER}`, base);
};

/** Thrown (rejected) when a job was cancelled. */
export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'JobCancelled';
  }
}

export interface WorkerJob<T> {
  result: Promise<T>;
  /** Terminates the thread; `result` then rejects with JobCancelled. */
  cancel(): void;
}

/**
 * Runs `request` in a new worker thread. The portfolio bytes are transferred (not copied) to the thread.
 */
export const runInWorker = <T>(
  request: WorkerRequest,
  onProgress: (done: number, total: number, label: string) => void,
  url: URL = workerUrl(),
): WorkerJob<T> => {
  const worker = new Worker(url);
  let settled = false;
  let cancelled = false;
  const result = new Promise<T>((resolve, reject) => {
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (settled) return;
      if (m.type === 'progress') onProgress(m.done, m.total, m.label);
      else if (m.type === 'done') settle(() => resolve(m.result as T));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(cancelled ? new JobCancelled() : e)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(cancelled ? new JobCancelled() : new Error(`the model worker stopped (exit code ${code})`)),
      ),
    );
  });
  worker.postMessage(request, [request.bytes.buffer as ArrayBuffer]);
  return {
    result,
    cancel: () => {
      if (settled) return;
      cancelled = true;
      void worker.terminate();
    },
  };
};
