import { describe, expect, it } from 'vitest';
import { CalibratedClassifier, IsotonicCalibrator, PlattCalibrator } from './calibration';
import { GradientBoostedTrees } from './gbt';
import { LogisticRegression } from './logistic';
import { type Matrix, matrix, sigmoid } from './matrix';
import { brier, rocAuc } from './metrics';
import { Prng } from './prng';
import { loadModel } from './registry';

/** Space-shuttle O-ring data (Dalal, Fowlkes & Hoadley 1989): launch temperature (F), any O-ring damage. */
const CHALLENGER: [number, number][] = [
  [53, 1],
  [57, 1],
  [58, 1],
  [63, 1],
  [66, 0],
  [67, 0],
  [67, 0],
  [67, 0],
  [68, 0],
  [69, 0],
  [70, 0],
  [70, 1],
  [70, 0],
  [70, 1],
  [72, 0],
  [73, 0],
  [75, 0],
  [75, 1],
  [76, 0],
  [76, 0],
  [78, 0],
  [79, 0],
  [81, 0],
];

const synthetic = (
  n: number,
  beta: number[],
  intercept: number,
  seed: number,
): { X: Matrix; y: Uint8Array } => {
  const rng = new Prng(seed);
  const rows: number[][] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = beta.map(() => rng.normal());
    rows.push(x);
    const z = intercept + x.reduce((s, v, j) => s + v * beta[j]!, 0);
    y[i] = rng.next() < sigmoid(z) ? 1 : 0;
  }
  return { X: matrix(rows), y };
};

