/** Acceptance on the demo portfolio: the seed's worked example, the queue, the CLI. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/main';
import { Core } from '../core';
import { attachModel } from '../ml/handlers';
import { setModelProvider } from './engine';

const AS_OF = '2026-12-03';
let core: Core;
let dir: string;
let db: string;

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-risk-'));
  db = join(dir, 'demo.bellwether');
  core = await Core.open({ dbPath: db, now: () => new Date(`${AS_OF}T00:00:00.000Z`) });
  await core.createDemo({ seed: 42, accounts: 320, asOf: AS_OF });
});

afterAll(() => {
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TechFlow Industries on the demo portfolio', () => {
  it('scores 85-90, Critical, with champion departure and usage decline among its top factors', async () => {
    const summary = await core.call('risk.rescoreAll', {});
    expect(summary.accounts).toBeGreaterThan(250);
    const tf = (await core.call('accounts.list', { search: 'TechFlow Industries' })).rows[0]!;
    const r = await core.call('risk.account', { accountId: tf.id });
    expect(r.score).toBeGreaterThanOrEqual(85);
    expect(r.score).toBeLessThanOrEqual(90);
    expect(r.priority).toBe('critical');
    expect(r.response.label).toMatch(/Immediate/);
    const top = r.factors.slice(0, 4).map((f) => f.key);
    expect(top).toContain('champion_departure');
    expect(top).toContain('usage_decline');
    // The demo ships as a portfolio Bellwether has been running on: every message scored by the shipped
    // sentiment model (so the negative-interaction and sentiment signals read stored labels)…
    const unscored = core.store.get<{ n: number }>(
      'SELECT count(*) AS n FROM ticket_messages WHERE sentiment_model IS NULL',
    )!.n;
    expect(unscored).toBe(0);
    // …and its model trained: the calibrated probability adds points (up to 12).
    const model = r.factors.find((f) => f.key === 'model')!;
    expect(model.max).toBe(12);
    expect(model.points).toBeGreaterThan(0);
    // Every factor with points links to the records behind it (except the derived renewal amplifier and the
    // model's probability, which its model card explains).
    for (const f of r.factors.filter(
      (x) => x.points > 0 && x.key !== 'renewal' && x.key !== 'sentiment_trend' && x.key !== 'model',
    )) {
      expect(f.evidence.length, f.key).toBeGreaterThan(0);
    }
    expect(r.signals.values.login_drop_45d).toBeCloseTo(62, 0);
    expect(r.signals.values.days_to_renewal).toBe(67);
    expect(r.signals.values.champion_departed_days).toBe(21);
    expect(r.history.length).toBeGreaterThan(5);
    // It heads the queue.
    const [first] = await core.call('risk.queue', {});
    expect(first!.accountId).toBe(tf.id);
    expect(first!.topFactors).toHaveLength(3);
  });

  it('without a model, the model points are spread over the rule factors: still 85-90 and Critical', async () => {
    setModelProvider(core, null);
    try {
      await core.call('risk.rescoreAll', {});
      const tf = (await core.call('accounts.list', { search: 'TechFlow Industries' })).rows[0]!;
      const r = await core.call('risk.account', { accountId: tf.id });
      expect(r.score).toBeGreaterThanOrEqual(85);
      expect(r.score).toBeLessThanOrEqual(90);
      expect(r.priority).toBe('critical');
      expect(r.factors.find((f) => f.key === 'model')).toMatchObject({ points: 0, max: 0 });
      expect(r.factors.find((f) => f.key === 'usage_decline')!.max).toBeCloseTo(22.7, 1);
    } finally {
      attachModel(core);
      await core.call('risk.rescoreAll', {});
    }
  });

  it('bellwether score and backtest print the queue and the rule figures', async () => {
    core.close();
    const score = await run('score', '--db', db, '--json', '--now', `${AS_OF}T00:00:00Z`);
    expect(score.err).toBe('');
    expect(score.code).toBe(0);
    const parsed = JSON.parse(score.out) as {
      queue: { accountName: string; score: number; priority: string; topFactors: { points: number }[] }[];
    };
    expect(parsed.queue[0]).toMatchObject({ accountName: 'TechFlow Industries', priority: 'critical' });
    expect(parsed.queue[0]!.topFactors[0]!.points).toBeGreaterThan(0);

    const rule = join(dir, 'rule.json');
    writeFileSync(
      rule,
      JSON.stringify({
        name: 'Champion left',
        match: 'all',
        conditions: [{ signal: 'champion_departed', op: '==', value: 1 }],
        cooldownDays: 60,
      }),
    );
    const bt = await run(
      'backtest',
      '--db',
      db,
      '--rule',
      rule,
      '--json',
      '--now',
      `${AS_OF}T00:00:00Z`,
      '--step',
      '14',
    );
    expect(bt.code).toBe(0);
    const res = JSON.parse(bt.out) as { flags: number; escalations: number; series: unknown[] };
    expect(res.flags).toBeGreaterThan(0);
    expect(res.escalations).toBeGreaterThan(30);
    expect(res.series.length).toBeGreaterThan(20);

    writeFileSync(
      rule,
      JSON.stringify({
        name: 'Bad',
        match: 'all',
        conditions: [{ signal: 'usage_dorp', op: '>=', value: 1 }],
        cooldownDays: 1,
      }),
    );
    const bad = await run('backtest', '--db', db, '--rule', rule);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/conditions\[0\]\.signal: unknown signal 'usage_dorp'/);
    core = await Core.open({ dbPath: db });
  });
});
