/**
 * L2-regularized logistic regression, fitted by Newton's method (IRLS) with step halving.
 *
 * Features are standardized with the training mean and standard deviation; the penalty (1 / C) applies to the
 * standardized coefficients, never to the intercept. The objective minimized is
 *   sum_i w_i * logloss(y_i, p_i) + (1 / 2C) * ||beta||^2
 * so C = Infinity is the plain maximum-likelihood fit. Missing values (NaN) are replaced by the training mean
 * (zero in standardized units). Newton costs O(n d^2) per iteration, fine up to a few hundred features.
 */
import { type Matrix, sigmoid, solveSpd } from './matrix';
import { rocAuc } from './metrics';
import {
  balancedWeights,
  type Classifier,
  checkJson,
  checkXy,
  type ModelJson,
  thresholdPredict,
} from './model';

export type ClassWeight = 'none' | 'balanced' | { 0: number; 1: number };

export interface LogisticOptions {
  /** Inverse regularization strength on standardized coefficients (default 1; Infinity = unpenalized). */
  C?: number;
  /**
   * 'balanced' reweights classes to equal total weight (better recall at 0.5, but probabilities are then
   * shifted: calibrate afterwards). Default 'none' keeps probabilities honest.
   */
  classWeight?: ClassWeight;
  maxIter?: number;
  tol?: number;
  /**
   * 'newton' (exact, O(n d^2) per step), 'lbfgs' (O(n d) per step, for wide data), or 'auto' (default:
   * Newton up to 250 features, L-BFGS beyond).
   */
  solver?: 'auto' | 'newton' | 'lbfgs';
  featureNames?: string[];
}

export interface Contribution {
  feature: string;
  value: number;
  /** Change in log-odds relative to an account at the training mean of this feature. */
  contribution: number;
}

export interface Explanation {
  /** Log-odds of the average account (the intercept in standardized units). */
  baseLogOdds: number;
  logOdds: number;
  probability: number;
  contributions: Contribution[];
}

export class LogisticRegression implements Classifier {
  static readonly NAME = 'logistic-regression';
  static readonly VERSION = 1;
  readonly name = LogisticRegression.NAME;
  readonly options: Required<Omit<LogisticOptions, 'featureNames'>>;
  featureNames: string[] = [];
  mean = new Float64Array(0);
  scale = new Float64Array(0);
  /** Coefficients on standardized features. */
  coef = new Float64Array(0);
  intercept = 0;
  iterations = 0;
  converged = false;

  constructor(opts: LogisticOptions = {}) {
    this.options = {
      C: opts.C ?? 1,
      classWeight: opts.classWeight ?? 'none',
      maxIter: opts.maxIter ?? 100,
      tol: opts.tol ?? 1e-9,
      solver: opts.solver ?? 'auto',
    };
    if (opts.featureNames) this.featureNames = [...opts.featureNames];
  }

