import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';
import type { ProgressEvent } from '../../../shared/contract';
import { Core } from '../core';
import { maybeRetrain, SCORE_HORIZON_DAYS } from './handlers';

const now = () => new Date('2026-12-03T12:00:00Z');

describe('model handlers on the demo portfolio', () => {
  let core: Core;
  const progress: ProgressEvent[] = [];
  beforeAll(async () => {
    core = await Core.open({ dbPath: null, now });
    await core.createDemo({ asOf: '2026-12-03', model: false });
    core.bus.subscribe((event, payload) => {
      if (event === 'progress' && (payload as ProgressEvent).task === 'model.train')
        progress.push(payload as ProgressEvent);
    });
  }, 120_000);
  afterAll(() => core.close());

  it('has every ml handler registered', () => {
    expect(core.registry.missing().filter((n) => n.startsWith('model.'))).toEqual([]);
  });

  it('returns null for the card before any training', async () => {
    expect(await core.call('model.card', {})).toBeNull();
    expect(await core.call('model.versions', {})).toEqual([]);
  });

  it('trains, shows a card, lists versions, compares and rolls back', async () => {
    const first = await core.call('model.train', { kind: 'logistic' });
    expect(first.activated).toBe(true);
    expect(first.previous).toBeNull();
    expect(first.model.version).toBe(1);
    expect(first.model.horizonDays).toBe(SCORE_HORIZON_DAYS);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)?.finished).toBe(true);

    const card = await core.call('model.card', {});
    expect(card).not.toBeNull();
    expect(card!.metrics.auc).toBeGreaterThan(0.5);
    expect(card!.metrics.auc).toBeLessThanOrEqual(1);
    expect(card!.calibration.length).toBeGreaterThan(0);
    expect(card!.topSignals.length).toBeGreaterThan(0);
    expect(card!.window?.testFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(card!.size?.rows).toBeGreaterThan(0);
    expect(card!.baseline?.auc).not.toBeNull();
    expect(Array.isArray(card!.warnings)).toBe(true);

    const second = await core.call('model.train', { kind: 'logistic' });
    expect(second.model.version).toBe(2);
    expect(second.previous?.id).toBe(first.model.id);
    expect(second.comparison?.deltas.map((d) => d.metric)).toContain('auc');

    const versions = await core.call('model.versions', {});
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.filter((v) => v.active)).toHaveLength(1);

    const cmp = await core.call('model.compare', { a: first.model.id, b: second.model.id });
    expect(cmp.a.id).toBe(first.model.id);
    expect(cmp.summary.length).toBeGreaterThan(0);

    const rolled = await core.call('model.activate', { id: first.model.id });
    expect(rolled.active).toBe(true);
    const after = await core.call('model.versions', {});
    expect(after.find((v) => v.active)?.id).toBe(first.model.id);
    expect((await core.call('model.card', {}))!.version).toBe(1);

    const missing = await core.dispatch('model.activate', { id: 99999 });
    expect(missing.ok).toBe(false);
  }, 180_000);

  it('feeds the model probability into the risk score once a model is active', async () => {
    const q = await core.call('risk.queue', { limit: 20 });
    expect(q.length).toBeGreaterThan(0);
    const detail = await core.call('risk.account', { accountId: q[0]!.accountId });
    const model = detail.factors.find((f) => f.key === 'model');
    expect(model).toBeDefined();
    expect(Object.values(model!.signals).some((v) => typeof v === 'number')).toBe(true);
  });

  it('retrains only after enough new outcomes', async () => {
    const r = await maybeRetrain(core, { afterOutcomes: 1_000_000 });
    expect(r.trained).toBe(false);
    expect(r.reason).toMatch(/new outcomes/);
    // Outcomes resolved after the active model's training count; none are newer here.
    expect(r.newOutcomes).toBe(0);
    const before = (await core.call('model.versions', {})).length;
    const forced = await maybeRetrain(core, { afterOutcomes: 0, kind: 'logistic' });
    expect(forced.trained).toBe(true);
    expect(forced.result?.previous).not.toBeNull();
    expect(await core.call('model.versions', {})).toHaveLength(before + 1);
  }, 180_000);

  it('suggests thresholds with a trade-off curve and applies them as a new rule version', async () => {
    const rules = await core.call('risk.rules.list', {});
    const rule = rules.find((r) => r.definition.conditions.some((c) => 'signal' in c && c.op === '>='));
    expect(rule).toBeDefined();
    const s = await core.call('model.thresholds', { ruleId: rule!.id });
    expect(s.budgetPerCsmPerWeek).toBe(2);
    expect(s.csmCount).toBeGreaterThan(0);
    expect(s.rules).toHaveLength(1);
    const cond = s.rules[0]!.conditions[0]!;
    expect(cond.curve.length).toBeGreaterThan(1);
    expect(cond.curve.some((p) => p.current)).toBe(true);
    for (const p of cond.curve) expect(p.flagsPerCsmPerWeek).toBeGreaterThanOrEqual(0);
    const value = cond.curve.find((p) => !p.current)!.value;
    const applied = await core.call('model.applyThresholds', {
      choices: [{ ruleId: rule!.id, path: cond.path, value }],
      updatedBy: 'test',
    });
    expect(applied.updated[0]!.toVersion).toBe(rule!.version + 1);
    const bad = await core.dispatch('model.applyThresholds', {
      choices: [{ ruleId: rule!.id, path: 'conditions.99', value: 1 }],
    });
    expect(bad.ok).toBe(false);
  }, 120_000);
});

describe('bellwether model train / card', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-cli-model-'));
  const db = join(dir, 'demo.bellwether');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('reports exit codes and prints the new version and the card', async () => {
    expect(
      (await run(['demo', '--db', db, '--as-of', '2026-12-03', '--now', '2026-12-03T12:00:00Z'])).code,
    ).toBe(0);
    // The demo ships with its model trained (version 1).
    const shipped = await run(['model', 'card', '--db', db, '--json', '--now', '2026-12-03T12:00:00Z']);
    expect(shipped.code).toBe(0);
    expect(JSON.parse(shipped.out).version).toBe(1);
    expect((await run(['model', 'card', '--db', db, '--horizon', '30'])).code).toBe(1);
    expect((await run(['model', 'train', '--db', db, '--horizon', '45'])).code).toBe(2);
    expect((await run(['model', 'train', '--db', join(dir, 'none.bellwether')])).code).toBe(2);
    const t = await run([
      'model',
      'train',
      '--db',
      db,
      '--kind',
      'logistic',
      '--now',
      '2026-12-03T12:00:00Z',
      '--json',
    ]);
    expect(t.code).toBe(0);
    const j = JSON.parse(t.out);
    expect(j.model.version).toBe(2);
    expect(j.model.auc).toBeGreaterThan(0.5);
    // Activated only when it is not worse than the demo's model.
    expect(j.activated).toBe(j.model.auc >= j.previous.auc - 0.005);
    const c = await run(['model', 'card', '--db', db, '--json', '--now', '2026-12-03T12:00:00Z']);
    expect(c.code).toBe(0);
    const card = JSON.parse(c.out);
    expect(card.version).toBe(j.activated ? 2 : 1);
    expect(card.calibration.length).toBeGreaterThan(0);
    const text = await run(['model', 'card', '--db', db, '--now', '2026-12-03T12:00:00Z']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('AUC');
  }, 180_000);
});
