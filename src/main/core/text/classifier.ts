/**
 * Multi-class text classifiers over hashed word n-grams, written for Bellwether (no dependencies):
 * - MultinomialNaiveBayes (Laplace-smoothed, log-count features): strong with little data;
 * - SoftmaxRegression (L2, mini-batch SGD with AdaGrad) over the same features plus optional dense extras.
 * Both follow the shared model contract (fit / predictProba / predict / score / toJSON / load with a name).
 */
import { Prng } from '../ml/prng';

export const DEFAULT_BUCKETS = 1 << 18;

const STOP = new Set(
  'a an the and or but of to in on for at by with from is are was were be been it this that i we you they my our your me us'.split(
    ' ',
  ),
);

/** Lower-cased word tokens (letters, digits, apostrophes). */
export const words = (text: string): string[] =>
  (text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []).filter((w) => !/^x{2,}$/.test(w));

/** FNV-1a 32-bit. */
export const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

export interface FeatureOptions {
  buckets?: number;
  /** Largest n-gram length (default 2). */
  ngrams?: number;
}

/** Hashed unigram + bigram counts (stop words kept in bigrams, dropped as unigrams). */
export const hashFeatures = (text: string, opts: FeatureOptions = {}): SparseVec => {
  const buckets = opts.buckets ?? DEFAULT_BUCKETS;
  const n = opts.ngrams ?? 2;
  const ws = words(text);
  const counts = new Map<number, number>();
  const bump = (key: string) => {
    const h = fnv1a(key) % buckets;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  };
  for (let i = 0; i < ws.length; i++) {
    if (!STOP.has(ws[i]!)) bump(ws[i]!);
    if (n >= 2 && i + 1 < ws.length) bump(`${ws[i]} ${ws[i + 1]}`);
    if (n >= 3 && i + 2 < ws.length) bump(`${ws[i]} ${ws[i + 1]} ${ws[i + 2]}`);
  }
  const idx = Int32Array.from(counts.keys());
  const val = Float32Array.from(counts.values());
  return { idx, val };
};

export interface TextClassifierJson {
  name: string;
  version: number;
  labels: string[];
  [key: string]: unknown;
}

export interface TextClassifier {
  readonly name: string;
  labels: string[];
  fit(texts: readonly string[], labels: readonly string[]): this;
  /** Probabilities per label (same order as `labels`). */
  predictProba(text: string): number[];
  predict(text: string): { label: string; confidence: number };
  /** Accuracy on a labelled set. */
  score(texts: readonly string[], labels: readonly string[]): number;
  toJSON(): TextClassifierJson;
}

const argmax = (p: readonly number[]): number => {
  let b = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[b]!) b = i;
  return b;
};

const softmaxInPlace = (z: number[]): number[] => {
  const m = Math.max(...z);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    z[i] = Math.exp(z[i]! - m);
    s += z[i]!;
  }
  for (let i = 0; i < z.length; i++) z[i]! /= s;
  return z;
};

abstract class Base implements TextClassifier {
  abstract readonly name: string;
  labels: string[] = [];
  abstract fit(texts: readonly string[], labels: readonly string[]): this;
  abstract predictProba(text: string): number[];
  abstract toJSON(): TextClassifierJson;
  predict(text: string): { label: string; confidence: number } {
    const p = this.predictProba(text);
    const i = argmax(p);
    return { label: this.labels[i]!, confidence: p[i]! };
  }
  score(texts: readonly string[], labels: readonly string[]): number {
    let ok = 0;
    texts.forEach((t, i) => {
      if (this.predict(t).label === labels[i]) ok++;
    });
    return texts.length ? ok / texts.length : 0;
  }
}

const checkFit = (texts: readonly string[], labels: readonly string[]): string[] => {
  if (texts.length !== labels.length) throw new Error(`${texts.length} texts but ${labels.length} labels`);
  if (texts.length === 0) throw new Error('cannot fit on zero rows');
  return [...new Set(labels)].sort();
};

