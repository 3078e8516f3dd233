/**
 * Probability calibration fitted on held-out predictions: Platt scaling (a logistic curve on the model's
 * log-odds) and isotonic regression (pool-adjacent-violators, a monotone step function interpolated
 * linearly between block centres). `CalibratedClassifier` wraps any model with either.
 */
import { logit, type Matrix, sigmoid, solveSpd } from './matrix';
import { rocAuc } from './metrics';
import { type Classifier, checkJson, type ModelJson, thresholdPredict } from './model';

export interface Calibrator {
  readonly kind: 'platt' | 'isotonic';
  transform(p: number): number;
  toJSON(): { kind: string; [k: string]: unknown };
}

/**
 * Platt scaling: P(y=1 | s) = sigmoid(a * logit(p) + b), fitted by Newton's method on the log loss. With
 * `smoothTargets` (Platt 1999) the 0/1 targets become (N+ + 1)/(N+ + 2) and 1/(N- + 2), which guards
 * against overconfidence on small calibration sets.
 */
export class PlattCalibrator implements Calibrator {
  readonly kind = 'platt';
  constructor(
    public a = 1,
    public b = 0,
  ) {}

  static fit(
    p: ArrayLike<number>,
    y: ArrayLike<number>,
    opts: { smoothTargets?: boolean } = {},
  ): PlattCalibrator {
    const n = p.length;
    let nPos = 0;
    for (let i = 0; i < n; i++) nPos += y[i]!;
    const nNeg = n - nPos;
    const hi = opts.smoothTargets ? (nPos + 1) / (nPos + 2) : 1;
    const lo = opts.smoothTargets ? 1 / (nNeg + 2) : 0;
    const s = Float64Array.from({ length: n }, (_, i) => logit(p[i]!));
    const t = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? hi : lo));
    let a = 1;
    let b = 0;
    const loss = (A: number, B: number): number => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        const z = A * s[i]! + B;
        const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        f += sp - t[i]! * z;
      }
      return f;
    };
    let f = loss(a, b);
    for (let it = 0; it < 100; it++) {
      let ga = 0;
      let gb = 0;
      let haa = 1e-12;
      let hab = 0;
      let hbb = 1e-12;
      for (let i = 0; i < n; i++) {
        const q = sigmoid(a * s[i]! + b);
        const r = q - t[i]!;
        const w = q * (1 - q);
        ga += r * s[i]!;
        gb += r;
        haa += w * s[i]! * s[i]!;
        hab += w * s[i]!;
        hbb += w;
      }
      const step = solveSpd(Float64Array.of(haa, hab, hab, hbb), Float64Array.of(ga, gb), 2);
      if (!step) break;
      let k = 1;
      let fNew = f;
      for (let half = 0; half < 40; half++) {
        fNew = loss(a - k * step[0]!, b - k * step[1]!);
        if (fNew <= f) break;
        k /= 2;
      }
      if (!(fNew <= f)) break;
      a -= k * step[0]!;
      b -= k * step[1]!;
      const done = f - fNew < 1e-12 * Math.max(1, f);
      f = fNew;
      if (done) break;
    }
    return new PlattCalibrator(a, b);
  }

  transform(p: number): number {
    return sigmoid(this.a * logit(p) + this.b);
  }

  toJSON(): { kind: string; a: number; b: number } {
    return { kind: this.kind, a: this.a, b: this.b };
  }
}

/** Isotonic (monotone non-decreasing) regression by pool-adjacent-violators. */
export class IsotonicCalibrator implements Calibrator {
  readonly kind = 'isotonic';
  /** Block centres (x) and fitted values (y), x strictly increasing. */
  constructor(
    public xs: number[] = [],
    public ys: number[] = [],
  ) {}