  fit(X: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): this {
    checkXy(X, y, weights);
    const n = X.rows;
    const d = X.cols;
    if (this.featureNames.length !== d) this.featureNames = Array.from({ length: d }, (_, j) => `x${j}`);
    const cw = this.options.classWeight;
    const { w0, w1 } =
      cw === 'none' ? { w0: 1, w1: 1 } : cw === 'balanced' ? balancedWeights(y) : { w0: cw[0], w1: cw[1] };
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = (weights ? weights[i]! : 1) * (y[i] === 1 ? w1 : w0);

    // Standardize (unweighted mean and sd over non-missing values).
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) {
          s += v;
          c++;
        }
      }
      const m = c > 0 ? s / c : 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) ss += (v - m) ** 2;
      }
      const sd = c > 1 ? Math.sqrt(ss / c) : 0;
      mean[j] = m;
      scale[j] = sd > 1e-12 ? sd : 1;
    }
    this.mean = mean;
    this.scale = scale;
    const Z = this.standardize(X);

    const lambda = Number.isFinite(this.options.C) ? 1 / this.options.C : 0;
    const p1 = d + 1; // parameter 0 is the intercept
    const beta = new Float64Array(p1);
    let sw = 0;
    let swy = 0;
    for (let i = 0; i < n; i++) {
      sw += w[i]!;
      swy += w[i]! * y[i]!;
    }
    const base = Math.min(1 - 1e-6, Math.max(1e-6, swy / sw));
    beta[0] = Math.log(base / (1 - base));

    const eta = new Float64Array(n);
    const objective = (b: Float64Array): number => {
      let f = 0;
      for (let i = 0; i < n; i++) {
        let z = b[0]!;
        const off = i * d;
        for (let j = 0; j < d; j++) z += b[j + 1]! * Z[off + j]!;
        eta[i] = z;
        // log(1 + e^z) - y z, computed stably
        const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        f += w[i]! * (sp - y[i]! * z);
      }
      for (let j = 1; j < p1; j++) f += 0.5 * lambda * b[j]! ** 2;
      return f;
    };

    let f = objective(beta);
    this.converged = false;
    let it = 0;
    const solver = this.options.solver === 'auto' ? (d > 250 ? 'lbfgs' : 'newton') : this.options.solver;
    if (solver === 'lbfgs') {
      const r = lbfgs(
        beta,
        f,
        objective,
        (b, out) => {
          // eta is current for b (objective was just evaluated at b)
          out.fill(0);
          for (let i = 0; i < n; i++) {
            const r0 = w[i]! * (sigmoid(eta[i]!) - y[i]!);
            out[0]! += r0;
            const off = i * d;
            for (let j = 0; j < d; j++) out[j + 1]! += r0 * Z[off + j]!;
          }
          for (let a = 1; a < p1; a++) out[a]! += lambda * b[a]!;
        },
        Math.max(this.options.maxIter, 1000),
        1e-7 * Math.max(1, sw),
      );
      this.iterations = r.iterations;
      this.converged = r.converged;
      this.intercept = beta[0]!;
      this.coef = beta.slice(1);
      return this;
    }
    const grad = new Float64Array(p1);
    const hess = new Float64Array(p1 * p1);
    const zi = new Float64Array(p1);
    for (; it < this.options.maxIter; it++) {
      grad.fill(0);
      hess.fill(0);
      for (let i = 0; i < n; i++) {
        const p = sigmoid(eta[i]!);
        const r = w[i]! * (p - y[i]!);
        const h = w[i]! * p * (1 - p);
        zi[0] = 1;
        const off = i * d;
        for (let j = 0; j < d; j++) zi[j + 1] = Z[off + j]!;
        for (let a = 0; a < p1; a++) {
          const za = zi[a]!;
          if (za === 0) continue;
          grad[a]! += r * za;
          const hz = h * za;
          const rowOff = a * p1;
          for (let b = a; b < p1; b++) hess[rowOff + b]! += hz * zi[b]!;
        }
      }
      for (let a = 1; a < p1; a++) {
        grad[a]! += lambda * beta[a]!;
        hess[a * p1 + a]! += lambda;
      }
      for (let a = 0; a < p1; a++) for (let b = 0; b < a; b++) hess[a * p1 + b] = hess[b * p1 + a]!;
      const step = solveSpd(hess, grad, p1);
      if (!step) break;
      // Newton decrement: converged when the predicted decrease is negligible.
      let dec = 0;
      for (let a = 0; a < p1; a++) dec += grad[a]! * step[a]!;
      let t = 1;
      const cand = new Float64Array(p1);
      let fNew = f;
      for (let half = 0; half < 40; half++) {
        for (let a = 0; a < p1; a++) cand[a] = beta[a]! - t * step[a]!;
        fNew = objective(cand);
        if (fNew <= f - 1e-4 * t * dec || fNew <= f) break;
        t /= 2;
      }
      if (!(fNew <= f)) {
        objective(beta); // restore eta
        this.converged = dec / 2 < this.options.tol * Math.max(1, Math.abs(f));
        break;
      }
      beta.set(cand);
      const df = f - fNew;
      f = fNew;
      if (dec / 2 < this.options.tol * Math.max(1, Math.abs(f)) || df < 1e-14 * Math.max(1, Math.abs(f))) {
        this.converged = true;
        it++;
        break;
      }
    }
    this.iterations = it;
    this.intercept = beta[0]!;
    this.coef = beta.slice(1);
    return this;
  }

  private standardize(X: Matrix): Float64Array {
    const d = X.cols;
    if (d !== this.mean.length) throw new Error(`model expects ${this.mean.length} features, got ${d}`);
    const Z = new Float64Array(X.rows * d);
    for (let i = 0; i < X.rows; i++) {
      for (let j = 0; j < d; j++) {
        const v = X.data[i * d + j]!;
        Z[i * d + j] = Number.isNaN(v) ? 0 : (v - this.mean[j]!) / this.scale[j]!;
      }
    }
    return Z;
  }

  decisionFunction(X: Matrix): Float64Array {
    const d = X.cols;
    if (d !== this.coef.length) throw new Error(`model expects ${this.coef.length} features, got ${d}`);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let z = this.intercept;
      for (let j = 0; j < d; j++) {
        const v = X.data[i * d + j]!;
        if (!Number.isNaN(v)) z += (this.coef[j]! * (v - this.mean[j]!)) / this.scale[j]!;
      }
      out[i] = z;
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    return this.decisionFunction(X).map(sigmoid);
  }

  predict(X: Matrix, threshold = 0.5): Uint8Array {
    return thresholdPredict(this.predictProba(X), threshold);
  }

  score(X: Matrix, y: ArrayLike<number>): number {
    return rocAuc(y, this.predictProba(X));
  }

  /** Coefficients in the features' own units (what a plain, unstandardized fit would report). */
  rawCoefficients(): { intercept: number; coef: Float64Array } {
    const coef = this.coef.map((b, j) => b / this.scale[j]!);
    let intercept = this.intercept;
    for (let j = 0; j < coef.length; j++) intercept -= coef[j]! * this.mean[j]!;
    return { intercept, coef };
  }

  /** Per-feature contributions to one row's log-odds, largest magnitude first. */
  explain(x: ArrayLike<number>): Explanation {
    const contributions: Contribution[] = [];
    let z = this.intercept;
    for (let j = 0; j < this.coef.length; j++) {
      const v = x[j]!;
      const c = Number.isNaN(v) ? 0 : (this.coef[j]! * (v - this.mean[j]!)) / this.scale[j]!;
      z += c;
      contributions.push({ feature: this.featureNames[j] ?? `x${j}`, value: v, contribution: c });
    }
    contributions.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { baseLogOdds: this.intercept, logOdds: z, probability: sigmoid(z), contributions };
  }

  /** Features ranked by |standardized coefficient| (log-odds per one standard deviation), with direction. */
  featureImportance(): { feature: string; importance: number; direction: 1 | -1 }[] {
    return [...this.coef]
      .map((b, j) => ({
        feature: this.featureNames[j] ?? `x${j}`,
        importance: Math.abs(b),
        direction: (b >= 0 ? 1 : -1) as 1 | -1,
      }))
      .sort((a, b) => b.importance - a.importance);
  }

  toJSON(): ModelJson {
    return {
      name: this.name,
      version: LogisticRegression.VERSION,
      options: { ...this.options, C: Number.isFinite(this.options.C) ? this.options.C : 'Infinity' },
      featureNames: this.featureNames,
      mean: [...this.mean],
      scale: [...this.scale],
      coef: [...this.coef],
      intercept: this.intercept,
      iterations: this.iterations,
      converged: this.converged,
    };
  }

  static load(json: unknown): LogisticRegression {
    const j = checkJson(json, LogisticRegression.NAME, LogisticRegression.VERSION) as ModelJson & {
      options: { C: number | string; classWeight: ClassWeight; maxIter: number; tol: number };
      featureNames: string[];
      mean: number[];
      scale: number[];
      coef: number[];
      intercept: number;
      iterations: number;
      converged: boolean;
    };
    if (j.coef.length !== j.mean.length || j.coef.length !== j.scale.length)
      throw new Error('logistic-regression: inconsistent parameter lengths');
    const m = new LogisticRegression({
      ...j.options,
      C: j.options.C === 'Infinity' ? Number.POSITIVE_INFINITY : Number(j.options.C),
      featureNames: j.featureNames,
    });
    m.mean = Float64Array.from(j.mean);
    m.scale = Float64Array.from(j.scale);
    m.coef = Float64Array.from(j.coef);
    m.intercept = j.intercept;
    m.iterations = j.iterations;
    m.converged = j.converged;
    return m;
  }
}