/** Multinomial naive Bayes with log(1 + count) features and Laplace smoothing `alpha`. Sparse storage. */
export class MultinomialNaiveBayes extends Base {
  static readonly NAME = 'multinomial-nb';
  readonly name = MultinomialNaiveBayes.NAME;
  logPrior: number[] = [];
  /** Per class: feature -> log P(f | c) for features seen in that class. */
  logLik: Map<number, number>[] = [];
  /** Per class: log P(unseen f | c). */
  logUnseen: number[] = [];

  constructor(
    readonly alpha = 0.1,
    readonly features: FeatureOptions = {},
  ) {
    super();
  }

  fit(texts: readonly string[], labels: readonly string[]): this {
    this.labels = checkFit(texts, labels);
    const k = this.labels.length;
    const counts = Array.from({ length: k }, () => new Map<number, number>());
    const totals = new Array<number>(k).fill(0);
    const docs = new Array<number>(k).fill(0);
    const vocab = new Set<number>();
    texts.forEach((t, i) => {
      const c = this.labels.indexOf(labels[i]!);
      docs[c]!++;
      const f = hashFeatures(t, this.features);
      for (let j = 0; j < f.idx.length; j++) {
        const v = Math.log1p(f.val[j]!);
        counts[c]!.set(f.idx[j]!, (counts[c]!.get(f.idx[j]!) ?? 0) + v);
        totals[c]! += v;
        vocab.add(f.idx[j]!);
      }
    });
    const V = vocab.size + 1;
    this.logPrior = docs.map((d) => Math.log(d / texts.length));
    this.logLik = counts.map((m, c) => {
      const denom = totals[c]! + this.alpha * V;
      const out = new Map<number, number>();
      for (const [f, v] of m) out.set(f, Math.log((v + this.alpha) / denom));
      return out;
    });
    this.logUnseen = totals.map((t) => Math.log(this.alpha / (t + this.alpha * V)));
    return this;
  }

  predictProba(text: string): number[] {
    const f = hashFeatures(text, this.features);
    const z = this.logPrior.map((p, c) => {
      let s = p;
      for (let j = 0; j < f.idx.length; j++)
        s += Math.log1p(f.val[j]!) * (this.logLik[c]!.get(f.idx[j]!) ?? this.logUnseen[c]!);
      return s;
    });
    return softmaxInPlace(z);
  }

  toJSON(): TextClassifierJson {
    return {
      name: this.name,
      version: 1,
      labels: this.labels,
      alpha: this.alpha,
      features: this.features,
      logPrior: this.logPrior,
      logUnseen: this.logUnseen,
      logLik: this.logLik.map((m) => [...m.entries()].map(([f, v]) => [f, Math.round(v * 1e5) / 1e5])),
    };
  }

  static load(json: TextClassifierJson): MultinomialNaiveBayes {
    const j = json as TextClassifierJson & {
      alpha: number;
      features: FeatureOptions;
      logPrior: number[];
      logUnseen: number[];
      logLik: [number, number][][];
    };
    const m = new MultinomialNaiveBayes(j.alpha, j.features);
    m.labels = j.labels;
    m.logPrior = j.logPrior;
    m.logUnseen = j.logUnseen;
    m.logLik = j.logLik.map((pairs) => new Map(pairs));
    return m;
  }
}

export interface SoftmaxOptions {
  l2?: number;
  epochs?: number;
  lr?: number;
  seed?: number;
  features?: FeatureOptions;
  /** Dense extra features appended to the hashed ones (e.g. a base model's score). */
  extras?: (text: string) => number[];
  /** How many dense extras `extras` returns (needed for a model restored from JSON). */
  extraCount?: number;
  /** Class-balanced sample weights. */
  balanced?: boolean;
}

/** Multinomial logistic regression over hashed n-grams (+ dense extras), AdaGrad SGD with L2. */
export class SoftmaxRegression extends Base {
  static readonly NAME = 'softmax-regression';
  readonly name = SoftmaxRegression.NAME;
  /** Sparse weights: feature -> per-class weights. */
  w = new Map<number, Float64Array>();
  dense: Float64Array[] = [];
  bias: number[] = [];
  readonly opts: Required<Omit<SoftmaxOptions, 'extras'>>;
  extras: ((text: string) => number[]) | undefined;

