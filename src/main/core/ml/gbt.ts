/**
 * Gradient-boosted decision trees for binary classification (logistic loss), written for this app.
 *
 * - Features are binned once into at most `maxBins` quantile bins (plus one bin for missing values); split
 *   search scans per-node gradient/hessian histograms, with the sibling histogram obtained by subtraction.
 * - Trees are grown depth-wise to `maxDepth`; leaf value = -G / (H + lambda) times the learning rate
 *   (second-order step as in XGBoost); a split needs `minSamplesLeaf` rows and `minChildWeight` hessian on
 *   each side. Missing values go to whichever side gives the larger gain.
 * - Row subsampling per tree and column subsampling use a seeded PRNG, so a fit is reproducible.
 * - Early stopping: a stratified inner validation split; boosting stops when its log loss has not improved
 *   for `earlyStoppingRounds` and the trees after the best round are dropped.
 * - Feature importance = total split gain per feature, normalized to sum to 1.
 */
import { type Matrix, sigmoid } from './matrix';
import { rocAuc } from './metrics';
import {
  balancedWeights,
  type Classifier,
  checkJson,
  checkXy,
  type ModelJson,
  thresholdPredict,
} from './model';
import { Prng } from './prng';
import { stratifiedHoldout } from './split';

export interface GbtOptions {
  nEstimators?: number;
  learningRate?: number;
  maxDepth?: number;
  minSamplesLeaf?: number;
  minChildWeight?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
  /** Minimum gain to make a split. */
  gamma?: number;
  subsample?: number;
  colsample?: number;
  maxBins?: number;
  seed?: number;
  /** Share of the training rows held out for early stopping (0 = no early stopping). */
  validationFraction?: number;
  earlyStoppingRounds?: number;
  classWeight?: 'none' | 'balanced';
  featureNames?: string[];
}

/** Flat tree: node k is a leaf when feature[k] === -1. */
export interface Tree {
  feature: number[];
  threshold: number[];
  missingLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
}

type ResolvedOptions = Required<Omit<GbtOptions, 'featureNames'>>;

const DEFAULTS: ResolvedOptions = {
  nEstimators: 300,
  learningRate: 0.05,
  maxDepth: 3,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  lambda: 1,
  gamma: 0,
  subsample: 0.8,
  colsample: 1,
  maxBins: 255,
  seed: 42,
  validationFraction: 0.1,
  earlyStoppingRounds: 30,
  classWeight: 'none',
};

/** Quantile bin edges for one feature: a value v falls in the first bin i with v <= edges[i]. */
export const binEdges = (values: ArrayLike<number>, maxBins: number): number[] => {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) v.push(values[i]!);
  v.sort((a, b) => a - b);
  const uniq: number[] = [];
  for (const x of v) if (uniq.length === 0 || uniq[uniq.length - 1] !== x) uniq.push(x);
  if (uniq.length <= maxBins) return uniq.slice(0, -1);
  const edges: number[] = [];
  for (let k = 1; k < maxBins; k++) {
    const e = v[Math.min(v.length - 1, Math.floor((k * v.length) / maxBins))]!;
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  if (edges[edges.length - 1] === uniq[uniq.length - 1]) edges.pop();
  return edges;
};

const findBin = (edges: number[], x: number): number => {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
}

export class GradientBoostedTrees implements Classifier {
  static readonly NAME = 'gradient-boosted-trees';
  static readonly VERSION = 1;
  readonly name = GradientBoostedTrees.NAME;
  readonly options: ResolvedOptions;
  featureNames: string[] = [];
  baseScore = 0;
  trees: Tree[] = [];
  /** Normalized total gain per feature. */
  importance = new Float64Array(0);
  /** Validation log loss per round when early stopping ran (for the model card / diagnostics). */
  validationCurve: number[] = [];
  bestIteration = 0;