  static fit(p: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): IsotonicCalibrator {
    const idx = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
    // Merge equal x first so ties share one value.
    const bx: number[] = [];
    const by: number[] = [];
    const bw: number[] = [];
    for (const i of idx) {
      const w = weights ? weights[i]! : 1;
      const last = bx.length - 1;
      if (last >= 0 && bx[last] === p[i]) {
        by[last] = (by[last]! * bw[last]! + y[i]! * w) / (bw[last]! + w);
        bw[last]! += w;
      } else {
        bx.push(p[i]!);
        by.push(y[i]!);
        bw.push(w);
      }
    }
    // PAV: blocks with mean value, weight, and the weighted mean of their x.
    const mv: number[] = [];
    const mw: number[] = [];
    const mx: number[] = [];
    for (let i = 0; i < bx.length; i++) {
      mv.push(by[i]!);
      mw.push(bw[i]!);
      mx.push(bx[i]!);
      while (mv.length > 1 && mv[mv.length - 2]! > mv[mv.length - 1]!) {
        const v2 = mv.pop()!;
        const w2 = mw.pop()!;
        const x2 = mx.pop()!;
        const k = mv.length - 1;
        const w = mw[k]! + w2;
        mv[k] = (mv[k]! * mw[k]! + v2 * w2) / w;
        mx[k] = (mx[k]! * mw[k]! + x2 * w2) / w;
        mw[k] = w;
      }
    }
    return new IsotonicCalibrator(mx, mv);
  }

  transform(p: number): number {
    const { xs, ys } = this;
    if (xs.length === 0) return p;
    if (p <= xs[0]!) return ys[0]!;
    if (p >= xs[xs.length - 1]!) return ys[ys.length - 1]!;
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= p) lo = mid;
      else hi = mid;
    }
    const t = (p - xs[lo]!) / (xs[hi]! - xs[lo]!);
    return ys[lo]! + t * (ys[hi]! - ys[lo]!);
  }

  toJSON(): { kind: string; xs: number[]; ys: number[] } {
    return { kind: this.kind, xs: this.xs, ys: this.ys };
  }
}

export const loadCalibrator = (json: unknown): Calibrator => {
  const j = json as { kind?: string; a?: number; b?: number; xs?: number[]; ys?: number[] };
  if (j?.kind === 'platt') return new PlattCalibrator(Number(j.a), Number(j.b));
  if (j?.kind === 'isotonic' && Array.isArray(j.xs) && Array.isArray(j.ys))
    return new IsotonicCalibrator(j.xs, j.ys);
  throw new Error(`unknown calibrator ${JSON.stringify(j?.kind)}`);
};

/**
 * A fitted base model plus a calibrator fitted on predictions for rows the base model did not see.
 * `fit` here splits nothing: fit the base model, then call `calibrate` on a held-out slice.
 */
export class CalibratedClassifier implements Classifier {
  static readonly NAME = 'calibrated';
  static readonly VERSION = 1;
  readonly name = CalibratedClassifier.NAME;
  calibrator: Calibrator | null = null;

  constructor(
    readonly base: Classifier,
    private readonly method: 'platt' | 'isotonic' = 'platt',
  ) {}

  fit(X: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): this {
    this.base.fit(X, y, weights);
    this.calibrator = null;
    return this;
  }

  /** Fits the calibrator on held-out rows (never the rows the base model was fitted on). */
  calibrate(Xheld: Matrix, yHeld: ArrayLike<number>): this {
    const p = this.base.predictProba(Xheld);
    this.calibrator =
      this.method === 'platt'
        ? PlattCalibrator.fit(p, yHeld, { smoothTargets: true })
        : IsotonicCalibrator.fit(p, yHeld);
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    const p = this.base.predictProba(X);
    const c = this.calibrator;
    return c ? p.map((v) => c.transform(v)) : p;
  }

  predict(X: Matrix, threshold = 0.5): Uint8Array {
    return thresholdPredict(this.predictProba(X), threshold);
  }

  score(X: Matrix, y: ArrayLike<number>): number {
    return rocAuc(y, this.predictProba(X));
  }

  toJSON(): ModelJson {
    return {
      name: this.name,
      version: CalibratedClassifier.VERSION,
      method: this.method,
      base: this.base.toJSON(),
      calibrator: this.calibrator?.toJSON() ?? null,
    };
  }

  static load(json: unknown, loadBase: (j: unknown) => Classifier): CalibratedClassifier {
    const j = checkJson(json, CalibratedClassifier.NAME, CalibratedClassifier.VERSION) as ModelJson & {
      method: 'platt' | 'isotonic';
      base: unknown;
      calibrator: unknown;
    };
    const m = new CalibratedClassifier(loadBase(j.base), j.method);
    m.calibrator = j.calibrator ? loadCalibrator(j.calibrator) : null;
    return m;
  }
}