  constructor(opts: SoftmaxOptions = {}) {
    super();
    this.opts = {
      l2: opts.l2 ?? 1e-4,
      epochs: opts.epochs ?? 15,
      lr: opts.lr ?? 0.5,
      seed: opts.seed ?? 1,
      features: opts.features ?? {},
      extraCount: opts.extraCount ?? 0,
      balanced: opts.balanced ?? true,
    };
    this.extras = opts.extras;
  }

  private logits(f: SparseVec, x: number[]): number[] {
    const k = this.labels.length;
    const z = this.bias.slice();
    for (let j = 0; j < f.idx.length; j++) {
      const w = this.w.get(f.idx[j]!);
      if (!w) continue;
      for (let c = 0; c < k; c++) z[c]! += w[c]! * f.val[j]!;
    }
    for (let e = 0; e < x.length; e++) for (let c = 0; c < k; c++) z[c]! += this.dense[e]![c]! * x[e]!;
    return z;
  }

  private featurize(text: string): { f: SparseVec; x: number[] } {
    const f = hashFeatures(text, this.opts.features);
    // L2-normalize the sparse part so long and short texts weigh alike.
    let n = 0;
    for (let j = 0; j < f.val.length; j++) n += f.val[j]! * f.val[j]!;
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < f.val.length; j++) f.val[j]! /= n;
    return { f, x: this.extras ? this.extras(text) : [] };
  }

  fit(texts: readonly string[], labels: readonly string[]): this {
    this.labels = checkFit(texts, labels);
    const k = this.labels.length;
    const data = texts.map((t) => this.featurize(t));
    const y = labels.map((l) => this.labels.indexOf(l));
    const nx = data[0]?.x.length ?? 0;
    this.opts.extraCount = nx;
    this.dense = Array.from({ length: nx }, () => new Float64Array(k));
    this.bias = new Array<number>(k).fill(0);
    this.w = new Map();
    const classCount = new Array<number>(k).fill(0);
    for (const c of y) classCount[c]!++;
    const sw = y.map((c) => (this.opts.balanced ? texts.length / (k * classCount[c]!) : 1));
    const g2 = new Map<number, Float64Array>();
    const g2Dense = Array.from({ length: nx }, () => new Float64Array(k));
    const g2Bias = new Float64Array(k);
    const rng = new Prng(this.opts.seed);
    const order = texts.map((_, i) => i);
    const { lr, l2 } = this.opts;
    for (let epoch = 0; epoch < this.opts.epochs; epoch++) {
      rng.shuffle(order);
      for (const i of order) {
        const { f, x } = data[i]!;
        const p = softmaxInPlace(this.logits(f, x));
        for (let c = 0; c < k; c++) {
          const g = (p[c]! - (y[i] === c ? 1 : 0)) * sw[i]!;
          g2Bias[c]! += g * g;
          this.bias[c]! -= (lr * g) / Math.sqrt(g2Bias[c]! + 1e-8);
          for (let e = 0; e < nx; e++) {
            const ge = g * x[e]! + l2 * this.dense[e]![c]!;
            g2Dense[e]![c]! += ge * ge;
            this.dense[e]![c]! -= (lr * ge) / Math.sqrt(g2Dense[e]![c]! + 1e-8);
          }
          for (let j = 0; j < f.idx.length; j++) {
            const fi = f.idx[j]!;
            let w = this.w.get(fi);
            let gg = g2.get(fi);
            if (!w || !gg) {
              w = new Float64Array(k);
              gg = new Float64Array(k);
              this.w.set(fi, w);
              g2.set(fi, gg);
            }
            const gj = g * f.val[j]! + l2 * w[c]!;
            gg[c]! += gj * gj;
            w[c]! -= (lr * gj) / Math.sqrt(gg[c]! + 1e-8);
          }
        }
      }
    }
    return this;
  }

  predictProba(text: string): number[] {
    const { f, x } = this.featurize(text);
    return softmaxInPlace(this.logits(f, x));
  }

  toJSON(): TextClassifierJson {
    const r = (v: number) => Math.round(v * 1e5) / 1e5;
    return {
      name: this.name,
      version: 1,
      labels: this.labels,
      opts: this.opts,
      bias: this.bias.map(r),
      dense: this.dense.map((d) => Array.from(d, r)),
      w: [...this.w.entries()]
        .filter(([, v]) => v.some((x) => Math.abs(x) > 1e-4))
        .map(([f, v]) => [f, Array.from(v, r)]),
    };
  }

  static load(json: TextClassifierJson, extras?: (text: string) => number[]): SoftmaxRegression {
    const j = json as TextClassifierJson & {
      opts: Required<Omit<SoftmaxOptions, 'extras'>>;
      bias: number[];
      dense: number[][];
      w: [number, number[]][];
    };
    const m = new SoftmaxRegression({ ...j.opts, ...(extras ? { extras } : {}) });
    m.labels = j.labels;
    m.bias = j.bias;
    m.dense = j.dense.map((d) => Float64Array.from(d));
    m.w = new Map(j.w.map(([f, v]) => [f, Float64Array.from(v)]));
    return m;
  }
}