describe('logistic regression against reference numbers', () => {
  it('one binary feature: the MLE is the two empirical log-odds (derived by hand)', () => {
    // x = 0: 1 of 4 positive -> intercept = ln(1/3); x = 1: 3 of 4 -> slope = ln 3 - ln(1/3) = ln 9
    const X = matrix([[0], [0], [0], [0], [1], [1], [1], [1]]);
    const y = [1, 0, 0, 0, 1, 1, 1, 0];
    const m = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(X, y);
    const raw = m.rawCoefficients();
    expect(m.converged).toBe(true);
    expect(raw.intercept).toBeCloseTo(Math.log(1 / 3), 8);
    expect(raw.coef[0]).toBeCloseTo(Math.log(9), 8);
    expect(m.predictProba(matrix([[0], [1]]))[1]).toBeCloseTo(0.75, 8);
  });

  it('Challenger O-ring data: logit(p) = 15.0429 - 0.2322 * temperature (published MLE)', () => {
    const X = matrix(CHALLENGER.map(([t]) => [t]));
    const y = CHALLENGER.map(([, f]) => f);
    const m = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(X, y);
    const raw = m.rawCoefficients();
    expect(raw.intercept).toBeCloseTo(15.0429, 3);
    expect(raw.coef[0]).toBeCloseTo(-0.2322, 4);
  });

  it('with an L2 penalty the fit satisfies the optimality conditions exactly', () => {
    const { X, y } = synthetic(400, [1.5, -1, 0.3], -0.5, 11);
    const C = 0.05;
    const m = new LogisticRegression({ C }).fit(X, y);
    const p = m.predictProba(X);
    // d/d(intercept): sum(p - y) = 0; d/d(beta_j): sum((p - y) z_j) + beta_j / C = 0 (standardized z)
    let g0 = 0;
    for (let i = 0; i < y.length; i++) g0 += p[i]! - y[i]!;
    expect(Math.abs(g0)).toBeLessThan(1e-6);
    for (let j = 0; j < 3; j++) {
      let g = 0;
      for (let i = 0; i < y.length; i++)
        g += (p[i]! - y[i]!) * ((X.data[i * 3 + j]! - m.mean[j]!) / m.scale[j]!);
      expect(Math.abs(g + m.coef[j]! / C)).toBeLessThan(1e-6);
    }
    // and shrinks the coefficients relative to the unpenalized fit
    const free = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(X, y);
    for (let j = 0; j < 3; j++) expect(Math.abs(m.coef[j]!)).toBeLessThan(Math.abs(free.coef[j]!));
  });

  it('recovers known coefficients from a large deterministic sample', () => {
    const beta = [1, -2, 0.5, 0];
    const { X, y } = synthetic(20_000, beta, -1, 2024);
    const m = new LogisticRegression({ C: Number.POSITIVE_INFINITY }).fit(X, y);
    const raw = m.rawCoefficients();
    expect(raw.intercept).toBeCloseTo(-1, 1);
    beta.forEach((b, j) => {
      expect(Math.abs(raw.coef[j]! - b)).toBeLessThan(0.08);
    });
  });

  it('balanced class weights equalize the weighted residuals of the two classes', () => {
    const { X, y } = synthetic(2000, [1, 0.5], -2.5, 5);
    const m = new LogisticRegression({ classWeight: 'balanced' }).fit(X, y);
    const p = m.predictProba(X);
    const n1 = y.reduce((s, v) => s + v, 0);
    const n0 = y.length - n1;
    let r = 0;
    for (let i = 0; i < y.length; i++)
      r += (p[i]! - y[i]!) * (y[i] === 1 ? y.length / (2 * n1) : y.length / (2 * n0));
    expect(Math.abs(r)).toBeLessThan(1e-6);
    const mean = p.reduce((s, v) => s + v, 0) / p.length;
    expect(mean).toBeGreaterThan(n1 / y.length + 0.1); // shifted up: why calibration follows
  });

  it('explains a prediction as intercept + per-feature contributions, and survives a JSON round trip', () => {
    const { X, y } = synthetic(500, [2, -1, 0], 0, 8);
    const m = new LogisticRegression({ featureNames: ['usage_drop', 'nps', 'noise'] }).fit(X, y);
    const x = [1.2, -0.4, NaN];
    const e = m.explain(x);
    const sum = e.contributions.reduce((s, c) => s + c.contribution, e.baseLogOdds);
    expect(sum).toBeCloseTo(e.logOdds, 12);
    expect(e.probability).toBeCloseTo(m.predictProba(matrix([x]))[0]!, 12);
    expect(e.contributions[0]!.feature).toBe('usage_drop');
    expect(e.contributions.find((c) => c.feature === 'noise')!.contribution).toBe(0); // missing -> mean
    const back = loadModel(JSON.parse(JSON.stringify(m.toJSON())));
    expect([...back.predictProba(X)]).toEqual([...m.predictProba(X)]);
    expect(m.featureImportance()[0]).toMatchObject({ feature: 'usage_drop', direction: 1 });
  });

  it('L-BFGS (for wide data) reaches the same optimum as Newton', () => {
    const X = matrix(CHALLENGER.map(([t]) => [t]));
    const y = CHALLENGER.map(([, f]) => f);
    const raw = new LogisticRegression({ C: Number.POSITIVE_INFINITY, solver: 'lbfgs' })
      .fit(X, y)
      .rawCoefficients();
    expect(raw.intercept).toBeCloseTo(15.0429, 3);
    expect(raw.coef[0]).toBeCloseTo(-0.2322, 4);
    const beta = Array.from({ length: 30 }, (_, j) => (j % 3 === 0 ? 0.5 : j % 3 === 1 ? -0.3 : 0));
    const data = synthetic(3000, beta, -1, 99);
    const newton = new LogisticRegression({ C: 0.3, solver: 'newton' }).fit(data.X, data.y);
    const quasi = new LogisticRegression({ C: 0.3, solver: 'lbfgs' }).fit(data.X, data.y);
    expect(quasi.converged).toBe(true);
    expect(Math.abs(quasi.intercept - newton.intercept)).toBeLessThan(1e-5);
    for (let j = 0; j < 30; j++) expect(Math.abs(quasi.coef[j]! - newton.coef[j]!)).toBeLessThan(1e-5);
  });

  it('refuses bad input and foreign JSON', () => {
    expect(() => new LogisticRegression().fit(matrix([[1], [2]]), [0, 2])).toThrow(/0 or 1/);
    expect(() => LogisticRegression.load({ name: 'gradient-boosted-trees', version: 1 })).toThrow(
      /not a logistic/,
    );
    expect(() => LogisticRegression.load({ name: 'logistic-regression', version: 99 })).toThrow(/version 99/);
  });
});

