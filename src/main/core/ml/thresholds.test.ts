import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../../shared/risk-types';
import { Core } from '../core';
import { backtestRule } from '../risk/backtest';
import { loadConfig } from '../risk/config';
import { ensureDefaultRules, listRules } from '../risk/rules';
import { numericConditions, prepareReplay, replayRule, suggestThresholds, withThreshold } from './thresholds';

const def: RuleDefinition = {
  name: 'test',
  match: 'all',
  cooldownDays: 30,
  conditions: [
    {
      match: 'any',
      conditions: [
        { signal: 'usage_drop_30d', op: '>=', value: 40 },
        { signal: 'champion_departed', op: '==', value: 1 },
      ],
    },
    { signal: 'negative_tickets', op: '>=', value: 2 },
  ],
};

describe('threshold helpers', () => {
  it('finds numeric conditions with their paths (equality conditions are not swept)', () => {
    expect(numericConditions(def).map((c) => [c.path, c.cond.signal])).toEqual([
      ['conditions.0.conditions.0', 'usage_drop_30d'],
      ['conditions.1', 'negative_tickets'],
    ]);
  });

  it('sets a threshold on a copy and refuses a path that is not a condition', () => {
    const next = withThreshold(def, 'conditions.0.conditions.0', 30);
    expect(numericConditions(next)[0]!.cond.value).toBe(30);
    expect(numericConditions(def)[0]!.cond.value).toBe(40);
    expect(() => withThreshold(def, 'conditions.0', 1)).toThrow(/no condition/);
    expect(() => withThreshold(def, 'conditions.7', 1)).toThrow(/no condition/);
  });
});

describe('threshold sweep on the demo portfolio', () => {
  const now = () => new Date('2026-12-03T12:00:00Z');
  let core: Core;
  beforeAll(async () => {
    core = await Core.open({ dbPath: null, now });
    await core.createDemo({ asOf: '2026-12-03' });
    ensureDefaultRules(core.store, now().toISOString());
  }, 120_000);
  afterAll(() => core.close());

  it('replays a rule with the same counts as backtestRule', () => {
    const config = loadConfig(core.store);
    const rule = listRules(core.store).find((r) => r.definition.scope?.segments?.includes('enterprise'))!;
    const loose = withThreshold(rule.definition, numericConditions(rule.definition).at(-1)!.path, 1);
    const data = prepareReplay(core.store, now(), config, { stepDays: 14, months: 24, withScores: false });
    for (const d of [rule.definition, loose]) {
      const bt = backtestRule(core.store, d, config, { now: now(), stepDays: 14, horizonDays: 90 });
      const rp = replayRule(data, d, 90);
      expect(rp).toEqual({
        flags: bt.flags,
        truePositives: bt.truePositives,
        pending: bt.pending,
        precision: bt.precision,
        escalations: bt.escalations,
        caught: bt.caught,
        recall: bt.recall,
        medianLeadDays: bt.medianLeadDays,
      });
    }
  }, 120_000);

  it('returns curves for every rule with numeric conditions and a point within the budget', () => {
    const s = suggestThresholds(core, { budgetPerCsmPerWeek: 2 });
    expect(s.rules.length).toBeGreaterThan(0);
    expect(s.csmCount).toBe(6);
    for (const r of s.rules) {
      for (const c of r.conditions) {
        expect(c.curve.length).toBeGreaterThan(1);
        expect(c.curve.length).toBeLessThanOrEqual(9);
        expect(c.curve.filter((p) => p.current)).toHaveLength(1);
        if (c.suggestedValue !== null) expect(c.curve.map((p) => p.value)).toContain(c.suggestedValue);
      }
    }
    // Looser thresholds never flag fewer accounts for a ">=" condition.
    const c = s.rules.flatMap((r) => r.conditions).find((x) => x.op === '>=')!;
    const flags = [...c.curve].sort((a, b) => a.value - b.value).map((p) => p.flags);
    for (let i = 1; i < flags.length; i++) expect(flags[i]).toBeLessThanOrEqual(flags[i - 1]!);
  }, 120_000);
});