/**
 * Limited-memory BFGS (10 pairs) with a backtracking Armijo line search, minimizing in place from x.
 * `f(x)` must be evaluated before `grad(x, out)` for the same x (the logistic objective caches the margins).
 */
const lbfgs = (
  x: Float64Array,
  f0: number,
  f: (x: Float64Array) => number,
  grad: (x: Float64Array, out: Float64Array) => void,
  maxIter: number,
  gtol: number,
): { iterations: number; converged: boolean } => {
  const n = x.length;
  const m = 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let fx = f0;
  const g = new Float64Array(n);
  grad(x, g);
  const dir = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
    return s;
  };
  const gmax = (): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v = Math.max(v, Math.abs(g[i]!));
    return v;
  };
  for (let it = 0; it < maxIter; it++) {
    if (gmax() < gtol) return { iterations: it, converged: true };
    // two-loop recursion: dir = -H g
    dir.set(g);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(S[k]!, dir);
      for (let i = 0; i < n; i++) dir[i]! -= alpha[k]! * Y[k]![i]!;
    }
    const gamma =
      S.length > 0
        ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!)
        : 1 / Math.max(1, gmax());
    for (let i = 0; i < n; i++) dir[i]! *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dot(Y[k]!, dir);
      for (let i = 0; i < n; i++) dir[i]! += S[k]![i]! * (alpha[k]! - beta);
    }
    for (let i = 0; i < n; i++) dir[i] = -dir[i]!;
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      // not a descent direction: restart from steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i]! / Math.max(1, gmax());
      slope = dot(g, dir);
    }
    let t = 1;
    let fNew = fx;
    let ok = false;
    for (let ls = 0; ls < 50; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * dir[i]!;
      fNew = f(xNew);
      if (fNew <= fx + 1e-4 * t * slope) {
        ok = true;
        break;
      }
      t /= 2;
    }
    if (!ok) {
      f(x); // restore cached state
      return { iterations: it, converged: gmax() < gtol * 100 };
    }
    grad(xNew, gNew);
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      yv[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    const df = fx - fNew;
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (df >= 0 && df < 1e-15 * Math.max(1, Math.abs(fx)))
      return { iterations: it + 1, converged: gmax() < gtol * 100 };
  }
  return { iterations: maxIter, converged: gmax() < gtol };
};
