import { describe, expect, it } from 'vitest';
import {
  accuracy,
  atThreshold,
  atTopK,
  binaryReport,
  brier,
  calibrationBins,
  logLoss,
  quantileCalibrationBins,
  rocAuc,
} from './metrics';
import { foldIndices, stratifiedHoldout, stratifiedKFold } from './split';

describe('metrics against hand-computed values', () => {
  it('ROC AUC: the textbook 4-point example is 0.75', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('ROC AUC counts ties as one half', () => {
    // positives 0.5, 0.9 vs negatives 0.5, 0.2: pairs 0.5 + 1 + 1 + 1 = 3.5 of 4
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBeCloseTo(0.5, 12);
  });

  it('ROC AUC is order-independent, 1 for a perfect ranking, NaN for one class', () => {
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toBe(1);
    expect(rocAuc([1, 0, 1, 0], [0.1, 0.9, 0.2, 0.8])).toBe(0);
    expect(
      rocAuc(
        [0.8, 0.1].map(() => 1),
        [0.8, 0.1],
      ),
    ).toBeNaN();
  });

  it('accuracy, Brier and log loss', () => {
    expect(accuracy([0, 1, 1, 0], [0.1, 0.9, 0.4, 0.6])).toBe(0.5);
    expect(brier([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3])).toBeCloseTo(0.0375, 12);
    // -(ln .9 + ln .9 + ln .8 + ln .65) / 4
    expect(logLoss([1, 0, 0, 1], [0.9, 0.1, 0.2, 0.65])).toBeCloseTo(0.21616187, 7);
    expect(Number.isFinite(logLoss([1], [0]))).toBe(true);
  });

  it('precision, recall and lift at top-k (an alert budget)', () => {
    const y = [1, 0, 1, 0, 0, 1];
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    expect(atTopK(y, s, 2)).toEqual({ k: 2, precision: 0.5, recall: 1 / 3, lift: 1 });
    const k3 = atTopK(y, s, 3);
    expect(k3.precision).toBeCloseTo(2 / 3, 12);
    expect(k3.recall).toBeCloseTo(2 / 3, 12);
    expect(k3.lift).toBeCloseTo(4 / 3, 12);
  });

  it('top-k shares rows tied at the cut fractionally', () => {
    // top 2 of [.9, .5, .5, .1]: the .9 positive, and half of the tied pair (one positive of two)
    expect(atTopK([1, 1, 0, 0], [0.9, 0.5, 0.5, 0.1], 2).precision).toBeCloseTo(0.75, 12);
    expect(atTopK([1, 0, 0, 1], [0.5, 0.5, 0.9, 0.1], 2).precision).toBeCloseTo(0.25, 12);
  });

  it('precision, recall and false-positive rate at a threshold', () => {
    const r = atThreshold([1, 1, 0, 0, 1], [0.9, 0.4, 0.6, 0.1, 0.7], 0.5);
    expect(r.precision).toBeCloseTo(2 / 3, 12);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.falsePositiveRate).toBeCloseTo(0.5, 12);
    expect(r.flagged).toBe(3);
  });

  it('calibration bins', () => {
    const bins = calibrationBins([0, 1, 1, 0, 1], [0.05, 0.15, 0.95, 0.92, 0.99], 10);
    expect(bins).toEqual([
      { lo: 0, hi: 0.1, count: 1, meanPredicted: 0.05, observedRate: 0 },
      { lo: 0.1, hi: 0.2, count: 1, meanPredicted: 0.15, observedRate: 1 },
      {
        lo: 0.9,
        hi: 1,
        count: 3,
        meanPredicted: expect.closeTo((0.95 + 0.92 + 0.99) / 3, 12),
        observedRate: 2 / 3,
      },
    ]);
    expect(calibrationBins([1], [1], 10)[0]!.lo).toBe(0.9);
  });

  it('equal-size calibration bins for rare events', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08];
    const y = [0, 0, 0, 0, 0, 1, 0, 1];
    const bins = quantileCalibrationBins(y, p, 4);
    expect(bins.map((b) => b.count)).toEqual([2, 2, 2, 2]);
    expect(bins[0]).toEqual({
      lo: 0.01,
      hi: 0.02,
      count: 2,
      meanPredicted: expect.closeTo(0.015, 12),
      observedRate: 0,
    });
    expect(bins[3]).toMatchObject({ lo: 0.07, hi: 0.08, observedRate: 0.5 });
    // More bins than rows: one row each.
    expect(quantileCalibrationBins([1, 0], [0.9, 0.1], 10).map((b) => b.count)).toEqual([1, 1]);
  });

  it('binary report', () => {
    const r = binaryReport([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(r).toMatchObject({ n: 4, positives: 2, baseRate: 0.5, auc: 0.75, accuracy: 0.75 });
  });
});

describe('splits', () => {
  it('stratified k-fold keeps the class balance in every fold and is seeded', () => {
    const y = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 1 : 0)); // 10 positives, 40 negatives
    const fold = stratifiedKFold(y, 5, 1);
    for (let f = 0; f < 5; f++) {
      const { train, test } = foldIndices(fold, f);
      expect(test.length).toBe(10);
      expect(train.length).toBe(40);
      expect([...test].filter((i) => y[i] === 1).length).toBe(2);
    }
    expect([...stratifiedKFold(y, 5, 1)]).toEqual([...fold]);
    expect([...stratifiedKFold(y, 5, 2)]).not.toEqual([...fold]);
  });

  it('stratified k-fold balances fold sizes when classes do not divide evenly', () => {
    const y = Array.from({ length: 23 }, (_, i) => (i < 7 ? 1 : 0));
    const fold = stratifiedKFold(y, 5, 3);
    const sizes = [0, 1, 2, 3, 4].map((f) => foldIndices(fold, f).test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    const pos = [0, 1, 2, 3, 4].map((f) => [...foldIndices(fold, f).test].filter((i) => y[i] === 1).length);
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
  });

  it('stratified holdout', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    const { train, holdout } = stratifiedHoldout(y, 0.25, 9);
    expect(holdout.length).toBe(25);
    expect([...holdout].filter((i) => y[i] === 1).length).toBe(5);
    expect(new Set([...train, ...holdout]).size).toBe(100);
  });
});