describe('gradient-boosted trees against hand-computed trees', () => {
  const stumpOpts = {
    nEstimators: 1,
    learningRate: 1,
    maxDepth: 1,
    minSamplesLeaf: 1,
    lambda: 0,
    subsample: 1,
    validationFraction: 0,
  };

  it('a stump finds the exact split and Newton leaf values', () => {
    // base score logit(0.5) = 0; g = p - y = +-0.5, h = 0.25 -> leaves -G/H = -+2, split at x <= 3
    const X = matrix([
      [1, 5],
      [2, 1],
      [3, 4],
      [4, 2],
      [5, 6],
      [6, 3],
    ]);
    const y = [0, 0, 0, 1, 1, 1];
    const m = new GradientBoostedTrees(stumpOpts).fit(X, y);
    const t = m.trees[0]!;
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBe(3);
    expect(t.value[t.left[0]!]).toBeCloseTo(-2, 12);
    expect(t.value[t.right[0]!]).toBeCloseTo(2, 12);
    expect([...m.predictProba(X)].map((p) => +p.toFixed(6))).toEqual(
      [-2, -2, -2, 2, 2, 2].map((z) => +sigmoid(z).toFixed(6)),
    );
    expect(m.importance[0]).toBe(1);
  });

  it('a second round adds -1/sigmoid(2) on the left (hand-derived)', () => {
    const X = matrix([[1], [2], [3], [4], [5], [6]]);
    const y = [0, 0, 0, 1, 1, 1];
    const m = new GradientBoostedTrees({ ...stumpOpts, nEstimators: 2 }).fit(X, y);
    // after round 1, left rows: g = sigmoid(-2), h = sigmoid(-2) sigmoid(2) -> leaf -g/h = -1/sigmoid(2)
    const z = m.decisionFunction(matrix([[1], [6]]));
    expect(z[0]).toBeCloseTo(-2 - 1 / sigmoid(2), 10);
    expect(z[1]).toBeCloseTo(2 + 1 / sigmoid(2), 10);
  });

  it('lambda and the learning rate scale the leaves as -G / (H + lambda) * eta', () => {
    const X = matrix([[1], [2], [3], [4], [5], [6]]);
    const y = [0, 0, 0, 1, 1, 1];
    const m = new GradientBoostedTrees({ ...stumpOpts, lambda: 1, learningRate: 0.1 }).fit(X, y);
    const t = m.trees[0]!;
    expect(t.value[t.left[0]!]).toBeCloseTo((-1.5 / (0.75 + 1)) * 0.1, 12);
  });

  it('depth 2 learns XOR, which no single split can', () => {
    // Cell sizes differ so the root split has some gain (a perfectly balanced XOR gives every greedy
    // first split zero gain, in this learner as in XGBoost).
    const rows: number[][] = [];
    const y: number[] = [];
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 2; b++)
        for (let r = 0; r < (a && b ? 20 : 10); r++) {
          rows.push([a, b]);
          y.push(a ^ b);
        }
    const m = new GradientBoostedTrees({
      ...stumpOpts,
      nEstimators: 20,
      learningRate: 0.5,
      maxDepth: 2,
      lambda: 0.1,
    });
    m.fit(matrix(rows), y);
    const p = m.predictProba(
      matrix([
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]),
    );
    expect(p[0]).toBeLessThan(0.1);
    expect(p[1]).toBeGreaterThan(0.9);
    expect(p[2]).toBeGreaterThan(0.9);
    expect(p[3]).toBeLessThan(0.1);
  });

  it('respects min samples per leaf', () => {
    const X = matrix([[1], [2], [3], [4], [5], [6], [7], [8]]);
    const y = [1, 0, 0, 0, 0, 0, 0, 0];
    const m = new GradientBoostedTrees({ ...stumpOpts, minSamplesLeaf: 3 }).fit(X, y);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(3); // the best split (x <= 1) would leave 1 row on the left
  });

  it('sends missing values to the side that fits them', () => {
    const rows = [[1], [2], [3], [NaN], [NaN], [10], [11], [12]];
    const y = [0, 0, 0, 1, 1, 1, 1, 1];
    const m = new GradientBoostedTrees(stumpOpts).fit(matrix(rows), y);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(3);
    expect(t.missingLeft[0]).toBe(false);
    expect(m.predictProba(matrix([[NaN]]))[0]).toBeGreaterThan(0.5);
  });

  it('is reproducible for a seed, early-stops, ranks the informative feature first, and round-trips', () => {
    const { X, y } = synthetic(3000, [2, 0, -1, 0], -1, 77);
    const a = new GradientBoostedTrees({ nEstimators: 400, learningRate: 0.3, seed: 1 }).fit(X, y);
    const b = new GradientBoostedTrees({ nEstimators: 400, learningRate: 0.3, seed: 1 }).fit(X, y);
    expect([...a.predictProba(X)]).toEqual([...b.predictProba(X)]);
    expect(a.trees.length).toBeLessThan(400);
    expect(a.trees.length).toBe(a.bestIteration);
    expect(a.featureImportance()[0]!.feature).toBe('x0');
    expect(a.featureImportance()[1]!.feature).toBe('x2');
    expect(a.score(X, y)).toBeGreaterThan(0.8);
    const back = loadModel(JSON.parse(JSON.stringify(a.toJSON())));
    expect([...back.predictProba(X)]).toEqual([...a.predictProba(X)]);
  });

  it('explains a prediction: bias + per-feature path contributions = log-odds', () => {
    const { X, y } = synthetic(2000, [1.5, 0, -1], 0, 12);
    const m = new GradientBoostedTrees({
      nEstimators: 50,
      learningRate: 0.2,
      featureNames: ['a', 'b', 'c'],
    }).fit(X, y);
    for (const x of [
      [2, 0, -2],
      [-1, 1, 1],
      [0, NaN, 0.5],
    ]) {
      const e = m.explain(x);
      const sum = e.contributions.reduce((s, c) => s + c.contribution, e.baseLogOdds);
      expect(sum).toBeCloseTo(e.logOdds, 10);
      expect(e.logOdds).toBeCloseTo(m.decisionFunction(matrix([x]))[0]!, 10);
    }
    const hi = m.explain([2, 0, -2]).contributions;
    expect(hi.find((c) => c.feature === 'a')!.contribution).toBeGreaterThan(0);
    expect(hi.find((c) => c.feature === 'c')!.contribution).toBeGreaterThan(0);
    expect(m.explain([2, 0, -2]).baseLogOdds).toBeCloseTo(m.explain([-2, 0, 2]).baseLogOdds, 12);
  });

  it('matches logistic regression on data that is logistic-linear (sanity)', () => {
    const train = synthetic(4000, [1, -1, 0.5], 0, 3);
    const test = synthetic(4000, [1, -1, 0.5], 0, 4);
    const lr = new LogisticRegression().fit(train.X, train.y);
    const gbt = new GradientBoostedTrees().fit(train.X, train.y);
    expect(gbt.score(test.X, test.y)).toBeGreaterThan(lr.score(test.X, test.y) - 0.02);
  });
});

