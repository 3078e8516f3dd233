/** The score's budget: rule factors + the model factor, and what happens without a model probability. */
import { describe, expect, it } from 'vitest';
import type { AccountSignals, RiskConfig } from '../../../shared/risk-types';
import { DEFAULT_CONFIG, normalizeConfig } from './config';
import { ruleScaleWithoutModel, scoreSignals } from './scoring';

const signals = (values: Record<string, number | null>): AccountSignals => ({
  accountId: 1,
  asOf: '2026-06-01',
  values,
  evidence: {},
  account: {
    id: 1,
    name: 'Example Co',
    segment: 'enterprise',
    tier: null,
    arr: 300_000,
    isStrategic: false,
    expansionPotential: 'none',
    renewalDate: null,
  },
});

const atRisk = signals({
  usage_drop_45d: 35,
  tickets_recent: 3,
  ticket_baseline: 1,
  ticket_volume_ratio: 3,
  negative_tickets: 2,
  champion_departed_days: 100,
  health_drop: 12,
  health_latest: 60,
  days_to_renewal: 90,
});

const sumMax = (c: RiskConfig, key?: string) =>
  Object.entries(c.weights)
    .filter(([k]) => k !== key)
    .reduce((s, [, w]) => s + w.max, 0);

describe('the risk score budget', () => {
  it('gives the rule factors 88 points and the model 12, 100 in all', () => {
    expect(sumMax(DEFAULT_CONFIG)).toBe(100);
    expect(DEFAULT_CONFIG.weights.model).toEqual({ max: 12, from: 0, to: 0.25 });
    expect(ruleScaleWithoutModel(DEFAULT_CONFIG)).toBeCloseTo(100 / 88, 12);
  });

  it('adds the model points over the calibrated probability: 0 → 25% gives 0 → 12', () => {
    const at = (p: number | null) =>
      scoreSignals({ signals: atRisk, config: DEFAULT_CONFIG, modelProbability: p });
    const none = at(0);
    const model = (r: ReturnType<typeof at>) => r.factors.find((f) => f.key === 'model')!;
    expect(model(none).points).toBe(0);
    expect(model(at(0.1)).points).toBeCloseTo(4.8, 5);
    expect(model(at(0.25)).points).toBe(12);
    expect(model(at(0.9)).points).toBe(12);
    expect(at(0.25).raw).toBeCloseTo(none.raw + 12, 5);
    // With a probability, the rule factors keep their own weights.
    expect(none.ruleScale).toBe(1);
    expect(none.factors.find((f) => f.key === 'usage_decline')!.max).toBe(20);
  });

  it('without a model probability, spreads the model points over the rule factors', () => {
    const withModel = scoreSignals({ signals: atRisk, config: DEFAULT_CONFIG, modelProbability: 0 });
    const without = scoreSignals({ signals: atRisk, config: DEFAULT_CONFIG, modelProbability: null });
    const k = 100 / 88;
    expect(without.ruleScale).toBeCloseTo(k, 12);
    const model = without.factors.find((f) => f.key === 'model')!;
    expect(model).toMatchObject({ points: 0, max: 0 });
    expect(model.detail).toMatch(/spread over the other factors/);
    // Every rule factor's points and maximum are scaled by the same factor (to the displayed rounding).
    for (const f of without.factors.filter((x) => x.key !== 'model')) {
      const g = withModel.factors.find((x) => x.key === f.key)!;
      expect(f.points).toBeCloseTo(g.points * k, 0);
      expect(f.max).toBeCloseTo(DEFAULT_CONFIG.weights[f.key].max * k, 1);
    }
    expect(without.raw).toBeCloseTo(withModel.raw * k, 0);
    // The maxima still add up to the full budget.
    expect(without.factors.reduce((s, f) => s + f.max, 0)).toBeCloseTo(100, 0);
    // A non-finite probability counts as none.
    expect(scoreSignals({ signals: atRisk, config: DEFAULT_CONFIG, modelProbability: Number.NaN }).raw).toBe(
      without.raw,
    );
  });

  it('leaves the rule points alone when the model weight is turned off', () => {
    const off = normalizeConfig({ weights: { model: { max: 0 } } });
    expect(ruleScaleWithoutModel(off)).toBe(1);
    const r = scoreSignals({ signals: atRisk, config: off, modelProbability: null });
    const withModel = scoreSignals({ signals: atRisk, config: DEFAULT_CONFIG, modelProbability: 0 });
    expect(r.raw).toBeCloseTo(withModel.raw, 5);
  });
});