  constructor(opts: GbtOptions = {}) {
    const { featureNames, ...rest } = opts;
    this.options = { ...DEFAULTS };
    for (const [k, v] of Object.entries(rest))
      if (v !== undefined) (this.options as Record<string, unknown>)[k] = v;
    if (this.options.maxBins < 2 || this.options.maxBins > 255)
      throw new Error('maxBins must be between 2 and 255');
    if (featureNames) this.featureNames = [...featureNames];
  }

  fit(X: Matrix, y: ArrayLike<number>, weights?: ArrayLike<number>): this {
    checkXy(X, y, weights);
    const o = this.options;
    const n = X.rows;
    const d = X.cols;
    if (this.featureNames.length !== d) this.featureNames = Array.from({ length: d }, (_, j) => `x${j}`);
    const rng = new Prng(o.seed);
    const { w0, w1 } = o.classWeight === 'balanced' ? balancedWeights(y) : { w0: 1, w1: 1 };
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = (weights ? weights[i]! : 1) * (y[i] === 1 ? w1 : w0);

    // Inner validation split for early stopping.
    let trainIdx: Int32Array;
    let valIdx: Int32Array;
    let pos = 0;
    for (let i = 0; i < n; i++) pos += y[i]!;
    if (o.validationFraction > 0 && o.earlyStoppingRounds > 0 && n >= 50 && pos >= 5 && n - pos >= 5) {
      const h = stratifiedHoldout(y, o.validationFraction, o.seed + 1);
      trainIdx = h.train;
      valIdx = h.holdout;
    } else {
      trainIdx = Int32Array.from({ length: n }, (_, i) => i);
      valIdx = new Int32Array(0);
    }
    const nt = trainIdx.length;

    // Bin the training rows (row-major, one byte per value; the last bin of each feature means missing).
    const edges: number[][] = [];
    const nBins = new Int32Array(d); // value bins + 1 missing bin
    const binOffset = new Int32Array(d + 1);
    const col = new Float64Array(nt);
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < nt; k++) col[k] = X.data[trainIdx[k]! * d + j]!;
      const sample = nt > 200_000 ? Array.from({ length: 200_000 }, () => col[rng.int(nt)]!) : col;
      edges.push(binEdges(sample, o.maxBins));
      nBins[j] = edges[j]!.length + 2;
      binOffset[j + 1] = binOffset[j]! + nBins[j]!;
    }
    const totalBins = binOffset[d]!;
    const bins = new Uint8Array(nt * d);
    for (let k = 0; k < nt; k++) {
      const off = trainIdx[k]! * d;
      for (let j = 0; j < d; j++) {
        const v = X.data[off + j]!;
        bins[k * d + j] = Number.isNaN(v) ? nBins[j]! - 1 : findBin(edges[j]!, v);
      }
    }
    const yt = new Float64Array(nt);
    const wt = new Float64Array(nt);
    let sw = 0;
    let swy = 0;
    for (let k = 0; k < nt; k++) {
      yt[k] = y[trainIdx[k]!]!;
      wt[k] = w[trainIdx[k]!]!;
      sw += wt[k]!;
      swy += wt[k]! * yt[k]!;
    }
    const base = Math.min(1 - 1e-6, Math.max(1e-6, swy / sw));
    this.baseScore = Math.log(base / (1 - base));
    const F = new Float64Array(nt).fill(this.baseScore);
    const Fv = new Float64Array(valIdx.length).fill(this.baseScore);
    const g = new Float64Array(nt);
    const h = new Float64Array(nt);
    const gainByFeature = new Float64Array(d);
    this.trees = [];
    this.validationCurve = [];
    let best = Number.POSITIVE_INFINITY;
    let bestRound = 0;
    const valLoss = (): number => {
      let s = 0;
      let ws = 0;
      for (let k = 0; k < valIdx.length; k++) {
        const i = valIdx[k]!;
        const z = Fv[k]!;
        const sp = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        s += w[i]! * (sp - y[i]! * z);
        ws += w[i]!;
      }
      return s / ws;
    };
    const gainsPerTree: Float64Array[] = [];

    for (let round = 0; round < o.nEstimators; round++) {
      for (let k = 0; k < nt; k++) {
        const p = sigmoid(F[k]!);
        g[k] = wt[k]! * (p - yt[k]!);
        h[k] = wt[k]! * p * (1 - p);
      }
      let rows: Int32Array;
      if (o.subsample < 1) {
        const pick: number[] = [];
        for (let k = 0; k < nt; k++) if (rng.next() < o.subsample) pick.push(k);
        rows = Int32Array.from(pick);
      } else rows = Int32Array.from({ length: nt }, (_, k) => k);
      let features: number[] = Array.from({ length: d }, (_, j) => j);
      if (o.colsample < 1) {
        features = rng.shuffle(features).slice(0, Math.max(1, Math.round(d * o.colsample)));
        features.sort((a, b) => a - b);
      }
      const treeGain = new Float64Array(d);
      const binThr: number[] = [];
      const tree = this.growTree(
        rows,
        bins,
        d,
        g,
        h,
        nBins,
        binOffset,
        totalBins,
        features,
        edges,
        treeGain,
        binThr,
      );
      this.trees.push(tree);
      gainsPerTree.push(treeGain);
      for (let k = 0; k < nt; k++) F[k]! += predictBinnedTree(tree, binThr, bins, k * d, nBins);
      if (valIdx.length > 0) {
        for (let k = 0; k < valIdx.length; k++) Fv[k]! += predictTree(tree, X.data, valIdx[k]! * d);
        const loss = valLoss();
        this.validationCurve.push(loss);
        if (loss < best - 1e-12) {
          best = loss;
          bestRound = round + 1;
        } else if (round + 1 - bestRound >= o.earlyStoppingRounds) break;
      } else bestRound = round + 1;
    }
    this.trees = this.trees.slice(0, bestRound);
    this.bestIteration = bestRound;
    for (let t = 0; t < bestRound; t++) for (let j = 0; j < d; j++) gainByFeature[j]! += gainsPerTree[t]![j]!;
    const totalGain = gainByFeature.reduce((s, x) => s + x, 0);
    this.importance = gainByFeature.map((x) => (totalGain > 0 ? x / totalGain : 0));
    return this;
  }

  private growTree(
    rootRows: Int32Array,
    bins: Uint8Array,
    d: number,
    g: Float64Array,
    h: Float64Array,
    nBins: Int32Array,
    binOffset: Int32Array,
    totalBins: number,
    features: number[],
    edges: number[][],
    gainOut: Float64Array,
    binThr: number[],
  ): Tree {
    const o = this.options;
    const tree: Tree = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [] };
    const feats = Int32Array.from(features);
    const lambda = o.lambda;
    const newNode = (): number => {
      binThr.push(-1);
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.missingLeft.push(false);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      return tree.feature.length - 1;
    };
    // A node histogram: per bin, interleaved [gradient sum, hessian sum, row count].
    const histogram = (rows: Int32Array): Float64Array => {
      const hist = new Float64Array(totalBins * 3);
      const nf = feats.length;
      for (let r = 0; r < rows.length; r++) {
        const k = rows[r]!;
        const gk = g[k]!;
        const hk = h[k]!;
        const off = k * d;
        for (let q = 0; q < nf; q++) {
          const j = feats[q]!;
          const b = (binOffset[j]! + bins[off + j]!) * 3;
          hist[b]! += gk;
          hist[b + 1]! += hk;
          hist[b + 2]!++;
        }
      }
      return hist;
    };
    const score = (G: number, H: number): number => (G * G) / (H + o.lambda);
    const bestSplit = (hist: Float64Array, G: number, H: number, C: number): Split | null => {
      let best: Split | null = null;
      const parent = score(G, H);
      for (let q = 0; q < feats.length; q++) {
        const j = feats[q]!;
        const off = binOffset[j]!;
        const miss = off + nBins[j]! - 1;
        const gm = hist[miss * 3]!;
        const hm = hist[miss * 3 + 1]!;
        const cm = hist[miss * 3 + 2]!;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        const last = nBins[j]! - 2;
        for (let t = 0; t < last; t++) {
          gl += hist[(off + t) * 3]!;
          hl += hist[(off + t) * 3 + 1]!;
          cl += hist[(off + t) * 3 + 2]!;
          // try missing values on the left and on the right (when there are none: with the larger side)
          for (let pass = 0; pass < (cm > 0 ? 2 : 1); pass++) {
            const ml = cm > 0 ? pass === 0 : cl >= C - cl;
            const GL = ml ? gl + gm : gl;
            const HL = ml ? hl + hm : hl;
            const CL = ml ? cl + cm : cl;
            const GR = G - GL;
            const HR = H - HL;
            const CR = C - CL;
            if (CL < o.minSamplesLeaf || CR < o.minSamplesLeaf) continue;
            if (HL < o.minChildWeight || HR < o.minChildWeight) continue;
            const gain = 0.5 * ((GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parent) - o.gamma;
            if (gain > 1e-12 && (!best || gain > best.gain))
              best = { gain, feature: j, bin: t, missingLeft: ml };
          }
        }
      }
      return best;
    };

    interface Pending {
      node: number;
      rows: Int32Array;
      depth: number;
      hist: Float64Array;
      G: number;
      H: number;
    }
    let G0 = 0;
    let H0 = 0;
    for (let r = 0; r < rootRows.length; r++) {
      G0 += g[rootRows[r]!]!;
      H0 += h[rootRows[r]!]!;
    }
    const stack: Pending[] = [
      { node: newNode(), rows: rootRows, depth: 0, hist: histogram(rootRows), G: G0, H: H0 },
    ];
    while (stack.length > 0) {
      const p = stack.shift()!;
      const leafValue = (-p.G / (p.H + o.lambda)) * o.learningRate;
      const split = p.depth < o.maxDepth ? bestSplit(p.hist, p.G, p.H, p.rows.length) : null;
      // Internal nodes keep the value they would have as a leaf: used for per-feature contributions.
      tree.value[p.node] = Number.isFinite(leafValue) ? leafValue : 0;
      if (!split) {
        continue;
      }
      const j = split.feature;
      const missBin = nBins[j]! - 1;
      const lBuf = new Int32Array(p.rows.length);
      const rBuf = new Int32Array(p.rows.length);
      let nl = 0;
      let nr = 0;
      let GL = 0;
      let HL = 0;
      for (let q = 0; q < p.rows.length; q++) {
        const k = p.rows[q]!;
        const b = bins[k * d + j]!;
        if (b === missBin ? split.missingLeft : b <= split.bin) {
          lBuf[nl++] = k;
          GL += g[k]!;
          HL += h[k]!;
        } else rBuf[nr++] = k;
      }
      const lRows = lBuf.subarray(0, nl);
      const rRows = rBuf.subarray(0, nr);
      gainOut[j]! += split.gain;
      tree.feature[p.node] = j;
      tree.threshold[p.node] = edges[j]![split.bin]!;
      binThr[p.node] = split.bin;
      tree.missingLeft[p.node] = split.missingLeft;
      const ln = newNode();
      const rn = newNode();
      tree.left[p.node] = ln;
      tree.right[p.node] = rn;
      // Histogram of the smaller child by a pass over its rows; the larger one by subtraction.
      const smallIsLeft = lRows.length <= rRows.length;
      const small = histogram(smallIsLeft ? lRows : rRows);
      const large = new Float64Array(p.hist.length);
      for (let b = 0; b < large.length; b++) large[b] = p.hist[b]! - small[b]!;
      const lh = smallIsLeft ? small : large;
      const rh = smallIsLeft ? large : small;
      stack.push({ node: ln, rows: lRows, depth: p.depth + 1, hist: lh, G: GL, H: HL });
      stack.push({ node: rn, rows: rRows, depth: p.depth + 1, hist: rh, G: p.G - GL, H: p.H - HL });
    }
    return tree;
  }

  decisionFunction(X: Matrix): Float64Array {
    if (X.cols !== this.featureNames.length)
      throw new Error(`model expects ${this.featureNames.length} features, got ${X.cols}`);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let z = this.baseScore;
      for (const t of this.trees) z += predictTree(t, X.data, i * X.cols);
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

  /**
   * Per-feature contributions to one row's log-odds (path attribution, Saabas): along each tree's path,
   * the change in node value at a split is credited to the split's feature. Bias + contributions = log-odds.
   */
  explain(x: ArrayLike<number>): {
    baseLogOdds: number;
    logOdds: number;
    probability: number;
    contributions: { feature: string; value: number; contribution: number }[];
  } {
    const d = this.featureNames.length;
    const contrib = new Float64Array(d);
    const row = Float64Array.from({ length: d }, (_, j) => x[j]!);
    let bias = this.baseScore;
    let z = this.baseScore;
    for (const t of this.trees) {
      let k = 0;
      bias += t.value[0]!;
      while (t.feature[k] !== -1) {
        const j = t.feature[k]!;
        const v = row[j]!;
        const next = Number.isNaN(v)
          ? t.missingLeft[k]
            ? t.left[k]!
            : t.right[k]!
          : v <= t.threshold[k]!
            ? t.left[k]!
            : t.right[k]!;
        contrib[j]! += t.value[next]! - t.value[k]!;
        k = next;
      }
      z += t.value[k]!;
    }
    const contributions = [...contrib]
      .map((c, j) => ({ feature: this.featureNames[j] ?? `x${j}`, value: row[j]!, contribution: c }))
      .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
    return { baseLogOdds: bias, logOdds: z, probability: sigmoid(z), contributions };
  }

  featureImportance(): { feature: string; importance: number }[] {
    return [...this.importance]
      .map((v, j) => ({ feature: this.featureNames[j] ?? `x${j}`, importance: v }))
      .sort((a, b) => b.importance - a.importance);
  }

  toJSON(): ModelJson {
    return {
      name: this.name,
      version: GradientBoostedTrees.VERSION,
      options: this.options,
      featureNames: this.featureNames,
      baseScore: this.baseScore,
      importance: [...this.importance],
      bestIteration: this.bestIteration,
      trees: this.trees,
    };
  }

  static load(json: unknown): GradientBoostedTrees {
    const j = checkJson(json, GradientBoostedTrees.NAME, GradientBoostedTrees.VERSION) as ModelJson & {
      options: ResolvedOptions;
      featureNames: string[];
      baseScore: number;
      importance: number[];
      bestIteration: number;
      trees: Tree[];
    };
    const m = new GradientBoostedTrees({ ...j.options, featureNames: j.featureNames });
    m.baseScore = j.baseScore;
    m.importance = Float64Array.from(j.importance);
    m.bestIteration = j.bestIteration;
    m.trees = j.trees;
    const d = j.featureNames.length;
    for (const t of m.trees) {
      for (const f of t.feature)
        if (f >= d) throw new Error(`gradient-boosted-trees: a tree uses feature ${f} of ${d}`);
    }
    return m;
  }
}

/** Raw score added by one tree for the row starting at data[off]. */
export const predictTree = (t: Tree, data: Float64Array, off: number): number => {
  let k = 0;
  while (t.feature[k] !== -1) {
    const v = data[off + t.feature[k]!]!;
    k = Number.isNaN(v)
      ? t.missingLeft[k]
        ? t.left[k]!
        : t.right[k]!
      : v <= t.threshold[k]!
        ? t.left[k]!
        : t.right[k]!;
  }
  return t.value[k]!;
};

const predictBinnedTree = (
  t: Tree,
  binThr: number[],
  bins: Uint8Array,
  off: number,
  nBins: Int32Array,
): number => {
  let k = 0;
  while (t.feature[k] !== -1) {
    const j = t.feature[k]!;
    const b = bins[off + j]!;
    if (b === nBins[j]! - 1) k = t.missingLeft[k] ? t.left[k]! : t.right[k]!;
    else k = b <= binThr[k]! ? t.left[k]! : t.right[k]!;
  }
  return t.value[k]!;
};
