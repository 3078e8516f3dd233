/**
 * Training and the threshold sweep run in a worker thread: progress events arrive while the main thread keeps
 * running, a job can be cancelled (nothing saved), and the built worker is preferred when it exists.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/contract';
import { Core } from '../core';
import { BUILT_WORKER, DEV_WORKER, workerUrl } from './worker-client';

const now = () => new Date('2026-12-03T12:00:00Z');

describe('model jobs in a worker thread', () => {
  let core: Core;
  const events: ProgressEvent[] = [];
  beforeAll(async () => {
    core = await Core.open({ dbPath: null, now });
    await core.createDemo({ asOf: '2026-12-03', model: false });
    core.bus.subscribe((event, payload) => {
      if (event === 'progress') events.push(payload as ProgressEvent);
    });
  }, 120_000);
  afterAll(() => core.close());

  it('trains off the main thread, reporting progress, and stores the model', async () => {
    events.length = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const t0 = performance.now();
    const r = await core.call('model.train', { kind: 'logistic' });
    const ms = performance.now() - t0;
    clearInterval(timer);
    expect(r.model.version).toBe(1);
    expect(r.activated).toBe(true);
    expect(r.card.baseline?.auc).not.toBeNull();
    expect(r.card.combined?.auc).not.toBeNull();
    const train = events.filter((e) => e.task === 'model.train');
    const labels = new Set(train.map((e) => e.label));
    expect(labels).toContain('Building the training table');
    expect(labels).toContain('Scoring the rule-based baseline');
    expect(labels).toContain('Training logistic regression');
    expect(labels).toContain('Saving the model and rescoring');
    expect(train.length).toBeGreaterThan(5);
    // Within the worker's steps, progress only moves forward and stays within its total.
    const total = train.find((e) => e.label === 'Building the training table')!.total;
    const steps = train.filter((e) => !e.finished && e.total === total);
    expect(steps.length).toBeGreaterThan(5);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.done).toBeGreaterThanOrEqual(steps[i - 1]!.done);
    for (const e of steps) expect(e.done).toBeLessThanOrEqual(e.total);
    expect(train.at(-1)).toMatchObject({ finished: true, label: 'Model v1 trained and activated' });
    // The event loop kept turning while the model trained (a blocked loop would not tick at all).
    expect(ticks).toBeGreaterThan((ms / 20) * 0.3);
    // The risk score now carries the model's points.
    const q = await core.call('risk.queue', { limit: 5 });
    const detail = await core.call('risk.account', { accountId: q[0]!.accountId });
    const model = detail.factors.find((f) => f.key === 'model')!;
    expect(model.max).toBe(12);
    expect(model.signals.model_probability).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a second training while one runs, and cancels without saving anything', async () => {
    events.length = 0;
    const before = (await core.call('model.versions', {})).length;
    const running = core.dispatch('model.train', { kind: 'gbt' });
    // Cancel as soon as the worker reports its first step.
    await new Promise<void>((resolve) => {
      const off = core.bus.subscribe((event, payload) => {
        const p = payload as ProgressEvent;
        if (event === 'progress' && p.task === 'model.train' && p.label === 'Building the training table') {
          off();
          resolve();
        }
      });
    });
    const second = await core.dispatch('model.train', {});
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.code).toBe('conflict');
    expect(await core.call('model.cancel', {})).toEqual({ cancelled: ['model.train'] });
    const r = await running;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/cancelled/);
    expect(events.filter((e) => e.task === 'model.train').at(-1)).toMatchObject({
      finished: true,
      label: 'Cancelled',
    });
    expect(await core.call('model.versions', {})).toHaveLength(before);
    expect(await core.call('model.cancel', {})).toEqual({ cancelled: [] });
  }, 180_000);

  it('sweeps rule thresholds in the worker with progress', async () => {
    events.length = 0;
    const s = await core.call('model.thresholds', { budgetPerCsmPerWeek: 2 });
    expect(s.rules.length).toBeGreaterThan(0);
    const sweep = events.filter((e) => e.task === 'model.thresholds');
    expect(sweep.some((e) => e.label === 'Replaying the rules over the history')).toBe(true);
    expect(sweep.some((e) => e.label?.startsWith('Sweeping thresholds:'))).toBe(true);
    expect(sweep.at(-1)?.finished).toBe(true);
  }, 180_000);
});

describe('which worker file runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-worker-url-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the sources use the tsx bootstrap; a build uses the bundled worker beside it or one folder up', () => {
    expect(workerUrl().pathname.endsWith(`/ml/${DEV_WORKER}`)).toBe(true);
    const main = join(dir, 'out', 'main');
    mkdirSync(join(main, 'chunks'), { recursive: true });
    writeFileSync(join(main, BUILT_WORKER), '');
    expect(workerUrl(pathToFileURL(join(main, 'index.js')).href).pathname).toBe(
      pathToFileURL(join(main, BUILT_WORKER)).pathname,
    );
    expect(workerUrl(pathToFileURL(join(main, 'chunks', 'handlers.js')).href).pathname).toBe(
      pathToFileURL(join(main, BUILT_WORKER)).pathname,
    );
  });
});