/**
 * The keyword baseline: per class, the words most over-represented in that class (smoothed log-odds vs the
 * rest, seen at least `minCount` times); a text goes to the class whose keywords it contains most.
 */
export class KeywordClassifier extends Base {
  static readonly NAME = 'keyword';
  readonly name = KeywordClassifier.NAME;
  keywords: Record<string, string[]> = {};
  prior: number[] = [];

  constructor(
    readonly perClass = 25,
    readonly minCount = 3,
  ) {
    super();
  }

  /** Uses fixed keyword lists instead of learning them (a configured start with no history). */
  static fromKeywords(keywords: Record<string, readonly string[]>): KeywordClassifier {
    const m = new KeywordClassifier();
    m.labels = Object.keys(keywords);
    m.keywords = Object.fromEntries(
      Object.entries(keywords).map(([k, v]) => [k, v.map((w) => w.toLowerCase())]),
    );
    m.prior = m.labels.map(() => 1 / m.labels.length);
    return m;
  }

  fit(texts: readonly string[], labels: readonly string[]): this {
    this.labels = checkFit(texts, labels);
    const perClass = this.labels.map(() => new Map<string, number>());
    const total = new Map<string, number>();
    const docs = this.labels.map(() => 0);
    texts.forEach((t, i) => {
      const c = this.labels.indexOf(labels[i]!);
      docs[c]!++;
      for (const w of new Set(words(t))) {
        if (STOP.has(w) || w.length < 3) continue;
        perClass[c]!.set(w, (perClass[c]!.get(w) ?? 0) + 1);
        total.set(w, (total.get(w) ?? 0) + 1);
      }
    });
    this.prior = docs.map((d) => d / texts.length);
    this.labels.forEach((lab, c) => {
      const inC = docs[c]!;
      const outC = texts.length - inC;
      const scored: [string, number][] = [];
      for (const [w, n] of perClass[c]!) {
        if (n < this.minCount) continue;
        const rest = total.get(w)! - n;
        const lo = Math.log((n + 0.5) / (inC - n + 0.5)) - Math.log((rest + 0.5) / (outC - rest + 0.5));
        scored.push([w, lo]);
      }
      scored.sort((a, b) => b[1] - a[1]);
      this.keywords[lab] = scored.slice(0, this.perClass).map(([w]) => w);
    });
    return this;
  }

  predictProba(text: string): number[] {
    const ws = new Set(words(text));
    const phrase = ` ${words(text).join(' ')} `;
    const hits = this.labels.map((l) =>
      (this.keywords[l] ?? []).reduce(
        (s, k) => s + (k.includes(' ') ? (phrase.includes(` ${k} `) ? 1 : 0) : ws.has(k) ? 1 : 0),
        0,
      ),
    );
    // ties (and no hits) fall back to the prior
    const z = hits.map((h, c) => h * 3 + Math.log(this.prior[c]! + 1e-9) * 0.01);
    return softmaxInPlace(z);
  }