describe('calibration', () => {
  it('isotonic regression by PAV (hand-computed)', () => {
    // y = 0, 1, 0, 1 at p = .1 .2 .3 .4: the middle pair pools to 0.5 at x = 0.25
    const c = IsotonicCalibrator.fit([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    expect(c.xs).toEqual([0.1, 0.25, 0.4]);
    expect(c.ys).toEqual([0, 0.5, 1]);
    expect(c.transform(0.05)).toBe(0);
    expect(c.transform(0.175)).toBeCloseTo(0.25, 12);
    expect(c.transform(0.9)).toBe(1);
  });

  it('isotonic output is monotone', () => {
    const rng = new Prng(3);
    const p = Array.from({ length: 500 }, () => rng.next());
    const y = p.map((v) => (rng.next() < v * v ? 1 : 0));
    const c = IsotonicCalibrator.fit(p, y);
    for (let i = 1; i < c.ys.length; i++) expect(c.ys[i]!).toBeGreaterThanOrEqual(c.ys[i - 1]!);
  });

  it('Platt scaling recovers a known distortion of the log-odds', () => {
    const rng = new Prng(21);
    const p: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const s = rng.normal() * 1.5;
      p.push(sigmoid(s));
      y.push(rng.next() < sigmoid(0.5 * s - 1) ? 1 : 0);
    }
    const c = PlattCalibrator.fit(p, y);
    expect(c.a).toBeCloseTo(0.5, 1);
    expect(c.b).toBeCloseTo(-1, 1);
  });

  it('a calibrated model fixes probabilities shifted by class weighting, keeps the ranking, round-trips', () => {
    const train = synthetic(3000, [1.2, -0.8], -2, 31);
    const held = synthetic(3000, [1.2, -0.8], -2, 32);
    const test = synthetic(3000, [1.2, -0.8], -2, 33);
    const raw = new LogisticRegression({ classWeight: 'balanced' }).fit(train.X, train.y);
    const cal = new CalibratedClassifier(LogisticRegression.load(raw.toJSON()), 'platt').calibrate(
      held.X,
      held.y,
    );
    const pr = raw.predictProba(test.X);
    const pc = cal.predictProba(test.X);
    expect(brier(test.y, pc)).toBeLessThan(brier(test.y, pr));
    expect(rocAuc(test.y, pc)).toBeCloseTo(rocAuc(test.y, pr), 10);
    const back = loadModel(JSON.parse(JSON.stringify(cal.toJSON())));
    expect([...back.predictProba(test.X)]).toEqual([...pc]);
    const iso = new CalibratedClassifier(new GradientBoostedTrees({ nEstimators: 50 }), 'isotonic');
    iso.fit(train.X, train.y).calibrate(held.X, held.y);
    expect([...loadModel(JSON.parse(JSON.stringify(iso.toJSON()))).predictProba(test.X)]).toEqual([
      ...iso.predictProba(test.X),
    ]);
  });
});

describe('scale', () => {
  it('fits and splits 200,000 rows without exhausting the call stack', () => {
    const n = 200_000;
    const data = new Float64Array(n);
    const y = new Uint8Array(n);
    const rng = new Prng(1);
    for (let i = 0; i < n; i++) {
      data[i] = rng.normal();
      y[i] = rng.next() < sigmoid(data[i]!) ? 1 : 0;
    }
    const X = { rows: n, cols: 1, data };
    const m = new GradientBoostedTrees({ nEstimators: 3, validationFraction: 0.1 }).fit(X, y);
    expect(m.trees.length).toBe(3);
    expect(new LogisticRegression().fit(X, y).score(X, y)).toBeGreaterThan(0.6);
  });
});