  toJSON(): TextClassifierJson {
    return { name: this.name, version: 1, labels: this.labels, keywords: this.keywords, prior: this.prior };
  }

  static load(json: TextClassifierJson): KeywordClassifier {
    const m = new KeywordClassifier();
    m.labels = json.labels;
    m.keywords = json.keywords as Record<string, string[]>;
    m.prior = json.prior as number[];
    return m;
  }
}

/** Always predicts the most frequent training label. */
export class MajorityClassifier extends Base {
  static readonly NAME = 'majority';
  readonly name = MajorityClassifier.NAME;
  top = '';
  fit(texts: readonly string[], labels: readonly string[]): this {
    this.labels = checkFit(texts, labels);
    const n = new Map<string, number>();
    for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
    this.top = [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    return this;
  }
  predictProba(): number[] {
    return this.labels.map((l) => (l === this.top ? 1 : 0));
  }
  toJSON(): TextClassifierJson {
    return { name: this.name, version: 1, labels: this.labels, top: this.top };
  }
}

export const loadTextClassifier = (json: unknown): TextClassifier => {
  const j = json as TextClassifierJson;
  if (!j || typeof j !== 'object' || j.version !== 1)
    throw new Error('not a Bellwether text classifier (version 1)');
  switch (j.name) {
    case MultinomialNaiveBayes.NAME:
      return MultinomialNaiveBayes.load(j);
    case SoftmaxRegression.NAME:
      return SoftmaxRegression.load(j);
    case KeywordClassifier.NAME:
      return KeywordClassifier.load(j);
    default:
      throw new Error(`unknown text classifier "${String(j.name)}"`);
  }
};

export interface ClassMetrics {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

/** Accuracy and macro-F1 over the union of gold and predicted labels. */
export const classificationMetrics = (gold: readonly string[], pred: readonly string[]): ClassMetrics => {
  const labels = [...new Set([...gold, ...pred])].sort();
  const perClass: ClassMetrics['perClass'] = {};
  let correct = 0;
  gold.forEach((g, i) => {
    if (g === pred[i]) correct++;
  });
  let f1sum = 0;
  let nGoldClasses = 0;
  for (const l of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      if (pred[i] === l && g === l) tp++;
      else if (pred[i] === l) fp++;
      else if (g === l) fn++;
    });
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[l] = { precision, recall, f1, support: tp + fn };
    if (tp + fn > 0) {
      f1sum += f1;
      nGoldClasses++;
    }
  }
  return {
    n: gold.length,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: nGoldClasses ? f1sum / nGoldClasses : 0,
    perClass,
  };
};

/** Balanced accuracy for positive vs negative (rows with other gold labels are ignored). */
export const binaryBalancedAccuracy = (
  gold: readonly string[],
  pred: readonly string[],
): { n: number; balancedAccuracy: number; negativeRecall: number; positiveRecall: number } => {
  let tp = 0;
  let p = 0;
  let tn = 0;
  let n = 0;
  gold.forEach((g, i) => {
    if (g === 'positive') {
      p++;
      if (pred[i] === 'positive') tp++;
    } else if (g === 'negative') {
      n++;
      if (pred[i] === 'negative') tn++;
    }
  });
  const positiveRecall = p ? tp / p : 0;
  const negativeRecall = n ? tn / n : 0;
  return {
    n: p + n,
    balancedAccuracy: (positiveRecall + negativeRecall) / 2,
    negativeRecall,
    positiveRecall,
  };
};

/** A seeded stratified split of row indices: `fraction` of each label goes to the test part. */
export const stratifiedSplit = (
  labels: readonly string[],
  fraction: number,
  seed = 7,
): { train: number[]; test: number[] } => {
  const rng = new Prng(seed);
  const by = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = by.get(l) ?? [];
    list.push(i);
    by.set(l, list);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...by.keys()].sort()) {
    const list = by.get(key)!;
    rng.shuffle(list);
    const h = Math.round(list.length * fraction);
    test.push(...list.slice(0, h));
    train.push(...list.slice(h));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
};
